"""The admin obeys the same permission module and services as every other door."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from tests.conftest import make_claim, make_link, make_snapshot

CHANGELISTS = ["sources/source", "sources/document", "sources/snapshot", "sources/annotation",
               "claims/claim", "claims/claimlink", "claims/reviewevent"]


@pytest.mark.parametrize("changelist", CHANGELISTS)
def test_every_changelist_opens_for_an_editor(client: Any, alice: Any, bob: Any, changelist: str) -> None:
    claim = make_claim(alice)
    make_link(alice, claim, make_claim(alice, text="Other"))
    make_snapshot(alice, claim.document)
    client.force_login(bob)
    response = client.get(f"/admin/{changelist}/")
    assert response.status_code == 200


def test_the_claim_changelist_runs_a_fixed_number_of_queries(client: Any, alice: Any, bob: Any) -> None:
    make_claim(alice)
    client.force_login(bob)
    with CaptureQueriesContext(connection) as few:
        client.get("/admin/claims/claim/")
    for n in range(10):
        make_claim(alice, text=f"Claim {n}")
    with CaptureQueriesContext(connection) as many:
        client.get("/admin/claims/claim/")
    assert len(many) == len(few)


def test_staff_without_a_role_may_look_but_not_change(client: Any, alice: Any, dave: Any) -> None:
    claim = make_claim(alice)
    client.force_login(dave)
    assert client.get("/admin/claims/claim/").status_code == 200
    assert client.get("/admin/claims/claim/add/").status_code == 403
    response = client.post(f"/admin/claims/claim/{claim.pk}/change/", {"text": "Changed by dave"})
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.text != "Changed by dave"


def test_anonymous_is_sent_to_the_login_page(client: Any, db: Any) -> None:
    response = client.get("/admin/claims/claim/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def _act(client: Any, model: str, action: str, objects: list, **confirm: Any) -> Any:
    """Pick an admin action, then confirm it on its confirmation page."""
    url = f"/admin/claims/{model}/"
    page = client.post(url, {"action": action, "_selected_action": [obj.pk for obj in objects]})
    if not confirm:
        return page
    return client.post(url, {"action": action, "_selected_action": [obj.pk for obj in objects],
                             "confirmed": "yes", **confirm}, follow=True)


def test_admin_actions_confirm_with_the_version_and_obey_four_eyes(client: Any, alice: Any, bob: Any,
                                                                    carol: Any) -> None:
    from claims import services

    claim = services.claim_submit(claim=make_claim(bob), actor=bob, version=1)
    client.force_login(bob)
    page = _act(client, "claim", "publish", [claim]).content.decode()
    assert "version 2" in page and 'name="confirmed"' in page
    assert Claim.objects.get(pk=claim.pk).status == "in_review"  # nothing until confirmed
    response = _act(client, "claim", "publish", [claim], version=[claim.version])
    assert "Four eyes" in response.content.decode()
    client.force_login(carol)
    _act(client, "claim", "publish", [claim], version=[claim.version])
    assert Claim.objects.get(pk=claim.pk).status == "published"


def test_an_admin_action_refuses_a_claim_changed_since_the_confirmation_page(client: Any, alice: Any,
                                                                             bob: Any) -> None:
    from claims import services

    claim = services.claim_submit(claim=make_claim(alice), actor=alice, version=1)
    seen = claim.version
    services.claim_update(claim=claim, actor=alice, version=seen, changes={"text": "Unreviewed"}, reason="Late")
    client.force_login(bob)
    response = _act(client, "claim", "publish", [claim], version=[seen])
    assert "since you loaded it" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == "in_review"


def test_admin_actions_that_need_a_comment_refuse_without_one(client: Any, alice: Any, bob: Any) -> None:
    from claims import services

    claim = services.claim_submit(claim=make_claim(alice), actor=alice, version=1)
    client.force_login(bob)
    response = _act(client, "claim", "request_changes", [claim], version=[claim.version], comment="")
    assert "Tell the fact-checker what to change." in response.content.decode()
    _act(client, "claim", "request_changes", [claim], version=[claim.version], comment="Source?")
    assert Claim.objects.get(pk=claim.pk).status == "changes_requested"


def test_staff_without_a_role_cannot_act(client: Any, alice: Any, dave: Any) -> None:
    claim = make_claim(alice)
    client.force_login(dave)
    response = _act(client, "claim", "submit", [claim], version=[claim.version])
    assert "may not submit" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == "draft"


def test_links_are_accepted_and_rejected_from_the_admin(client: Any, alice: Any, bob: Any) -> None:
    first, second = make_claim(alice), make_claim(alice, text="Other")
    link, other = make_link(alice, first, second), make_link(alice, second, first)
    client.force_login(bob)
    _act(client, "claimlink", "accept", [link], version=[link.version])
    _act(client, "claimlink", "reject", [other], version=[other.version], comment="Circular")
    link.refresh_from_db()
    other.refresh_from_db()
    assert (link.status, other.status) == ("accepted", "rejected")


@pytest.mark.parametrize("persona", ["dave", "alice", "bob"])
def test_the_admin_history_form_never_writes(client: Any, alice: Any, bob: Any, carol: Any, persona: str,
                                             request: Any) -> None:
    from claims import services

    first, second = make_claim(alice), make_claim(alice, text="Other")
    link = make_link(alice, first, second)
    proposed = link.history.earliest()
    link = services.link_accept(link=link, actor=carol, version=link.version)
    client.force_login(request.getfixturevalue(persona))
    url = f"/admin/claims/claimlink/{link.pk}/history/{proposed.history_id}/"
    assert client.post(url, {}).status_code == 403
    link.refresh_from_db()
    assert (link.status, link.version) == ("accepted", 2)


def test_status_is_not_an_editable_field(client: Any, alice: Any) -> None:
    claim = make_claim(alice)
    client.force_login(alice)
    page = client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    assert 'name="status"' not in page
    assert 'name="seen_version"' in page


def test_an_admin_edit_goes_through_the_service_and_refuses_a_stale_version(client: Any, alice: Any, bob: Any) -> None:
    from claims import services

    claim = make_claim(alice)
    client.force_login(alice)
    form = {
        "text": "Edited in admin", "quote": claim.quote, "quote_language": "en", "claimant": claim.claimant_id,
        "document": claim.document_id, "asserted_on": "2025-11-29", "asserted_precision": "day",
        "credibility": 3, "credibility_rationale": "Regraded", "seen_version": claim.version, "reason": "Regraded",
    }
    services.claim_update(claim=claim, actor=bob, version=claim.version, changes={"credibility": 4}, reason="Bob")
    response = client.post(f"/admin/claims/claim/{claim.pk}/change/", form, follow=True)
    assert "Nothing was saved" in response.content.decode()
    claim.refresh_from_db()
    assert (claim.text, claim.credibility) == ("Wang Dinghua acquired a 5% stake in Rustakt.", 4)
    form["seen_version"] = claim.version
    response = client.post(f"/admin/claims/claim/{claim.pk}/change/", form)
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.text == "Edited in admin"
    assert claim.history.latest().history_change_reason == "Edited in the admin: Regraded"


def test_the_admin_refuses_a_document_dated_to_a_year_with_no_date(client: Any, alice: Any) -> None:
    from sources.models import Document

    publisher = make_claim(alice).document.publisher
    client.force_login(alice)
    form = {"slug": "undated-report", "title": "Report", "publisher": publisher.pk, "language": "en",
            "published_on": "", "published_precision": "year", "reason": "New"}
    response = client.post("/admin/sources/document/add/", form)
    assert response.status_code == 200
    assert "Give the date, known to the year" in response.content.decode()
    assert not Document.objects.filter(slug="undated-report").exists()


def test_the_admin_history_page_runs_a_fixed_number_of_queries(client: Any, alice: Any, bob: Any) -> None:
    from claims import services

    claim = make_claim(alice)
    client.force_login(bob)
    client.get(f"/admin/claims/claim/{claim.pk}/history/")  # warm the content-type cache
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/admin/claims/claim/{claim.pk}/history/").status_code == 200
    for n in range(8):
        claim = services.claim_update(claim=claim, actor=alice if n % 2 else bob, version=claim.version,
                                      changes={"text": f"Text {n}"}, reason=f"Edit {n}")
    with CaptureQueriesContext(connection) as many:
        page = client.get(f"/admin/claims/claim/{claim.pk}/history/").content.decode()
    assert len(many) == len(few), "\n".join(q["sql"][:90] for q in many.captured_queries)
    assert "Edit 7" in page and "bob" in page
