"""Database invariants of sources, documents, snapshots and annotations."""

import datetime
import hashlib
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sources import services
from sources.models import Annotation, Document, ImmutableSnapshotError, Snapshot, Source
from tests.conftest import make_document, make_snapshot, make_source


def test_reliability_outside_a_to_f_is_refused_by_the_database(alice: Any) -> None:
    with pytest.raises(IntegrityError, match="source_reliability_a_to_f"), transaction.atomic():
        Source.objects.create(name="X", slug="x", reliability="G", reliability_rationale="r")


def test_reliability_outside_a_to_f_is_a_validation_error_with_a_message(alice: Any) -> None:
    source = Source(name="X", slug="x", reliability="G", reliability_rationale="r")
    with pytest.raises(ValidationError) as error:
        source.full_clean()
    assert "reliability" in error.value.message_dict


def test_slugs_are_unique(alice: Any) -> None:
    make_source(alice, slug="ft")
    with pytest.raises(ValidationError, match="Slug already exists"):
        make_source(alice, slug="ft")


def test_a_source_cannot_be_its_own_affiliation(alice: Any) -> None:
    source = make_source(alice)
    source.affiliation = source
    with pytest.raises(IntegrityError, match="source_not_affiliated_with_itself"), transaction.atomic():
        source.save()


def test_date_precision_must_be_known(alice: Any) -> None:
    document = make_document(alice)
    with pytest.raises(IntegrityError, match="document_precision_valid"), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(published_precision="week")


def test_a_month_precise_date_is_stored_as_the_first(alice: Any) -> None:
    with pytest.raises(ValidationError, match="known only to the month is stored as the 1st"):
        make_document(alice, published_on=datetime.date(2025, 10, 15), published_precision="month")
    document = make_document(alice, published_on=datetime.date(2025, 10, 1), published_precision="month")
    assert document.published_display == "October 2025"


@pytest.mark.parametrize("precision", ["day", "month", "year"])
def test_only_an_unknown_date_may_be_empty(alice: Any, precision: str) -> None:
    with pytest.raises(ValidationError, match="Give the date"):
        make_document(alice, published_on=None, published_precision=precision)


def test_a_document_given_neither_date_nor_precision_is_undated(alice: Any) -> None:
    document = services.document_create(actor=alice, title="Report", publisher=make_source(alice))
    assert (document.published_precision, document.published_display) == ("unknown", "undated")


def test_the_database_refuses_a_precision_without_a_date(alice: Any) -> None:
    document = make_document(alice)
    with pytest.raises(IntegrityError, match="document_date_given_unless_unknown"), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(published_on=None)


def test_snapshot_computes_the_sha256_of_its_bytes(alice: Any) -> None:
    snapshot = make_snapshot(alice, make_document(alice), text="Привет, 世界 🌍")
    assert snapshot.sha256 == hashlib.sha256("Привет, 世界 🌍".encode()).hexdigest()
    snapshot.refresh_from_db()
    assert bytes(snapshot.content).decode() == "Привет, 世界 🌍"


def test_snapshot_ignores_a_hash_given_by_the_caller(alice: Any) -> None:
    document = make_document(alice)
    snapshot = Snapshot(document=document, captured_at=datetime.datetime.now(datetime.UTC), origin="x",
                        content=b"abc", text="abc", sha256="0" * 64)
    snapshot.save()
    assert snapshot.sha256 == hashlib.sha256(b"abc").hexdigest()


def test_snapshot_refuses_any_update(alice: Any) -> None:
    snapshot = make_snapshot(alice, make_document(alice))
    snapshot.text = "rewritten"
    with pytest.raises(ImmutableSnapshotError, match="cannot be changed"):
        snapshot.save()
    with pytest.raises(ImmutableSnapshotError):
        Snapshot.objects.filter(pk=snapshot.pk).update(text="rewritten")
    snapshot.refresh_from_db()
    assert snapshot.text != "rewritten"


def test_snapshot_refuses_any_delete(alice: Any) -> None:
    snapshot = make_snapshot(alice, make_document(alice))
    with pytest.raises(ImmutableSnapshotError, match="cannot be deleted"):
        snapshot.delete()
    with pytest.raises(ImmutableSnapshotError):
        Snapshot.objects.filter(pk=snapshot.pk).delete()
    assert Snapshot.objects.filter(pk=snapshot.pk).exists()


def test_a_document_with_snapshots_cannot_be_deleted(alice: Any) -> None:
    from django.db.models import ProtectedError

    document = make_document(alice)
    make_snapshot(alice, document)
    with pytest.raises(ProtectedError):
        document.delete()


def test_the_same_bytes_twice_are_one_snapshot(alice: Any) -> None:
    document = make_document(alice)
    first = make_snapshot(alice, document, text="same")
    second = make_snapshot(alice, document, text="same")
    assert first.pk == second.pk
    assert document.snapshots.count() == 1
    with pytest.raises(IntegrityError, match="snapshot"), transaction.atomic():
        Snapshot(document=document, captured_at=first.captured_at, origin="x", content=b"same", text="same").save()


def test_annotation_end_must_follow_start(alice: Any) -> None:
    snapshot = make_snapshot(alice, make_document(alice))
    with pytest.raises(IntegrityError, match="annotation_end_after_start"), transaction.atomic():
        Annotation.objects.create(snapshot=snapshot, exact="", start=5, end=5)


def test_annotation_positions_must_span_the_quote(alice: Any) -> None:
    snapshot = make_snapshot(alice, make_document(alice))
    annotation = Annotation(snapshot=snapshot, exact="Wang", start=0, end=9)
    with pytest.raises(ValidationError, match="span exactly the quoted passage"):
        annotation.full_clean()
