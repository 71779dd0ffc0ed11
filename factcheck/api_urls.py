"""/api/v1/: the API's routes, its token endpoint, and the OpenAPI schema and docs."""

from typing import Any

from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import AuthenticationFailed, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.throttling import AnonRateThrottle

from claims.api import ClaimReviewImportViewSet, ClaimViewSet, LinkViewSet, ReviewEventViewSet
from factcheck.api import api_not_found
from sources.api import AnnotationViewSet, DocumentViewSet, SnapshotViewSet, SourceViewSet


class TokenView(ObtainAuthToken):
    """A token for a username and password. Wrong credentials fail authentication (401, with
    WWW-Authenticate); a body without them is bad input (400)."""

    throttle_classes = [AnonRateThrottle]  # passwords are not guessed faster than pages are read

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        payload = self.get_serializer(data=request.data)
        if not payload.is_valid():
            if payload.errors.keys() == {"non_field_errors"}:
                raise AuthenticationFailed("Unable to log in with these credentials.")
            raise ValidationError(payload.errors)
        token, _ = Token.objects.get_or_create(user=payload.validated_data["user"])
        return Response({"token": token.key})


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
    path("v1/auth/token/", TokenView.as_view(), name="api-token"),
    path("v1/", include(router.urls)),
    re_path(r"^v1/", csrf_exempt(api_not_found)),  # a POST to no endpoint is a JSON 404, not a CSRF page
    # The schema is static: read without throttling (and so without the shared cache).
    path("schema/", SpectacularAPIView.as_view(throttle_classes=[]), name="api-schema"),
    # The split view serves its start-up script from a URL: no inline script, for the CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="factcheck/swagger_ui.html"),
         name="api-docs"),
]
