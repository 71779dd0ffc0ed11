"""ClaimReview JSON-LD, parsed and checked field by field."""

import datetime
import json
import re
from typing import Any

import pytest

from claims.claimreview import review_rating
from tests.conftest import body, make_claim, make_document, make_source, publish


@pytest.mark.parametrize("credibility,value", [(1, 5), (2, 4), (3, 3), (4, 2), (5, 1)])
def test_credibility_maps_to_a_rating_out_of_five(credibility: int, value: int) -> None:
    rating = review_rating(credibility, "label")
    assert (rating["ratingValue"], rating["bestRating"], rating["worstRating"]) == (value, 5, 1)


def test_truth_cannot_be_judged_has_a_label_and_no_number() -> None:
    assert review_rating(6, "Truth cannot be judged") == {"@type": "Rating",
                                                           "alternateName": "Truth cannot be judged"}


def _page_json_ld(page: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert match, "no JSON-LD in the page"
    return json.loads(match.group(1))


def test_the_claim_page_carries_its_claimreview(client: Any, alice: Any, bob: Any, settings: Any) -> None:
    settings.FACTCHECK_PUBLISHER_NAME = "Test Desk"
    settings.FACTCHECK_PUBLISHER_URL = "https://desk.example/"
    sayari = make_source(alice, name="Sayari", kind="research_firm", homepage="https://sayari.com")
    document = make_document(alice, publisher=sayari, title="Sayari report", published_on=datetime.date(2025, 10, 1),
                             published_precision="month")
    claim = publish(make_claim(alice, document=document, claimant=sayari, text="$577 million of imports",
                               asserted_on=datetime.date(2025, 10, 1), asserted_precision="month", credibility=3),
                    author=alice, editor=bob)
    data = _page_json_ld(client.get(claim.get_absolute_url()).content.decode())
    assert data == client.get(f"{claim.get_absolute_url()}claimreview.json").json()
    assert data["@context"] == "https://schema.org" and data["@type"] == "ClaimReview"
    assert data["url"] == f"http://testserver{claim.get_absolute_url()}"
    assert data["claimReviewed"] == "$577 million of imports"
    item = data["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Organization", "name": "Sayari", "url": "https://sayari.com"}
    assert item["datePublished"] == "2025-10"
    assert item["appearance"]["headline"] == "Sayari report"
    assert item["appearance"]["datePublished"] == "2025-10"
    assert item["firstAppearance"] == item["appearance"]
    assert data["reviewRating"] == {"@type": "Rating", "alternateName": "Possibly true", "ratingValue": 3,
                                    "bestRating": 5, "worstRating": 1}
    assert data["author"] == {"@type": "Organization", "name": "Test Desk", "url": "https://desk.example/"}
    claim.refresh_from_db()
    assert data["datePublished"] == claim.first_published_at.date().isoformat()
    assert data["dateModified"] == claim.published_at.isoformat()


def test_an_undated_claim_has_no_date_rather_than_a_null_one(client: Any, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice, asserted_on=None, asserted_precision="unknown"), author=alice, editor=bob)
    data = _page_json_ld(client.get(claim.get_absolute_url()).content.decode())
    assert "datePublished" not in data["itemReviewed"]
    assert None not in data["itemReviewed"].values()
    assert "datePublished" not in client.get(f"/api/v1/claims/{claim.pk}/claimreview/").json()["itemReviewed"]


def test_the_data_feed_lists_every_published_review(client: Any, alice: Any, bob: Any) -> None:
    publish(make_claim(alice, text="First"), author=alice, editor=bob)
    publish(make_claim(alice, text="Second"), author=alice, editor=bob)
    make_claim(alice, text="Draft")
    feed = json.loads(body(client.get("/claimreview.json")))
    assert feed["@type"] == "DataFeed"
    assert sorted(item["claimReviewed"] for item in feed["dataFeedElement"]) == ["First", "Second"]


HOSTILE = '</script><script>alert("x")</script> & <svg onload=alert(1)> "quoted" \'single\''


def test_hostile_claim_text_is_inert_everywhere(client: Any, alice: Any, bob: Any) -> None:
    other = publish(make_claim(alice, text=HOSTILE), author=alice, editor=bob)
    claim = publish(make_claim(alice, text="Calm claim"), author=alice, editor=bob)
    from claims import services
    from tests.conftest import make_link

    link = make_link(alice, other, claim, "supports")
    services.link_accept(link=link, actor=bob, version=link.version)
    for url in [other.get_absolute_url(), claim.get_absolute_url(), "/", "/claims/", "/search/?q=alert",
                f"{other.get_absolute_url()}history/", "/feed.atom"]:
        page = client.get(url).content.decode()
        assert "<script>alert" not in page, url
        assert "<svg onload" not in page, url
    page = client.get(other.get_absolute_url()).content.decode()
    assert _page_json_ld(page)["claimReviewed"] == HOSTILE  # the JSON-LD stays intact and parseable
    assert page.count("</script>") == 1  # only the JSON-LD element's own end tag
    svg = client.get(claim.get_absolute_url()).content.decode()
    assert "&lt;svg onload" in svg.split("<svg", 1)[1]  # the map's labels are escaped text
