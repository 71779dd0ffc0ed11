from django.contrib.sitemaps import views as sitemaps
from django.urls import path

from claims import views
from claims.feeds import PublicationsFeed
from claims.sitemaps import SITEMAPS
from factcheck.caching import public_page

app_name = "claims"
urlpatterns = [
    path("", views.home, name="home"),
    path("claims/", views.claim_list, name="claim-list"),
    path("search/", views.search, name="search"),
    path("claims/<slug:slug>/", views.claim_detail, name="claim-detail"),
    path("claims/<slug:slug>/history/", views.claim_history, name="claim-history"),
    path("claims/<slug:slug>/claimreview.json", views.claimreview_json, name="claimreview"),
    path("claimreview.json", views.claimreview_feed, name="claimreview-feed"),
    path("claims.csv", views.claims_csv, name="claims-csv"),
    path("links.csv", views.links_csv, name="links-csv"),
    # The feed and the sitemaps are public pages too: conditional, and rendered once per state.
    path("feed.atom", public_page(PublicationsFeed()), name="feed"),
    path("sitemap.xml", public_page(sitemaps.index),
         {"sitemaps": SITEMAPS, "sitemap_url_name": "claims:sitemap-section"}, name="sitemap"),
    path("sitemap-<section>.xml", public_page(sitemaps.sitemap), {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("methodology/", views.methodology, name="methodology"),
    path("vocabulary/", views.vocabulary, name="vocabulary"),
    path("corrections/", views.corrections, name="corrections"),
    # The desk
    path("desk/", views.desk_home, name="desk-home"),
    path("desk/review/", views.review_queue, name="review-queue"),
    path("desk/claims/new/", views.claim_create, name="claim-create"),
    path("desk/claims/<slug:slug>/", views.desk_claim, name="desk-claim"),
    path("desk/claims/<slug:slug>/edit/", views.claim_edit, name="claim-edit"),
    path("desk/claims/<slug:slug>/link/", views.link_propose, name="link-propose"),
    path("desk/claims/<slug:slug>/<str:step>/", views.claim_transition, name="claim-transition"),
    path("desk/links/<int:pk>/<str:decision>/", views.link_decision, name="link-decision"),
]
