"""The desk: fact-checkers and editors take claims and links through the workflow in the pages."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.models import Claim, ClaimLink
from tests.conftest import make_claim, make_document, make_link, publish

DESK_PAGES = ["/desk/", "/desk/review/", "/desk/claims/new/"]


@pytest.mark.parametrize("url", DESK_PAGES)
def test_anonymous_is_sent_to_sign_in(client: Any, db: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("url", DESK_PAGES)
def test_a_reader_without_a_role_is_refused(client: Any, erin: Any, url: str) -> None:
    client.force_login(erin)
    assert client.get(url).status_code == 403


def _claim_form(claim_document: Any, **overrides: Any) -> dict:
    form = {
        "text": "Rustakt makes the VT-40.", "quote": "Rustakt manufactures the VT-40", "quote_language": "en",
        "claimant": claim_document.publisher.pk, "document": claim_document.pk, "asserted_on": "2025-11-29",
        "asserted_precision": "day", "credibility": 2, "credibility_rationale": "Company filings.",
    }
    form.update(overrides)
    return form


def test_a_fact_checker_drafts_a_claim(client: Any, alice: Any) -> None:
    document = make_document(alice)
    client.force_login(alice)
    response = client.post("/desk/claims/new/", _claim_form(document))
    claim = Claim.objects.get(text="Rustakt makes the VT-40.")
    assert response.status_code == 302 and response["Location"] == f"/desk/claims/{claim.slug}/"
    assert (claim.status, claim.created_by) == ("draft", alice)
    assert "Rustakt makes the VT-40." in client.get("/desk/").content.decode()


def test_bad_input_gets_clear_errors_and_saves_nothing(client: Any, alice: Any) -> None:
    document = make_document(alice)
    client.force_login(alice)
    response = client.post("/desk/claims/new/", _claim_form(document, text="", credibility=9,
                                                             asserted_on="2025-11-15", asserted_precision="month"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page
    assert "Select a valid choice. 9 is not one of the available choices." in page
    assert not Claim.objects.exists()
    response = client.post("/desk/claims/new/", _claim_form(document, asserted_on="2025-11-15",
                                                             asserted_precision="month"))
    assert response.status_code == 400
    assert "known only to the month is stored as the 1st" in response.content.decode()
    assert not Claim.objects.exists()


def test_an_edit_needs_a_reason_and_refuses_a_stale_version(client: Any, alice: Any, bob: Any) -> None:
    claim = make_claim(alice)
    client.force_login(alice)
    form = _claim_form(claim.document, text="Edited", seen_version=claim.version, reason="")
    response = client.post(f"/desk/claims/{claim.slug}/edit/", form)
    assert response.status_code == 400
    assert "Say what you changed and why." in response.content.decode()
    services.claim_update(claim=claim, actor=bob, version=claim.version, changes={"credibility": 3}, reason="Bob")
    response = client.post(f"/desk/claims/{claim.slug}/edit/", {**form, "reason": "Fix"})
    assert response.status_code == 400
    assert "changed by bob" in response.content.decode()
    claim.refresh_from_db()
    assert claim.text != "Edited"


def test_the_whole_path_through_the_pages(client: Any, alice: Any, bob: Any) -> None:
    """Draft, submit, changes requested with a comment, fix, resubmit, publish."""
    claim = make_claim(alice)
    client.force_login(alice)
    client.post(f"/desk/claims/{claim.slug}/submit/", {"version": claim.version})
    claim.refresh_from_db()
    assert claim.status == "in_review"

    client.force_login(bob)
    queue = client.get("/desk/review/").content.decode()
    assert claim.text in queue and "New claim, never published" in queue
    response = client.post(f"/desk/claims/{claim.slug}/request-changes/",
                           {"version": claim.version, "comment": ""}, follow=True)
    assert "Tell the fact-checker what to change." in response.content.decode()
    client.post(f"/desk/claims/{claim.slug}/request-changes/",
                {"version": claim.version, "comment": "Cite the filing date", "next": "/desk/review/"})
    claim.refresh_from_db()
    assert claim.status == "changes_requested"

    client.force_login(alice)
    assert "Cite the filing date" in client.get("/desk/").content.decode()
    client.post(f"/desk/claims/{claim.slug}/edit/", _claim_form(
        claim.document, text=claim.text, credibility=2, quote=claim.quote, asserted_on="2025-11-29",
        credibility_rationale="Filed in September 2025, seen by the FT.", seen_version=claim.version,
        reason="Added the filing date"))
    claim.refresh_from_db()
    client.post(f"/desk/claims/{claim.slug}/submit/", {"version": claim.version})
    response = client.post(f"/desk/claims/{claim.slug}/publish/", {"version": claim.version + 1}, follow=True)
    # Refused on the page it came from, in words: not a bare 403 page.
    assert response.redirect_chain[-1][0] == f"/desk/claims/{claim.slug}/"
    assert "Nothing was done: Only editors may publish this." in response.content.decode()

    client.force_login(bob)
    claim.refresh_from_db()
    client.post(f"/desk/claims/{claim.slug}/publish/", {"version": claim.version})
    claim.refresh_from_db()
    assert claim.status == "in_review"  # its quote is not anchored in an archived copy
    client.post(f"/desk/claims/{claim.slug}/publish/", {"version": claim.version, "note": "Checked with the FT.",
                                                        "exception": "The FT's filings are not public."})
    claim.refresh_from_db()
    assert claim.status == "published"
    client.logout()
    assert "Filed in September 2025" in client.get(claim.get_absolute_url()).content.decode()


def test_a_link_is_proposed_by_search_and_accepted_by_an_editor(client: Any, alice: Any, bob: Any) -> None:
    first = make_claim(alice, text="Minghuaxin shipped $304 million to Rustakt")
    second = make_claim(alice, text="Transfers total $411 million")
    client.force_login(alice)
    page = client.get(f"/desk/claims/{first.slug}/link/?q=411").content.decode()
    assert "Transfers total $411 million" in page
    assert "Minghuaxin shipped" not in page.split("The other claim")[1]  # not linked to itself
    response = client.post(f"/desk/claims/{first.slug}/link/", {
        "to_claim": second.pk, "link_type": "supports", "rationale": "A component of the total."})
    assert response.status_code == 302
    link = ClaimLink.objects.get()
    response = client.post(f"/desk/claims/{first.slug}/link/", {
        "to_claim": second.pk, "link_type": "supports", "rationale": "Again."})
    assert response.status_code == 400
    assert "already have a link of this type" in response.content.decode()

    client.force_login(bob)
    assert "A component of the total." in client.get("/desk/review/").content.decode()
    client.post(f"/desk/links/{link.pk}/accept/", {"version": link.version})
    link.refresh_from_db()
    assert (link.status, link.reviewed_by) == ("accepted", bob)


def test_a_redirect_never_leaves_the_site(client: Any, alice: Any) -> None:
    claim = make_claim(alice)
    client.force_login(alice)
    response = client.post(f"/desk/claims/{claim.slug}/submit/",
                           {"version": claim.version, "next": "https://evil.example/"})
    assert response["Location"] == f"/desk/claims/{claim.slug}/"


def test_an_unknown_step_is_a_404(client: Any, alice: Any) -> None:
    claim = make_claim(alice)
    client.force_login(alice)
    assert client.post(f"/desk/claims/{claim.slug}/approve/", {"version": 1}).status_code == 404


def test_the_review_queue_runs_a_fixed_number_of_queries(client: Any, alice: Any, bob: Any, carol: Any) -> None:
    def queue_one(n: int) -> None:
        claim = publish(make_claim(alice, text=f"Claim {n}"), author=alice, editor=carol)
        services.claim_update(claim=claim, actor=alice, version=claim.version, changes={"credibility": 3},
                              reason="Regrade")
        make_link(alice, claim, make_claim(alice, text=f"Other {n}"))

    queue_one(0)
    client.force_login(bob)
    client.get("/desk/review/")
    with CaptureQueriesContext(connection) as few:
        client.get("/desk/review/")
    for n in range(1, 6):
        queue_one(n)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/desk/review/").content.decode()
    assert len(many) == len(few)
    assert page.count("Changes since the published version") == 6
