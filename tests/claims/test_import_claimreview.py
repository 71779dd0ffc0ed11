"""Importing other fact-checkers' ClaimReviews: what becomes of each kind of markup, dedupe,
hostile input, who may import, and a round trip through our own /claimreview.json.

The markup is written here after the schema.org ClaimReview examples, with made-up
organisations on example domains.
"""

import datetime
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from claims import services
from claims.models import Claim
from claims.peer_reviews import Page, ReviewError, read_review, reviews_in
from claims.publication import evidence_problem
from factcheck.errors import InvalidTransition
from sources.models import Annotation, Document, Snapshot, Source
from tests.conftest import body as text_of
from tests.conftest import make_claim, make_document, make_source, publish

REVIEW_URL = "https://factcheck.example/2025/11/30/no-drone-parts/"
CLAIM_TEXT = "China has never supplied drone parts to Russia."


def claim_review(**overrides: Any) -> dict[str, Any]:
    """A ClaimReview as fact-checkers embed it (after schema.org's example)."""
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": REVIEW_URL,
        "headline": "No, China's drone parts do reach Russia",
        "datePublished": "2025-11-30T09:15:00+01:00",
        "inLanguage": "en-GB",
        "claimReviewed": CLAIM_TEXT,
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "GovernmentOrganization", "name": "Ministry of Foreign Affairs of the Example "
                       "Republic", "url": "https://mfa.example/"},
            "datePublished": "2025-11-28",
            "appearance": {"@type": "CreativeWork", "url": "https://mfa.example/briefing/2025-11-28"},
        },
        "author": {"@type": "NewsMediaOrganization", "name": "Example Fact Check",
                   "url": "https://factcheck.example/"},
        "reviewRating": {"@type": "Rating", "ratingValue": 2, "bestRating": 5, "worstRating": 1,
                         "alternateName": "Mostly false", "image": "https://factcheck.example/mostly-false.png"},
    }
    review.update(overrides)
    return review


def review_page(*reviews: dict[str, Any], visible: str = CLAIM_TEXT) -> bytes:
    """An article page with its JSON-LD in the head, as major fact-checkers publish them."""
    scripts = "".join(f'<script type="application/ld+json">{json.dumps(review)}</script>' for review in reviews)
    breadcrumbs = json.dumps({"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": 1, "name": "Fact checks", "item": "https://factcheck.example/"}]})
    return (f'<!doctype html><html lang="en"><head><title>Fact check</title>'
            f'<script type="application/ld+json">{breadcrumbs}</script>{scripts}</head>'
            f"<body><nav>Home · Fact checks</nav><article><h1>No, China's drone parts do reach Russia</h1>"
            f"<p>Claim: {visible}</p><p>Verdict: Mostly false. Customs records show shipments.</p></article>"
            f"<footer>© Example Fact Check</footer></body></html>").encode()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def _import(api: APIClient, user: Any, **body: Any) -> Any:
    api.force_authenticate(user)
    return api.post("/api/v1/claimreview-imports/", body, format="json")


def _run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_claimreview", *args, stdout=out)
    return out.getvalue()


# The pure reader: no database

def test_a_review_reads_as_the_markup_says() -> None:
    review = read_review(claim_review())
    assert review.url == REVIEW_URL and review.claim_reviewed == CLAIM_TEXT
    assert (review.reviewer.name, review.reviewer.kind, review.reviewer.homepage) == (
        "Example Fact Check", "news_outlet", "https://factcheck.example/")
    assert review.claimant.name == "Ministry of Foreign Affairs of the Example Republic"
    assert review.claimant.kind == "government"
    assert review.title == "No, China's drone parts do reach Russia"
    assert (review.published.value, review.published.precision) == (datetime.date(2025, 11, 30), "day")
    assert (review.asserted.value, review.asserted.precision) == (datetime.date(2025, 11, 28), "day")
    assert review.rating == "Mostly false (2/5)" and review.language == "en-GB"


@pytest.mark.parametrize("rating,expected", [
    ({"alternateName": "False", "ratingValue": "1", "bestRating": "6"}, "False (1/6)"),
    ({"alternateName": "Misleading"}, "Misleading"),
    ({"ratingValue": 4.5, "bestRating": 5}, "4.5/5"),
    ({"ratingValue": 3}, "3"),
    (None, ""),
])
def test_the_peer_rating_is_kept_verbatim(rating: Any, expected: str) -> None:
    assert read_review(claim_review(reviewRating=rating)).rating == expected


