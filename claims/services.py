"""Every write to claims and links: the editorial workflow.

Each function is keyword-only and atomic: it locks the object, refuses a stale version,
checks the actor's permission (factcheck.permissions), checks that the workflow allows the
step, applies it, records the reason in the history and writes the ReviewEvent. The HTML
views, the API, the admin and the management commands all call these.

    draft ──submit──> in_review ──publish──> published ──retract──> retracted
                        │  ^                      │
          request_changes  submit        (an edit sends it back to in_review;
                        v  │              the public keeps the published version)
                 changes_requested
"""

from collections.abc import Callable, Collection
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from claims import notifications, publication, references
from claims.choices import ClaimStatus, Credibility, LinkStatus, ReviewAction
from claims.models import Claim, ClaimLink, PublicClaim, ReviewEvent
from claims.peer_reviews import Page, Party, PeerReview
from factcheck.errors import InvalidTransition
from factcheck.permissions import Action, denial, require
from factcheck.revisions import lock_at_version, restore_fields, save_revision
from publicrecord import services as record_services
from sources import services as source_services
from sources.models import Annotation, Document, Reliability, Source
from sources.services import unique_slug

CLAIM_CONTENT_FIELDS = [
    "text", "quote", "quote_language", "claimant", "document", "primary_source", "annotation",
    "asserted_on", "asserted_precision", "credibility", "credibility_rationale", "peer_rating",
]
LINK_CONTENT_FIELDS = ["link_type", "rationale"]
EDITABLE_STATUSES = {
    ClaimStatus.DRAFT, ClaimStatus.CHANGES_REQUESTED, ClaimStatus.IN_REVIEW, ClaimStatus.PUBLISHED,
}


def _record(
    *, claim: Claim | None = None, link: ClaimLink | None = None, action: str, from_status: str,
    to_status: str, actor: Any, comment: str = "",
) -> ReviewEvent:
    subject = claim or link
    event = ReviewEvent(
        claim=claim, link=link, action=action, from_status=from_status, to_status=to_status,
        version=subject.version, actor=actor, actor_username=actor.get_username(), comment=comment,
    )
    return save_revision(event, actor=actor, reason=ReviewAction(action).label)


def _require_text(value: str, *, field: str, message: str) -> str:
    if not value or not value.strip():
        raise ValidationError({field: message}, code="required")
    return value.strip()


def _refuse(claim: Claim, step: str) -> InvalidTransition:
    return InvalidTransition(f"A claim that is {claim.get_status_display().lower()} cannot be {step}.")


def _check_content(claim: Claim, changes: dict[str, Any]) -> None:
    unknown = set(changes) - set(CLAIM_CONTENT_FIELDS)
    if unknown:
        raise ValidationError({name: "This field cannot be changed here." for name in sorted(unknown)})
    _check_reference_form(changes.get("credibility_rationale", ""), field="credibility_rationale")


def _check_reference_form(text: str, *, field: str) -> None:
    bad = references.malformed(text)
    if bad:
        raise ValidationError({field: f"{bad[0]} is not a reference: cite a claim as [[claim:its-slug]]."},
                              code="bad_reference")


def _check_references_public(text: str, *, field: str, itself: str = "", alongside: Collection[str] = ()) -> None:
    """Everything a published rationale cites must be public too (or published at the same time)."""
    cited = [slug for slug in references.referenced_slugs(text) if slug != itself and slug not in alongside]
    if not cited:
        return
    public = set(PublicClaim.objects.filter(slug__in=cited).values_list("slug", flat=True))
    existing = set(Claim.objects.filter(slug__in=cited).values_list("slug", flat=True))
    for slug in cited:
        if slug not in existing:
            raise ValidationError({field: f"It cites [[claim:{slug}]], which does not exist."}, code="bad_reference")
        if slug not in public:
            raise ValidationError({field: f"It cites [[claim:{slug}]], which is not published: publish that claim "
                                   "first, or both together."}, code="unpublished_reference")


