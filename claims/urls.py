from django.urls import path

from claims import views

app_name = "claims"
urlpatterns = [
    path("", views.home, name="home"),
    path("claims/<slug:slug>/", views.claim_detail, name="claim-detail"),
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
