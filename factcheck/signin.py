"""The doors: one limit on guessing passwords, shared by every way in and every app server.

django-axes counts failed sign-ins per account and per address in Django's shared cache (the
database cache, or Redis with REDIS_URL), so the sign-in page, the admin's and the API's token
endpoint draw on the same allowance, whichever worker answers. Past AXES_FAILURE_LIMIT failures
the account or the address is locked out for AXES_COOLOFF_MINUTES, the right password included:
429 Too Many Requests with Retry-After, in words on the pages and in the API's error shape.
"""

import logging
from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from rest_framework import exceptions, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from factcheck.api import AnonymousRateThrottle, FormParser, LimitedJSONParser, MultiPartParser

logger = logging.getLogger(__name__)


class SignInLimitBackend(AxesStandaloneBackend):
    """axes' check on every sign-in that comes through a door. Every door hands authenticate()
    its request; a call without one is no door (the test client's login, a shell)."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def client_address(request: HttpRequest) -> str | None:
    """The address a sign-in counts against: the same one the API throttles use (API_NUM_PROXIES
    says how many X-Forwarded-For entries to trust; none by default)."""
    return BaseThrottle().get_ident(request)


def cooloff_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def lockout_message() -> str:
    minutes = max(1, round(cooloff_seconds() / 60))
    return (f"Too many failed sign-ins for this account or from this address. Sign-in is paused: "
            f"try again in {minutes} minute{'s' if minutes != 1 else ''}.")


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: dict[str, Any] | None = None) -> HttpResponse:
    """What axes answers a locked-out sign-in on the pages (AXES_LOCKOUT_CALLABLE)."""
    logger.warning("Sign-in refused, locked out: %s from %s", request.path, client_address(request))
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"error": "locked_out", "detail": lockout_message(), "fields": {}},
                                              status=status.HTTP_429_TOO_MANY_REQUESTS)
    else:
        response = render(request, "registration/locked_out.html", {"message": lockout_message()},
                          status=status.HTTP_429_TOO_MANY_REQUESTS)
    response["Retry-After"] = str(cooloff_seconds())
    return response


class LockedOut(exceptions.Throttled):
    default_code = "locked_out"

    def __init__(self) -> None:
        super().__init__(wait=cooloff_seconds(), detail=lockout_message())

    def __str__(self) -> str:
        return lockout_message()


class TokenView(ObtainAuthToken):
    """`POST /api/v1/auth/token/`: a token for the right password, within the shared limit.
    Wrong credentials are a 401; a body without them a 400.

    Throttled like any anonymous call as well. axes marks the DRF request it was handed when it
    locks the door, so the lockout is raised here, in the API's error shape.
    """

    throttle_classes = [AnonymousRateThrottle]
    parser_classes = [LimitedJSONParser, FormParser, MultiPartParser]  # DRF's view names its own, unlimited

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            if getattr(request, "axes_locked_out", False):
                raise LockedOut()
            # Wrong credentials fail authentication (401, with WWW-Authenticate); a body
            # without them is bad input (400).
            if serializer.errors.keys() == {"non_field_errors"}:
                raise exceptions.AuthenticationFailed("Unable to log in with these credentials.")
            raise exceptions.ValidationError(serializer.errors)
        token, _ = Token.objects.get_or_create(user=serializer.validated_data["user"])
        # A credential: no cache on the way, nor the client's, may keep it (RFC 6749, 5.1).
        return Response({"token": token.key}, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})
