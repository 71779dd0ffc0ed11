from django.contrib import admin
from django.urls import include, path

from claims import views as claim_views
from factcheck import views

handler400 = "factcheck.views.bad_request"
handler403 = "factcheck.views.permission_denied"
handler404 = "factcheck.views.page_not_found"
handler500 = "factcheck.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("factcheck.api_urls")),
    path("accounts/login/", views.DeskLoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("desk/history/<str:kind>/<int:pk>/", views.history, name="history"),
    path("desk/history/<str:kind>/<int:pk>/revert/", views.revert, name="revert"),
    # The public pages of sources and documents list the claims citing them: the claims app
    # serves them, as sources never refers to claims.
    path("sources/<slug:slug>/", claim_views.source_detail, name="source-detail"),
    path("documents/<int:pk>/", claim_views.document_detail, name="document-detail"),
    path("", include("publicrecord.urls")),
    path("", include("claims.urls")),
    path("", include("sources.urls")),
]
