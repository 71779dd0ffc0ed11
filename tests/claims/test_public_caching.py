"""Conditional GETs answer 304 without rendering; the team's pages are never cached."""

from typing import Any
from unittest import mock

from claims import services
from tests.conftest import make_claim, publish


def test_a_matching_etag_answers_304_without_rendering(client: Any, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    first = client.get(claim.get_absolute_url())
    assert first.status_code == 200
    etag = first["ETag"]
    assert "public" in first["Cache-Control"] and "max-age=60" in first["Cache-Control"]
    assert first["Last-Modified"].endswith("GMT")
    assert client.get(claim.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    with mock.patch("claims.views.public.render") as render:
        second = client.get(claim.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert second.status_code == 304
    render.assert_not_called()


def test_the_etag_changes_when_the_public_record_changes(client: Any, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    etag = client.get(claim.get_absolute_url())["ETag"]
    services.claim_retract(claim=claim, actor=bob, version=claim.version, reason="Withdrawn")
    response = client.get(claim.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "Withdrawn" in response.content.decode()


def test_the_team_gets_no_etag_and_no_shared_cache(client: Any, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    client.force_login(alice)
    response = client.get(claim.get_absolute_url())
    assert "ETag" not in response
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]


def test_list_and_feed_pages_are_conditional_too(client: Any, alice: Any, bob: Any) -> None:
    publish(make_claim(alice), author=alice, editor=bob)
    for url in ["/", "/claims/", "/claimreview.json"]:
        etag = client.get(url)["ETag"]
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304, url
