"""Which steps a person may take (services.allowed_steps), the same answer on every surface, and
four eyes as readers understand it: nobody publishes a claim whose content they changed since
it was last published."""

import re
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from claims import services
from claims.models import Claim, ClaimLink
from tests.conftest import _user, make_claim, make_link, publish

PERSONAS = ["anonymous", "erin", "dave", "alice", "bob", "carol"]
# The claim is carol's (an editor): she wrote and submitted it; olga, another editor, took it
# through review. What each persona may do in each state:
CLAIM_STEPS_ALLOWED = {
    "draft": {"alice": {"edit", "submit", "propose-link"}, "bob": {"edit", "submit", "propose-link"},
              "carol": {"edit", "submit", "propose-link"}},
    "changes_requested": {"alice": {"edit", "submit", "propose-link"}, "bob": {"edit", "submit", "propose-link"},
                          "carol": {"edit", "submit", "propose-link"}},
    "in_review": {"alice": {"edit", "propose-link"},
                  "bob": {"edit", "request-changes", "publish", "propose-link"},
                  "carol": {"edit", "request-changes", "propose-link"}},  # four eyes: not her own
    "published": {"alice": {"edit", "propose-link"}, "bob": {"edit", "retract", "propose-link"},
                  "carol": {"edit", "retract", "propose-link"}},
    "retracted": {"alice": {"propose-link"}, "bob": {"propose-link"}, "carol": {"propose-link"}},
}
LINK_STEPS_ALLOWED = {
    "proposed": {"alice": {"edit"}, "bob": {"accept", "reject", "edit"}, "carol": {"edit"}},
    "accepted": {"alice": {"edit"}, "bob": {"withdraw", "edit"}, "carol": {"withdraw", "edit"}},
}


def _persona(request: Any, name: str) -> Any:
    return AnonymousUser() if name == "anonymous" else request.getfixturevalue(name)


def _claim_in(state: str, carol: Any, olga: Any) -> Claim:
    claim = make_claim(carol)
    if state in {"in_review", "changes_requested"}:
        claim = services.claim_submit(claim=claim, actor=carol, version=claim.version)
    if state == "changes_requested":
        claim = services.claim_request_changes(claim=claim, actor=olga, version=claim.version, comment="Date?")
    if state in {"published", "retracted"}:
        claim = publish(claim, author=carol, editor=olga)
    if state == "retracted":
        claim = services.claim_retract(claim=claim, actor=olga, version=claim.version, reason="Wrong.")
    return claim


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("state", list(CLAIM_STEPS_ALLOWED))
def test_allowed_steps_on_a_claim_for_every_role_and_state(request: Any, carol: Any, state: str,
                                                           persona: str) -> None:
    olga = _user("olga", group="editors")
    claim = _claim_in(state, carol, olga)
    expected = CLAIM_STEPS_ALLOWED[state].get(persona, set())
    assert set(services.allowed_steps(_persona(request, persona), claim)) == expected


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("state", list(LINK_STEPS_ALLOWED))
def test_allowed_steps_on_a_link_for_every_role_and_state(request: Any, carol: Any, state: str,
                                                          persona: str) -> None:
    olga = _user("olga", group="editors")
    first = publish(make_claim(carol), author=carol, editor=olga)
    second = publish(make_claim(carol, text="Another claim"), author=carol, editor=olga)
    link = make_link(carol, first, second)
    if state == "accepted":
        link = services.link_accept(link=link, actor=olga, version=link.version)
    expected = LINK_STEPS_ALLOWED[state].get(persona, set())
    assert set(services.allowed_steps(_persona(request, persona), link)) == expected


