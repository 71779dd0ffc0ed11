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


def test_the_submit_action_calls_the_service(client: Any, alice: Any, dave: Any) -> None:
    claim = make_claim(alice)
    client.force_login(dave)
    response = client.post("/admin/claims/claim/", {"action": "submit", "_selected_action": [claim.pk]}, follow=True)
    assert Claim.objects.get(pk=claim.pk).status == "draft"  # staff may not submit
    assert "may not submit" in response.content.decode()
    client.force_login(alice)
    client.post("/admin/claims/claim/", {"action": "submit", "_selected_action": [claim.pk]})
    claim = Claim.objects.get(pk=claim.pk)
    assert (claim.status, claim.submitted_by) == ("in_review", alice)


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
        "credibility": 3, "credibility_rationale": "Regraded", "seen_version": claim.version,
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
    assert claim.history.latest().history_change_reason == "Edited in the admin"


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
