from django.contrib import admin
from django.urls import include, path

from factcheck import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("desk/history/<str:kind>/<int:pk>/", views.history, name="history"),
    path("desk/history/<str:kind>/<int:pk>/revert/", views.revert, name="revert"),
    path("", include("claims.urls")),
    path("", include("sources.urls")),
]
