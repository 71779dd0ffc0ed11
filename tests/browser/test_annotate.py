"""From a document's desk page to a submitted claim: archive a copy, annotate it, make a claim.

A fact-checker uploads a saved HTML page on the document's desk page, selects a passage with
the mouse and another with the keyboard, writes notes in the panel that opens next to each
selection, and makes a claim from one; the claim, submitted, is anchored in the uploaded copy.
On a 390 px screen the panel is a bottom sheet below the selection. Screenshots go to
test-artifacts/; axe-core checks the desk pages. Without JavaScript the same pages still work.
"""

import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from claims.models import Claim
from sources import services
from sources.models import Annotation, Snapshot
from tests.browser.conftest import TIMEOUT_MS, sign_in
from tests.conftest import make_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

PAGE = ("<html><head><title>Example</title><script>var tracking = 1;</script></head><body>"
        "<nav>Home · About</nav><article><h1>An example report on Example Ltd</h1>"
        "<p>Records deleted. Example Corp bought a 5% stake in Example Ltd, the maker of the EX-1.</p>"
        + "".join(f"<p>Paragraph {n} of filler about nothing in particular, long enough to wrap on a phone "
                  "and to make the page scroll.</p>" for n in range(1, 25))
        + "<p>The registry later listed Example Holdings as the owner of the remaining 95%.</p>"
        "</article></body></html>")
TEXT_PASSAGE = "Example Corp bought a 5% stake in Example Ltd"  # selected with the keyboard
MOUSE_PASSAGE = "Example Holdings as the owner of the remaining 95%"  # selected with the mouse


def _rects(page: Page, passage: str) -> dict[str, float]:
    """Where the passage is drawn: its first and last line boxes, in viewport coordinates."""
    return page.evaluate("""(passage) => {
        const root = document.getElementById('snapshot-text');
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode()) && node.data.indexOf(passage) === -1) {}
        const start = node.data.indexOf(passage);
        const range = document.createRange();
        range.setStart(node, start);
        range.setEnd(node, start + passage.length);
        const rects = range.getClientRects();
        const first = rects[0], last = rects[rects.length - 1];
        return {x1: first.left + 1, y1: first.top + first.height / 2, x2: last.right - 1,
                y2: last.top + last.height / 2, top: first.top, bottom: last.bottom, left: first.left};
    }""", passage)


def _select_with_mouse(page: Page, passage: str) -> dict[str, float]:
    """Drag the mouse across the passage, as a person would; where it was selected."""
    box = _rects(page, passage)
    page.evaluate("(top) => window.scrollBy(0, top - window.innerHeight / 3)", box["top"])
    # Where it is once the page has settled (a scroll can land a frame later).
    box, previous = _rects(page, passage), None
    while box != previous:
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        box, previous = _rects(page, passage), box
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=8)
    page.mouse.up()
    return _rects(page, passage)


def _select_with_keyboard(page: Page, passage: str) -> None:
    """Tab into the text, move the caret to the passage with arrows, select it with Shift+arrows."""
    text = page.locator("#snapshot-text")
    text.focus()
    expect(text).to_be_focused()
    before = page.evaluate("() => document.getElementById('snapshot-text').textContent")
    for _ in range(len(before[:before.index(passage)])):
        page.keyboard.press("ArrowRight")
    for _ in range(len(passage)):
        page.keyboard.press("Shift+ArrowRight")


def _near(panel: dict[str, float], selection: dict[str, float]) -> bool:
    """The panel touches the selection's lines: just below the last or just above the first."""
    below = 0 <= panel["y"] - selection["bottom"] <= 24
    above = 0 <= selection["top"] - (panel["y"] + panel["height"]) <= 24
    return (below or above) and abs(panel["x"] - selection["left"]) <= max(selection["left"], 40)


def _axe_violations(page: Page) -> list[str]:
    page.evaluate(AXE.read_text())  # evaluated, not a <script>: the Content-Security-Policy refuses inline ones
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['target']}" for v in results["violations"]
            if v["impact"] in {"serious", "critical"}]


def _need_axe() -> None:
    if not AXE.is_file():
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("axe-core is missing: run `make setup` (npm)", pytrace=False)
        pytest.skip("axe-core needs `make setup` (npm)")


