"""The claim workflow: every transition, who may take it, and what it records."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from claims import services
from claims.models import Claim, ReviewEvent
from claims.querysets import published_revision
from factcheck.errors import InvalidTransition, StaleVersion
from tests.conftest import make_claim, publish


def _reload(claim: Claim) -> Claim:
    return Claim.objects.get(pk=claim.pk)


def test_draft_to_published_records_every_step(alice: Any, bob: Any) -> None:
    claim = make_claim(alice)
    claim = services.claim_submit(claim=claim, actor=alice, version=claim.version)
    claim = services.claim_publish(claim=claim, actor=bob, version=claim.version, comment="Checked filings")
    assert claim.status == "published"
    assert claim.published_version == claim.version == 3
    events = list(ReviewEvent.objects.filter(claim=claim).values_list("action", "from_status", "to_status",
                                                                       "actor_username"))
    assert events == [
        ("create", "", "draft", "alice"),
        ("submit", "draft", "in_review", "alice"),
        ("publish", "in_review", "published", "bob"),
    ]
    reasons = list(claim.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons == ["Claim drafted", "Submitted for review", "Published: Checked filings"]


def test_publishing_makes_the_cited_source_and_document_public(alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    claim.claimant.refresh_from_db()
    claim.document.refresh_from_db()
    assert claim.claimant.public_since is not None
    assert claim.document.public_since is not None


def test_fact_checkers_cannot_publish(alice: Any, carol: Any) -> None:
    claim = services.claim_submit(claim=make_claim(carol), actor=carol, version=1)
    with pytest.raises(PermissionDenied, match="Only editors"):
        services.claim_publish(claim=claim, actor=alice, version=claim.version, note="Corrected.")
    assert _reload(claim).status == "in_review"


def test_anonymous_cannot_do_anything(alice: Any) -> None:
    claim = make_claim(alice)
    with pytest.raises(PermissionDenied, match="Sign in"):
        services.claim_submit(claim=claim, actor=AnonymousUser(), version=claim.version)


def test_four_eyes_the_submitter_cannot_publish(bob: Any, carol: Any) -> None:
    claim = services.claim_submit(claim=make_claim(bob), actor=bob, version=1)
    with pytest.raises(PermissionDenied, match="Four eyes"):
        services.claim_publish(claim=claim, actor=bob, version=claim.version, note="Corrected.")
    published = services.claim_publish(claim=claim, actor=carol, version=claim.version, note="Corrected.")
    assert published.status == "published"


def test_four_eyes_an_editor_who_edits_in_review_cannot_then_publish(alice: Any, bob: Any) -> None:
    claim = services.claim_submit(claim=make_claim(alice), actor=alice, version=1)
    claim = services.claim_update(claim=claim, actor=bob, version=claim.version, changes={"credibility": 3},
                                  reason="Downgraded")
    with pytest.raises(PermissionDenied, match="Four eyes"):
        services.claim_publish(claim=claim, actor=bob, version=claim.version, note="Corrected.")


@pytest.mark.parametrize("status_steps,service,kwargs", [
    ([], "claim_publish", {}),
    ([], "claim_retract", {"reason": "wrong"}),
    ([], "claim_request_changes", {"comment": "fix"}),
    (["submit"], "claim_submit", {}),
])
def test_illegal_transitions_are_refused_and_change_nothing(
    alice: Any, bob: Any, status_steps: list[str], service: str, kwargs: dict
) -> None:
    claim = make_claim(alice)
    for step in status_steps:
        claim = getattr(services, f"claim_{step}")(claim=claim, actor=alice, version=claim.version)
    before = (claim.status, claim.version, claim.history.count())
    with pytest.raises(InvalidTransition, match="cannot be"):
        getattr(services, service)(claim=claim, actor=bob, version=claim.version, **kwargs)
    claim = _reload(claim)
    assert (claim.status, claim.version, claim.history.count()) == before


def test_request_changes_needs_a_comment(alice: Any, bob: Any) -> None:
    claim = services.claim_submit(claim=make_claim(alice), actor=alice, version=1)
    with pytest.raises(ValidationError, match="what to change"):
        services.claim_request_changes(claim=claim, actor=bob, version=claim.version, comment="  ")
    claim = services.claim_request_changes(claim=claim, actor=bob, version=claim.version, comment="Cite the filing")
    assert claim.status == "changes_requested"
    assert ReviewEvent.objects.filter(claim=claim).last().comment == "Cite the filing"
    claim = services.claim_submit(claim=claim, actor=alice, version=claim.version)
    assert claim.status == "in_review"


def test_retract_needs_a_reason_and_keeps_the_claim_public(alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    with pytest.raises(ValidationError, match="reason"):
        services.claim_retract(claim=claim, actor=bob, version=claim.version, reason="")
    claim = services.claim_retract(claim=claim, actor=bob, version=claim.version, reason="The filing was misread.")
    assert claim.status == "retracted"
    assert claim.retraction_reason == "The filing was misread."
    assert Claim.objects.public().filter(pk=claim.pk).exists()


def test_a_stale_version_is_refused_naming_who_changed_it(alice: Any, bob: Any) -> None:
    claim = make_claim(alice)
    seen = claim.version
    services.claim_update(claim=claim, actor=bob, version=seen, changes={"credibility": 3}, reason="Regraded")
    expected = r"changed by bob at .* UTC since you loaded it \(you have version 1, it is now at version 2\)"
    with pytest.raises(StaleVersion, match=expected) as error:
        services.claim_update(claim=claim, actor=alice, version=seen, changes={"text": "Mine"}, reason="Edit")
    assert error.value.current_version == 2
    claim = _reload(claim)
    assert (claim.text, claim.credibility, claim.history.count()) == ("Wang Dinghua acquired a 5% stake in Rustakt.",
                                                                      3, 2)


def test_a_missing_version_is_refused(alice: Any) -> None:
    claim = make_claim(alice)
    with pytest.raises(StaleVersion, match="Say which version"):
        services.claim_submit(claim=claim, actor=alice, version=None)


def test_editing_a_published_claim_sends_it_back_to_review_and_the_public_keeps_the_published_text(
    alice: Any, bob: Any
) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    claim = services.claim_update(claim=claim, actor=alice, version=claim.version,
                                  changes={"text": "Corrected text"}, reason="Correction")
    assert claim.status == "in_review"
    assert published_revision(claim).text == "Wang Dinghua acquired a 5% stake in Rustakt."
    claim = services.claim_publish(claim=claim, actor=bob, version=claim.version, note="Corrected.")
    assert published_revision(claim).text == "Corrected text"


def test_bad_input_is_refused_and_nothing_is_saved(alice: Any) -> None:
    claim = make_claim(alice)
    with pytest.raises(ValidationError):
        services.claim_update(claim=claim, actor=alice, version=claim.version, changes={"credibility": 0},
                              reason="x")
    with pytest.raises(ValidationError, match="cannot be changed here"):
        services.claim_update(claim=claim, actor=alice, version=claim.version, changes={"status": "published"},
                              reason="x")
    claim = _reload(claim)
    assert (claim.credibility, claim.status, claim.version) == (2, "draft", 1)


def test_revert_round_trip(alice: Any, bob: Any) -> None:
    claim = make_claim(alice)
    original = claim.history.earliest()
    claim = services.claim_update(claim=claim, actor=alice, version=claim.version,
                                  changes={"text": "Wrong text", "credibility": 5}, reason="Edit")
    with pytest.raises(PermissionDenied):
        services.claim_revert(claim=claim, actor=alice, version=claim.version, history_id=original.history_id,
                              reason="Back")
    claim = services.claim_revert(claim=claim, actor=bob, version=claim.version, history_id=original.history_id,
                                  reason="The edit was wrong")
    assert (claim.text, claim.credibility) == (original.text, original.credibility)
    assert claim.history.count() == 3  # a revert is a new revision, never a deletion
    assert claim.history.latest().history_change_reason.startswith("Reverted to version 1")


def test_links_are_proposed_then_accepted_by_another_editor(alice: Any, bob: Any, carol: Any) -> None:
    first, second = make_claim(alice), make_claim(alice, text="Second claim")
    link = services.link_propose(actor=bob, from_claim=first, to_claim=second, link_type="supports",
                                 rationale="Same figures.")
    with pytest.raises(PermissionDenied, match="Four eyes"):
        services.link_accept(link=link, actor=bob, version=link.version)
    with pytest.raises(PermissionDenied, match="Only editors"):
        services.link_accept(link=link, actor=alice, version=link.version)
    link = services.link_accept(link=link, actor=carol, version=link.version)
    assert (link.status, link.reviewed_by) == ("accepted", carol)
    with pytest.raises(InvalidTransition, match="already accepted"):
        services.link_reject(link=link, actor=carol, version=link.version, comment="No")


def test_rejecting_a_link_needs_a_comment(alice: Any, bob: Any) -> None:
    link = services.link_propose(actor=alice, from_claim=make_claim(alice), to_claim=make_claim(alice, text="B"),
                                 link_type="contradicts", rationale="r")
    with pytest.raises(ValidationError, match="why"):
        services.link_reject(link=link, actor=bob, version=link.version, comment="")
    assert services.link_reject(link=link, actor=bob, version=link.version, comment="Unrelated").status == "rejected"


def test_four_eyes_the_editor_who_submits_another_persons_draft_cannot_publish(alice: Any, bob: Any) -> None:
    claim = make_claim(alice)
    claim = services.claim_submit(claim=claim, actor=bob, version=claim.version)
    with pytest.raises(PermissionDenied, match="Four eyes"):
        services.claim_publish(claim=claim, actor=bob, version=claim.version, note="Corrected.")


def test_four_eyes_an_editor_who_edits_then_lets_someone_else_submit_cannot_publish(alice: Any, bob: Any) -> None:
    claim = make_claim(alice)
    claim = services.claim_update(claim=claim, actor=bob, version=claim.version, changes={"text": "Bob's words"},
                                  reason="Rewrite")
    claim = services.claim_submit(claim=claim, actor=alice, version=claim.version)
    with pytest.raises(PermissionDenied, match="Four eyes"):
        services.claim_publish(claim=claim, actor=bob, version=claim.version, note="Corrected.")


def test_four_eyes_the_editor_who_reverts_cannot_publish(alice: Any, bob: Any, carol: Any) -> None:
    claim = make_claim(alice)
    first = claim.history.earliest()
    claim = services.claim_update(claim=claim, actor=alice, version=claim.version, changes={"text": "New"},
                                  reason="Edit")
    claim = services.claim_revert(claim=claim, actor=bob, version=claim.version, history_id=first.history_id,
                                  reason="Back")
    claim = services.claim_submit(claim=claim, actor=alice, version=claim.version)
    with pytest.raises(PermissionDenied, match="Four eyes"):
        services.claim_publish(claim=claim, actor=bob, version=claim.version, note="Corrected.")
    published = services.claim_publish(claim=claim, actor=carol, version=claim.version, note="Corrected.")
    assert published.status == "published"

