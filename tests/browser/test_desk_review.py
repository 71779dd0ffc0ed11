"""Editors decide from the review queue, in a real browser: what they see, what they may do.

Screenshots go to test-artifacts/ (gitignored), at 1280 px and, for the queue, 390 px.
"""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from claims import services
from claims.models import Claim
from tests.browser.conftest import sign_in
from tests.conftest import make_claim, publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"  # gitignored
FOUR_EYES = "Four eyes: you changed this claim since it was last published, so another editor must publish it."


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"desk-{name}.png"), full_page=True)


def _regraded_then_typo_fixed(alice: Any, bob: Any, carol: Any) -> Claim:
    """Editor bob regrades a published claim; fact-checker alice then fixes a typo in it."""
    claim = publish(make_claim(alice, text="Rustakt shipped forty drones.", quote="Rustakt shipped forty drones",
                               credibility_rationale="Customs records for the example.test port."),
                    author=alice, editor=carol)
    claim = services.claim_update(claim=claim, actor=bob, version=claim.version, changes={"credibility": 3},
                                  reason="Only one record")
    return services.claim_update(claim=claim, actor=alice, version=claim.version,
                                 changes={"credibility_rationale": "Customs records for the example.test port, "
                                          "one of two."}, reason="Typo")


def test_an_editor_is_not_offered_publish_after_their_own_edit_and_is_told_why(page: Page, alice: Any, bob: Any,
                                                                                carol: Any) -> None:
    claim = _regraded_then_typo_fixed(alice, bob, carol)
    sign_in(page, "bob")
    page.goto("/desk/review/")
    item = page.locator(f"#review-{claim.slug}")
    expect(item.get_by_text(FOUR_EYES)).to_be_visible()
    expect(item.get_by_role("button", name="Publish")).to_have_count(0)
    expect(item.get_by_role("button", name="Request changes")).to_be_visible()
    _shot(page, "queue-own-edit-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, "queue-own-edit-390")


def test_a_second_editor_publishes_from_the_queue_after_reading_quote_and_rationale(
        page: Page, alice: Any, bob: Any, carol: Any) -> None:
    claim = _regraded_then_typo_fixed(alice, bob, carol)
    sign_in(page, "carol")
    page.goto("/desk/review/")
    item = page.locator(f"#review-{claim.slug}")
    expect(item.locator("mark")).to_have_text("Rustakt shipped forty drones")  # the quote, in its archived context
    expect(item.get_by_role("link", name="archived copy")).to_be_visible()
    expect(item.get_by_text("Customs records for the example.test port, one of two.")).to_be_visible()
    expect(item.get_by_text("Possibly true").first).to_be_visible()  # the verdict as readers will read it
    expect(item.get_by_role("table")).to_contain_text("Credibility")  # the diff against the published record
    _shot(page, "queue-second-editor-1280")
    item.get_by_label("Note to readers").fill("Regraded: one of the two customs records.")
    item.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Done: the claim is now published.")).to_be_visible()
    assert page.url.endswith("/desk/review/")
    assert Claim.objects.get(pk=claim.pk).status == "published"


def test_the_desk_page_of_a_published_claim_never_says_never_published(page: Page, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    sign_in(page, "bob")
    page.goto(f"/desk/claims/{claim.slug}/")
    expect(page.locator("p.status")).to_have_text(f"Published · version {claim.version}, as readers see it",
                                                  ignore_case=True)
    expect(page.get_by_text("Never published")).to_have_count(0)
    expect(page.get_by_text("No change to the content since the published version.")).to_be_visible()
    _shot(page, "claim-published-1280")


def test_the_admin_claim_list_fits_1280_px(page: Page, alice: Any, bob: Any, carol: Any) -> None:
    for n in range(3):
        publish(make_claim(alice, text=f"The supplier number {n} shipped a long list of parts to the plant, "
                           "according to the customs records quoted in the example.test article."),
                author=alice, editor=carol)
    sign_in(page, "bob")
    page.goto("/admin/claims/claim/")
    expect(page.locator("#result_list")).to_be_visible()
    _shot(page, "admin-claims-1280")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    # Nothing scrolls sideways inside the list either, and the claim's text keeps a readable width.
    assert page.evaluate("(() => { const r = document.querySelector('.results'); "
                         "return r.scrollWidth <= r.clientWidth; })()")
    assert page.locator("#result_list tbody .field-__str__").first.bounding_box()["width"] >= 250


def test_sign_in_lands_on_the_desk_home_with_the_day_s_work(page: Page, alice: Any, bob: Any, carol: Any) -> None:
    services.claim_submit(claim=make_claim(alice, text="Rustakt shipped forty drones."), actor=alice, version=1)
    sign_in(page, "carol")
    assert page.url.endswith("/desk/")
    to_review = page.locator("section", has=page.locator("#to-review"))
    expect(to_review.get_by_role("link", name="Rustakt shipped forty drones.")).to_be_visible()
    _shot(page, "home-editor-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, "home-editor-390")