@transaction.atomic
def claim_create(*, actor: Any, slug: str = "", reason: str = "Claim drafted", **content: Any) -> Claim:
    """A new draft claim by `actor`."""
    require(actor, Action.CREATE)
    claim = Claim(created_by=actor, last_changed_by=actor, status=ClaimStatus.DRAFT)
    _check_content(claim, content)
    for name, value in content.items():
        setattr(claim, name, value)
    claim.slug = slug or unique_slug(Claim, claim.text or "claim")
    save_revision(claim, actor=actor, reason=reason)
    _record(claim=claim, action=ReviewAction.CREATE, from_status="", to_status=claim.status, actor=actor)
    return claim


@transaction.atomic
def claim_import_peer_review(*, actor: Any, review: PeerReview, page: Page | None = None) -> tuple[Claim, bool]:
    """A draft claim from another fact-checker's ClaimReview, with its provenance, and True;
    or the claim already imported from it (the same review URL and text), and False.

    The reviewing organisation is a source (found by name, else created ungraded, F); the
    review is the claim's document. When the review came as a page (`page`, its HTML), the
    page is archived as a snapshot of that document, and the claim's words, if they appear in
    it verbatim, become the quote, anchored there. Our credibility is 6 until we grade it;
    the peer's rating is kept beside it, verbatim (`peer_rating`). Nothing else is assumed.
    """
    require(actor, Action.CREATE)
    existing = Claim.objects.imported_from(url=review.url, text=review.claim_reviewed).order_by("pk").first()
    if existing is not None:
        return existing, False
    reviewer = _peer_source(actor=actor, party=review.reviewer)
    # Who made the claim, if the review names them; else the review states it in its own words.
    claimant = _peer_source(actor=actor, party=review.claimant) if review.claimant else reviewer
    document = Document.objects.filter(url=review.url).order_by("pk").first() or source_services.document_create(
        actor=actor, reason=f"The review of an imported ClaimReview ({review.url})", title=review.title,
        publisher=reviewer, url=review.url, language=review.language, published_on=review.published.value,
        published_precision=review.published.precision)
    quote, annotation = "", None
    if page is not None:
        snapshot, _ = source_services.snapshot_capture(document=document, actor=actor, content=page.content,
                                                       content_type=page.content_type, origin=page.origin)
        start = snapshot.text.find(review.claim_reviewed)
        if start >= 0:
            quote = review.claim_reviewed
            annotation = source_services.annotation_create(
                snapshot=snapshot, actor=actor, start=start, end=start + len(quote),
                motivation=Annotation.Motivation.ASSESSING, reason="The claim as an imported ClaimReview states it",
                body=f"The claim as {reviewer.name} states it in its review.")
    claim = claim_create(
        actor=actor, reason=f"Imported from {reviewer.name}'s ClaimReview at {review.url}",
        text=review.claim_reviewed, quote=quote, quote_language=document.language, claimant=claimant,
        document=document, annotation=annotation, asserted_on=review.asserted.value,
        asserted_precision=review.asserted.precision, credibility=Credibility.CANNOT_BE_JUDGED,
        # Nothing the peer wrote goes into our rationale (a name could read as a [[claim:…]] reference).
        credibility_rationale="Imported from another fact-checker's ClaimReview (the document): it awaits our "
        "grading. The rating beside it is theirs, not ours.",
        peer_rating=review.rating,
    )
    return claim, True


def _peer_source(*, actor: Any, party: Party) -> Source:
    """The source of this name, or a new one, ungraded."""
    found = Source.objects.filter(name__iexact=party.name).order_by("pk").first()
    if found is not None:
        return found
    return source_services.source_create(
        actor=actor, reason="Named in an imported ClaimReview", name=party.name, kind=party.kind,
        homepage=party.homepage, reliability=Reliability.F,
        reliability_rationale=f"Imported from ClaimReview markup on {timezone.now():%Y-%m-%d} and not yet "
        "graded: we have not assessed its record.")


@transaction.atomic
def claim_update(*, claim: Claim, actor: Any, version: int | None, changes: dict[str, Any], reason: str) -> Claim:
    """Change a claim's content. A published claim goes back to review; the public keeps
    reading its published version until an editor publishes again."""
    claim = lock_at_version(Claim, claim.pk, version=version)
    require(actor, Action.EDIT, claim)
    if claim.status not in EDITABLE_STATUSES:
        raise _refuse(claim, "edited")
    reason = _require_text(reason, field="reason", message="Say what you changed and why.")
    _check_content(claim, changes)
    changed = [name for name, value in changes.items() if getattr(claim, name) != value]
    if not changed:
        raise ValidationError("Nothing changed.", code="no_change")
    for name in changed:
        setattr(claim, name, changes[name])
    from_status = claim.status
    if claim.status == ClaimStatus.PUBLISHED:
        claim.status = ClaimStatus.IN_REVIEW
    claim.last_changed_by = actor
    save_revision(claim, actor=actor, reason=reason)
    _record(claim=claim, action=ReviewAction.EDIT, from_status=from_status, to_status=claim.status,
            actor=actor, comment=f"{reason} (changed: {', '.join(changed)})")
    return claim


