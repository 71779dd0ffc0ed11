"""A fact-checker selects a passage with the mouse, saves a note, and makes a claim from it."""

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from claims.models import Claim
from sources import services
from sources.models import Annotation
from tests.browser.conftest import sign_in
from tests.conftest import make_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TEXT = "Записи удалены. Wang 王定华 acquired 🚀 a 5% equity stake in Rustakt, the VT-40 maker."


def _select(page: Page, passage: str) -> None:
    """Drag the mouse across the passage, as a person would."""
    box = page.evaluate("""(passage) => {
        const root = document.getElementById('snapshot-text');
        const node = root.firstChild;
        const start = node.textContent.indexOf(passage);
        const range = document.createRange();
        range.setStart(node, start);
        range.setEnd(node, start + passage.length);
        const rects = range.getClientRects();
        const first = rects[0], last = rects[rects.length - 1];
        return {x1: first.left + 1, y1: first.top + first.height / 2,
                x2: last.right - 1, y2: last.top + last.height / 2};
    }""", passage)
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=8)
    page.mouse.up()


def test_select_a_passage_save_a_note_and_make_a_claim(page: Page, alice: Any) -> None:
    document = make_document(alice)
    snapshot, _ = services.snapshot_capture(document=document, actor=alice, content=TEXT.encode(),
                                            content_type="text/plain", origin="test")
    sign_in(page, "alice")
    page.goto(f"/desk/snapshots/{snapshot.pk}/annotate/")
    passage = "a 5% equity stake in Rustakt"
    _select(page, passage)
    expect(page.get_by_label("Passage", exact=True)).to_have_value(passage)
    expect(page.locator("#selection-status")).to_contain_text(f"at {TEXT.index(passage)}")  # code points
    page.get_by_label("Motivation").select_option("assessing")
    page.get_by_label("Note", exact=True).fill("The FT's figure; records since deleted.")
    page.get_by_label("Make a claim from this passage").check()
    page.get_by_role("button", name="Save the note").click()

    expect(page).to_have_url(re.compile(r"/desk/claims/new/\?annotation=\d+$"))
    expect(page.get_by_label("Quote", exact=True)).to_have_value(passage)
    annotation = Annotation.objects.get()
    assert (annotation.start, annotation.end, annotation.exact) == (TEXT.index(passage),
                                                                    TEXT.index(passage) + len(passage), passage)
    page.get_by_label("Text").fill("Wang Dinghua acquired a 5% stake in Rustakt.")
    page.get_by_label("Credibility rationale").fill("Company filings seen by the FT.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    claim = Claim.objects.get()
    assert (claim.annotation_id, claim.quote, claim.document_id) == (annotation.pk, passage, document.pk)
