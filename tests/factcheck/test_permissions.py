"""The permission module for anonymous readers, readers, staff, fact-checkers and editors."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from factcheck.permissions import Action, denial, may, require
from tests.conftest import make_claim, make_link, make_snapshot, publish


@pytest.fixture
def draft(alice: Any) -> Any:
    return make_claim(alice)


def test_anonymous_may_view_only_what_is_published(alice: Any, bob: Any, draft: Any) -> None:
    anonymous = AnonymousUser()
    assert not may(anonymous, Action.VIEW, draft)
    assert not may(anonymous, Action.VIEW, draft.claimant)
    assert not may(anonymous, Action.VIEW, draft.document)
    published = publish(draft, author=alice, editor=bob)
    assert may(anonymous, Action.VIEW, published)
    published.claimant.refresh_from_db()
    published.document.refresh_from_db()
    assert may(anonymous, Action.VIEW, published.claimant)
    assert may(anonymous, Action.VIEW, published.document)
    for action in Action:
        if action != Action.VIEW:
            assert not may(anonymous, action, published), action


def test_a_signed_in_reader_is_treated_like_the_public(erin: Any, draft: Any) -> None:
    assert not may(erin, Action.VIEW, draft)
    assert not may(erin, Action.CREATE)


def test_staff_may_view_everything_and_change_nothing(dave: Any, draft: Any) -> None:
    assert may(dave, Action.VIEW, draft)
    assert may(dave, Action.VIEW_HISTORY, draft)
    for action in [Action.CREATE, Action.EDIT, Action.SUBMIT, Action.PUBLISH, Action.REVERT]:
        assert not may(dave, action, draft), action


def test_fact_checkers_create_edit_and_submit_but_do_not_publish(alice: Any, draft: Any) -> None:
    for action in [Action.VIEW, Action.VIEW_HISTORY, Action.CREATE, Action.EDIT, Action.SUBMIT, Action.PROPOSE_LINK]:
        assert may(alice, action, draft), action
    for action in [Action.PUBLISH, Action.RETRACT, Action.REQUEST_CHANGES, Action.REVIEW_LINK, Action.REVERT]:
        assert denial(alice, action, draft) == f"Only editors may {Action(action).label} this."


def test_editors_may_do_everything_fact_checkers_can_and_review(bob: Any, draft: Any) -> None:
    for action in Action:
        assert may(bob, action, draft), action


def test_four_eyes_nobody_publishes_their_own_change(alice: Any, bob: Any) -> None:
    claim = make_claim(bob)
    assert not may(bob, Action.PUBLISH, claim)
    assert "Four eyes" in denial(bob, Action.PUBLISH, claim)


def test_four_eyes_nobody_accepts_their_own_link(alice: Any, bob: Any, carol: Any) -> None:
    first, second = make_claim(alice), make_claim(alice, text="Another claim")
    link = make_link(bob, first, second)
    assert not may(bob, Action.REVIEW_LINK, link)
    assert may(carol, Action.REVIEW_LINK, link)


def test_snapshots_are_never_edited_even_by_editors(bob: Any, draft: Any) -> None:
    snapshot = make_snapshot(bob, draft.document)
    assert not may(bob, Action.EDIT, snapshot)


def test_require_raises_with_the_reason(alice: Any, draft: Any) -> None:
    with pytest.raises(PermissionDenied, match=r"Only editors may publish this\."):
        require(alice, Action.PUBLISH, draft)
    require(alice, Action.EDIT, draft)