@transaction.atomic
def claim_submit(*, claim: Claim, actor: Any, version: int | None, comment: str = "") -> Claim:
    claim = lock_at_version(Claim, claim.pk, version=version)
    require(actor, Action.SUBMIT, claim)
    if claim.status not in {ClaimStatus.DRAFT, ClaimStatus.CHANGES_REQUESTED}:
        raise _refuse(claim, "submitted")
    from_status, claim.status = claim.status, ClaimStatus.IN_REVIEW
    claim.submitted_by = actor
    save_revision(claim, actor=actor, reason=f"Submitted for review{': ' + comment if comment else ''}")
    _record(claim=claim, action=ReviewAction.SUBMIT, from_status=from_status, to_status=claim.status,
            actor=actor, comment=comment)
    notifications.claim_submitted(claim=claim, actor=actor, comment=comment)
    return claim


@transaction.atomic
def claim_request_changes(*, claim: Claim, actor: Any, version: int | None, comment: str) -> Claim:
    claim = lock_at_version(Claim, claim.pk, version=version)
    require(actor, Action.REQUEST_CHANGES, claim)
    if claim.status != ClaimStatus.IN_REVIEW:
        raise _refuse(claim, "sent back for changes")
    comment = _require_text(comment, field="comment", message="Tell the fact-checker what to change.")
    from_status, claim.status = claim.status, ClaimStatus.CHANGES_REQUESTED
    save_revision(claim, actor=actor, reason=f"Changes requested: {comment}")
    _record(claim=claim, action=ReviewAction.REQUEST_CHANGES, from_status=from_status,
            to_status=claim.status, actor=actor, comment=comment)
    notifications.claim_sent_back(claim=claim, actor=actor, comment=comment,
                                  contributor_ids=claim.pending_contributor_ids())
    return claim


@transaction.atomic
def claim_publish(*, claim: Claim, actor: Any, version: int | None, comment: str = "", note: str = "",
                  exception: str = "", alongside: Collection[str] = ()) -> Claim:
    """Publish the claim as it stands, appending it to the public record.

    Four eyes: not by anyone who wrote, edited, reverted or submitted it since it was last
    published (`Claim.pending_contributor_ids`). A correction (any publish after
    the first) needs a note to readers. The quote must be anchored in an archived snapshot of
    the claim's document, unless the editor records a public exception saying why not.
    """
    claim = lock_at_version(Claim, claim.pk, version=version)
    require(actor, Action.PUBLISH, claim)
    if claim.status != ClaimStatus.IN_REVIEW:
        raise _refuse(claim, "published")
    correction = claim.first_published_at is not None
    note = (note or "").strip()
    if correction and not note:
        raise ValidationError({"note": "Tell readers what this correction changes and why; they will read it."},
                              code="required")
    _check_references_public(claim.credibility_rationale, field="credibility_rationale", itself=claim.slug,
                             alongside=alongside)
    problem = publication.evidence_problem(claim)
    exception = (exception or "").strip() or (claim.evidence_exception if problem else "")
    if problem and not exception:
        raise ValidationError({"exception": f"Not published: {problem} Anchor the quote in an archived copy "
                               "of the document, or record a public exception saying why there is none."},
                              code="no_evidence")
    contributors = claim.pending_contributor_ids()  # before publishing empties the pending revision
    record_services.lock()
    now = timezone.now()
    from_status, claim.status = claim.status, ClaimStatus.PUBLISHED
    claim.published_version = claim.version + 1  # the version this save creates
    claim.published_at = now
    claim.first_published_at = claim.first_published_at or now
    claim.evidence_exception = exception if problem else ""
    save_revision(claim, actor=actor, reason=f"Published{': ' + comment if comment else ''}")
    cited = [claim.claimant, claim.primary_source, claim.document, claim.document.publisher, claim.annotation]
    if claim.annotation is not None:
        cited += [claim.annotation.snapshot.document, claim.annotation.snapshot.document.publisher]
    source_services.mark_public(objects=cited, when=now, actor=actor)
    publication.record_publication(claim=claim, editor=publication.public_name(actor), at=now, note=note,
                                   exception=claim.evidence_exception)
    if not correction:
        # Its accepted links to claims already public now show on their pages too.
        for other_id in _linked_claim_ids(claim.pk):
            publication.record_evidence(claim_id=other_id, editor=publication.public_name(actor), at=now, note="")
    _record(claim=claim, action=ReviewAction.PUBLISH, from_status=from_status, to_status=claim.status,
            actor=actor, comment=comment or note)
    notifications.claim_published(claim=claim, actor=actor, note=note, contributor_ids=contributors)
    return claim