@pytest.mark.parametrize("value,date,precision", [
    ("2025", datetime.date(2025, 1, 1), "year"), ("2025-10", datetime.date(2025, 10, 1), "month"),
    ("2025-10-07", datetime.date(2025, 10, 7), "day"), ("2025-10-07T23:30:00-05:00", datetime.date(2025, 10, 7), "day"),
])
def test_dates_keep_their_precision(value: str, date: datetime.date, precision: str) -> None:
    item = {"@type": "Claim", "datePublished": value}
    review = read_review(claim_review(datePublished=value, itemReviewed=item))
    assert (review.published.value, review.published.precision) == (date, precision)
    assert (review.asserted.value, review.asserted.precision) == (date, precision)


def test_nothing_is_invented_for_what_the_markup_leaves_out() -> None:
    sparse = {"@type": "ClaimReview", "url": REVIEW_URL, "claimReviewed": CLAIM_TEXT, "author": "Example Fact Check"}
    review = read_review(sparse)
    assert review.claimant is None and review.rating == "" and review.language == "und"
    assert (review.published.value, review.published.precision) == (None, "unknown")
    assert (review.asserted.value, review.asserted.precision) == (None, "unknown")
    assert review.title == "ClaimReview by Example Fact Check"
    assert (review.reviewer.kind, review.reviewer.homepage) == ("other", "")


@pytest.mark.parametrize("overrides,message", [
    ({"claimReviewed": None}, "no claimReviewed"),
    ({"claimReviewed": "   "}, "no claimReviewed"),
    ({"claimReviewed": "x" * 2001}, "2001 characters long; at most 2000"),
    ({"claimReviewed": "a\x00b"}, "NUL"),
    ({"claimReviewed": {"nested": "object"}}, "claimReviewed is not text"),
    ({"url": None}, "no url"),
    ({"url": "javascript:alert(1)"}, "not a valid http or https address"),
    ({"url": "ftp://factcheck.example/review"}, "not a valid http or https address"),
    ({"author": None}, "names no author"),
    ({"author": {"@type": "Organization"}}, "author has no name"),
    ({"author": {"name": "y" * 201}}, "at most 200"),
    ({"author": [{"name": "A"}, {"name": "B"}]}, "names 2; only one"),
    ({"datePublished": "30 November 2025"}, "not an ISO 8601 date"),
    ({"datePublished": "2025-02-30"}, "not an ISO 8601 date"),
    ({"headline": "h" * 501}, "at most 500"),
    ({"reviewRating": {"ratingValue": True}}, "not a number"),
    ({"itemReviewed": "a claim"}, "itemReviewed is not a Claim"),
])
def test_a_malformed_review_says_what_is_wrong(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ReviewError, match=message.replace("(", r"\(")):
        read_review(claim_review(**overrides))


def _reviews(data: Any) -> list[Any]:
    return reviews_in(Page("test", json.dumps(data).encode(), "application/json"))


@pytest.mark.parametrize("overrides", [{"datePublished": "2999-01-01"},
                                       {"itemReviewed": {"@type": "Claim", "datePublished": "2999"}}])
def test_a_date_in_the_future_is_an_error_not_a_date(overrides: dict[str, Any]) -> None:
    with pytest.raises(ReviewError, match="in the future"):
        read_review(claim_review(**overrides))


def test_a_list_a_data_feed_and_a_graph_are_all_read() -> None:
    first, second = claim_review(), claim_review(url=f"{REVIEW_URL}2", claimReviewed="Another claim.")
    assert [r.url for _, r in _reviews([first, second])] == [REVIEW_URL, f"{REVIEW_URL}2"]
    feed = {"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": [
        first, {"@type": "DataFeedItem", "dateCreated": "2025-12-01", "item": second}]}
    assert [r.claim_reviewed for _, r in _reviews(feed)] == [CLAIM_TEXT, "Another claim."]
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "@id": f"{REVIEW_URL}#webpage", "name": "A page"},
        {"@type": "Organization", "@id": "https://factcheck.example/#org", "name": "Example Fact Check",
         "url": "https://factcheck.example/"},
        {**first, "@type": ["ClaimReview"], "author": {"@id": "https://factcheck.example/#org"}}]}
    ((_, review),) = _reviews(graph)
    assert (review.reviewer.name, review.reviewer.homepage) == ("Example Fact Check", "https://factcheck.example/")


