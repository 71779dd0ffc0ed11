from django.urls import path

from publicrecord import views

app_name = "publicrecord"
urlpatterns = [
    path("transparency/", views.about, name="about"),
    path("transparency/head.json", views.head, name="head"),
    path("transparency/entries/<str:index>.json", views.entry, name="entry"),
    path("transparency/proof/<str:index>.json", views.inclusion_proof, name="proof"),
    path("transparency/consistency.json", views.consistency_proof, name="consistency"),
    path("transparency/verify_claim.py", views.verifier, name="verifier"),
]
