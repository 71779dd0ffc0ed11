"""Email to the people a workflow step concerns, once each, after the step is committed.

The services call `after_commit(...)` inside their transactions: nothing is sent for a step
that rolls back, and a mail server that is down cannot undo a publication. Who is concerned:

- a claim submitted for review: the editors (except whoever submitted it);
- a claim sent back for changes or published: its author and everyone whose edit was in the
  revision (except whoever took the step);
- a link accepted, rejected or withdrawn: whoever proposed it.

FACTCHECK_NOTIFY_BY_EMAIL=0 turns them off; accounts without an email address get none.
"""

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse

from factcheck.roles import EDITORS

logger = logging.getLogger(__name__)


def editor_ids() -> set[int]:
    return set(get_user_model().objects.filter(groups__name=EDITORS, is_active=True).values_list("pk", flat=True))


def after_commit(*, recipient_ids: Iterable[int | None], actor: Any, subject: str, lines: list[str],
                 path: str) -> None:
    """Send this message to these users once the current transaction commits; never to the
    actor, never twice to one address."""
    if not settings.FACTCHECK_NOTIFY_BY_EMAIL:
        return
    ids = {pk for pk in recipient_ids if pk is not None} - {actor.pk}
    if not ids:
        return
    transaction.on_commit(lambda: send(recipient_ids=ids, subject=subject, lines=lines, path=path))


def send(*, recipient_ids: set[int], subject: str, lines: list[str], path: str) -> int:
    """One email per address (no one sees the others' addresses); the number sent."""
    addresses = sorted({email.strip().lower(): email for email in get_user_model().objects.filter(
        pk__in=recipient_ids, is_active=True).exclude(email="").values_list("email", flat=True)}.values())
    if not addresses:
        return 0
    link = f"{settings.FACTCHECK_PUBLISHER_URL.rstrip('/')}{path}"
    body = "\n\n".join([*lines, f"Open it on the desk: {link}",
                        "You receive this because you work on this claim at the desk."])
    messages = [EmailMessage(subject=f"[{settings.FACTCHECK_PUBLISHER_NAME}] {subject}", body=body, to=[address])
                for address in addresses]
    try:
        return get_connection(fail_silently=False).send_messages(messages) or 0
    except OSError:
        # The step is done and committed; a mail server that is down is logged, not raised.
        logger.warning("Could not send %d notification(s): %s", len(messages), subject, exc_info=True)
        return 0


def claim_path(claim: Any) -> str:
    return reverse("claims:desk-claim", kwargs={"slug": claim.slug})


def _said(comment: str) -> list[str]:
    return [f"“{comment}”"] if comment else []


def claim_submitted(*, claim: Any, actor: Any, comment: str) -> None:
    if not settings.FACTCHECK_NOTIFY_BY_EMAIL:
        return  # not even the query for the editors
    after_commit(recipient_ids=editor_ids(), actor=actor, subject=f"To review: {claim.text[:80]}",
                 lines=[f"{actor.get_username()} submitted a claim for review:", claim.text, *_said(comment)],
                 path=reverse("claims:review-queue"))


def claim_sent_back(*, claim: Any, actor: Any, comment: str, contributor_ids: Iterable[int]) -> None:
    after_commit(recipient_ids={claim.created_by_id, *contributor_ids}, actor=actor,
                 subject=f"Changes requested: {claim.text[:80]}",
                 lines=[f"{actor.get_username()} sent this claim back for changes:", claim.text, *_said(comment)],
                 path=claim_path(claim))


def claim_published(*, claim: Any, actor: Any, note: str, contributor_ids: Iterable[int]) -> None:
    after_commit(recipient_ids={claim.created_by_id, *contributor_ids}, actor=actor,
                 subject=f"Published: {claim.text[:80]}",
                 lines=[f"{actor.get_username()} published this claim (version {claim.version}):", claim.text,
                        *_said(note)],
                 path=claim_path(claim))


def link_decided(*, link: Any, actor: Any, decision: str, comment: str) -> None:
    after_commit(recipient_ids={link.proposed_by_id}, actor=actor,
                 subject=f"Link {decision}: {link.from_claim.text[:40]} {link.get_link_type_display().lower()} "
                 f"{link.to_claim.text[:40]}",
                 lines=[f"{actor.get_username()} {decision} the link you proposed:",
                        f"{link.from_claim.text} — {link.get_link_type_display().lower()} — {link.to_claim.text}",
                        *_said(comment)],
                 path=claim_path(link.from_claim))
