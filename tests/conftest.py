"""Personas and builders shared by every test.

alice is a fact-checker, bob and carol are editors, dave is staff with no editorial role,
and erin is a signed-in reader with no role at all.
"""

import contextlib
import datetime
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.db import connections
from rest_framework.throttling import SimpleRateThrottle

from claims import services as claim_services
from claims.models import Claim, ClaimLink
from factcheck.api import CountedInWindows
from factcheck.caching import _pages
from factcheck.roles import EDITORS, FACT_CHECKERS
from publicrecord import watch
from sources import services as source_services
from sources.models import Document, Snapshot, Source


@pytest.fixture(autouse=True)
def _plain_static_storage(settings: Any) -> None:
    # Production settings use whitenoise's manifest, which exists only after collectstatic.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast personas


@pytest.fixture(autouse=True)
def _no_pages_kept_from_other_tests() -> None:
    _pages.clear()  # the worker's copies of public pages; the shared cache is the test database's
    watch.forget()  # and its remembered state lookups (publicrecord.watch), of another test's data
    CountedInWindows.refused.clear()  # and the callers it refused (their counts were rolled back)


@pytest.fixture(autouse=True, scope="session")
def _no_listener_left_on_the_test_database(django_db_setup: Any) -> Iterator[None]:
    # On PostgreSQL the test database is dropped at the end; a connection still listening
    # (publicrecord.watch) would keep it open.
    yield
    watch.stop_listening()


@pytest.fixture(autouse=True)
def _one_rate_limit_window(monkeypatch: Any) -> None:
    # Each test runs within one window of the API's rate limits: a new window begins with a
    # delete of the ended ones (factcheck.ratecounts), which would make query counts depend on
    # the clock. Tests of the windows set their own time.
    monkeypatch.setattr(SimpleRateThrottle, "timer", lambda self: 6000.0)


def at_once(work: Callable[[], None], *, threads: int) -> None:
    """Run `work` on `threads` threads that start together, as app servers' workers would, each
    closing its own database connections when done."""
    barrier = threading.Barrier(threads)

    def run() -> None:
        try:
            barrier.wait()
            work()
        finally:
            connections.close_all()

    started = [threading.Thread(target=run) for _ in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join()


def _user(username: str, *, group: str | None = None, staff: bool = False) -> User:
    user = User.objects.create_user(username=username, password=f"{username}-password", is_staff=staff)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def alice(db: Any) -> User:
    return _user("alice", group=FACT_CHECKERS, staff=True)


@pytest.fixture
def bob(db: Any) -> User:
    return _user("bob", group=EDITORS, staff=True)


@pytest.fixture
def carol(db: Any) -> User:
    return _user("carol", group=EDITORS, staff=True)


@pytest.fixture
def dave(db: Any) -> User:
    return _user("dave", staff=True)


@pytest.fixture
def erin(db: Any) -> User:
    return _user("erin")


def make_source(actor: User, **overrides: Any) -> Source:
    fields = {
        "name": "Financial Times",
        "kind": Source.Kind.NEWS_OUTLET,
        "reliability": "B",
        "reliability_rationale": "Long record of accurate investigative reporting.",
    }
    fields.update(overrides)
    return source_services.source_create(actor=actor, **fields)


def make_document(actor: User, publisher: Source | None = None, **overrides: Any) -> Document:
    fields = {
        "title": "Chinese businessman takes stake in Russian drone maker",
        "publisher": publisher or make_source(actor),
        "published_on": datetime.date(2025, 11, 29),
        "published_precision": "day",
    }
    fields.update(overrides)
    return source_services.document_create(actor=actor, **fields)


def make_snapshot(actor: User, document: Document, text: str = "Wang acquired a 5% stake in Rustakt.") -> Snapshot:
    snapshot, _ = source_services.snapshot_capture(
        document=document, actor=actor, content=text.encode(), content_type="text/plain", origin="test"
    )
    return snapshot


def anchor(actor: User, document: Document, quote: str) -> Any:
    """An annotation anchoring `quote` in an archived snapshot of `document`."""
    text = f"As reported: {quote}. The end."
    snapshot = make_snapshot(actor, document, text)
    start = text.index(quote)
    return source_services.annotation_create(snapshot=snapshot, actor=actor, start=start, end=start + len(quote),
                                             motivation="assessing", body="The quote.")


def make_claim(actor: User, document: Document | None = None, *, anchored: bool = True, **overrides: Any) -> Claim:
    """A draft claim; its quote anchored in an archived snapshot unless `anchored` is False."""
    document = document or make_document(actor)
    fields = {
        "text": "Wang Dinghua acquired a 5% stake in Rustakt.",
        "quote": "Wang acquired a 5% equity stake in Rustakt",
        "claimant": document.publisher,
        "document": document,
        "asserted_on": datetime.date(2025, 11, 29),
        "asserted_precision": "day",
        "credibility": 2,
        "credibility_rationale": "Company filings seen by the FT; the records were deleted a day later.",
    }
    fields.update(overrides)
    if anchored and fields["quote"] and "annotation" not in fields:
        fields["annotation"] = anchor(actor, fields["document"], fields["quote"])
    return claim_services.claim_create(actor=actor, **fields)


def publish(claim: Claim, *, author: User, editor: User, note: str = "") -> Claim:
    """Take a draft written by `author` to published, as `editor` (a correction gets a note)."""
    claim = claim_services.claim_submit(claim=claim, actor=author, version=claim.version)
    if claim.first_published_at and not note:
        note = "Corrected after review."
    return claim_services.claim_publish(claim=claim, actor=editor, version=claim.version, note=note)


def make_link(actor: User, from_claim: Claim, to_claim: Claim, link_type: str = "supports") -> ClaimLink:
    return claim_services.link_propose(
        actor=actor, from_claim=from_claim, to_claim=to_claim, link_type=link_type,
        rationale="The figures add up.",
    )


def body(response: Any) -> str:
    """A response's text, streamed or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


# A loopback HTTP server, for what fetches from the web (captures, ClaimReview imports): no
# test reaches the network. settings.SNAPSHOT_CAPTURE_ALLOW_PRIVATE lets the fetch reach it.

Routes = dict[str, tuple[int, str, bytes]]  # path → (status, Content-Type, body)


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that keeps the test output clean."""

    def log_message(self, *args: Any) -> None:
        pass


def routes_handler(routes: Routes) -> type[BaseHTTPRequestHandler]:
    """Answers GET from `routes`, read at each request (so they may be added once the address
    is known); any other path is an empty 404."""

    class RoutesHandler(QuietHandler):
        def do_GET(self) -> None:
            status, content_type, content = routes.get(self.path, (404, "text/plain", b""))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

    return RoutesHandler


@contextlib.contextmanager
def serving(handler: Routes | type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve `handler` (a handler class, or a table of routes) on 127.0.0.1 at a free port, each
    request in a thread of its own; yields the base URL, and stops the server after."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), routes_handler(handler) if isinstance(handler, dict) else handler)
    httpd.daemon_threads = True  # a handler still dripping to a client that gave up does not hold the exit
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def loopback_server() -> Iterator[Callable[[Routes | type[BaseHTTPRequestHandler]], str]]:
    """`loopback_server(routes or handler class)` → the base URL of a server for this test."""
    with contextlib.ExitStack() as servers:
        yield lambda handler: servers.enter_context(serving(handler))