@transaction.atomic
def claims_publish_together(*, claims: list[Claim], actor: Any, note: str = "") -> list[Claim]:
    """Publish claims that cite one another, all or none: each is published as claim_publish
    would (four eyes, evidence, versions), and their references to each other count as public."""
    slugs = {claim.slug for claim in claims}
    return [claim_publish(claim=claim, actor=actor, version=claim.version, note=note, alongside=slugs)
            for claim in claims]


def _linked_claim_ids(claim_id: int) -> list[int]:
    pairs = ClaimLink.objects.filter(status=LinkStatus.ACCEPTED).filter(
        models.Q(from_claim_id=claim_id) | models.Q(to_claim_id=claim_id)).values_list("from_claim_id", "to_claim_id")
    return sorted({b if a == claim_id else a for a, b in pairs})


@transaction.atomic
def claim_retract(*, claim: Claim, actor: Any, version: int | None, reason: str) -> Claim:
    """Withdraw a published claim; it stays public with the retraction notice."""
    claim = lock_at_version(Claim, claim.pk, version=version)
    require(actor, Action.RETRACT, claim)
    if claim.published_version is None or claim.status == ClaimStatus.RETRACTED:
        raise _refuse(claim, "retracted")
    reason = _require_text(reason, field="reason", message="Give the reason for the retraction; readers will see it.")
    record_services.lock()
    from_status, claim.status = claim.status, ClaimStatus.RETRACTED
    claim.retraction_reason = reason
    save_revision(claim, actor=actor, reason=f"Retracted: {reason}")
    publication.record_retraction(claim=claim, editor=publication.public_name(actor), at=timezone.now(),
                                  note=reason)
    _record(claim=claim, action=ReviewAction.RETRACT, from_status=from_status, to_status=claim.status,
            actor=actor, comment=reason)
    return claim


@transaction.atomic
def claim_revert(*, claim: Claim, actor: Any, version: int | None, history_id: int, reason: str) -> Claim:
    """Restore the claim's content as it was at revision `history_id`, as a new revision.

    Like any edit, reverting a published claim sends it back to review."""
    claim = lock_at_version(Claim, claim.pk, version=version)
    require(actor, Action.REVERT, claim)
    if claim.status not in EDITABLE_STATUSES:
        raise _refuse(claim, "reverted")
    reason = _require_text(reason, field="reason", message="Say why you revert.")
    record = claim.history.filter(history_id=history_id).first()
    if record is None:
        raise ValidationError({"history_id": "No such revision of this claim."})
    changed = restore_fields(claim, record, CLAIM_CONTENT_FIELDS)
    if not changed:
        raise ValidationError({"history_id": "This revision has the same content as the current one."})
    from_status = claim.status
    if claim.status == ClaimStatus.PUBLISHED:
        claim.status = ClaimStatus.IN_REVIEW
    claim.last_changed_by = actor
    note = f"Reverted to version {record.version} ({', '.join(changed)}): {reason}"
    save_revision(claim, actor=actor, reason=note)
    _record(claim=claim, action=ReviewAction.REVERT, from_status=from_status, to_status=claim.status,
            actor=actor, comment=note)
    return claim


