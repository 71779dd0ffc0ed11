"""/api/v1/: the API's routes, its token endpoint, and the OpenAPI schema and docs."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.routers import DefaultRouter
from rest_framework.throttling import AnonRateThrottle

from claims.api import ClaimReviewImportViewSet, ClaimViewSet, LinkViewSet, ReviewEventViewSet
from factcheck.api import api_not_found
from sources.api import AnnotationViewSet, DocumentViewSet, SnapshotViewSet, SourceViewSet

router = DefaultRouter()
router.register("claims", ClaimViewSet, basename="claim")
router.register("links", LinkViewSet, basename="link")
router.register("review-events", ReviewEventViewSet, basename="review-event")
router.register("claimreview-imports", ClaimReviewImportViewSet, basename="claimreview-import")
router.register("sources", SourceViewSet, basename="source")
router.register("documents", DocumentViewSet, basename="document")
router.register("snapshots", SnapshotViewSet, basename="snapshot")
router.register("annotations", AnnotationViewSet, basename="annotation")

urlpatterns = [
    # Throttled like any anonymous call: passwords are not guessed faster than pages are read.
    path("v1/auth/token/", ObtainAuthToken.as_view(throttle_classes=[AnonRateThrottle]), name="api-token"),
    path("v1/", include(router.urls)),
    re_path(r"^v1/", api_not_found),
    # The schema is static: read without throttling (and so without the shared cache).
    path("schema/", SpectacularAPIView.as_view(throttle_classes=[]), name="api-schema"),
    # The split view serves its start-up script from a URL: no inline script, for the CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="factcheck/swagger_ui.html"),
         name="api-docs"),
]
