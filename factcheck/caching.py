"""HTTP caching of the public pages: ETags that answer 304 without rendering, and each page
rendered once per state of what it shows.

Everything the public sees comes from the public record, which only grows. A public page names
the part of the record it shows with a *fingerprint* (by default the whole log: its size and its
latest record's time, one lookup on the record's primary key); its ETag and cache key derive
from the page's address and that fingerprint, so a new record the page shows changes both, and
nothing stale is ever served. Nothing done to the working rows changes them. The team's pages
carry desk links and are never cached.

An anonymous reader's request is answered by `PublicPagesMiddleware` before sessions, CSRF and
authentication run: a 304 costs the fingerprint's lookup, a cached page one cache read more.
"""

import datetime
import functools
import hashlib
import logging
import threading
import time
from calendar import timegm
from collections.abc import Callable
from typing import Any

import cachetools
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.db import DatabaseCache
from django.core.handlers.wsgi import WSGIRequest
from django.db import DatabaseError, connections, router, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, parse_etags
from rest_framework.request import Request

from factcheck.logs import REQUEST_ID, log_request, request_id_from
from factcheck.roles import is_team_member

logger = logging.getLogger(__name__)

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

State = tuple[str, datetime.datetime | None]
Fingerprint = Callable[..., State]


def log_state(request: HttpRequest, *args: Any, **kwargs: Any) -> State:
    """(fingerprint, time of the latest change) of the whole public record; once per request."""
    cached = getattr(request, "_public_state", None)
    if cached is None:
        from publicrecord.querysets import latest_state

        size, at = latest_state()
        # The size alone would do in one database; the time guards against a log rebuilt or
        # restored to the same size with other records (and tests that start again from 0).
        cached = (f"log{size}-{at.timestamp() if at else 0}", at)
        request._public_state = cached
    return cached


def _digest(*parts: Any) -> str:
    return hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()[:32]


def _shared_etag(path: str, state: str, variant: str = "") -> str:
    """The entity tag of the page every anonymous reader of `path` gets in this state."""
    return _digest(path, "", state, variant)


def _may_share(request: HttpRequest) -> bool:
    """Whether this request may be answered with the page every anonymous reader gets: no
    session (so no signed-in reader), no API credentials, no flashed message waiting."""
    return (request.method in ("GET", "HEAD") and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META and "messages" not in request.COOKIES)


def _not_modified(request: HttpRequest, etag: str, modified: datetime.datetime | None) -> HttpResponse | None:
    """304 (or 412) with the page's validators when the reader's copy is current, else None; the
    rules of Django's `condition` decorator."""
    timestamp = timegm(modified.utctimetuple()) if modified else None
    response = get_conditional_response(request, etag=f'"{etag}"', last_modified=timestamp)
    return _validated(response, etag, modified) if response is not None else None


def _validators(etag: str, modified: datetime.datetime | None) -> list[tuple[str, str]]:
    """A public page's validators: its entity tag and, when known, when it last changed."""
    return [("ETag", f'"{etag}"'), *([("Last-Modified", http_date(timegm(modified.utctimetuple())))]
                                      if modified is not None else [])]


def _validated(response: HttpResponse, etag: str, modified: datetime.datetime | None) -> HttpResponse:
    """The page's validators on `response`; none on an error (a 404 kept for this state): a
    reader holding no tag of one can never be told it is current (RFC 9110 §13.2.1 ignores
    preconditions on what would not be a 2xx), whichever path answers."""
    if response.status_code >= 400:
        return response
    for name, value in _validators(etag, modified):
        response.headers.setdefault(name, value)
    return response


def _conditional(request: HttpRequest, etag: str, modified: datetime.datetime | None,
                 render: Callable[[], HttpResponse]) -> HttpResponse:
    """304 (or 412) when the reader's copy is current, else `render()`; ETag and Last-Modified on both."""
    return _not_modified(request, etag, modified) or _validated(render(), etag, modified)