@transaction.atomic
def link_propose(
    *, actor: Any, from_claim: Claim, to_claim: Claim, link_type: str, rationale: str
) -> ClaimLink:
    require(actor, Action.PROPOSE_LINK, from_claim)
    rationale = _require_text(rationale, field="rationale", message="Explain why these claims are linked.")
    _check_reference_form(rationale, field="rationale")
    link = ClaimLink(
        from_claim=from_claim, to_claim=to_claim, link_type=link_type, rationale=rationale,
        proposed_by=actor, status=LinkStatus.PROPOSED,
    )
    try:
        with transaction.atomic():
            save_revision(link, actor=actor, reason="Link proposed")
    except IntegrityError:
        # Lost a race to an identical proposal after full_clean() passed.
        raise ValidationError("These two claims already have a link of this type.", code="duplicate") from None
    _record(link=link, action=ReviewAction.PROPOSE, from_status="", to_status=link.status, actor=actor,
            comment=rationale)
    return link


def _refresh_evidence(link: ClaimLink, *, actor: Any, note: str = "") -> None:
    """Append a record for each public claim whose accepted links this change altered."""
    now = timezone.now()
    for claim_id in (link.from_claim_id, link.to_claim_id):
        publication.record_evidence(claim_id=claim_id, editor=publication.public_name(actor), at=now, note=note)


def _review_link(*, link: ClaimLink, actor: Any, version: int | None, decision: str, comment: str,
                 note: str = "") -> ClaimLink:
    link = lock_at_version(ClaimLink, link.pk, version=version)
    require(actor, Action.REVIEW_LINK, link)
    if link.status != LinkStatus.PROPOSED:
        raise InvalidTransition(f"This link is already {link.get_status_display().lower()}.")
    from_status = link.status
    if decision == ReviewAction.ACCEPT:
        _check_references_public(link.rationale, field="rationale", itself=link.from_claim.slug,
                                 alongside=[link.to_claim.slug])
    link.status = LinkStatus.ACCEPTED if decision == ReviewAction.ACCEPT else LinkStatus.REJECTED
    link.reviewed_by = actor
    link.reviewed_at = timezone.now()
    label = ReviewAction(decision).label
    save_revision(link, actor=actor, reason=f"{label}{': ' + comment if comment else ''}")
    if link.status == LinkStatus.ACCEPTED:
        record_services.lock()
        _refresh_evidence(link, actor=actor, note=note.strip())
    _record(link=link, action=decision, from_status=from_status, to_status=link.status, actor=actor, comment=comment)
    notifications.link_decided(link=link, actor=actor, decision=label.removeprefix("Link ").lower(), comment=comment)
    return link


@transaction.atomic
def link_accept(*, link: ClaimLink, actor: Any, version: int | None, comment: str = "", note: str = "") -> ClaimLink:
    """Accept a proposed link; between two public claims it shows at once, with a record for each."""
    return _review_link(link=link, actor=actor, version=version, decision=ReviewAction.ACCEPT, comment=comment,
                        note=note)


@transaction.atomic
def link_reject(*, link: ClaimLink, actor: Any, version: int | None, comment: str) -> ClaimLink:
    comment = _require_text(comment, field="comment", message="Say why the link is rejected.")
    return _review_link(link=link, actor=actor, version=version, decision=ReviewAction.REJECT, comment=comment)


@transaction.atomic
def link_withdraw(*, link: ClaimLink, actor: Any, version: int | None, reason: str) -> ClaimLink:
    """Withdraw an accepted link that no longer holds; readers see the reason as the note."""
    link = lock_at_version(ClaimLink, link.pk, version=version)
    require(actor, Action.RETRACT, link.from_claim)
    if link.status != LinkStatus.ACCEPTED:
        raise InvalidTransition("Only an accepted link can be withdrawn; this one is "
                                f"{link.get_status_display().lower()}.")
    reason = _require_text(reason, field="reason", message="Say why the link no longer holds; readers will see it.")
    record_services.lock()
    from_status, link.status = link.status, LinkStatus.REJECTED
    link.reviewed_by, link.reviewed_at = actor, timezone.now()
    save_revision(link, actor=actor, reason=f"Withdrawn: {reason}")
    _refresh_evidence(link, actor=actor, note=reason)
    _record(link=link, action=ReviewAction.WITHDRAW, from_status=from_status, to_status=link.status, actor=actor,
            comment=reason)
    notifications.link_decided(link=link, actor=actor, decision="withdrew", comment=reason)
    return link


