from django.urls import path

from sources import views

app_name = "sources"
urlpatterns = [
    path("sources/<slug:slug>/", views.source_detail, name="source-detail"),
    path("documents/<int:pk>/", views.document_detail, name="document-detail"),
    path("snapshots/<int:pk>/", views.snapshot_detail, name="snapshot-detail"),
]
