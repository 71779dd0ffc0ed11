"""HTTP caching of the public pages: ETags that answer 304 without rendering.

Everything the public sees comes from the public record, which only grows: its size
fingerprints the public state, and its latest record's time is the last modification. One
lookup on the record's primary key, no rendering. Nothing done to the working rows changes
them. The team's pages carry desk links and are never cached.
"""

import datetime
import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import condition

from factcheck.roles import is_team_member

PUBLIC_MAX_AGE = 60
PUBLIC = f"public, max-age={PUBLIC_MAX_AGE}"
# A signed-in person's page names them and carries their CSRF token: kept by no cache at all.
PERSONAL = "private, no-store"
# Under these the pages are the team's, the sign-in forms' or the API's: cached by nobody unasked.
NOT_PUBLIC_PREFIXES = ("/api/", "/admin/", "/desk/", "/accounts/")


class SharedDatabaseCache(DatabaseCache):
    """Django's database cache with an increment that two app servers cannot both lose.

    The stock incr() reads, adds and writes back: two workers counting the same failed sign-in
    at once would both write N+1. Here the row is locked for the read and the write (SELECT …
    FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions take the write lock at BEGIN).
    """

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        with transaction.atomic(using=db):
            if connection.features.has_select_for_update:
                quote = connection.ops.quote_name
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT {quote('cache_key')} FROM {quote(self._table)} "  # noqa: S608 (names, not input)
                        f"WHERE {quote('cache_key')} = %s FOR UPDATE",
                        [self.make_and_validate_key(key, version=version)],
                    )
            return super().incr(key, delta, version)


def public_state(request: HttpRequest) -> tuple[str, datetime.datetime | None]:
    """(fingerprint, time of the latest change) of what the public sees; once per request."""
    cached = getattr(request, "_public_state", None)
    if cached is None:
        from publicrecord.querysets import latest_state

        size, at = latest_state()
        # The size alone would do in one database; the time guards against a log rebuilt or
        # restored to the same size with other records (and tests that start again from 0).
        cached = (f"log{size}-{at.timestamp() if at else 0}", at)
        request._public_state = cached
    return cached


def _public_etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    # The header names a signed-in reader: their pages are their own.
    key = f"{request.get_full_path()}|{request.user.pk or ''}|{public_state(request)[0]}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> datetime.datetime | None:
    return public_state(request)[1]


def _rendered_once_per_state(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve an anonymous reader the page as rendered for this state of the public record.

    The key holds the log's size, so any new record makes every key new: nothing stale is ever
    served, and the old entries expire. A hit costs the lookup of the log's size and one cache
    read. Signed-in readers' pages carry their CSRF token, so they are rendered each time.
    """

    @functools.wraps(view)
    def cached_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = "page:" + hashlib.sha256(f"{request.get_full_path()}|{public_state(request)[0]}".encode()).hexdigest()
        hit = cache.get(key)
        if hit is not None:
            status, content_type, content = hit
            return HttpResponse(content, status=status, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code in (200, 404) and not response.streaming:
            cache.set(key, (response.status_code, response["Content-Type"], response.content),
                      timeout=settings.PUBLIC_PAGE_CACHE_SECONDS)
        return response

    return cached_view


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """ETag and Cache-Control for anonymous readers, and their pages rendered once per state of
    the public record; private and uncached for the team."""
    conditional_view = condition(etag_func=_public_etag, last_modified_func=_last_modified)(
        _rendered_once_per_state(view))

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if is_team_member(request.user):
            response = view(request, *args, **kwargs)
            response["Cache-Control"] = PERSONAL
        else:
            response = conditional_view(request, *args, **kwargs)
            if request.user.is_authenticated:
                response["Cache-Control"] = PERSONAL  # a signed-in reader's page carries their CSRF token
            elif response.status_code in (200, 304):
                response["Cache-Control"] = PUBLIC
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapper


def cache_control_middleware(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[..., HttpResponse]:
    """Every response says how it may be cached, and no page holding a CSRF token says public.

    Views that know (public_page, the transparency log, never_cache) set their own; a page that
    rendered a CSRF token is made private and unstored whatever it said; anything else signed in
    (a session, or an API token) is private and unstored; anonymous pages outside the desk, the
    admin, the sign-in forms and the API are public for a minute; the rest must be revalidated.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META
        # A rendered token sets the flag, or the cookie once a csrf_protect decorator has seen it.
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or settings.CSRF_COOKIE_NAME in response.cookies:
            response["Cache-Control"] = PERSONAL
        elif response.has_header("Cache-Control"):
            pass
        elif signed_in:
            response["Cache-Control"] = PERSONAL
        elif (request.method in ("GET", "HEAD") and response.status_code == 200
              and not request.path.startswith(NOT_PUBLIC_PREFIXES)):
            response["Cache-Control"] = PUBLIC
        else:
            response["Cache-Control"] = "no-cache"
        return response

    return middleware