def test_a_broken_block_beside_a_good_review_is_reported_and_the_review_read() -> None:
    page = review_page(claim_review()).replace(b"<title>", b'<script type="application/ld+json">{oops</script><title>')
    found = reviews_in(Page("page.html", page, "text/html"))
    assert [type(item).__name__ for _, item in found] == ["Unreadable", "PeerReview"]
    assert "not valid JSON" in found[0][1].message


# Importing: each review a draft, with its provenance

def test_a_review_page_becomes_a_draft_with_its_provenance(alice: Any, tmp_path: Path) -> None:
    page = review_page(claim_review())
    (tmp_path / "review.html").write_bytes(page)
    output = _run(str(tmp_path / "review.html"), "--as", "alice")
    assert f"[1/1] {tmp_path / 'review.html'} review 1: created: draft " in output
    assert output.strip().endswith("1 created, 0 duplicates, 0 errors.")
    claim = Claim.objects.get()
    assert (claim.status, claim.text, claim.credibility, claim.peer_rating) == (
        "draft", CLAIM_TEXT, 6, "Mostly false (2/5)")
    assert "awaits our grading" in claim.credibility_rationale
    assert (claim.asserted_on, claim.asserted_precision) == (datetime.date(2025, 11, 28), "day")
    reviewer = claim.document.publisher
    assert (reviewer.name, reviewer.kind, reviewer.reliability, reviewer.homepage) == (
        "Example Fact Check", "news_outlet", "F", "https://factcheck.example/")
    assert "not yet graded" in reviewer.reliability_rationale and "Imported" in reviewer.reliability_rationale
    assert (claim.claimant.name, claim.claimant.kind, claim.claimant.reliability) == (
        "Ministry of Foreign Affairs of the Example Republic", "government", "F")
    document = claim.document
    assert (document.url, document.title, document.language) == (
        REVIEW_URL, "No, China's drone parts do reach Russia", "en-GB")
    assert (document.published_on, document.published_precision) == (datetime.date(2025, 11, 30), "day")
    snapshot = Snapshot.objects.get(document=document)
    assert snapshot.sha256 == hashlib.sha256(page).hexdigest() and snapshot.origin == "review.html"
    # The claim's words appear in the archived page: they are the quote, anchored there, publishable.
    assert claim.quote == CLAIM_TEXT and claim.quote_language == "en-GB"
    assert (claim.annotation.snapshot_id, claim.annotation.exact) == (snapshot.pk, CLAIM_TEXT)
    assert evidence_problem(claim) is None


def test_a_quote_is_kept_only_when_the_page_shows_it_verbatim(alice: Any) -> None:
    page = Page("page.html", review_page(claim_review(), visible="China never supplied parts."), "text/html")
    from claims import imports

    (outcome,) = imports.import_page(actor=alice, page=page)
    claim = outcome.claim
    assert outcome.result == "created" and claim.quote == "" and claim.annotation is None
    assert Snapshot.objects.filter(document=claim.document).count() == 1  # archived all the same


def test_a_list_from_json_imports_each_review_without_a_snapshot(api: APIClient, alice: Any) -> None:
    reviews = [claim_review(), claim_review(url=f"{REVIEW_URL}2", claimReviewed="Drones are made in a day.",
                                            itemReviewed={"@type": "Claim"}, datePublished="2025-12")]
    response = _import(api, alice, content=json.dumps(reviews))
    assert response.status_code == 201
    body = response.json()
    assert (body["created"], body["duplicates"], body["errors"]) == (2, 0, 0)
    assert [item["result"] for item in body["items"]] == ["created", "created"]
    undated = Claim.objects.get(text="Drones are made in a day.")
    assert (undated.asserted_on, undated.asserted_precision) == (None, "unknown")
    # Without itemReviewed.author the review states the claim in its own words.
    assert undated.claimant == undated.document.publisher
    assert (undated.document.published_on, undated.document.published_precision) == (datetime.date(2025, 12, 1),
                                                                                        "month")
    assert not Snapshot.objects.exists() and undated.quote == ""
    assert Source.objects.filter(name="Example Fact Check").count() == 1  # found by name the second time
    assert body["items"][1]["claim"] == {"id": undated.pk, "slug": undated.slug, "text": undated.text,
                                         "peer_rating": "Mostly false (2/5)", "status": "draft"}


