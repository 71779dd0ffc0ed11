"""A reader in a real browser: home, search, a claim, its evidence, the evidence map."""

import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from claims import services
from tests.conftest import make_claim, make_link, publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"  # gitignored
SUPPORTS_GREEN = (0x2D, 0x7A, 0x3E)
CONTRADICTS_RED = (0xB3, 0x26, 0x1E)


def _has_colour(image: Image.Image, colour: tuple[int, int, int], tolerance: int = 12) -> bool:
    rgb = image.convert("RGB")
    return any(all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))
               for pixel in rgb.get_flattened_data())


def test_a_reader_searches_opens_a_claim_and_follows_the_evidence(page: Page, alice: Any, bob: Any) -> None:
    total = publish(make_claim(alice, text="Documented transfers total $411 million"), author=alice, editor=bob)
    part = publish(make_claim(alice, text="Minghuaxin shipped $304 million to Rustakt"), author=alice, editor=bob)
    denial = publish(make_claim(alice, text="Beijing denies supplying lethal weapons", credibility=4),
                     author=alice, editor=bob)
    for other, link_type in [(part, "supports"), (denial, "contradicts")]:
        link = make_link(alice, other, total, link_type)
        services.link_accept(link=link, actor=bob, version=link.version)

    page.goto("/")
    expect(page.get_by_role("heading", name="Latest fact-checks")).to_be_visible()
    page.get_by_label("Search the fact-checks").fill("transfers")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 result for “transfers”")).to_be_visible()
    page.get_by_role("link", name="Documented transfers total $411 million").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Documented transfers total $411 million")

    evidence_map = page.locator("figure.evidence-map")
    expect(evidence_map).to_be_visible()
    expect(evidence_map.locator("desc")).to_contain_text(
        "supported by: Minghuaxin shipped $304 million to Rustakt (B2)")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "evidence-map.png"
    evidence_map.screenshot(path=str(shot))
    image = Image.open(shot)
    assert image.width > 300 and image.height > 100
    assert _has_colour(image, SUPPORTS_GREEN), "no 'supports' line in the evidence map"
    assert _has_colour(image, CONTRADICTS_RED), "no 'contradicts' line in the evidence map"

    page.get_by_role("main").get_by_role("link", name="Minghuaxin shipped $304 million to Rustakt").first.click()
    expect(page).to_have_url(re.compile(re.escape(part.get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", name="This claim supports")).to_be_visible()


def test_the_claim_page_reads_on_a_phone(page: Page, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(claim.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # Nothing wider than the screen: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
