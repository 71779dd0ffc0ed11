"""Every workflow step for every role: who may take it, and that a refusal writes nothing."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from claims import services
from claims.models import ClaimLink, ReviewEvent
from tests.conftest import make_claim, make_link, publish

# step -> the roles that may take it (four eyes aside: the claims here are carol's work)
ALLOWED = {
    "submit": {"alice", "bob"},
    "request-changes": {"bob"},
    "publish": {"bob"},
    "retract": {"bob"},
    "accept": {"bob"},
    "reject": {"bob"},
}
PERSONAS = ["anonymous", "erin", "dave", "alice", "bob"]


def _subject(step: str, carol: Any, other_editor: Any) -> Any:
    if step in {"accept", "reject"}:
        return make_link(carol, make_claim(carol), make_claim(carol, text="Other"))
    claim = make_claim(carol)
    if step in {"request-changes", "publish"}:
        claim = services.claim_submit(claim=claim, actor=carol, version=claim.version)
    if step == "retract":
        claim = publish(claim, author=carol, editor=other_editor)
    return claim


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("step", list(ALLOWED))
def test_each_step_for_each_role(request: Any, step: str, persona: str, carol: Any) -> None:
    from tests.conftest import _user

    other_editor = _user("olga", group="editors")
    subject = _subject(step, carol, other_editor)
    actor = AnonymousUser() if persona == "anonymous" else request.getfixturevalue(persona)
    steps = services.LINK_STEPS if isinstance(subject, ClaimLink) else services.CLAIM_STEPS
    events_before = ReviewEvent.objects.count()
    history_before = type(subject).history.count()
    if persona in ALLOWED[step]:
        result = steps[step](subject, actor=actor, version=subject.version, comment="Because")
        assert result.version == subject.version + 1
        assert ReviewEvent.objects.count() == events_before + 1
    else:
        with pytest.raises(PermissionDenied):
            steps[step](subject, actor=actor, version=subject.version, comment="Because")
        subject.refresh_from_db()
        assert ReviewEvent.objects.count() == events_before
        assert type(subject).history.count() == history_before
