"""Public lists stay at a fixed cost however many claims are public."""

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.views import public
from tests.conftest import make_claim, publish


def test_the_list_counts_and_pages_no_further_than_its_cap(client: Any, alice: Any, bob: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(public, "PAGE_SIZE", 1)
    monkeypatch.setattr(public, "MAX_PAGES", 2)
    for n in range(3):
        publish(make_claim(alice, text=f"Claim number {n}"), author=alice, editor=bob)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/claims/?page=9").content.decode()
    assert "More than 2 pages of claims: narrow them with the filters" in page
    assert "Page 2 of 2" in page
    counts = [query["sql"] for query in queries.captured_queries if "COUNT(" in query["sql"].upper()
              and "claims_publicclaim" in query["sql"]]
    assert counts and all("LIMIT" in sql.upper() for sql in counts)
    search = client.get("/search/?q=claim&page=9").content.decode()
    assert "More than 2 pages of results" in search


def test_a_source_page_lists_a_bounded_number_of_its_documents(client: Any, alice: Any, bob: Any,
                                                              monkeypatch: Any) -> None:
    from tests.conftest import make_document

    monkeypatch.setattr(public, "SOURCE_DOCUMENTS", 2)
    first = publish(make_claim(alice, text="Claim in the first document"), author=alice, editor=bob)
    publisher = first.document.publisher
    for n in range(2):
        publish(make_claim(alice, make_document(alice, publisher=publisher, title=f"Another document {n}")),
                author=alice, editor=bob)
    page = client.get(f"/sources/{publisher.slug}/").content.decode()
    listed = page.split('id="documents-heading"')[1].split("</ul>")[0]
    assert listed.count("<li>") == 2
    assert "And 1 more: each claim above links to its document." in page