@pytest.mark.parametrize("persona", ["alice", "bob", "carol"])
def test_the_services_agree_with_allowed_steps(request: Any, carol: Any, persona: str) -> None:
    """Every workflow step allowed_steps offers on a claim in review succeeds; every other is refused."""
    olga = _user("olga", group="editors")
    actor = request.getfixturevalue(persona)
    for step, take in services.CLAIM_STEPS.items():
        claim = _claim_in("in_review", carol, olga)
        offered = step in services.allowed_steps(actor, claim)
        try:
            take(claim, actor=actor, version=claim.version, comment="Because", exception="No copy: a test.")
        except (PermissionDenied, services.InvalidTransition):
            assert not offered, step
        else:
            assert offered, step
        Claim.objects.filter(pk=claim.pk).exists()


def _edited_by_two(alice: Any, bob: Any, carol: Any) -> Claim:
    """Editor bob edits a published claim; fact-checker alice then fixes a typo in it."""
    claim = publish(make_claim(alice), author=alice, editor=carol)
    claim = services.claim_update(claim=claim, actor=bob, version=claim.version, changes={"credibility": 3},
                                  reason="Regraded: only one filing")
    return services.claim_update(claim=claim, actor=alice, version=claim.version,
                                 changes={"text": "Wang Dinghua acquired a 5 % stake in Rustakt."}, reason="Typo")


def test_four_eyes_an_editor_does_not_publish_their_change_after_someone_fixed_a_typo(alice: Any, bob: Any,
                                                                                      carol: Any) -> None:
    claim = _edited_by_two(alice, bob, carol)
    assert claim.last_changed_by == alice  # bob is no longer the last editor, but his change is pending
    assert "publish" not in services.allowed_steps(bob, claim)
    with pytest.raises(PermissionDenied, match="you changed this claim since it was last published"):
        services.claim_publish(claim=claim, actor=bob, version=claim.version, note="Regraded.")
    assert Claim.objects.get(pk=claim.pk).status == "in_review"
    assert "publish" in services.allowed_steps(carol, claim)
    services.claim_publish(claim=claim, actor=carol, version=claim.version, note="Regraded.")