@transaction.atomic
def link_update(*, link: ClaimLink, actor: Any, version: int | None, changes: dict[str, Any],
                reason: str) -> ClaimLink:
    """Change a link's type or rationale. It goes back to review: an accepted link leaves the
    public evidence until another editor accepts the new wording."""
    link = lock_at_version(ClaimLink, link.pk, version=version)
    require(actor, Action.PROPOSE_LINK, link.from_claim)
    reason = _require_text(reason, field="reason", message="Say what you changed and why.")
    unknown = set(changes) - set(LINK_CONTENT_FIELDS)
    if unknown:
        raise ValidationError({name: "This field cannot be changed here." for name in sorted(unknown)})
    _check_reference_form(changes.get("rationale", ""), field="rationale")
    changed = [name for name, value in changes.items() if getattr(link, name) != value]
    if not changed:
        raise ValidationError("Nothing changed.", code="no_change")
    was_public = link.status == LinkStatus.ACCEPTED
    for name in changed:
        setattr(link, name, changes[name])
    from_status, link.status = link.status, LinkStatus.PROPOSED
    link.proposed_by, link.reviewed_by, link.reviewed_at = actor, None, None
    try:
        with transaction.atomic():
            save_revision(link, actor=actor, reason=reason)
    except IntegrityError:
        raise ValidationError("These two claims already have a link of this type.", code="duplicate") from None
    if was_public:
        record_services.lock()
        _refresh_evidence(link, actor=actor, note="A link was withdrawn for review.")
    _record(link=link, action=ReviewAction.EDIT, from_status=from_status, to_status=link.status, actor=actor,
            comment=f"{reason} (changed: {', '.join(changed)})")
    return link


@transaction.atomic
def link_revert(*, link: ClaimLink, actor: Any, version: int | None, history_id: int, reason: str) -> ClaimLink:
    """Restore a link's type and rationale from an earlier revision; it goes back to review."""
    link = lock_at_version(ClaimLink, link.pk, version=version)
    require(actor, Action.REVERT, link)
    reason = _require_text(reason, field="reason", message="Say why you revert.")
    record = link.history.filter(history_id=history_id).first()
    if record is None:
        raise ValidationError({"history_id": "No such revision of this link."})
    changed = restore_fields(link, record, LINK_CONTENT_FIELDS)
    if not changed:
        raise ValidationError({"history_id": "This revision has the same content as the current one."})
    was_public = link.status == LinkStatus.ACCEPTED
    from_status, link.status = link.status, LinkStatus.PROPOSED
    # The reverting editor now stands behind the content: another editor reviews it.
    link.proposed_by, link.reviewed_by, link.reviewed_at = actor, None, None
    note = f"Reverted to version {record.version} ({', '.join(changed)}): {reason}"
    save_revision(link, actor=actor, reason=note)
    if was_public:
        # Back in review: the link leaves the public evidence until an editor accepts it again.
        record_services.lock()
        _refresh_evidence(link, actor=actor, note="A link was withdrawn for review.")
    _record(link=link, action=ReviewAction.REVERT, from_status=from_status, to_status=link.status,
            actor=actor, comment=note)
    return link


# Each workflow step with one signature (object, actor, version, comment), for the pages and
# the admin actions that offer them by name.
# `note` (to readers) and `exception` (no archived copy) matter only to publishing and
# accepting; the other steps ignore them.
CLAIM_STEPS: dict[str, Callable[..., Claim]] = {
    "submit": lambda claim, *, actor, version, comment, **public: claim_submit(
        claim=claim, actor=actor, version=version, comment=comment),
    "request-changes": lambda claim, *, actor, version, comment, **public: claim_request_changes(
        claim=claim, actor=actor, version=version, comment=comment),
    "publish": lambda claim, *, actor, version, comment, note="", exception="": claim_publish(
        claim=claim, actor=actor, version=version, comment=comment, note=note, exception=exception),
    "retract": lambda claim, *, actor, version, comment, **public: claim_retract(
        claim=claim, actor=actor, version=version, reason=comment),
}
LINK_STEPS: dict[str, Callable[..., ClaimLink]] = {
    "accept": lambda link, *, actor, version, comment, note="", **public: link_accept(
        link=link, actor=actor, version=version, comment=comment, note=note),
    "reject": lambda link, *, actor, version, comment, **public: link_reject(
        link=link, actor=actor, version=version, comment=comment),
    "withdraw": lambda link, *, actor, version, comment, **public: link_withdraw(
        link=link, actor=actor, version=version, reason=comment),
}

