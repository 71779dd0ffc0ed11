"""The whole editorial path through the pages, in a real browser."""

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from claims.models import Claim, ClaimLink
from tests.browser.conftest import sign_in
from tests.conftest import make_claim, make_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_draft_submit_changes_requested_fix_resubmit_publish(page: Page, alice: Any, bob: Any) -> None:
    document = make_document(alice)

    # The fact-checker drafts a claim and submits it.
    sign_in(page, "alice")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="New claim").click()
    page.get_by_label("Text").fill("Rustakt manufactures the VT-40 FPV drone.")
    page.get_by_label("Quote", exact=True).fill("Rustakt manufactures the VT-40")
    page.get_by_label("Claimant").select_option(label=document.publisher.name)
    page.get_by_label("Document").select_option(label=document.title)
    page.get_by_label("Asserted on").fill("2025-11-29")
    page.get_by_label(re.compile(r"^Credibility(?! rationale)")).select_option(label="Probably true")
    page.get_by_label("Credibility rationale").fill("The FT cites company filings.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Done: the claim is now in review.")).to_be_visible()
    _sign_out(page)

    # The editor asks for changes.
    sign_in(page, "bob")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Review queue").click()
    expect(page.get_by_role("link", name="Rustakt manufactures the VT-40 FPV drone.")).to_be_visible()
    page.get_by_label("What should change").fill("Say which filings, and when.")
    page.get_by_role("button", name="Request changes").click()
    expect(page.get_by_text("changes requested")).to_be_visible()
    _sign_out(page)

    # The fact-checker reads the comment, fixes the claim and resubmits.
    sign_in(page, "alice")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My work").click()
    expect(page.get_by_text("Say which filings, and when.")).to_be_visible()
    page.get_by_role("link", name="Rustakt manufactures the VT-40 FPV drone.").click()
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Credibility rationale").fill("Rustakt's 2025 filings, seen by the FT before their deletion.")
    page.get_by_label("Reason").fill("Named the filings")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Submit for review").click()
    _sign_out(page)

    # Another editor publishes; the public reads it.
    sign_in(page, "bob")
    page.goto("/desk/review/")
    expect(page.get_by_text("New claim, never published")).to_be_visible()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Nothing was done: Not published: Its quote is not anchored")).to_be_visible()  # refused
    page.get_by_label(re.compile("No archived copy")).fill("The FT's filings are not public; no copy to archive.")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Done: the claim is now published.")).to_be_visible()
    _sign_out(page)

    claim = Claim.objects.get(text="Rustakt manufactures the VT-40 FPV drone.")
    assert (claim.status, claim.last_changed_by, claim.submitted_by) == ("published", alice, alice)
    page.goto(claim.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Rustakt manufactures the VT-40 FPV drone.")
    expect(page.get_by_text("seen by the FT before their deletion")).to_be_visible()
    expect(page.get_by_text("no copy to archive")).to_be_visible()


def test_a_link_from_proposal_to_acceptance(page: Page, alice: Any, bob: Any) -> None:
    first = make_claim(alice, text="Minghuaxin shipped $304 million to Rustakt.")
    make_claim(alice, text="The documented transfers total $411 million.")

    sign_in(page, "alice")
    page.goto(f"/desk/claims/{first.slug}/")
    page.get_by_role("link", name="Propose a link").click()
    page.get_by_label("Find the other claim by its text").fill("411")
    page.get_by_role("button", name="Find").click()
    page.get_by_label("The documented transfers total $411 million.").check()
    page.get_by_label("This claim…").select_option(label="Supports")
    page.get_by_label("Why").fill("$304M is one of the two parts of the total.")
    page.get_by_role("button", name="Propose the link").click()
    expect(page.get_by_text("Link proposed; an editor will review it.")).to_be_visible()
    _sign_out(page)

    sign_in(page, "bob")
    page.goto("/desk/review/")
    expect(page.get_by_text("$304M is one of the two parts of the total.")).to_be_visible()
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Link accepted.")).to_be_visible()
    assert ClaimLink.objects.get().status == "accepted"


def test_the_desk_works_from_the_keyboard(page: Page, alice: Any) -> None:
    """The skip link comes first and leads to the content."""
    sign_in(page, "alice")
    page.goto("/desk/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
