"""/api/v1/: the API's routes, its token endpoint, and the OpenAPI schema and docs."""


from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from claims.api import ClaimReviewImportViewSet, ClaimViewSet, LinkViewSet, ReviewEventViewSet
from factcheck.api import api_not_found
from factcheck.signin import TokenView
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
    # Throttled like any anonymous call, and within the sign-in limit every door shares.
    path("v1/auth/token/", TokenView.as_view(), name="api-token"),
    path("v1/", include(router.urls)),
    re_path(r"^v1/", csrf_exempt(api_not_found)),  # a POST to no endpoint is a JSON 404, not a CSRF page
    # The schema is static: read without throttling (and so without the shared cache).
    path("schema/", SpectacularAPIView.as_view(throttle_classes=[]), name="api-schema"),
    # The split view serves its start-up script from a URL: no inline script, for the CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="factcheck/swagger_ui.html"),
         name="api-docs"),
]