def _finish_shared(response: HttpResponse, *, api: bool = False) -> HttpResponse:
    if api:
        # Kept here, but not by shared caches on the way: one of them could hand the anonymous
        # list to a caller with a token (Authorization is not a header responses vary on).
        response["Cache-Control"] = "no-cache"
    elif response.status_code in (200, 304):
        response["Cache-Control"] = PUBLIC
    patch_vary_headers(response, ["Cookie"])
    return response


Page = tuple[int, dict[str, str], bytes]  # status, headers, body


class _Pages:
    """This worker's copies of the pages it served lately, most recent kept, at most
    PUBLIC_PAGE_MEMORY_BYTES in all. A page's key names the state of what it shows, so a copy is
    never stale: a publication changes the key. In front of the shared cache, which would
    otherwise read (and decode) the whole page from the database on every request."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # a worker may serve on several threads
        self.pages: cachetools.LRUCache[str, Page] | None = None

    def get(self, key: str) -> Page | None:
        with self.lock:
            return self.pages.get(key) if self.pages is not None else None

    def set(self, key: str, page: Page) -> None:
        with self.lock:
            if self.pages is None:
                self.pages = cachetools.LRUCache(maxsize=settings.PUBLIC_PAGE_MEMORY_BYTES,
                                                 getsizeof=lambda page: len(page[2]) + 1024)
            if len(page[2]) + 1024 <= self.pages.maxsize:
                self.pages[key] = page

    def clear(self) -> None:
        with self.lock:
            self.pages = None


_pages = _Pages()


def _kept_page(key: str) -> Page | None:
    """The page kept under `key`: this worker's copy, else the shared cache's (copied here)."""
    page = _pages.get(key)
    if page is None:
        page = cache.get(key)
        if page is not None:
            _pages.set(key, page)
    return page


def _keep_page(key: str, page: Page) -> None:
    _pages.set(key, page)
    cache.set(key, page, timeout=settings.PUBLIC_PAGE_CACHE_SECONDS)


def forget_pages() -> None:
    """Empty the caches of public pages, this worker's and the shared one (which holds the
    sign-in counts too): for tests and benchmarks that measure a first render."""
    from publicrecord import watch

    _pages.clear()
    cache.clear()
    watch.forget()


def _serve_shared(request: HttpRequest, fingerprint: Fingerprint, args: tuple, kwargs: dict,
                  render: Callable[[], HttpResponse], *, variant: str = "") -> HttpResponse:
    """The anonymous reader's page: 304, or as rendered for this fingerprint, or rendered now
    and kept (pages that set a cookie are never kept: they carry something of this reader's).
    `variant` names what else the response depends on (the API's Accept header)."""
    state, modified = fingerprint(request, *args, **kwargs)
    path = request.get_full_path()
    key = "page:" + _digest(path, variant, state)

    personal = False
    kept = _kept_page(key)

    def cached_or_rendered() -> HttpResponse:
        nonlocal personal
        hit = kept
        if hit is not None:
            status, headers, content = hit
            return HttpResponse(content, status=status, headers=headers)
        response = render()
        if callable(getattr(response, "render", None)) and not response.is_rendered:
            response.render()  # a TemplateResponse (the sitemaps) when the view is called directly
        # Someone the view found signed in by other means than a session or credentials in the
        # headers (a test client's forced authentication, a future scheme) got their own page.
        viewer = getattr(request, "user", None)
        personal = viewer is not None and viewer.is_authenticated
        if (response.status_code in (200, 404) and not response.streaming and not response.cookies
                and not personal):
            _keep_page(key, (response.status_code, dict(response.items()), response.content))
        return response

    etag = _shared_etag(path, state, variant)
    if kept is not None and kept[0] < 400:
        response = _conditional(request, etag, modified, cached_or_rendered)
    else:
        # Not kept, or an error: the reader's preconditions count only if the page would be a
        # 2xx (RFC 9110 §13.2.1): a 404 is a 404 whatever If-Modified-Since says.
        response = cached_or_rendered()
        if response.status_code < 400:
            response = _not_modified(request, etag, modified) or _validated(response, etag, modified)
    if personal:
        del response.headers["ETag"]
        response["Cache-Control"] = PERSONAL
        patch_vary_headers(response, ["Cookie"])
        return response
    return _finish_shared(response, api=bool(variant))


def public_page(view: Callable[..., HttpResponse] | None = None, *,
                fingerprint: Fingerprint = log_state) -> Any:
    """A page of the public record: ETag, Last-Modified and Cache-Control for readers, rendered
    once per state of what it shows (`fingerprint`) for anonymous ones; private and uncached for
    the team. `@public_page` or `@public_page(fingerprint=...)`."""
    if view is None:
        return functools.partial(public_page, fingerprint=fingerprint)

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        def render() -> HttpResponse:
            return view(request, *args, **kwargs)

        if getattr(request, "_public_page_served", False):
            return render()  # PublicPagesMiddleware answers, keeps and dresses this one
        if is_team_member(request.user):
            response = render()
            response["Cache-Control"] = PERSONAL
        elif _may_share(request):
            return _serve_shared(request, fingerprint, args, kwargs, render)
        else:
            # A signed-in reader's page carries their CSRF token, a reader with a message waiting
            # sees it: theirs alone, rendered each time, kept by no cache.
            state, modified = fingerprint(request, *args, **kwargs)
            response = _conditional(request, _digest(request.get_full_path(), request.user.pk or "", state),
                                    modified, render)
            response["Cache-Control"] = PERSONAL
        patch_vary_headers(response, ["Cookie"])
        return response

    wrapper.public_fingerprint = fingerprint
    return wrapper


class PublicPagesMiddleware:
    """Answers anonymous readers' public pages before the rest of the stack runs.

    Sessions, CSRF, authentication and messages have nothing to say to a request with no
    session, no credentials and no message waiting, so for those the page's 304 or cached copy
    is served here; anything else (and every miss) goes through the whole stack to the view,
    which renders and keeps the page by the same rules (`_serve_shared`). Goes right after the
    middleware that sets security headers, so every response still gets them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _may_share(request):
            return self.get_response(request)
        found = _public_view(settings.ROOT_URLCONF, request.path_info)
        if found is None:
            return self.get_response(request)
        fingerprint, args, kwargs, view_set = found

        def render() -> HttpResponse:
            request._public_page_served = True
            return self.get_response(request)

        variant = ""
        if view_set is not None:  # an API read: its throttles count it, cached or not
            view = view_set()
            if not all(throttle.allow_request(Request(request), view) for throttle in view.get_throttles()):
                return self.get_response(request)  # refused there too, in the API's words
            request._public_read_counted = True
            variant = "accept:" + request.META.get("HTTP_ACCEPT", "")  # never empty: an API read
        return _serve_shared(request, fingerprint, args, kwargs, render, variant=variant)


class NotModifiedApplication:
    """The WSGI application, with anonymous readers' current copies confirmed in front of it.

    A reader whose copy of a public page is current needs a 304 with the page's validators and
    nothing else. Django's handler, its signals and a dozen middleware cost more than the rest of
    such an answer, so it is given here: for a GET or HEAD that PublicPagesMiddleware would share
    (`_may_share`), of a public page (not an API read, whose throttles must count it), whose
    If-None-Match names the page's entity tag in the current state of its fingerprint. It
    carries what the 304 through Django carries (validators, Cache-Control, Vary) and the
    request id and log line every response gets; a 304 has no body, so none of the headers
    that protect one (RFC 9110, 15.4.5). Everything else goes to Django as before: the other
    preconditions, a stale copy, a database error (Django closes a broken connection).
    """

    def __init__(self, application: Callable[..., Any]) -> None:
        self.application = application

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if (environ.get("REQUEST_METHOD") in ("GET", "HEAD") and "HTTP_IF_NONE_MATCH" in environ
                and "HTTP_IF_MATCH" not in environ and "HTTP_IF_UNMODIFIED_SINCE" not in environ):
            try:
                headers = self.not_modified(environ)
            except Exception:
                # Django answers instead (its error page, its logging): never gunicorn's bare 500.
                logger.exception("The 304 in front of Django failed for %s", environ.get("PATH_INFO"))
                headers = None
            if headers is not None:
                start_response("304 Not Modified", headers)
                return []
        return self.application(environ, start_response)

    @staticmethod
    def not_modified(environ: dict[str, Any]) -> list[tuple[str, str]] | None:
        """The 304's headers, or None when Django should answer."""
        started = time.monotonic()
        request = WSGIRequest(environ)
        if not _may_share(request):
            return None
        found = _public_view(settings.ROOT_URLCONF, request.path_info)
        if found is None or found[3] is not None:
            return None
        fingerprint, args, kwargs, _ = found
        try:
            state, modified = fingerprint(request, *args, **kwargs)
        except DatabaseError:
            return None
        etag = _shared_etag(request.get_full_path(), state)
        # RFC 9110's weak comparison, as Django's conditional GET makes it.
        if etag not in {tag.removeprefix("W/").strip('"') for tag in parse_etags(environ["HTTP_IF_NONE_MATCH"])}:
            return None
        request_id = request_id_from(environ.get("HTTP_X_REQUEST_ID"))
        token = REQUEST_ID.set(request_id)
        try:
            log_request(request.method, request.path, 304, started)
        finally:
            REQUEST_ID.reset(token)
        # What _validated and _finish_shared give the 304 through Django (a test compares them).
        return [*_validators(etag, modified), ("Cache-Control", PUBLIC), ("Vary", "Cookie"),
                ("X-Request-ID", request_id)]


@functools.lru_cache(maxsize=8192)
def _public_view(urlconf: str, path: str) -> tuple[Fingerprint, tuple, dict, type | None] | None:
    """The public page at `path`: its fingerprint, arguments and, for the API, its view set
    (whose throttles count each read and whose answer depends on the Accept header); None for
    any other address. The URLconf does not change while a worker
    runs, and walking it cost as much as the rest of a 304.

    An API view set opts in with `public_actions` (the actions whose anonymous GET reads only
    the public record) and `public_fingerprint`."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    fingerprint = getattr(match.func, "public_fingerprint", None)
    if fingerprint is not None:
        return fingerprint, match.args, match.kwargs, None
    view_set, actions = getattr(match.func, "cls", None), getattr(match.func, "actions", None) or {}
    if view_set is not None and actions.get("get") in getattr(view_set, "public_actions", ()):
        return view_set.public_fingerprint, match.args, match.kwargs, view_set
    return None


class PublicReads:
    """For an API view set whose anonymous reads of `public_actions` read only the public
    record: PublicPagesMiddleware answers them from the cache, counting them first with the
    view set's own throttles (so a read that goes on to render is not counted twice)."""

    public_actions: tuple[str, ...] = ()
    public_fingerprint = staticmethod(log_state)

    def check_throttles(self, request: Request) -> None:
        if not getattr(request._request, "_public_read_counted", False):
            super().check_throttles(request)


def _content_tag(response: HttpResponse) -> str:
    return f'"c{hashlib.sha256(response.content).hexdigest()[:32]}"'


def entity_tags_middleware(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[..., HttpResponse]:
    """A read that names no entity tag of its own (an API list, a snapshot, PROV, ClaimReview,
    the transparency log's files) gets one of its content, and a 304 when the client's copy has
    it (RFC 9110 §8.8.3, §13.1.2). A read that has its own (a version, a record, a public page's
    state) keeps it; a page no cache may store (a signed-in one) gets none, while an API client
    holding a token still may poll its own copy of a list."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if response.streaming or response.has_header("ETag"):
            return response
        if (request.method in ("GET", "HEAD") and response.status_code == 200
                and (request.path.startswith("/api/") or "no-store" not in response.get("Cache-Control", ""))):
            response["ETag"] = _content_tag(response)
            return get_conditional_response(request, etag=response["ETag"], response=response)
        if request.method == "POST" and response.status_code in (200, 201) and response.has_header("Location"):
            # The object as its address answers it (a new snapshot, or the one of the same bytes):
            # its tag, as a read would give.
            response["ETag"] = _content_tag(response)
        return response

    return middleware


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