def test_from_an_uploaded_page_to_a_submitted_claim(page: Page, alice: Any) -> None:
    _need_axe()
    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    document = make_document(alice, title="An example report", url="https://example.org/report")
    sign_in(page, "alice")

    # The desk leads to the document, which has no copy yet.
    page.goto("/desk/")
    page.get_by_role("link", name="Documents").click()
    page.get_by_role("link", name="An example report").click()
    expect(page.get_by_text("No archived copy yet")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "desk-document-1280.png"), full_page=True)
    assert _axe_violations(page) == []

    page.get_by_label("File").set_input_files({"name": "report.html", "mimeType": "text/html",
                                               "buffer": PAGE.encode()})
    page.get_by_role("button", name="Upload and archive").click()
    expect(page).to_have_url(re.compile(r"/desk/snapshots/\d+/annotate/$"))
    expect(page.get_by_text("Archived:")).to_be_visible()
    snapshot = Snapshot.objects.get()
    assert snapshot.document_id == document.pk and snapshot.origin == "report.html"
    panel = page.locator("#annotation-form")
    expect(panel).to_be_hidden()  # until something is selected

    # The mouse: the panel opens next to the selection.
    selection = _select_with_mouse(page, MOUSE_PASSAGE)
    expect(panel).to_be_visible()
    expect(page.get_by_label("Passage", exact=True)).to_have_value(MOUSE_PASSAGE)
    box = panel.bounding_box()
    assert box is not None and _near(box, selection), (box, selection)
    page.screenshot(path=str(ARTIFACTS / "annotate-panel-1280.png"))
    assert _axe_violations(page) == []
    panel.get_by_label("Motivation").select_option("questioning")
    panel.get_by_label("Note", exact=True).fill("Which registry, and when?")
    panel.get_by_role("button", name="Save the note").click()
    expect(page.get_by_text(f"Saved: “{MOUSE_PASSAGE}”.")).to_be_visible()
    first = Annotation.objects.get()
    start = snapshot.text.index(MOUSE_PASSAGE)
    assert (first.start, first.end, first.exact, first.motivation) == (start, start + len(MOUSE_PASSAGE),
                                                                       MOUSE_PASSAGE, "questioning")
    expect(page.locator(f"mark#note-{first.pk}")).to_be_in_viewport()  # back at the passage

    # The side list scrolls the text to a note.
    page.evaluate("window.scrollTo(0, 0)")
    page.locator(".notes-list").get_by_role("link", name=re.compile("Example Holdings")).click()
    expect(page.locator(f"mark#note-{first.pk}")).to_be_in_viewport()
    expect(page.locator(f"mark#note-{first.pk}")).to_have_class(re.compile("current"))

    # The keyboard: arrows to the passage, Shift+arrows to select it, Enter to annotate.
    _select_with_keyboard(page, TEXT_PASSAGE)
    expect(page.locator("#selection-status")).to_contain_text(f"Selected {len(TEXT_PASSAGE)} characters")
    page.keyboard.press("Enter")
    expect(panel).to_be_visible()
    expect(panel.get_by_label("Motivation")).to_be_focused()
    expect(page.get_by_label("Passage", exact=True)).to_have_value(TEXT_PASSAGE)
    box = panel.bounding_box()
    selection = _rects(page, TEXT_PASSAGE)
    assert box is not None and _near(box, selection), (box, selection)
    panel.get_by_label("Motivation").select_option("assessing")
    page.keyboard.press("Tab")
    expect(panel.get_by_label("Note", exact=True)).to_be_focused()
    page.keyboard.type("The figure in the filing.")
    panel.get_by_role("button", name="Make a claim from this").click()

    # The claim form, filled from the passage, with a note (not an error) saying so.
    # (The browser keeps the fragment of the page it came from across the redirect.)
    expect(page).to_have_url(re.compile(r"/desk/claims/new/\?annotation=\d+(#note-\d+)?$"))
    expect(page.get_by_role("note")).to_contain_text("From the passage you selected")
    expect(page.get_by_label("Quote", exact=True)).to_have_value(TEXT_PASSAGE)
    page.get_by_label("Text").fill("Example Corp bought a 5% stake in Example Ltd.")
    page.get_by_label("Credibility rationale").fill("One filing, read in the archived copy.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Done: the claim is now in review.")).to_be_visible()

    claim = Claim.objects.select_related("annotation").get()
    start = snapshot.text.index(TEXT_PASSAGE)
    assert claim.status == "in_review"
    assert (claim.annotation.snapshot_id, claim.annotation.start, claim.annotation.end) == (
        snapshot.pk, start, start + len(TEXT_PASSAGE))
    assert claim.quote == claim.annotation.exact == TEXT_PASSAGE
    assert claim.annotation.motivation == "assessing" and claim.annotation.body == "The figure in the filing."
    assert not errors, errors


