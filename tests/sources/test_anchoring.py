"""Annotations survive new versions of their document: W3C selectors in code points, and
re-anchoring by exact match, position and fuzzy match, or orphaning."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from sources import services
from sources.anchoring import find
from sources.models import Annotation
from tests.conftest import make_document


def _capture(actor: Any, document: Any, text: str, minutes: int) -> Any:
    snapshot, _ = services.snapshot_capture(
        document=document, actor=actor, content=text.encode(), content_type="text/plain", origin="test",
        captured_at=timezone.now() + datetime.timedelta(minutes=minutes))
    return snapshot


def _annotate(actor: Any, snapshot: Any, passage: str) -> Annotation:
    start = snapshot.text.index(passage)
    return services.annotation_create(snapshot=snapshot, actor=actor, start=start, end=start + len(passage),
                                      motivation="commenting", body="Check this")


@pytest.mark.parametrize("text,passage,start", [
    ("Привет, мир! Россия закупила дроны.", "Россия закупила", 13),
    ("王定华持有5%的股份。然后", "王定华持有5%", 0),
    ("Drones 🚀🚀 and 👩‍👩‍👧 families: the stake was 5%.", "the stake was 5%", 30),
])
def test_selectors_count_code_points(alice: Any, text: str, passage: str, start: int) -> None:
    snapshot = _capture(alice, make_document(alice), text, 0)
    annotation = _annotate(alice, snapshot, passage)
    assert (annotation.start, annotation.end) == (start, start + len(passage))
    assert snapshot.text[annotation.start:annotation.end] == passage == annotation.exact
    assert annotation.prefix == text[:start][-32:]
    assert annotation.suffix == text[start + len(passage):][:32]


def test_text_inserted_before_the_passage_moves_it(alice: Any) -> None:
    document = make_document(alice)
    first = _capture(alice, document, "Rustakt makes the VT-40. Wang holds 5% of Rustakt.", 0)
    annotation = _annotate(alice, first, "Wang holds 5% of Rustakt.")
    second = _capture(alice, document, "UPDATE: records deleted. Rustakt makes the VT-40. Wang holds 5% of Rustakt.",
                      5)
    annotation.refresh_from_db()
    assert annotation.snapshot_id == second.pk
    assert second.text[annotation.start:annotation.end] == "Wang holds 5% of Rustakt."
    assert (annotation.anchoring, annotation.anchoring_method) == ("anchored", "exact")
    assert annotation.history.latest().history_change_reason.startswith(
        f"Re-anchoring to snapshot {second.pk}: exact match (100%) from snapshot {first.pk}")


def test_an_edit_inside_the_passage_is_found_approximately(alice: Any) -> None:
    document = make_document(alice)
    first = _capture(alice, document, "Intro. Minghuaxin shipped $304 million worth of drone parts to Rustakt. End.", 0)
    annotation = _annotate(alice, first, "Minghuaxin shipped $304 million worth of drone parts to Rustakt.")
    second = _capture(alice, document, "Intro. Minghuaxin shipped $305 million worth of drone parts to Rustakt. End.",
                      5)
    annotation.refresh_from_db()
    assert (annotation.snapshot_id, annotation.anchoring, annotation.anchoring_method) == (second.pk, "anchored",
                                                                                            "fuzzy")
    assert annotation.exact == "Minghuaxin shipped $305 million worth of drone parts to Rustakt."


def test_a_deleted_passage_is_orphaned_with_its_old_quote(alice: Any) -> None:
    document = make_document(alice)
    first = _capture(alice, document, "Rustakt was 95% owned by Pavel Nikitin. Other news.", 0)
    annotation = _annotate(alice, first, "Rustakt was 95% owned by Pavel Nikitin.")
    _capture(alice, document, "Other news. Shareholder data unavailable.", 5)
    annotation.refresh_from_db()
    assert (annotation.anchoring, annotation.anchoring_method) == ("orphaned", "not_found")
    assert annotation.snapshot_id == first.pk and annotation.exact == "Rustakt was 95% owned by Pavel Nikitin."
    assert "orphaned" in annotation.history.latest().history_change_reason


def test_a_repeated_quote_is_placed_by_its_surroundings(alice: Any) -> None:
    text = "Alpha says 5%. Beta says 5%. Gamma says 5%."
    assert find(text, exact="5%", prefix="Beta says ", suffix=". Gamma", old_start=0).start == 25
    moved = "Zero. " + text
    assert find(moved, exact="5%", prefix="Beta says ", suffix=". Gamma", old_start=25).start == 31


def test_an_older_capture_does_not_move_annotations(alice: Any) -> None:
    document = make_document(alice)
    newer = _capture(alice, document, "The stake was 5%.", 10)
    annotation = _annotate(alice, newer, "The stake was 5%.")
    _capture(alice, document, "An archive copy: the stake was 5%.", -10)
    annotation.refresh_from_db()
    assert annotation.snapshot_id == newer.pk


def test_an_orphan_is_anchored_again_by_hand(alice: Any) -> None:
    document = make_document(alice)
    first = _capture(alice, document, "Rustakt was 95% owned by Pavel Nikitin.", 0)
    annotation = _annotate(alice, first, "Rustakt was 95% owned by Pavel Nikitin.")
    second = _capture(alice, document, "Records show Pavel Nikitin owns nearly all of it.", 5)
    annotation.refresh_from_db()
    annotation = services.annotation_reattach(annotation=annotation, actor=alice, version=annotation.version,
                                              snapshot=second, start=13, end=26, reason="Rephrased")
    assert (annotation.exact, annotation.anchoring, annotation.anchoring_method) == ("Pavel Nikitin", "anchored",
                                                                                     "selected")
