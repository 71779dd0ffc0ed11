"""Our public machine outputs as the standard tools read them: extruct (what search engines'
structured-data readers do) on the claim pages' ClaimReview, and feedparser on the Atom feed."""

import datetime
from typing import Any

import extruct
import feedparser
import pytest

from claims import services
from tests.conftest import body, make_claim, make_document, make_source, publish

GOOGLE_REQUIRED = {"claimReviewed", "reviewRating", "url"}
GOOGLE_RECOMMENDED = {"author", "datePublished", "itemReviewed"}


def _claimreviews(client: Any, url: str) -> list[dict[str, Any]]:
    page = client.get(url)
    assert page.status_code == 200
    data = extruct.extract(page.content.decode(), base_url=f"http://testserver{url}", syntaxes=["json-ld"],
                           uniform=True)
    return [item for item in data["json-ld"] if item.get("@type") == "ClaimReview"]


@pytest.mark.parametrize("credibility", [1, 2, 3, 4, 5, 6])
def test_extruct_reads_every_field_google_asks_of_a_claimreview(client: Any, alice: Any, bob: Any,
                                                                  credibility: int) -> None:
    analyst = make_source(alice, name="Example Analyst", kind="analyst", homepage="https://analyst.example.org/")
    document = make_document(alice, publisher=analyst, title="Example report", url="https://news.example.org/r",
                             published_on=datetime.date(2025, 10, 1), published_precision="month")
    claim = publish(make_claim(alice, document=document, claimant=analyst, credibility=credibility,
                               asserted_on=datetime.date(2025, 10, 1), asserted_precision="month"),
                    author=alice, editor=bob)
    [review] = _claimreviews(client, claim.get_absolute_url())
    assert set(review) >= GOOGLE_REQUIRED | GOOGLE_RECOMMENDED
    assert review["claimReviewed"] == claim.text
    assert review["url"] == f"http://testserver{claim.get_absolute_url()}"
    assert review["author"]["@type"] == "Organization" and review["author"]["name"] and review["author"]["url"]
    assert datetime.date.fromisoformat(review["datePublished"])
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating" and rating["alternateName"] == claim.get_credibility_display()
    if credibility <= 5:  # a number on a five-point scale, best 5, worst 1
        assert (rating["ratingValue"], rating["bestRating"], rating["worstRating"]) == (6 - credibility, 5, 1)
    else:  # "truth cannot be judged" is a word, not a point on the scale
        assert not {"ratingValue", "bestRating", "worstRating"} & set(rating)
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Person", "name": "Example Analyst", "url": "https://analyst.example.org/"}
    assert item["datePublished"] == "2025-10"
    assert item["appearance"]["url"] == "https://news.example.org/r"
    assert item["appearance"]["datePublished"] == "2025-10"


def test_extruct_reads_an_undated_claim_without_inventing_a_date(client: Any, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice, asserted_on=None, asserted_precision="unknown"), author=alice, editor=bob)
    [review] = _claimreviews(client, claim.get_absolute_url())
    assert set(review) >= GOOGLE_REQUIRED
    assert review["itemReviewed"].get("datePublished") is None


def test_feedparser_reads_the_atom_feed_without_complaint(client: Any, alice: Any, bob: Any) -> None:
    first = publish(make_claim(alice, text="A first claim & <its> \"quotes\""), author=alice, editor=bob)
    second = publish(make_claim(alice, text="A second claim"), author=alice, editor=bob)
    second = services.claim_update(claim=second, actor=alice, version=second.version,
                                   changes={"credibility": 3}, reason="Regraded")
    services.claim_publish(claim=second, actor=bob, version=second.version, note="Regraded after review.")
    feed = feedparser.parse(body(client.get("/feed.atom")))
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title and feed.feed.id and feed.feed.updated_parsed
    titles = [entry.title for entry in feed.entries]
    assert titles == ["Corrected: A second claim (B3)", "First published: A second claim (B2)",
                      f"First published: {first.text} (B2)"]  # escaped in XML, read back as written
    for entry in feed.entries:
        assert entry.id.startswith(("http://", "https://", "tag:"))
        assert entry.link.startswith("http://testserver/claims/")
        assert entry.updated_parsed and entry.author