def test_four_eyes_is_refused_on_every_surface(client: Any, alice: Any, bob: Any, carol: Any) -> None:
    claim = _edited_by_two(alice, bob, carol)
    reason = "Four eyes: you changed this claim since it was last published, so another editor must publish it."
    client.force_login(bob)
    # The desk claim page and the queue: no Publish for bob, and why, in place.
    for url in [f"/desk/claims/{claim.slug}/", "/desk/review/"]:
        page = client.get(url).content.decode()
        assert reason in page, url
        assert f'action="/desk/claims/{claim.slug}/publish/"' not in page, url
    # Posting anyway: back to the queue with the reason, nothing published.
    response = client.post(f"/desk/claims/{claim.slug}/publish/",
                           {"version": claim.version, "note": "Regraded.", "next": "/desk/review/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/desk/review/"
    assert f"Nothing was done: {reason}" in response.content.decode()
    # The admin's confirmation says so before anything is done, and refuses on confirming.
    url = "/admin/claims/claim/"
    page = client.post(url, {"action": "publish", "_selected_action": [claim.pk]}).content.decode()
    assert f"Will be refused: {reason}" in page
    page = client.post(url, {"action": "publish", "_selected_action": [claim.pk], "version": [claim.version],
                             "comment": "Regraded.", "confirmed": "yes"}, follow=True).content.decode()
    assert reason in page
    # The API lists no publish step for bob, and refuses it.
    api = APIClient()
    api.force_authenticate(bob)
    assert "publish" not in api.get(f"/api/v1/claims/{claim.pk}/").json()["allowed_steps"]
    response = api.post(f"/api/v1/claims/{claim.pk}/publish/", {"version": claim.version, "note": "Regraded."},
                        format="json")
    assert response.status_code == 403 and reason in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == "in_review"


def test_the_queue_shows_each_claim_as_readers_will_read_it(client: Any, alice: Any, bob: Any) -> None:
    claim = make_claim(alice, text="Rustakt shipped 40 drones.", quote="Rustakt shipped forty drones",
                       credibility_rationale="Customs records for the example.test port.")
    claim = services.claim_submit(claim=claim, actor=alice, version=claim.version)
    other = make_claim(alice, text="Rustakt shipped drones in May.")
    make_link(alice, claim, other)
    client.force_login(bob)
    page = client.get("/desk/review/").content.decode()
    assert "Probably true" in page  # the verdict in words
    assert "{#" not in page and "A claim as readers read it" not in page
    assert "<mark>Rustakt shipped forty drones</mark>" in page  # the quote in context, from its archived copy
    assert f'/snapshots/{claim.annotation.snapshot_id}/' in page
    assert "Customs records for the example.test port." in page
    assert claim.claimant.name in page and claim.document.title in page
    assert "Rustakt shipped drones in May." in page  # its evidence links
    assert "submitted for review (from draft to in review)" in page  # the review record, in words
    assert "in_review" not in page.replace('status-in_review', '')
    assert f'action="/desk/claims/{claim.slug}/publish/"' in page


def test_a_fact_checker_reads_the_queue_and_is_told_why_there_is_no_publish(client: Any, alice: Any,
                                                                            carol: Any) -> None:
    claim = services.claim_submit(claim=make_claim(carol), actor=carol, version=1)
    client.force_login(alice)
    page = client.get("/desk/review/").content.decode()
    assert "Only editors may publish this." in page
    assert f'action="/desk/claims/{claim.slug}/publish/"' not in page


def test_the_desk_page_of_a_published_claim_does_not_say_never_published(client: Any, alice: Any,
                                                                         bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    client.force_login(bob)
    page = client.get(f"/desk/claims/{claim.slug}/").content.decode()
    assert "Never published" not in page
    assert "No change to the content since the published version." in page
    assert f"version {claim.version}, as readers see it" in page
    assert f"published version {claim.version}" not in page.lower()


def test_the_api_lists_allowed_steps_on_claims_and_links(alice: Any, bob: Any, carol: Any) -> None:
    claim = services.claim_submit(claim=make_claim(alice), actor=alice, version=1)
    link = make_link(alice, claim, make_claim(alice, text="Another claim"))
    api = APIClient()
    api.force_authenticate(bob)
    assert set(api.get(f"/api/v1/claims/{claim.pk}/").json()["allowed_steps"]) == {
        "edit", "request-changes", "publish", "propose-link"}
    listed = {row["id"]: row["allowed_steps"] for row in api.get("/api/v1/claims/").json()["results"]}
    assert "publish" in listed[claim.pk]
    assert set(api.get(f"/api/v1/links/{link.pk}/").json()["allowed_steps"]) == {"accept", "reject", "edit"}
    api.force_authenticate(alice)
    assert set(api.get(f"/api/v1/claims/{claim.pk}/").json()["allowed_steps"]) == {"edit", "propose-link"}
    assert api.get(f"/api/v1/links/{link.pk}/").json()["allowed_steps"] == ["edit"]


def test_the_openapi_schema_documents_allowed_steps(client: Any, db: Any) -> None:
    schema = client.get("/api/schema/?format=json").json()["components"]["schemas"]
    for name, step in [("Claim", "publish"), ("Link", "accept")]:
        field = schema[name]["properties"]["allowed_steps"]
        enum = schema[field["items"]["$ref"].rsplit("/", 1)[1]]["enum"]
        assert field["type"] == "array" and step in enum and step in field["description"]


def test_the_team_list_runs_the_same_queries_for_2_or_20_claims(alice: Any, bob: Any) -> None:
    api = APIClient()
    api.force_authenticate(bob)

    def add(n: int) -> None:
        services.claim_submit(claim=make_claim(alice, text=f"Claim {n}"), actor=alice, version=1)

    for n in range(2):
        add(n)
    api.get("/api/v1/claims/?page_size=50")
    with CaptureQueriesContext(connection) as few:
        api.get("/api/v1/claims/?page_size=50")
    for n in range(2, 20):
        add(n)
    with CaptureQueriesContext(connection) as many:
        rows = api.get("/api/v1/claims/?page_size=50").json()["results"]
    assert len(rows) == 20 and all("publish" in row["allowed_steps"] for row in rows)
    assert len(many) == len(few)
    assert ClaimLink.objects.count() == 0


def test_sign_in_lands_on_the_desk_for_the_team_and_on_the_home_for_readers(client: Any, alice: Any,
                                                                           erin: Any) -> None:
    response = client.post("/accounts/login/", {"username": "alice", "password": "alice-password"})
    assert response.status_code == 302 and response["Location"] == "/desk/"
    client.logout()
    response = client.post("/accounts/login/", {"username": "erin", "password": "erin-password"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_refused_step_logs_a_warning_not_a_traceback(client: Any, caplog: Any, carol: Any) -> None:
    claim = services.claim_submit(claim=make_claim(carol), actor=carol, version=1)
    client.force_login(carol)
    with caplog.at_level("WARNING"):
        response = client.post(f"/desk/claims/{claim.slug}/publish/", {"version": claim.version})
    assert response.status_code == 302
    refusals = [record for record in caplog.records if "Four eyes" in record.getMessage()]
    assert [record.levelname for record in refusals] == ["WARNING"]
    assert not any(record.exc_info for record in caplog.records)
    assert not any(record.levelname == "ERROR" for record in caplog.records)


def test_the_desk_home_runs_the_day(client: Any, alice: Any, bob: Any, carol: Any) -> None:
    from sources.models import Annotation
    from tests.conftest import make_document

    mine = services.claim_submit(claim=make_claim(carol, text="The claim carol wrote"), actor=carol, version=1)
    theirs = services.claim_submit(claim=make_claim(alice, text="The claim alice wrote"), actor=alice, version=1)
    bare = make_document(alice, title="A document nobody archived")
    orphan = theirs.annotation
    Annotation.objects.filter(pk=orphan.pk).update(anchoring=Annotation.Anchoring.ORPHANED)  # as re-anchoring leaves it
    client.force_login(carol)
    page = client.get("/desk/").content.decode()
    to_review = page[page.index('id="to-review"'):page.index('id="submitted"')]
    assert theirs.text in to_review and mine.text not in to_review  # four eyes: hers waits for bob
    assert mine.text in page[page.index('id="submitted"'):]
    assert bare.title in page and orphan.exact in page
    assert "<strong>1</strong> note to re-anchor" in page


def test_the_link_finder_stems_words(client: Any, alice: Any) -> None:
    from claims.search import stem

    assert stem("embedded") == stem("embedding") == "embed"
    assert stem("claims") == "claim" and stem("only") == "only"
    first = make_claim(alice, text="The firmware is embedded in the drone.")
    make_claim(alice, text="Rustakt is embedding trackers in each drone.")
    make_claim(alice, text="Rustakt ships drones abroad.")
    client.force_login(alice)
    page = client.get(f"/desk/claims/{first.slug}/link/?q=embedded+drones").content.decode()
    offered = page.split("The other claim")[1]
    assert "embedding trackers" in offered and "ships drones abroad" not in offered


def test_the_filled_in_note_is_for_a_claim_made_from_a_passage_not_for_every_edit(client: Any, alice: Any) -> None:
    claim = make_claim(alice)
    client.force_login(alice)
    note = "From the passage you selected"
    made = client.get(f"/desk/claims/new/?annotation={claim.annotation_id}").content.decode()
    assert note in made and 'class="info"' in made
    assert note not in client.get(f"/desk/claims/{claim.slug}/edit/").content.decode()


def test_states_read_as_words_on_the_desk_and_in_the_admin(client: Any, alice: Any, bob: Any) -> None:
    claim = services.claim_submit(claim=make_claim(alice), actor=alice, version=1)
    client.force_login(bob)
    for url in [f"/desk/claims/{claim.slug}/", "/admin/claims/reviewevent/"]:
        page = client.get(url).content.decode()
        assert "in review" in page, url
        shown = re.sub(r'(class|href)="[^"]*"', "", page)  # what a person reads, not attribute values
        assert "in_review" not in shown, url