def test_an_imported_claim_goes_to_review_only_once_we_have_graded_it(api: APIClient, alice: Any,
                                                                       bob: Any) -> None:
    """Its grade 6 and rationale are the import's placeholder beside the peer's rating: neither
    submit nor publish takes it, and the steps offered say why, until the desk grades it."""
    _import(api, alice, content=json.dumps(claim_review()))
    claim = Claim.objects.get()
    url = f"/api/v1/claims/{claim.pk}"
    detail = api.get(f"{url}/").json()
    assert "submit" not in detail["allowed_steps"]
    refused = api.post(f"{url}/submit/", {"version": claim.version}, format="json")
    assert refused.status_code == 409 and "awaits our grading" in refused.json()["detail"]
    assert Claim.objects.get().status == "draft"
    # Under review with the placeholder (submitted before this rule): the editor cannot publish it.
    Claim.objects.filter(pk=claim.pk).update(status="in_review")
    with pytest.raises(InvalidTransition, match="awaits our grading"):
        services.claim_publish(claim=claim, actor=bob, version=claim.version)
    assert Claim.objects.get().published_version is None
    Claim.objects.filter(pk=claim.pk).update(status="draft")
    graded = services.claim_update(claim=claim, actor=alice, version=claim.version, reason="Graded", changes={
        "credibility": 5, "credibility_rationale": "Customs records contradict it."})
    assert "submit" in api.get(f"{url}/").json()["allowed_steps"]
    submitted = services.claim_submit(claim=graded, actor=alice, version=graded.version)
    services.claim_publish(claim=submitted, actor=bob, version=submitted.version,
                           exception="The review quotes the claim; no archived copy of its page.")
    assert Claim.objects.get().status == "published"


def test_a_data_feed_and_a_graph_import_through_the_api(api: APIClient, bob: Any) -> None:
    feed = {"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": [
        {"@type": "DataFeedItem", "item": [claim_review()]},
        claim_review(url=f"{REVIEW_URL}2", claimReviewed="Second claim.")]}
    assert _import(api, bob, content=json.dumps(feed)).json()["created"] == 2
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "Organization", "@id": "#org", "name": "Another Checker"},
        claim_review(url="https://other.example/check", author={"@id": "#org"})]}
    assert _import(api, bob, content=json.dumps(graph)).json()["created"] == 1
    assert Claim.objects.get(document__url="https://other.example/check").document.publisher.name == "Another Checker"


def test_an_existing_source_of_that_name_is_used(alice: Any) -> None:
    graded = make_source(alice, name="example fact check", reliability="B")
    from claims import imports

    (outcome,) = imports.import_page(actor=alice, page=Page("x", json.dumps(claim_review()).encode(),
                                                            "application/json"))
    assert outcome.claim.document.publisher == graded
    assert Source.objects.filter(name__iexact="Example Fact Check").count() == 1


def test_the_desk_page_shows_the_peer_rating_beside_our_grade(client: Any, alice: Any) -> None:
    from claims import imports

    (outcome,) = imports.import_page(actor=alice, page=Page("x", json.dumps(claim_review()).encode(),
                                                            "application/json"))
    client.force_login(alice)
    page = client.get(f"/desk/claims/{outcome.claim.slug}/").content.decode()
    assert "Peer rating" in page and "Mostly false (2/5)" in page and "not our grade" in page


def test_the_api_claim_shows_the_peer_rating_to_the_team_only(api: APIClient, alice: Any, bob: Any, dave: Any,
                                                                erin: Any) -> None:
    """Like the desk page; never published, so readers (anonymous or signed in) never see it."""
    created = _import(api, alice, content=review_page(claim_review()).decode()).json()["items"][0]["claim"]
    detail = f"/api/v1/claims/{created['id']}/"
    for member in [alice, bob, dave]:
        api.force_authenticate(member)
        assert api.get(detail).json()["peer_rating"] == "Mostly false (2/5)"
    api.force_authenticate(alice)
    assert api.get("/api/v1/claims/").json()["results"][0]["peer_rating"] == "Mostly false (2/5)"
    graded = services.claim_update(claim=Claim.objects.get(pk=created["id"]), actor=alice, version=1,
                                   changes={"credibility": 5, "credibility_rationale": "Customs records show it."},
                                   reason="Graded")
    publish(graded, author=alice, editor=bob)  # its quote anchored in the page
    for reader in [None, erin]:
        api.force_authenticate(reader)
        assert api.get(detail).json()["peer_rating"] is None
        assert api.get("/api/v1/claims/").json()["results"][0]["peer_rating"] is None
    api.force_authenticate(alice)
    assert api.get(f"/api/v1/claims/{make_claim(alice).pk}/").json()["peer_rating"] is None  # none: not imported


