"""NotModifiedApplication: the WSGI application answers an anonymous reader's current copy of a
public page with a 304 before Django's handler runs, exactly as the page would through Django,
and hands everything else to Django."""

from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.core.signals import request_finished, request_started
from django.db import DatabaseError, close_old_connections, connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from claims import services
from factcheck.caching import NotModifiedApplication
from factcheck.driver import fetch_one
from factcheck.wsgi import application
from tests.conftest import make_claim, publish


def django_never_called(environ: dict, start_response: Any) -> Any:
    raise AssertionError("Django was asked")


FRONT_ONLY = NotModifiedApplication(django_never_called)


def call(app: Any, path: str, **headers: Any) -> tuple[str, dict[str, str], bytes]:
    """A request through a WSGI application, as gunicorn makes it."""
    method = headers.pop("method", "get")
    answer: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        answer.update(status=status, headers=dict(response_headers))

    environ = getattr(RequestFactory(), method)(path, **headers).environ
    body = b"".join(app(environ, start_response))
    return answer["status"], answer["headers"], body


@pytest.fixture
def claim(alice: Any, bob: Any) -> Any:
    return publish(make_claim(alice), author=alice, editor=bob)


@pytest.fixture
def same_connection() -> Iterator[None]:
    """Requests that reach Django's handler would close the test's connection (and its
    transaction) at their start and end, as Django's test client prevents (and, used in the
    same test, undoes this)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_a_current_copy_gets_its_304_without_django_and_as_django_gives_it(client: Client, claim: Any) -> None:
    etag = client.get(claim.get_absolute_url())["ETag"]
    through_django = client.get(claim.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    with CaptureQueriesContext(connection) as queries:
        status, headers, body = call(FRONT_ONLY, claim.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert status == "304 Not Modified" and body == b""
    assert len(queries) == 1  # the page's state
    for name in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
        assert headers[name] == through_django[name], name
    assert headers["X-Request-ID"]
    # A caller's sane request id comes back, as from every response.
    assert call(FRONT_ONLY, claim.get_absolute_url(), HTTP_IF_NONE_MATCH=etag,
                HTTP_X_REQUEST_ID="proxy-id-1")[1]["X-Request-ID"] == "proxy-id-1"
    # Weak comparison, a list of tags, HEAD: the rules of a conditional GET.
    assert call(FRONT_ONLY, claim.get_absolute_url(), HTTP_IF_NONE_MATCH=f'"other", W/{etag}')[0].startswith("304")
    assert call(FRONT_ONLY, claim.get_absolute_url(), HTTP_IF_NONE_MATCH=etag, method="head")[0].startswith("304")
    # List pages and feeds too.
    for path in ("/", "/claims/", "/feed.atom"):
        page_etag = client.get(path)["ETag"]
        assert call(FRONT_ONLY, path, HTTP_IF_NONE_MATCH=page_etag)[0].startswith("304"), path


@pytest.mark.parametrize("headers", [
    {"HTTP_IF_NONE_MATCH": '"a-copy-of-another-state"'},
    {"HTTP_COOKIE": "sessionid=abc"},  # a signed-in reader: their page carries their token
    {"HTTP_COOKIE": "messages=abc"},  # a message waiting for this reader
    {"HTTP_AUTHORIZATION": "Token abc"},
    {"HTTP_IF_MATCH": '"x"'},  # other preconditions are Django's to judge
    {"HTTP_IF_UNMODIFIED_SINCE": "Mon, 09 Dec 2024 16:52:48 GMT"},
    {"method": "post"},
], ids=["stale", "session", "message", "credentials", "if-match", "if-unmodified-since", "post"])
def test_anything_but_a_current_anonymous_copy_goes_to_django(client: Client, claim: Any,
                                                              headers: dict[str, str]) -> None:
    etag = client.get(claim.get_absolute_url())["ETag"]
    with pytest.raises(AssertionError, match="Django was asked"):
        call(FRONT_ONLY, claim.get_absolute_url(), **{"HTTP_IF_NONE_MATCH": etag, **headers})


def test_pages_that_are_not_public_and_api_reads_go_to_django(client: Client, claim: Any) -> None:
    for path in ("/desk/", "/admin/", "/no-such-page/", "/api/v1/claims/"):  # the API's throttles count each read
        etag = client.get(path).get("ETag") or '"x"'
        with pytest.raises(AssertionError, match="Django was asked"):
            call(FRONT_ONLY, path, HTTP_IF_NONE_MATCH=etag)


def test_a_database_error_goes_to_django(client: Client, claim: Any) -> None:
    etag = client.get(claim.get_absolute_url())["ETag"]
    with mock.patch("claims.views.public.page_state", side_effect=DatabaseError("gone")), \
            pytest.raises(AssertionError, match="Django was asked"):
        call(FRONT_ONLY, claim.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)


def test_any_other_failure_is_logged_and_goes_to_django(client: Client, claim: Any, caplog: Any) -> None:
    """Not gunicorn's bare 500: Django answers (and says what is wrong in its own way)."""
    etag = client.get(claim.get_absolute_url())["ETag"]
    with mock.patch("claims.views.public.page_state", side_effect=KeyError("surprise")), \
            pytest.raises(AssertionError, match="Django was asked"):
        call(FRONT_ONLY, claim.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert "KeyError" in caplog.text


def test_after_a_correction_or_retraction_the_new_page_comes_at_once(claim: Any, bob: Any,
                                                                   same_connection: None) -> None:
    """Through the service's own WSGI application, as gunicorn serves it: nothing stale."""
    etag = call(application, claim.get_absolute_url())[1]["ETag"]
    assert call(application, claim.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)[0].startswith("304")
    services.claim_retract(claim=claim, actor=bob, version=claim.version, reason="Withdrawn for cause.")
    status, headers, body = call(application, claim.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert status.startswith("200") and "Withdrawn for cause." in body.decode()
    assert headers["ETag"] != etag


def test_an_api_token_never_gets_the_anonymous_answer(claim: Any, alice: Any, same_connection: None) -> None:
    token = Token.objects.create(user=alice)
    etag = call(application, claim.get_absolute_url())[1]["ETag"]
    _, headers, _ = call(application, claim.get_absolute_url(), HTTP_IF_NONE_MATCH=etag,
                         HTTP_AUTHORIZATION=f"Token {token.key}")
    assert headers["Cache-Control"] == "private, no-store"


def test_the_lookup_is_counted_when_queries_are_and_errors_are_djangos(db: Any) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert fetch_one("SELECT %s", [1]) == (1,)
    assert len(queries) == 1
    assert fetch_one("SELECT %s", [2]) == (2,)  # on the driver's own cursor
    with pytest.raises(DatabaseError):
        fetch_one("SELECT * FROM no_such_table")
    # Marked as Django marks a failing query, so a broken connection is closed after the request.
    assert connection.errors_occurred