# Which steps a person may take on an object, and why not the others: the one answer the desk
# pages, the review queue, the admin and the API give. Each refusal is the one the service
# itself would raise (its permission check first, then the workflow's), so a page never
# offers a step the service refuses, and says why in the same words.
CLAIM_STEP_ACTIONS = {
    "edit": Action.EDIT, "submit": Action.SUBMIT, "request-changes": Action.REQUEST_CHANGES,
    "publish": Action.PUBLISH, "retract": Action.RETRACT, "propose-link": Action.PROPOSE_LINK,
}
STEP_WORDS = {
    "edit": "edit", "submit": "submit for review", "request-changes": "send back for changes",
    "publish": "publish", "retract": "retract", "propose-link": "propose a link",
    "accept": "accept", "reject": "reject", "withdraw": "withdraw",
}


def _claim_workflow_refusal(claim: Claim, step: str) -> str | None:
    status = claim.status
    if step == "edit" and status not in EDITABLE_STATUSES:
        return str(_refuse(claim, "edited"))
    if step == "submit" and status not in {ClaimStatus.DRAFT, ClaimStatus.CHANGES_REQUESTED}:
        return str(_refuse(claim, "submitted"))
    if step == "request-changes" and status != ClaimStatus.IN_REVIEW:
        return str(_refuse(claim, "sent back for changes"))
    if step == "publish" and status != ClaimStatus.IN_REVIEW:
        return str(_refuse(claim, "published"))
    if step == "retract" and (claim.published_version is None or status == ClaimStatus.RETRACTED):
        return str(_refuse(claim, "retracted"))
    return None


def _link_refusal(user: Any, link: ClaimLink, step: str) -> str | None:
    if step in {"accept", "reject"}:
        reason = denial(user, Action.REVIEW_LINK, link)
        if reason is None and link.status != LinkStatus.PROPOSED:
            reason = f"This link is already {link.get_status_display().lower()}."
        return reason
    if step == "withdraw":
        reason = denial(user, Action.RETRACT, link.from_claim)
        if reason is None and link.status != LinkStatus.ACCEPTED:
            reason = ("Only an accepted link can be withdrawn; this one is "
                      f"{link.get_status_display().lower()}.")
        return reason
    return denial(user, Action.PROPOSE_LINK, link.from_claim)  # edit


def step_refusals(user: Any, obj: Claim | ClaimLink) -> dict[str, str | None]:
    """Each step on this claim or link (CLAIM_STEPS and LINK_STEPS, plus editing and, for a
    claim, proposing a link from it), with the reason `user` may not take it now, or None."""
    if isinstance(obj, ClaimLink):
        return {step: _link_refusal(user, obj, step) for step in [*LINK_STEPS, "edit"]}
    refusals: dict[str, str | None] = {}
    for step, action in CLAIM_STEP_ACTIONS.items():
        refusals[step] = denial(user, action, obj) or _claim_workflow_refusal(obj, step)
    return refusals


def allowed_steps(user: Any, obj: Claim | ClaimLink) -> list[str]:
    """The steps `user` may take on this claim or link now, by name (see step_refusals)."""
    return [step for step, reason in step_refusals(user, obj).items() if reason is None]


def offered_steps(user: Any, obj: Claim | ClaimLink) -> dict[str, str | None]:
    """The steps the workflow allows from the object's status, each with the reason `user` may
    not take it (None when they may): what a page offers, or says in place why not."""
    refusals = step_refusals(user, obj)
    if isinstance(obj, ClaimLink):
        open_steps = {LinkStatus.PROPOSED: ["accept", "reject", "edit"], LinkStatus.ACCEPTED: ["withdraw", "edit"],
                      LinkStatus.REJECTED: ["edit"]}[obj.status]
        return {step: refusals[step] for step in open_steps}
    return {step: reason for step, reason in refusals.items() if _claim_workflow_refusal(obj, step) is None}
