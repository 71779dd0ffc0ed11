"""Email to the people a workflow step concerns: once each, after the step commits."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from tests.conftest import make_claim, make_link, publish


@pytest.fixture
def addresses(alice: Any, bob: Any, carol: Any, dave: Any) -> dict[str, Any]:
    for user in (alice, bob, carol, dave):
        user.email = f"{user.username}@example.test"
        user.save()
    return {"alice": alice, "bob": bob, "carol": carol}


def _to(mailoutbox: list) -> list[str]:
    return sorted(address for message in mailoutbox for address in message.to)


def test_a_submission_goes_to_each_editor_once(addresses: Any, mailoutbox: list,
                                               django_capture_on_commit_callbacks: Any) -> None:
    alice = addresses["alice"]
    claim = make_claim(alice)
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_submit(claim=claim, actor=alice, version=claim.version, comment="Ready")
    assert _to(mailoutbox) == ["bob@example.test", "carol@example.test"]  # not alice, not staff dave
    assert mailoutbox[0].subject.startswith("[") and "To review: " in mailoutbox[0].subject
    assert "Ready" in mailoutbox[0].body and "/desk/review/" in mailoutbox[0].body


def test_an_editor_who_submits_is_not_told_of_their_own_submission(addresses: Any, mailoutbox: list,
                                                                   django_capture_on_commit_callbacks: Any) -> None:
    bob = addresses["bob"]
    claim = make_claim(bob)
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_submit(claim=claim, actor=bob, version=claim.version)
    assert _to(mailoutbox) == ["carol@example.test"]


def test_sent_back_and_published_go_to_the_author_and_contributors_once(
        addresses: Any, mailoutbox: list, django_capture_on_commit_callbacks: Any) -> None:
    alice, bob, carol = addresses["alice"], addresses["bob"], addresses["carol"]
    claim = services.claim_submit(claim=make_claim(alice), actor=alice, version=1)
    # bob edits alice's claim in review, then carol sends it back: both alice and bob hear, once.
    claim = services.claim_update(claim=claim, actor=bob, version=claim.version, changes={"credibility": 3},
                                  reason="Regraded")
    with django_capture_on_commit_callbacks(execute=True):
        claim = services.claim_request_changes(claim=claim, actor=carol, version=claim.version,
                                               comment="Name the filing")
    assert _to(mailoutbox) == ["alice@example.test", "bob@example.test"]
    assert "Name the filing" in mailoutbox[0].body and f"/desk/claims/{claim.slug}/" in mailoutbox[0].body
    mailoutbox.clear()
    claim = services.claim_submit(claim=claim, actor=alice, version=claim.version)
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_publish(claim=claim, actor=carol, version=claim.version, note="First publication")
    assert _to(mailoutbox) == ["alice@example.test", "bob@example.test"]
    assert all(message.subject.endswith(claim.text[:80]) for message in mailoutbox)


def test_a_link_decision_goes_to_whoever_proposed_it(addresses: Any, mailoutbox: list,
                                                     django_capture_on_commit_callbacks: Any) -> None:
    alice, bob = addresses["alice"], addresses["bob"]
    link = make_link(alice, make_claim(alice), make_claim(alice, text="Another claim"))
    with django_capture_on_commit_callbacks(execute=True):
        services.link_reject(link=link, actor=bob, version=link.version, comment="Different periods")
    assert _to(mailoutbox) == ["alice@example.test"]
    assert "rejected" in mailoutbox[0].subject.lower() and "Different periods" in mailoutbox[0].body


def test_nothing_is_sent_for_a_step_that_is_refused(addresses: Any, mailoutbox: list,
                                                    django_capture_on_commit_callbacks: Any) -> None:
    alice, carol = addresses["alice"], addresses["carol"]
    claim = services.claim_submit(claim=make_claim(carol), actor=carol, version=1)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception, match="Four eyes"):
        services.claim_publish(claim=claim, actor=carol, version=claim.version)
    assert mailoutbox == []
    assert alice  # the fact-checker was not told of a publication that did not happen


def test_the_setting_turns_them_off(addresses: Any, mailoutbox: list, settings: Any,
                                    django_capture_on_commit_callbacks: Any) -> None:
    settings.FACTCHECK_NOTIFY_BY_EMAIL = False
    alice, carol = addresses["alice"], addresses["carol"]
    with django_capture_on_commit_callbacks(execute=True):
        publish(make_claim(alice), author=alice, editor=carol)
    assert mailoutbox == []


def test_a_step_on_many_claims_reads_the_addresses_once(addresses: Any, mailoutbox: list,
                                                        django_capture_on_commit_callbacks: Any) -> None:
    alice = addresses["alice"]
    claims = [make_claim(alice, text=f"Claim {i}") for i in range(3)]
    with django_capture_on_commit_callbacks() as callbacks:
        services.claims_submit(claims=[(claim, claim.version) for claim in claims], actor=alice)
    assert len(callbacks) == 1
    with CaptureQueriesContext(connection) as queries:
        callbacks[0]()
    assert len(queries) == 1
    assert sorted(message.subject.split("] ", 1)[1] for message in mailoutbox) == sorted(
        f"To review: Claim {i}" for i in range(3) for _ in ("bob", "carol"))
    assert _to(mailoutbox) == ["bob@example.test"] * 3 + ["carol@example.test"] * 3


def test_accounts_without_an_address_cost_one_query_and_get_nothing(alice: Any, bob: Any, mailoutbox: list,
                                                                     django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        publish(make_claim(alice), author=alice, editor=bob)
    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()
    assert len(queries) == len(callbacks) == 2  # the submission, the publication
    assert mailoutbox == []
