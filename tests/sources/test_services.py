"""Writes to sources and documents: reasons, permissions, and publication."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sources import services
from sources.models import Document
from tests.conftest import make_claim, make_source, publish


def test_an_edit_needs_a_reason(alice: Any) -> None:
    source = make_source(alice)
    with pytest.raises(ValidationError, match="what you changed"):
        services.source_update(source=source, actor=alice, version=source.version, changes={"reliability": "E"},
                               reason=" ")
    source.refresh_from_db()
    assert source.reliability == "B"


def test_once_public_only_editors_change_a_source(alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    source = claim.claimant
    source.refresh_from_db()
    with pytest.raises(PermissionDenied, match="only editors"):
        services.source_update(source=source, actor=alice, version=source.version, changes={"reliability": "E"},
                               reason="Downgrade")
    source = services.source_update(source=source, actor=bob, version=source.version,
                                    changes={"reliability": "C"}, reason="New evidence of errors")
    assert source.reliability == "C"


def test_publishing_marks_each_cited_object_public_once(alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    source = claim.claimant  # claimant and the document's publisher: the same row
    made_public = source.history.filter(history_change_reason__startswith="Made public")
    assert made_public.count() == 1


def test_an_unpublished_affiliation_is_not_named_on_a_public_source_page(client: Any, alice: Any, bob: Any) -> None:
    group = make_source(alice, name="Secret Group")
    person = make_source(alice, name="Analyst", affiliation=group)
    claim = publish(make_claim(alice, claimant=person), author=alice, editor=bob)
    page = client.get(claim.claimant.get_absolute_url()).content.decode()
    assert "Analyst" in page and "Secret Group" not in page
    client.force_login(alice)
    assert "Secret Group" in client.get(f"/desk/sources/{person.slug}/edit/").content.decode()


def test_the_desk_creates_and_edits_a_source(client: Any, alice: Any) -> None:
    client.force_login(alice)
    response = client.post("/desk/sources/new/", {"name": "Sayari", "kind": "research_firm", "reliability": "B",
                                                  "reliability_rationale": "Corporate records analytics."})
    assert response.status_code == 302
    from sources.models import Source

    source = Source.objects.get(slug="sayari")
    assert "History" in client.get(source.get_absolute_url()).content.decode()
    response = client.post(f"/desk/sources/{source.slug}/edit/", {
        "name": "Sayari", "kind": "research_firm", "reliability": "Z", "reliability_rationale": "x",
        "seen_version": source.version, "reason": "Regrade"})
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    response = client.post(f"/desk/sources/{source.slug}/edit/", {
        "name": "Sayari", "kind": "research_firm", "reliability": "C", "reliability_rationale": "Commercial.",
        "seen_version": source.version, "reason": "Regrade"})
    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.reliability, source.version) == ("C", 2)


def test_the_desk_creates_a_document_with_a_partial_date(client: Any, alice: Any) -> None:
    publisher = make_source(alice, name="Sayari")
    client.force_login(alice)
    form = {"title": "Report", "publisher": publisher.pk, "language": "en", "published_on": "2025-10-15",
            "published_precision": "month"}
    response = client.post("/desk/documents/new/", form)
    assert response.status_code == 400
    assert "stored as the 1st" in response.content.decode()
    response = client.post("/desk/documents/new/", {**form, "published_on": "2025-10-01"})
    assert response.status_code == 302


def test_the_desk_refuses_a_day_month_or_year_with_no_date(client: Any, alice: Any) -> None:
    publisher = make_source(alice, name="Sayari")
    client.force_login(alice)
    form = {"title": "Report", "publisher": publisher.pk, "language": "en", "published_on": "",
            "published_precision": "day"}
    response = client.post("/desk/documents/new/", form)
    assert response.status_code == 400
    assert "Give the date, known to the day, or choose “Not given”" in response.content.decode()
    assert not Document.objects.exists()
    assert client.post("/desk/documents/new/", {**form, "published_precision": "unknown"}).status_code == 302
    assert Document.objects.get().published_precision == "unknown"
