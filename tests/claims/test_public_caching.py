"""Conditional GETs answer 304 without rendering; the team's pages are never cached."""

from typing import Any
from unittest import mock

from claims import services
from tests.conftest import body, make_claim, make_link, publish


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
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_list_and_feed_pages_are_conditional_too(client: Any, alice: Any, bob: Any) -> None:
    publish(make_claim(alice), author=alice, editor=bob)
    for url in ["/", "/claims/", "/claimreview.json"]:
        etag = client.get(url)["ETag"]
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304, url


def test_an_anonymous_page_is_rendered_once_per_state_of_the_public_record(client: Any, alice: Any, bob: Any,
                                                                          carol: Any) -> None:
    claim = publish(make_claim(alice, text="First wording"), author=alice, editor=bob)
    other = publish(make_claim(alice, text="Another claim"), author=alice, editor=bob)
    urls = [claim.get_absolute_url(), other.get_absolute_url(), "/claims/", "/", "/feed.atom"]
    for url in urls:
        client.get(url)
    with mock.patch("claims.views.public.render") as render:
        for url in urls[:4]:
            assert client.get(url).status_code == 200
    render.assert_not_called()  # served as rendered

    # A correction: nothing stale anywhere, on the claim, the lists or the feed.
    claim = services.claim_update(claim=claim, actor=alice, version=claim.version, changes={"text": "New wording"},
                                  reason="Reword")
    assert "First wording" in client.get(claim.get_absolute_url()).content.decode()  # not published yet
    services.claim_publish(claim=claim, actor=carol, version=claim.version, note="Reworded.")
    for url in [claim.get_absolute_url(), "/claims/"]:
        page = client.get(url).content.decode()
        assert "New wording" in page and "First wording" not in page, url
    assert "New wording" in client.get("/").content.decode()
    assert "Corrected: New wording" in client.get("/feed.atom").content.decode()  # the earlier entry stays
    # A retraction, and a link: the claim pages show them at once.
    services.claim_retract(claim=other, actor=bob, version=other.version, reason="Withdrawn for cause.")
    assert "Withdrawn for cause." in client.get(other.get_absolute_url()).content.decode()
    link = services.link_propose(actor=alice, from_claim=other, to_claim=claim, link_type="supports",
                                 rationale="It adds up.")
    services.link_accept(link=link, actor=bob, version=link.version)
    assert "Another claim" in client.get(claim.get_absolute_url()).content.decode()


def test_signed_in_readers_get_fresh_pages_with_their_own_token(client: Any, alice: Any, bob: Any,
                                                               erin: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    client.get(claim.get_absolute_url())
    client.force_login(erin)
    with mock.patch("claims.views.public.render", wraps=__import__("django.shortcuts").shortcuts.render) as render:
        assert client.get(claim.get_absolute_url()).status_code == 200
    render.assert_called_once()


def test_a_publication_changes_exactly_the_pages_that_show_it(client: Any, alice: Any, bob: Any,
                                                              carol: Any) -> None:
    """The claim, the claims linked to it or citing it, the lists and the feeds get new pages at
    once; an unrelated claim's page keeps its ETag and its cached copy."""
    corrected = publish(make_claim(alice, text="First wording"), author=alice, editor=bob)
    linked = publish(make_claim(alice, text="A linked claim"), author=alice, editor=bob)
    services.link_accept(link=make_link(alice, linked, corrected), actor=bob, version=1)
    citing = publish(make_claim(alice, text="A citing claim", credibility_rationale=(
        f"As [[claim:{corrected.slug}]] shows.")), author=alice, editor=bob)
    unrelated = publish(make_claim(alice, text="An unrelated claim"), author=alice, editor=bob)
    urls = {"corrected": corrected.get_absolute_url(), "linked": linked.get_absolute_url(),
            "citing": citing.get_absolute_url(), "unrelated": unrelated.get_absolute_url(),
            "list": "/claims/", "home": "/", "feed": "/feed.atom", "datafeed": "/claimreview.json"}
    etags = {name: client.get(url)["ETag"] for name, url in urls.items()}

    corrected.refresh_from_db()
    corrected = services.claim_update(claim=corrected, actor=alice, version=corrected.version,
                                      changes={"text": "New wording"}, reason="Reword")
    services.claim_publish(claim=corrected, actor=carol, version=corrected.version, note="Reworded.")

    with mock.patch("claims.views.public.render") as render:
        kept = client.get(urls["unrelated"], HTTP_IF_NONE_MATCH=etags["unrelated"])
        assert kept.status_code == 304
        assert client.get(urls["unrelated"]).status_code == 200  # its cached copy
    render.assert_not_called()
    for name in ("corrected", "linked", "citing", "list", "home", "feed", "datafeed"):
        response = client.get(urls[name], HTTP_IF_NONE_MATCH=etags[name])
        assert response.status_code == 200, name
        assert response["ETag"] != etags[name], name
        if name != "datafeed":
            assert "New wording" in body(response), name


def test_a_page_that_is_not_there_is_a_404_whatever_the_preconditions(client: Any, alice: Any, bob: Any) -> None:
    """RFC 9110 §13.2.1: preconditions are ignored where the answer would not be a 2xx. A 404
    carries no validators (so a reader holds none to send back), and If-Modified-Since, which a
    crawler sends with any date, does not turn it into a 304, kept or not."""
    publish(make_claim(alice), author=alice, editor=bob)
    draft = make_claim(alice, text="Not published yet")
    for _ in range(2):  # rendered, then kept
        missing = client.get(draft.get_absolute_url())
        assert missing.status_code == 404
        assert not missing.has_header("ETag") and not missing.has_header("Last-Modified")
    for url in (draft.get_absolute_url(), "/claims/no-such-claim/", "/documents/999999/"):
        for headers in ({"HTTP_IF_MODIFIED_SINCE": "Fri, 01 Jan 2100 00:00:00 GMT"}, {"HTTP_IF_NONE_MATCH": "*"}):
            assert client.get(url, **headers).status_code == 404, (url, headers)