def test_an_error_item_keeps_the_url_its_review_gives(api: APIClient, alice: Any) -> None:
    reviews = [claim_review(url=f"{REVIEW_URL}2", claimReviewed=None),
               claim_review(url="javascript:alert(document.cookie)", claimReviewed="XSS"),
               claim_review(url=None, claimReviewed="No address")]
    items = _import(api, alice, content=json.dumps(reviews)).json()["items"]
    assert [item["result"] for item in items] == ["error"] * 3
    assert [item["review_url"] for item in items] == [f"{REVIEW_URL}2", "javascript:alert(document.cookie)", ""]


# Duplicates

def test_importing_the_same_reviews_twice_creates_nothing_the_second_time(alice: Any, tmp_path: Path) -> None:
    path = tmp_path / "feed.json"
    path.write_text(json.dumps([claim_review(), claim_review(url=f"{REVIEW_URL}2", claimReviewed="Second.")]))
    _run(str(path), "--as", "alice")
    counts = (Claim.objects.count(), Source.objects.count(), Document.objects.count())
    output = _run(str(path), "--as", "alice")
    assert (Claim.objects.count(), Source.objects.count(), Document.objects.count()) == counts
    first = Claim.objects.get(text=CLAIM_TEXT)
    assert f"review 1: duplicate: already imported as {first.slug}: nothing created." in output
    assert output.strip().endswith("0 created, 2 duplicates, 0 errors.")


def test_the_same_review_twice_in_one_feed_is_imported_once(api: APIClient, alice: Any) -> None:
    body = _import(api, alice, content=json.dumps([claim_review(), claim_review()])).json()
    assert [item["result"] for item in body["items"]] == ["created", "duplicate"]
    assert Claim.objects.count() == 1


def test_if_none_match_star_refuses_a_review_already_imported(api: APIClient, alice: Any) -> None:
    """`If-None-Match: *` creates only if none of the reviews sent was imported before (the same
    review URL and text, as duplicates are found): else 412 and nothing of the request is imported."""
    api.force_authenticate(alice)

    def post(content: Any) -> Any:
        return api.post("/api/v1/claimreview-imports/", {"content": json.dumps(content)}, format="json",
                        HTTP_IF_NONE_MATCH="*")

    assert post(claim_review()).status_code == 201
    counts = (Claim.objects.count(), Source.objects.count(), Document.objects.count())
    refused = post([claim_review(url=f"{REVIEW_URL}2", claimReviewed="A new one."), claim_review()])
    assert refused.status_code == 412 and refused["Content-Type"] == "application/json"
    assert refused.json()["error"] == "already_exists" and REVIEW_URL in refused.json()["detail"]
    assert (Claim.objects.count(), Source.objects.count(), Document.objects.count()) == counts
    # Without the header the same request is answered item by item: one created, one duplicate.
    again = _import(api, alice, content=json.dumps([claim_review(url=f"{REVIEW_URL}2", claimReviewed="A new one."),
                                                    claim_review()]))
    assert [item["result"] for item in again.json()["items"]] == ["created", "duplicate"]
    # The same URL with other words is another claim: not refused.
    assert post(claim_review(claimReviewed="Another claim in the same review.")).status_code == 201


def test_another_claim_from_the_same_review_shares_its_document(api: APIClient, alice: Any) -> None:
    _import(api, alice, content=json.dumps([claim_review(), claim_review(claimReviewed="A second claim.")]))
    assert Claim.objects.count() == 2 and Document.objects.count() == 1


# Hostile and malformed input

