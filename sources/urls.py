from django.urls import path

from sources import views

app_name = "sources"
urlpatterns = [
    path("snapshots/<int:pk>/", views.snapshot_detail, name="snapshot-detail"),
    path("desk/sources/new/", views.source_create, name="source-create"),
    path("desk/sources/<slug:slug>/edit/", views.source_edit, name="source-edit"),
    path("desk/documents/", views.desk_documents, name="desk-documents"),
    path("desk/documents/new/", views.document_create, name="document-create"),
    path("desk/documents/<int:pk>/", views.desk_document, name="desk-document"),
    path("desk/documents/<int:pk>/edit/", views.document_edit, name="document-edit"),
    path("desk/documents/<int:pk>/versions/", views.document_versions, name="document-versions"),
    path("desk/snapshots/<int:pk>/annotate/", views.annotate, name="annotate"),
]
