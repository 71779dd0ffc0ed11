"""Nothing unpublished leaks: every public URL, for a claim in each status."""

import json
from typing import Any

import pytest

from claims import services
from tests.conftest import body, make_claim, publish

SECRET = "Unpublished wording zebra"


def _claim_in(status: str, alice: Any, bob: Any) -> Any:
    claim = make_claim(alice, text=SECRET if status != "published-then-edited" else "Public wording")
    if status in {"in_review", "changes_requested"}:
        claim = services.claim_submit(claim=claim, actor=alice, version=claim.version)
    if status == "changes_requested":
        claim = services.claim_request_changes(claim=claim, actor=bob, version=claim.version, comment="Fix")
    if status == "published-then-edited":
        claim = publish(claim, author=alice, editor=bob)
        claim = services.claim_update(claim=claim, actor=alice, version=claim.version,
                                      changes={"text": SECRET, "credibility": 5}, reason="Edit")
    return claim


PUBLIC_URLS = ["/", "/claims/", "/search/?q=zebra", "/feed.atom", "/sitemap.xml", "/sitemap-claims.xml",
               "/sitemap-sources.xml", "/sitemap-documents.xml", "/claimreview.json", "/corrections/"]


@pytest.mark.parametrize("status", ["draft", "in_review", "changes_requested", "published-then-edited"])
def test_unpublished_content_appears_on_no_public_url(client: Any, alice: Any, bob: Any, status: str) -> None:
    claim = _claim_in(status, alice, bob)
    for url in PUBLIC_URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET not in body(response), url
    assert "No published claim matches" in client.get("/search/?q=zebra").content.decode()
    detail = [claim.get_absolute_url(), f"{claim.get_absolute_url()}history/",
              f"{claim.get_absolute_url()}claimreview.json"]
    for url in detail:
        response = client.get(url)
        if status == "published-then-edited":
            assert response.status_code == 200, url
            assert SECRET not in response.content.decode(), url
        else:
            assert response.status_code == 404, url


def test_the_public_filter_uses_the_published_grade(client: Any, alice: Any, bob: Any) -> None:
    _claim_in("published-then-edited", alice, bob)  # published at 2, regraded to 5 in review
    assert "Public wording" in client.get("/claims/?credibility=2").content.decode()
    assert "Public wording" not in client.get("/claims/?credibility=5").content.decode()


def test_a_retracted_claim_stays_public_with_the_notice(client: Any, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    services.claim_retract(claim=claim, actor=bob, version=claim.version, reason="Misread the filing")
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Retracted." in page and "Misread the filing" in page
    assert "retracted" in client.get("/claims/?status=retracted").content.decode()
    review = client.get(f"{claim.get_absolute_url()}claimreview.json").json()
    assert review["correction"]["text"] == "Retracted: Misread the filing"
    assert "Retracted:" in client.get("/feed.atom").content.decode()


def test_the_team_is_sent_from_an_unpublished_claim_to_its_working_copy(client: Any, alice: Any, bob: Any) -> None:
    claim = _claim_in("draft", alice, bob)
    client.force_login(alice)
    page = client.get(claim.get_absolute_url(), follow=True).content.decode()
    assert SECRET in page and "Draft" in page


def test_search_finds_published_claims(client: Any, alice: Any, bob: Any) -> None:
    publish(make_claim(alice, text="Rustakt manufactures the VT-40 drone"), author=alice, editor=bob)
    page = client.get("/search/?q=VT-40 drone").content.decode()
    assert "Rustakt manufactures the <mark>VT</mark>-<mark>40</mark> <mark>drone</mark>" in page  # highlighted
    assert "1 result for" in page
    assert "No published claim matches" in client.get("/search/?q=nonexistentword").content.decode()


def test_bad_filter_input_is_a_400_not_a_500(client: Any, db: Any) -> None:
    assert client.get("/claims/?credibility=9").status_code == 400
    assert client.get("/claims/?since=yesterday").status_code == 400
    assert client.get("/claims/?page=999").status_code == 200
    assert client.get("/claims/x/?as_of=not-a-date").status_code == 404
    assert client.get("/search/?q=" + "a" * 5000).status_code == 200


def test_robots_and_sitemap(client: Any, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /desk/" in robots and "Sitemap: http://testserver/sitemap.xml" in robots
    index = client.get("/sitemap.xml").content.decode()
    assert all(f"/sitemap-{section}.xml" in index for section in ["claims", "sources", "documents"])
    assert claim.get_absolute_url() in client.get("/sitemap-claims.xml").content.decode()
    assert claim.claimant.get_absolute_url() in client.get("/sitemap-sources.xml").content.decode()
    json.loads(body(client.get("/claimreview.json")))


def test_the_public_filters_by_the_published_claimant(client: Any, alice: Any, bob: Any) -> None:
    from tests.conftest import make_source

    claim = publish(make_claim(alice, text="Public wording"), author=alice, editor=bob)
    other = make_source(alice, name="Other claimant")
    services.claim_update(claim=claim, actor=alice, version=claim.version, changes={"claimant": other},
                          reason="Different claimant")
    assert "Public wording" in client.get(f"/claims/?claimant={claim.claimant.slug}").content.decode()
    assert "Public wording" not in client.get(f"/claims/?claimant={other.slug}").content.decode()


def test_the_claimant_filter_takes_a_name_and_lists_no_one(client: Any, alice: Any, bob: Any) -> None:
    from tests.conftest import make_document, make_source

    sayari = make_source(alice, name="Sayari")
    publish(make_claim(alice, text="From Sayari", document=make_document(alice, publisher=sayari)), author=alice,
            editor=bob)
    publish(make_claim(alice, text="From the FT"), author=alice, editor=bob)
    page = client.get("/claims/?claimant=saya").content.decode()
    assert "From Sayari" in page and "From the FT" not in page
    assert "<option" not in page.split('id="id_claimant"')[1].split("</div>")[0]  # no list of every claimant