@pytest.mark.parametrize("content,message", [
    ("{not json", "is not valid JSON"),
    ("[" * 100000, "nested too deep"),
    ('{"@type": "DataFeed", "dataFeedElement": ' + "[" * 40 + "]" * 40 + "}", "nested more than 32 levels deep"),
    (json.dumps({"@type": "NewsArticle", "headline": "Not a fact check"}), "No ClaimReview found"),
    ("<html><body><p>No markup at all</p></body></html>", "it has no JSON-LD"),
    ('<script type="application/ld+json">{"@type": "ClaimReview", </script>', "not valid JSON"),
    ("   ", "cannot be read as HTML"),
])
def test_unreadable_input_is_a_400_in_the_one_error_shape(api: APIClient, alice: Any, content: str,
                                                          message: str) -> None:
    response = _import(api, alice, content=content)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"error", "detail", "fields"} and body["error"] == "invalid"
    assert message in " ".join(body["fields"]["content"])
    assert not Claim.objects.exists() and not Source.objects.exists()


def test_a_request_body_nested_too_deep_or_too_large_is_refused_in_the_error_shape(api: APIClient, alice: Any,
                                                                                   settings: Any) -> None:
    """The body itself, as on every other endpoint (factcheck.api.LimitedJSONParser): it was a 500."""
    api.force_authenticate(alice)
    deep = api.post("/api/v1/claimreview-imports/", "[" * 100000 + "]" * 100000, content_type="application/json")
    assert deep.status_code == 400 and "nests deeper than 32 levels" in deep.json()["detail"]
    settings.API_MAX_BODY_BYTES = 1000
    large = api.post("/api/v1/claimreview-imports/", {"content": "x" * 2000}, format="json")
    assert large.status_code == 413 and large.json()["error"] == "too_large"
    assert not Claim.objects.exists()


@pytest.mark.parametrize("body", [{}, {"url": "https://a.example/", "content": "[]"}])
def test_either_a_url_or_content(api: APIClient, alice: Any, body: dict[str, str]) -> None:
    response = _import(api, alice, **body)
    assert response.status_code == 400 and "Send either `url` or `content`." in response.json()["detail"]
    assert _import(api, alice, content="").json()["fields"] == {"content": ["This field may not be blank."]}


def test_each_bad_review_is_an_error_of_its_own_and_the_good_ones_are_imported(api: APIClient, alice: Any) -> None:
    reviews = [claim_review(), claim_review(url=f"{REVIEW_URL}2", claimReviewed=None),
               claim_review(url=f"{REVIEW_URL}3", claimReviewed="z" * 100_000),
               claim_review(url="javascript:alert(document.cookie)", claimReviewed="XSS"),
               claim_review(url=f"{REVIEW_URL}5", claimReviewed="Undated?", datePublished="yesterday")]
    response = _import(api, alice, content=json.dumps(reviews))
    assert response.status_code == 201
    body = response.json()
    assert (body["created"], body["errors"]) == (1, 4)
    messages = [item["message"] for item in body["items"]]
    assert "no claimReviewed" in messages[1] and "100000 characters long" in messages[2]
    assert "not a valid http or https address" in messages[3] and "not an ISO 8601 date" in messages[4]
    assert [claim.text for claim in Claim.objects.all()] == [CLAIM_TEXT]


def test_a_review_that_fails_half_way_leaves_nothing_behind(api: APIClient, alice: Any, monkeypatch: Any) -> None:
    """Each review is one transaction: the source, document, snapshot and passage made before
    the failure are gone with it, and the next review is imported all the same."""
    create = services.claim_create

    def failing(**content: Any) -> Claim:
        if content["text"] == "Fails.":
            from django.core.exceptions import ValidationError

            raise ValidationError("Refused at the last step.")
        return create(**content)

    monkeypatch.setattr(services, "claim_create", failing)
    page = review_page(claim_review(url="https://broken.example/", claimReviewed="Fails.",
                                    author={"name": "Broken Checker"}), claim_review(), visible=f"Fails. {CLAIM_TEXT}")
    body = _import(api, alice, content=page.decode()).json()
    assert [item["result"] for item in body["items"]] == ["error", "created"]
    assert body["items"][0]["message"] == "Refused at the last step."
    assert not Source.objects.filter(name="Broken Checker").exists()
    assert not Document.objects.filter(url="https://broken.example/").exists()
    assert Snapshot.objects.count() == 1 and Annotation.objects.count() == 1  # the good review's only


