"""Budgets: the public pages run a fixed number of queries, whatever the data."""

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from factcheck.caching import forget_pages
from tests.conftest import make_claim, make_link, publish


def _count(client: Any, url: str) -> int:
    client.get(url)  # warm caches that are filled once per process
    forget_pages()  # then count what rendering the page costs, not a hit in the page cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _same_count(client: Any, url: str, grow: Callable[[], None]) -> None:
    before = _count(client, url)
    grow()
    assert _count(client, url) == before


def test_the_claim_page_with_2_or_30_links(client: Any, alice: Any, bob: Any) -> None:
    hub = publish(make_claim(alice, text="Hub"), author=alice, editor=bob)

    def link(n: int) -> None:
        other = publish(make_claim(alice, text=f"Spoke {n}"), author=alice, editor=bob)
        proposed = make_link(alice, other, hub, ["supports", "contradicts", "qualifies"][n % 3])
        services.link_accept(link=proposed, actor=bob, version=proposed.version)

    for n in range(2):
        link(n)
    _same_count(client, hub.get_absolute_url(), lambda: [link(n) for n in range(2, 30)])


def test_the_claim_page_with_1_or_30_revisions(client: Any, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)

    def correct_many() -> None:
        nonlocal claim
        for n in range(10):
            claim = services.claim_update(claim=claim, actor=alice, version=claim.version,
                                          changes={"text": f"Correction {n}"}, reason=f"Fix {n}")
            claim = services.claim_publish(claim=claim, actor=bob, version=claim.version, note="Corrected.")

    url = claim.get_absolute_url()
    _same_count(client, url, correct_many)
    _same_count(client, f"{url}history/", correct_many)
    today = datetime.datetime.now(tz=datetime.UTC).date().isoformat()
    _same_count(client, f"{url}?as_of={today}", correct_many)


def test_the_list_home_search_and_feeds_with_few_or_many_claims(client: Any, alice: Any, bob: Any) -> None:
    made = iter(range(1000))

    def add(corrected: bool) -> None:
        claim = publish(make_claim(alice, text=f"Drone claim {next(made)}"), author=alice, editor=bob)
        if corrected:  # an edit in review: the page reads the published revision instead
            services.claim_update(claim=claim, actor=alice, version=claim.version, changes={"credibility": 4},
                                  reason="In review")

    add(corrected=False)
    add(corrected=True)
    for url in ["/", "/claims/", "/search/?q=drone", "/feed.atom", "/claimreview.json", "/sitemap.xml"]:
        _same_count(client, url, lambda: [add(corrected=n % 2 == 0) for n in range(12)])


def test_the_sitemap_and_the_data_feed_cover_every_published_claim_in_pages(client: Any, alice: Any, bob: Any,
                                                                            monkeypatch: Any) -> None:
    import json

    from claims.sitemaps import ClaimSitemap
    from claims.views import public
    from tests.conftest import body

    monkeypatch.setattr(ClaimSitemap, "limit", 3)
    monkeypatch.setattr(public, "FEED_PAGE_SIZE", 3)
    claims = [publish(make_claim(alice, text=f"Claim {n}"), author=alice, editor=bob) for n in range(7)]
    make_claim(alice, text="A draft")
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-claims.xml?p=3" in index and "sitemap-claims.xml?p=4" not in index
    listed = "".join(client.get(f"/sitemap-claims.xml?p={n}").content.decode() for n in (1, 2, 3))
    assert all(claim.get_absolute_url() in listed for claim in claims) and "a-draft" not in listed
    def linked(response: Any, rel: str) -> str:
        found = re.search(rf'<http://testserver([^>]*)>; rel="{rel}"', response.get("Link", ""))
        return found.group(1) if found else ""

    reviewed, pages, url = [], [], "/claimreview.json"
    while url and len(pages) < 10:  # a feed whose next never ends fails here, not by hanging
        response = client.get(url)
        pages.append(url)
        reviewed.append([item["claimReviewed"] for item in json.loads(body(response))["dataFeedElement"]])
        url = linked(response, "next")
    assert [len(page) for page in reviewed] == [3, 3, 1]
    assert sorted(name for page in reviewed for name in page) == sorted(f"Claim {n}" for n in range(7))
    # And back: each page's prev is the page before it.
    assert [linked(client.get(page), "prev") for page in pages] == ["", "/claimreview.json", pages[1]]
    assert json.loads(body(client.get(pages[1])))["url"] == f"http://testserver{pages[1]}"
    assert json.loads(body(client.get("/claimreview.json?utm_source=x")))["url"] == "http://testserver/claimreview.json"


@pytest.mark.parametrize(("query", "says"), [
    ("page=2", "pages by claim"), ("after=x", "whole number"), ("after=-1", "whole number"),
    ("after=", "whole number"), ("after=1&after=2", "once"), ("page=1&page=2", "once"),
    ("after=999999", "after this one"),
])
def test_a_data_feed_page_it_cannot_answer_is_a_404_that_says_why(client: Any, alice: Any, bob: Any, query: str,
                                                                   says: str) -> None:
    publish(make_claim(alice, text="Claim"), author=alice, editor=bob)
    response = client.get(f"/claimreview.json?{query}")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert says in response.json()["detail"]


def test_a_page_deep_in_the_data_feed_is_an_index_range_with_no_count_and_no_offset(
        client: Any, alice: Any, bob: Any, monkeypatch: Any) -> None:
    """A deep page reads the claims after its own: as many queries as the first page and its
    `prev`, none counting or skipping rows."""
    import json

    from claims.views import public

    monkeypatch.setattr(public, "FEED_PAGE_SIZE", 2)
    claims = [publish(make_claim(alice, text=f"Claim {n}"), author=alice, editor=bob) for n in range(7)]
    forget_pages()
    with CaptureQueriesContext(connection) as first:
        b"".join(client.get("/claimreview.json").streaming_content)
    forget_pages()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/claimreview.json?after={claims[4].pk}")
        page = json.loads(b"".join(response.streaming_content))
    assert [item["claimReviewed"] for item in page["dataFeedElement"]] == ["Claim 5", "Claim 6"]
    assert len(queries) == len(first) + 1  # the prev page's start
    sql = " ".join(query["sql"].upper() for query in queries.captured_queries)
    assert "COUNT(" not in sql and "OFFSET" not in sql


def test_the_sitemap_index_dates_each_section_without_reading_every_item(client: Any, alice: Any, bob: Any) -> None:
    """One aggregate per section for its last change, not lastmod() over every claim."""
    from unittest import mock

    from claims.sitemaps import ClaimSitemap, ProjectionSitemap

    publish(make_claim(alice), author=alice, editor=bob)
    with mock.patch.object(ClaimSitemap, "lastmod", side_effect=AssertionError("read one by one")), \
            mock.patch.object(ProjectionSitemap, "lastmod", side_effect=AssertionError("read one by one")):
        index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert index.content.decode().count("<lastmod>") == 3
