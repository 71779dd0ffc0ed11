"""PublicPagesMiddleware: anonymous readers' 304s and cached pages before sessions and CSRF,
and nothing of one reader's ever served to another."""

from typing import Any
from unittest import mock

from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connection
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from claims import services
from factcheck.caching import _Pages, _pages
from factcheck.models import RateCount
from tests.conftest import make_claim, publish


def test_an_anonymous_304_costs_one_query_and_never_reaches_sessions(client: Client, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    etag = client.get(claim.get_absolute_url())["ETag"]
    with mock.patch.object(SessionMiddleware, "process_request") as sessions, \
            CaptureQueriesContext(connection) as queries:
        response = client.get(claim.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag and "public" in response["Cache-Control"]
    assert len(queries) == 1  # the log's latest record
    sessions.assert_not_called()


def test_a_kept_page_costs_one_query_and_keeps_its_headers(client: Client, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    first = client.get(claim.get_absolute_url())
    with mock.patch.object(SessionMiddleware, "process_request") as sessions, \
            CaptureQueriesContext(connection) as queries:
        second = client.get(claim.get_absolute_url())
    assert len(queries) == 1  # the page's state; the page from this worker's memory
    sessions.assert_not_called()
    # Another worker, which has not served it, reads it from the shared cache.
    _pages.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(claim.get_absolute_url()).content == first.content
    assert len(queries) == 2  # the page's state, the shared cache
    assert second.content == first.content
    for header in ("Content-Type", "ETag", "Last-Modified", "Cache-Control", "X-Frame-Options",
                   "X-Content-Type-Options", "Content-Security-Policy"):
        assert second[header] == first[header], header
    assert second["X-Request-ID"] and second["X-Request-ID"] != first["X-Request-ID"]


def test_the_anonymous_api_list_is_kept_per_state_and_per_accept_header(client: Client, alice: Any,
                                                                       bob: Any) -> None:
    publish(make_claim(alice, text="The first claim"), author=alice, editor=bob)
    listed = client.get("/api/v1/claims/", HTTP_ACCEPT="application/json")
    assert listed["Content-Type"] == "application/json"
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/api/v1/claims/", HTTP_ACCEPT="application/json")
    # The log's state and the cache (besides the throttles' counting): no claim is read.
    assert not [query for query in queries.captured_queries if "claims_" in query["sql"]]
    assert again.json() == listed.json()
    assert again["ETag"] == listed["ETag"]
    assert client.get("/api/v1/claims/", HTTP_ACCEPT="application/json", HTTP_IF_NONE_MATCH=listed["ETag"]
                      ).status_code == 304

    # Another representation is another entry, with another entity tag.
    page = client.get("/api/v1/claims/", HTTP_ACCEPT="text/html")
    assert page["Content-Type"].startswith("text/html") and page["ETag"] != listed["ETag"]

    # A new publication: a new list at once.
    publish(make_claim(alice, text="The second claim"), author=alice, editor=bob)
    texts = [claim["text"] for claim in client.get("/api/v1/claims/", HTTP_ACCEPT="application/json").json()["results"]]
    assert "The second claim" in texts


def test_a_signed_in_caller_never_gets_the_anonymous_copy(client: Client, alice: Any, bob: Any) -> None:
    publish(make_claim(alice, text="Published claim"), author=alice, editor=bob)
    make_claim(alice, text="A draft of the team's")
    anonymous = client.get("/api/v1/claims/?page_size=50").json()
    assert "A draft of the team's" not in str(anonymous)
    token = Token.objects.create(user=alice)
    with_token = client.get("/api/v1/claims/?page_size=50", HTTP_AUTHORIZATION=f"Token {token.key}").json()
    assert "A draft of the team's" in str(with_token)
    client.force_login(alice)
    assert "A draft of the team's" in str(client.get("/api/v1/claims/?page_size=50").json())


def test_a_reader_with_a_message_waiting_gets_it_and_nobody_else_does(client: Client, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    client.get(claim.get_absolute_url())  # kept for anonymous readers
    storage = CookieStorage(HttpRequest())
    reader = Client()
    reader.cookies["messages"] = storage._encode([Message(constants.INFO, "Only for this reader.")])
    assert "Only for this reader." in reader.get(claim.get_absolute_url()).content.decode()
    assert "Only for this reader." not in Client().get(claim.get_absolute_url()).content.decode()


def test_a_retraction_is_served_at_once_from_the_fast_path(client: Client, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    etag = client.get(claim.get_absolute_url())["ETag"]
    services.claim_retract(claim=claim, actor=bob, version=claim.version, reason="Withdrawn for cause.")
    response = client.get(claim.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and "Withdrawn for cause." in response.content.decode()


def test_an_anonymous_api_read_is_counted_once_and_a_signed_in_one_by_account(client: Client, alice: Any) -> None:
    """One count per read in the shared cache: by address for anonymous callers, by account for
    signed-in ones (DRF's user throttle would count anonymous ones a second time)."""
    def throttle_keys() -> list[str]:
        return sorted(RateCount.objects.values_list("key", flat=True))

    client.get("/api/v1/claims/")
    assert throttle_keys() == ["throttle_anon_127.0.0.1"]
    token = Token.objects.create(user=alice)
    client.get("/api/v1/claims/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert throttle_keys() == ["throttle_anon_127.0.0.1", f"throttle_user_{alice.pk}"]


def test_a_worker_keeps_at_most_its_share_of_memory_most_recent_first(settings: Any) -> None:
    settings.PUBLIC_PAGE_MEMORY_BYTES = 3 * 2048
    pages = _Pages()
    for n in range(4):
        pages.set(f"page:{n}", (200, {}, b"x" * 1000))  # 2,024 bytes counted each
    assert pages.get("page:0") is None  # the oldest went
    assert all(pages.get(f"page:{n}") for n in (1, 2, 3))
    pages.set("page:big", (200, {}, b"x" * 10_000))  # larger than the whole: never kept here
    assert pages.get("page:big") is None and pages.get("page:3")