def test_too_many_reviews_at_once_are_refused(api: APIClient, alice: Any) -> None:
    reviews = [claim_review(url=f"{REVIEW_URL}{n}") for n in range(101)]
    response = _import(api, alice, content=json.dumps(reviews))
    assert response.status_code == 400 and "at most 100" in response.json()["fields"]["content"][0]
    assert not Claim.objects.exists()


def test_markup_is_kept_as_text_and_never_rendered(client: Any, alice: Any) -> None:
    from claims import imports

    hostile = '<script>alert("x")</script>'
    page = Page("x", json.dumps(claim_review(claimReviewed=hostile, author={"name": hostile})).encode(),
                "application/json")
    (outcome,) = imports.import_page(actor=alice, page=page)
    assert outcome.claim.text == hostile
    client.force_login(alice)
    assert '<script>alert("x")' not in client.get(f"/desk/claims/{outcome.claim.slug}/").content.decode()


# From URLs, through the safe fetch

@pytest.fixture
def server(loopback_server: Any) -> str:
    routes: dict[str, tuple[int, str, bytes]] = {}
    base = loopback_server(routes)
    routes.update({
        "/review": (200, "text/html; charset=utf-8", review_page(claim_review(url=f"{base}/review"))),
        "/feed.json": (200, "application/ld+json", json.dumps({"@type": "DataFeed", "dataFeedElement": [
            claim_review(url=f"{base}/other", claimReviewed="From the feed.")]}).encode()),
        "/image": (200, "image/png", b"\x89PNG"),
        "/raw.txt": (200, "text/plain; charset=utf-8", json.dumps([
            claim_review(url=f"{base}/raw", claimReviewed="Served as text.")]).encode()),
    })
    return base


def test_a_review_page_is_fetched_and_archived(api: APIClient, alice: Any, server: str, settings: Any) -> None:
    settings.SNAPSHOT_CAPTURE_ALLOW_PRIVATE = True
    response = _import(api, alice, url=f"{server}/review")
    assert response.status_code == 201 and response.json()["origin"] == f"{server}/review"
    claim = Claim.objects.get()
    snapshot = Snapshot.objects.get(document=claim.document)
    assert snapshot.origin == f"{server}/review" and snapshot.sha256 == hashlib.sha256(
        review_page(claim_review(url=f"{server}/review"))).hexdigest()
    assert claim.quote == CLAIM_TEXT and claim.annotation.snapshot == snapshot


def test_a_feed_is_fetched_and_not_archived_as_a_review_page(alice: Any, server: str, settings: Any) -> None:
    settings.SNAPSHOT_CAPTURE_ALLOW_PRIVATE = True
    output = _run(f"{server}/feed.json", "--as", "alice")
    assert "1 created, 0 duplicates, 0 errors." in output
    claim = Claim.objects.get()
    assert claim.text == "From the feed." and claim.quote == "" and not Snapshot.objects.exists()


def test_a_feed_served_as_plain_text_is_read_as_json(api: APIClient, alice: Any, server: str, settings: Any) -> None:
    settings.SNAPSHOT_CAPTURE_ALLOW_PRIVATE = True
    assert _import(api, alice, url=f"{server}/raw.txt").json()["created"] == 1
    assert Claim.objects.get().text == "Served as text." and not Snapshot.objects.exists()


def test_private_addresses_and_other_schemes_are_refused(api: APIClient, alice: Any, server: str) -> None:
    response = _import(api, alice, url=f"{server}/review")  # 127.0.0.1, and tests do not allow it here
    assert response.status_code == 400
    assert "private or local address: refused" in response.json()["fields"]["url"][0]
    for url in ["file:///etc/passwd", "ftp://factcheck.example/feed.json", "http://[::1"]:
        response = _import(api, alice, url=url)
        assert response.status_code == 400, url
        assert set(response.json()) == {"error", "detail", "fields"}
    assert not Claim.objects.exists()


