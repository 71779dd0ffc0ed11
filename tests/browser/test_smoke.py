"""Smoke tests in a real browser: the public finds a published claim, a fact-checker signs in."""

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.conftest import make_claim, publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"  # gitignored


def test_reader_finds_a_published_claim_and_opens_its_page(page: Page, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)

    page.goto("/")
    link = page.get_by_role("link", name=claim.text)
    expect(link).to_be_visible()
    link.click()

    expect(page).to_have_url(re.compile(re.escape(claim.get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(claim.text)
    # The builders' source is reliability B and the claim credibility 2: the verdict in words, the code beside.
    expect(page.locator(".verdict-words")).to_have_text("Probably true")
    expect(page.get_by_role("link", name="Grade B2")).to_be_visible()

    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "claim-page.png"
    screenshot.unlink(missing_ok=True)
    page.screenshot(path=screenshot, full_page=True)
    assert screenshot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert screenshot.stat().st_size > 1000


def test_fact_checker_signs_in_through_the_login_form(page: Page, alice: Any) -> None:
    page.goto("/")
    account = page.get_by_role("navigation", name="Account")
    expect(account).not_to_contain_text("alice")

    sign_in(page, alice.username)

    expect(page).to_have_url(re.compile(r"/$"))  # LOGIN_REDIRECT_URL
    expect(account).to_contain_text("alice")