def test_on_a_phone_the_panel_is_a_sheet_below_the_selection(page: Page, alice: Any) -> None:
    _need_axe()
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 800})
    document = make_document(alice, title="An example report")
    snapshot, _ = services.snapshot_capture(document=document, actor=alice, content=PAGE.encode(),
                                            content_type="text/html", origin="report.html")
    sign_in(page, "alice")
    page.goto(f"/desk/documents/{document.pk}/")
    page.screenshot(path=str(ARTIFACTS / "desk-document-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert _axe_violations(page) == []
    page.get_by_role("link", name=re.compile("Annotate the copy")).click()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

    _select_with_mouse(page, MOUSE_PASSAGE)
    panel = page.locator("#annotation-form")
    expect(panel).to_be_visible()
    box = panel.bounding_box()
    assert box is not None and box["x"] == 0 and box["width"] == 390
    assert box["y"] + box["height"] == pytest.approx(800, abs=1)  # a sheet at the bottom of the screen
    # Still in sight: the page scrolls it above the sheet (give a loaded machine time to scroll).
    for _ in range(50):
        selection = _rects(page, MOUSE_PASSAGE)
        if selection["top"] >= 0 and selection["bottom"] <= box["y"]:
            break
        page.wait_for_timeout(100)
    assert selection["top"] >= 0 and selection["bottom"] <= box["y"], (selection, box)
    page.screenshot(path=str(ARTIFACTS / "annotate-panel-390.png"))
    assert _axe_violations(page) == []
    panel.get_by_label("Note", exact=True).fill("Which registry?")
    panel.get_by_role("button", name="Save the note").click()
    expect(page.get_by_text(f"Saved: “{MOUSE_PASSAGE}”.")).to_be_visible()
    annotation = Annotation.objects.get()
    assert (annotation.snapshot_id, annotation.exact) == (snapshot.pk, MOUSE_PASSAGE)
    page.screenshot(path=str(ARTIFACTS / "annotate-saved-390.png"), full_page=True)


@pytest.fixture
def page_server(settings: Any, loopback_server: Any) -> str:
    settings.SNAPSHOT_CAPTURE_ALLOW_PRIVATE = True  # the live server reads the same settings
    return loopback_server({"/report": (200, "text/html; charset=utf-8", PAGE.encode())})


def test_a_capture_shows_it_is_running_and_a_refusal_in_words(page: Page, alice: Any, page_server: str) -> None:
    document = make_document(alice, title="An example report", url=f"{page_server}/report")
    sign_in(page, "alice")
    page.goto(f"/desk/documents/{document.pk}/")
    expect(page.get_by_label("Address")).to_have_value(f"{page_server}/report")

    # The pending state, seen by keeping this one submission on the page (Playwright cannot read
    # a page whose navigation is under way).
    page.evaluate("""() => document.querySelector('form[data-pending]')
        .addEventListener('submit', (event) => event.preventDefault())""")
    button = page.get_by_role("button", name="Capture from the web")
    button.click()
    expect(page.get_by_role("status").filter(has_text="Fetching the page")).to_be_visible()
    expect(button).to_have_attribute("aria-disabled", "true")
    expect(page.locator("form[data-pending]").first).to_have_attribute("aria-busy", "true")

    page.reload()
    page.get_by_role("button", name="Capture from the web").click()
    expect(page).to_have_url(re.compile(r"/desk/snapshots/\d+/annotate/$"))
    assert Snapshot.objects.get().origin == f"{page_server}/report"

    page.goto(f"/desk/documents/{document.pk}/")
    page.get_by_label("File").set_input_files({"name": "picture.png", "mimeType": "image/png",
                                               "buffer": b"\x89PNG...."})
    page.get_by_role("button", name="Upload and archive").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was archived.")
    expect(page.get_by_role("alert")).to_contain_text("image/png")
    assert Snapshot.objects.count() == 1


def test_without_javascript_a_file_is_archived_and_a_typed_passage_annotated(browser: Browser, live_server: Any,
                                                                               alice: Any) -> None:
    document = make_document(alice, title="An example report")
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        sign_in(page, "alice")
        page.goto(f"/desk/documents/{document.pk}/")
        page.get_by_label("File").set_input_files({"name": "report.html", "mimeType": "text/html",
                                                   "buffer": PAGE.encode()})
        page.get_by_role("button", name="Upload and archive").click()
        expect(page).to_have_url(re.compile(r"/desk/snapshots/\d+/annotate/$"))
        page.get_by_label("Passage", exact=True).fill(TEXT_PASSAGE)
        page.get_by_label("Note", exact=True).fill("Typed, not selected.")
        page.get_by_role("button", name="Save the note").click()
        expect(page.get_by_text(f"Saved: “{TEXT_PASSAGE}”.")).to_be_visible()
        assert Annotation.objects.get().exact == TEXT_PASSAGE
    finally:
        context.close()
