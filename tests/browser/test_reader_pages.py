"""A reader on a desktop and on a phone: every public page type at 1280 and 390 px.

Screenshots go to test-artifacts/ (gitignored). On each page: nothing scrolls sideways, no
console error, and axe-core finds no serious or critical accessibility violation. On the claim
page the verdict is visible without scrolling; the archived copy opens at the quoted passage,
highlighted apart from the other marks, with a way back.
"""

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.reader_data import reader_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def _axe_violations(page: Page) -> list[str]:
    # Evaluated, not added as a <script>: the Content-Security-Policy refuses inline scripts.
    page.evaluate(AXE.read_text())
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['target']}" for v in results["violations"]
            if v["impact"] in {"serious", "critical"}]


@pytest.mark.parametrize("width", [1280, 390])
def test_every_public_page_reads_well_at_desktop_and_phone_width(page: Page, alice: Any, bob: Any, carol: Any,
                                                                 width: int) -> None:
    if not AXE.is_file():
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("axe-core is missing: run `make setup` (npm)", pytrace=False)
        pytest.skip("axe-core needs `make setup` (npm)")
    pages = reader_pages(alice, bob, carol)
    page.set_viewport_size({"width": width, "height": 900 if width > 600 else 800})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    ARTIFACTS.mkdir(exist_ok=True)
    problems = []
    for name, url in pages.items():
        response = page.goto(url)
        assert response is not None and response.status == 200, (name, url)
        page.screenshot(path=str(ARTIFACTS / f"reader-{name}-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append(f"{name}: scrolls {overflow}px sideways")
        problems += [f"{name}: {violation}" for violation in _axe_violations(page)]
    assert not problems, "\n".join(problems)
    assert not errors, errors

    # The verdict first: in words, visible without scrolling.
    page.goto(pages["corrected"])
    verdict = page.locator(".verdict-words")
    expect(verdict).to_have_text("Possibly true")
    box = verdict.bounding_box()
    assert box is not None and box["y"] + box["height"] <= page.viewport_size["height"]
    expect(page.locator(".notice", has_text="Only one source has seen the filings")).to_be_visible()

    # One click to the quote in the archive, centred in view and marked apart from the others.
    page.get_by_role("link", name="archived copy").click()
    current = page.locator("mark.current")
    expect(current).to_have_count(1)
    box = current.bounding_box()
    viewport = page.viewport_size["height"]
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= viewport, box
    colours = page.evaluate("""() => [...document.querySelectorAll('.snapshot-text mark')]
        .map(mark => getComputedStyle(mark).backgroundColor)""")
    current_colour = current.evaluate("mark => getComputedStyle(mark).backgroundColor")
    assert colours.count(current_colour) == 1 or len(colours) == 1
    page.screenshot(path=str(ARTIFACTS / f"reader-passage-{width}.png"))
    page.get_by_role("link", name="Back to the claim").click()
    expect(page.locator(".verdict-words")).to_be_visible()
