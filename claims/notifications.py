"""Email to the people a workflow step concerns, once each, after the step is committed.

The services call these inside their transactions, once per step however many claims or
links it takes (the addresses are then read in one query): nothing is sent for a step
that rolls back, and a mail server that is down cannot undo a publication. Who is concerned:

- a claim submitted for review: the editors (except whoever submitted it);
- a claim sent back for changes or published: its author and everyone whose edit was in the
  revision (except whoever took the step);
- a link accepted, rejected or withdrawn: whoever proposed it.

FACTCHECK_NOTIFY_BY_EMAIL=0 turns them off; accounts without an email address get none.
"""

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Message:
    """One notification: to whom (user ids), about what, and the desk page it points to."""

    recipient_ids: frozenset[int]
    subject: str
    lines: tuple[str, ...]
    path: str


def after_commit(*, messages: Iterable[Message], actor: Any) -> None:
    """Send these messages once the current transaction commits; never to the actor, never
    twice to one address."""
    if not settings.FACTCHECK_NOTIFY_BY_EMAIL:
        return
    pending = []
    for message in messages:
        ids = frozenset(pk for pk in message.recipient_ids if pk is not None) - {actor.pk}
        if ids:
            pending.append(Message(recipient_ids=ids, subject=message.subject, lines=message.lines,
                                   path=message.path))
    if pending:
        transaction.on_commit(lambda: send(pending))


def send(messages: list[Message]) -> int:
    """One email per address and message (no one sees the others' addresses), the addresses
    of all of them read in one query; the number sent."""
    ids = set().union(*(message.recipient_ids for message in messages))
    emails = dict(get_user_model().objects.filter(pk__in=ids, is_active=True).exclude(email="")
                  .values_list("pk", "email"))
    if not emails:
        return 0
    outgoing = []
    for message in messages:
        addresses = sorted({emails[pk].strip().lower(): emails[pk] for pk in sorted(message.recipient_ids)
                            if pk in emails}.values())
        link = f"{settings.FACTCHECK_PUBLISHER_URL.rstrip('/')}{message.path}"
        body = "\n\n".join([*message.lines, f"Open it on the desk: {link}",
                             "You receive this because you work on this claim at the desk."])
        outgoing += [EmailMessage(subject=f"[{settings.FACTCHECK_PUBLISHER_NAME}] {message.subject}", body=body,
                                  to=[address]) for address in addresses]
    if not outgoing:
        return 0
    try:
        return get_connection(fail_silently=False).send_messages(outgoing) or 0
    except OSError:
        # The step is done and committed; a mail server that is down is logged, not raised.
        logger.warning("Could not send %d notification(s): %s", len(outgoing),
                       "; ".join(message.subject for message in messages), exc_info=True)
        return 0


def claim_path(claim: Any) -> str:
    return reverse("claims:desk-claim", kwargs={"slug": claim.slug})


def _said(comment: str) -> list[str]:
    return [f"“{comment}”"] if comment else []


def claims_submitted(*, claims: Sequence[Any], actor: Any, comment: str) -> None:
    if not settings.FACTCHECK_NOTIFY_BY_EMAIL:
        return  # not even the query for the editors
    editors = frozenset(editor_ids())
    after_commit(actor=actor, messages=[
        Message(recipient_ids=editors, subject=f"To review: {claim.text[:80]}",
                lines=(f"{actor.get_username()} submitted a claim for review:", claim.text, *_said(comment)),
                path=reverse("claims:review-queue")) for claim in claims])


def claim_sent_back(*, claim: Any, actor: Any, comment: str, contributor_ids: Iterable[int]) -> None:
    after_commit(actor=actor, messages=[Message(
        recipient_ids=frozenset({claim.created_by_id, *contributor_ids}),
        subject=f"Changes requested: {claim.text[:80]}",
        lines=(f"{actor.get_username()} sent this claim back for changes:", claim.text, *_said(comment)),
        path=claim_path(claim))])


def claims_published(*, published: Sequence[tuple[Any, str, Iterable[int]]], actor: Any) -> None:
    """Each published claim, with its note to readers and its contributors' ids."""
    after_commit(actor=actor, messages=[Message(
        recipient_ids=frozenset({claim.created_by_id, *contributor_ids}), subject=f"Published: {claim.text[:80]}",
        lines=(f"{actor.get_username()} published this claim (version {claim.version}):", claim.text,
               *_said(note)),
        path=claim_path(claim)) for claim, note, contributor_ids in published])


def links_decided(*, links: Sequence[Any], actor: Any, decision: str, comment: str) -> None:
    after_commit(actor=actor, messages=[Message(
        recipient_ids=frozenset({link.proposed_by_id}),
        subject=f"Link {decision}: {link.from_claim.text[:40]} {link.get_link_type_display().lower()} "
        f"{link.to_claim.text[:40]}",
        lines=(f"{actor.get_username()} {decision} the link you proposed:",
               f"{link.from_claim.text} — {link.get_link_type_display().lower()} — {link.to_claim.text}",
               *_said(comment)),
        path=claim_path(link.from_claim)) for link in links])
