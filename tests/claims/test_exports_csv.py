"""/claims.csv and /links.csv: the public record only, the documented columns, formulas
neutralised, streamed, and a fixed number of queries whatever the number of claims."""

import csv
import datetime
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.exports import CLAIM_COLUMNS, LINK_COLUMNS, spreadsheet_safe
from publicrecord.models import Record
from tests.conftest import make_claim, make_document, make_link, make_source, publish


def _rows(client: Any, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


def _by_slug(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    header, *body = rows
    return {row[0]: dict(zip(header, row, strict=True)) for row in body}


@pytest.mark.parametrize("value,expected", [
    ("=HYPERLINK(\"http://evil.example\")", "'=HYPERLINK(\"http://evil.example\")"),
    ("+1", "'+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("A plain claim", "A plain claim"), ("", ""), (6, 6), ("5% = half", "5% = half"),
])
def test_cells_a_spreadsheet_would_run_are_quoted(value: Any, expected: Any) -> None:
    assert spreadsheet_safe(value) == expected


def test_the_header_rows_are_the_documented_columns(client: Any, db: Any) -> None:
    assert _rows(client, "/claims.csv") == [CLAIM_COLUMNS]
    assert CLAIM_COLUMNS == ["slug", "url", "text", "quote", "claimant", "claimant_reliability", "credibility",
                             "credibility_label", "admiralty_code", "asserted_on", "asserted_precision",
                             "document_title", "document_url", "snapshot_sha256", "status", "first_published_at",
                             "published_at", "record"]
    assert _rows(client, "/links.csv") == [LINK_COLUMNS]
    assert LINK_COLUMNS == ["id", "from_claim", "to_claim", "type", "rationale"]


def test_responses_are_streamed_csv(client: Any, alice: Any, bob: Any) -> None:
    publish(make_claim(alice), author=alice, editor=bob)
    for url, name in [("/claims.csv", "claims.csv"), ("/links.csv", "links.csv")]:
        response = client.get(url)
        assert response.streaming is True
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
        assert response.has_header("ETag")
        b"".join(response.streaming_content)


def test_a_claim_row_holds_what_its_record_shows(client: Any, alice: Any, bob: Any) -> None:
    sayari = make_source(alice, name="Sayari", kind="research_firm", reliability="C")
    document = make_document(alice, publisher=sayari, title="Sayari report", url="https://sayari.example/report")
    claim = publish(make_claim(alice, document=document, claimant=sayari, text="$577 million of imports",
                               quote="Wang acquired a 5% equity stake in Rustakt", credibility=3,
                               asserted_on=datetime.date(2025, 10, 1), asserted_precision="month"),
                    author=alice, editor=bob)
    claim.refresh_from_db()
    row = _by_slug(_rows(client, "/claims.csv"))[claim.slug]
    record = Record.objects.filter(subject=f"claim:{claim.pk}").order_by("-index").first()
    assert row == {
        "slug": claim.slug, "url": f"http://testserver/claims/{claim.slug}/", "text": "$577 million of imports",
        "quote": "Wang acquired a 5% equity stake in Rustakt", "claimant": "Sayari", "claimant_reliability": "C",
        "credibility": "3", "credibility_label": "Possibly true", "admiralty_code": "C3", "asserted_on": "2025-10",
        "asserted_precision": "month", "document_title": "Sayari report",
        "document_url": "https://sayari.example/report", "snapshot_sha256": claim.annotation.snapshot.sha256,
        "status": "published", "first_published_at": claim.first_published_at.isoformat(),
        "published_at": claim.published_at.isoformat(), "record": str(record.index),
    }


def test_only_published_content_appears(client: Any, alice: Any, bob: Any) -> None:
    published = publish(make_claim(alice, text="Published text"), author=alice, editor=bob)
    in_review = services.claim_update(claim=published, actor=alice, version=published.version,
                                      changes={"text": "An edit in review", "credibility": 5}, reason="Edit")
    make_claim(alice, text="A draft")
    retracted = publish(make_claim(alice, text="Withdrawn later"), author=alice, editor=bob)
    services.claim_retract(claim=retracted, actor=bob, version=retracted.version, reason="Wrong figure.")
    rows = _by_slug(_rows(client, "/claims.csv"))
    assert sorted(row["text"] for row in rows.values()) == ["Published text", "Withdrawn later"]
    assert rows[in_review.slug]["credibility"] == "2" and rows[in_review.slug]["status"] == "published"
    assert rows[retracted.slug]["status"] == "retracted"
    text = b"".join(client.get("/claims.csv").streaming_content).decode()
    assert "An edit in review" not in text and "A draft" not in text


def test_only_accepted_links_between_public_claims_appear(client: Any, alice: Any, bob: Any) -> None:
    first = publish(make_claim(alice, text="First"), author=alice, editor=bob)
    second = publish(make_claim(alice, text="Second"), author=alice, editor=bob)
    draft = make_claim(alice, text="Draft")
    accepted = make_link(alice, first, second, "supports")
    services.link_accept(link=accepted, actor=bob, version=accepted.version)
    to_draft = make_link(alice, first, draft, "qualifies")
    services.link_accept(link=to_draft, actor=bob, version=to_draft.version)
    make_link(alice, second, first, "contradicts")  # proposed only
    assert _rows(client, "/links.csv")[1:] == [[str(accepted.pk), first.slug, second.slug, "supports",
                                                "The figures add up."]]
    accepted.refresh_from_db()
    services.link_update(link=accepted, actor=alice, version=accepted.version,
                         changes={"rationale": "Reworded, in review"}, reason="Clearer")
    assert _rows(client, "/links.csv") == [LINK_COLUMNS]  # back in review: no longer public


def test_formulas_in_claims_and_links_are_neutralised(client: Any, alice: Any, bob: Any) -> None:
    source = make_source(alice, name="@attacker")
    document = make_document(alice, publisher=source, title="=cmd|' /C calc'!A0")
    first = publish(make_claim(alice, document=document, claimant=source, text="=1+1",
                               quote="+SUM(A1:A9)"), author=alice, editor=bob)
    second = publish(make_claim(alice, text="-2 drones"), author=alice, editor=bob)
    link = services.link_propose(actor=alice, from_claim=first, to_claim=second, link_type="supports",
                                 rationale="=HYPERLINK(\"http://evil.example\",\"click\")")
    services.link_accept(link=link, actor=bob, version=link.version)
    row = _by_slug(_rows(client, "/claims.csv"))[first.slug]
    assert (row["text"], row["quote"], row["claimant"], row["document_title"]) == (
        "'=1+1", "'+SUM(A1:A9)", "'@attacker", "'=cmd|' /C calc'!A0")
    assert _by_slug(_rows(client, "/claims.csv"))[second.slug]["text"] == "'-2 drones"
    assert _rows(client, "/links.csv")[1][4] == "'=HYPERLINK(\"http://evil.example\",\"click\")"


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        b"".join(response.streaming_content)  # the rows are read as they are streamed
    return len(queries)


def test_the_query_count_does_not_grow_with_the_number_of_claims(client: Any, alice: Any, bob: Any) -> None:
    hub = publish(make_claim(alice, text="Hub"), author=alice, editor=bob)

    def add(n: int) -> None:
        other = publish(make_claim(alice, text=f"Spoke {n}"), author=alice, editor=bob)
        link = make_link(alice, other, hub, "supports")
        services.link_accept(link=link, actor=bob, version=link.version)

    for n in range(2):
        add(n)
    few = (_count(client, "/claims.csv"), _count(client, "/links.csv"))
    for n in range(2, 25):
        add(n)
    assert (_count(client, "/claims.csv"), _count(client, "/links.csv")) == few
    assert len(_rows(client, "/claims.csv")) == 1 + 26 and len(_rows(client, "/links.csv")) == 1 + 25