def test_the_command_reports_each_refusal_and_fails(alice: Any, server: str, settings: Any, tmp_path: Path) -> None:
    settings.SNAPSHOT_CAPTURE_ALLOW_PRIVATE = True
    good = tmp_path / "good.json"
    good.write_text(json.dumps([claim_review(), {"@type": "ClaimReview", "url": REVIEW_URL}]))
    from io import StringIO

    out = StringIO()
    with pytest.raises(CommandError, match="4 could not be imported"):
        call_command("import_claimreview", str(good), "file:///etc/passwd", f"{server}/image",
                     str(tmp_path / "missing.json"), "--as", "alice", stdout=out)
    lines = out.getvalue().splitlines()
    assert "review 1: created: draft" in lines[0] and "review 2: error: It has no claimReviewed" in lines[1]
    assert lines[2].startswith("[2/4] file:///etc/passwd: error: Only http and https addresses")
    assert lines[3].startswith(f"[3/4] {server}/image: error: 'image/png' cannot be read here")
    assert lines[4].startswith("[4/4]") and "No file at" in lines[4]
    assert lines[5] == "1 created, 0 duplicates, 4 errors."


# Who may import

def test_anonymous_clients_get_a_401(api: APIClient, db: Any) -> None:
    response = api.post("/api/v1/claimreview-imports/", {"content": json.dumps(claim_review())}, format="json")
    assert response.status_code == 401 and response.json()["error"] == "not_authenticated"
    assert not Claim.objects.exists()


@pytest.mark.parametrize("persona", ["erin", "dave"])
def test_readers_and_staff_without_a_role_get_a_403(api: APIClient, persona: str, request: Any) -> None:
    response = _import(api, request.getfixturevalue(persona), content=json.dumps(claim_review()))
    assert response.status_code == 403 and set(response.json()) == {"error", "detail", "fields"}
    assert not Claim.objects.exists()


def test_only_post_is_offered(api: APIClient, alice: Any) -> None:
    api.force_authenticate(alice)
    assert api.get("/api/v1/claimreview-imports/").status_code == 405


def test_the_command_refuses_a_reader(erin: Any, tmp_path: Path) -> None:
    path = tmp_path / "review.json"
    path.write_text(json.dumps(claim_review()))
    with pytest.raises(CommandError, match="Your account may not create"):
        _run(str(path), "--as", "erin")
    with pytest.raises(CommandError, match="No user 'nobody'"):
        _run(str(path), "--as", "nobody")
    assert not Claim.objects.exists()


def test_the_endpoint_is_in_the_openapi_schema(client: Any, db: Any) -> None:
    operation = client.get("/api/schema/?format=json").json()["paths"]["/api/v1/claimreview-imports/"]["post"]
    assert set(operation["responses"]) >= {"200", "201", "400", "401", "403"}
    assert operation["requestBody"]["content"]["application/json"]["examples"]


# A round trip through our own feed

def test_our_own_claimreview_feed_imports_as_drafts_matching_our_claims(client: Any, api: APIClient, alice: Any,
                                                                       bob: Any, settings: Any) -> None:
    settings.FACTCHECK_PUBLISHER_NAME = "Test Desk"
    settings.ALLOWED_HOSTS = ["testserver", "desk.example"]  # a real host: a review's URL must be a public address
    sayari = make_source(alice, name="Sayari", kind="research_firm")
    document = make_document(alice, publisher=sayari, title="Sayari report")
    ours = [
        publish(make_claim(alice, document=document, claimant=sayari, text="$577 million of imports", credibility=3,
                           asserted_on=datetime.date(2025, 10, 1), asserted_precision="month"),
                author=alice, editor=bob),
        publish(make_claim(alice, text="Beijing will stop the trade", credibility=6, asserted_on=None,
                           asserted_precision="unknown"), author=alice, editor=bob),
    ]
    feed = text_of(client.get("/claimreview.json", HTTP_HOST="desk.example"))
    body = _import(api, alice, content=feed).json()
    assert (body["created"], body["duplicates"], body["errors"]) == (2, 0, 0)
    for claim, rating in zip(ours, ["Possibly true (3/5)", "Truth cannot be judged"], strict=True):
        claim.refresh_from_db()
        draft = Claim.objects.get(document__url=f"http://desk.example{claim.get_absolute_url()}")
        assert (draft.status, draft.text, draft.peer_rating, draft.credibility) == ("draft", claim.text, rating, 6)
        assert (draft.asserted_on, draft.asserted_precision) == (claim.asserted_on, claim.asserted_precision)
        assert draft.claimant.name == claim.claimant.name
        assert draft.document.publisher.name == "Test Desk"
        assert draft.document.title == "ClaimReview by Test Desk"
        assert draft.document.published_on == claim.first_published_at.date()
    again = _import(api, alice, content=feed).json()
    assert (again["created"], again["duplicates"]) == (0, 2)

