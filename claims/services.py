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

from collections.abc import Callable, Collection, Sequence
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims import notifications, publication, references
from claims.choices import ClaimStatus, Credibility, LinkStatus, ReviewAction
from claims.models import IMPORTED_RATIONALE, Claim, ClaimLink, PublicClaim, ReviewEvent
from claims.peer_reviews import Page, Party, PeerReview
from claims.querysets import pending_contributors
from factcheck.errors import InvalidTransition
from factcheck.permissions import Action, denial, require
from factcheck.revisions import lock_at_version, lock_at_versions, restore_fields, save_revision, save_revisions
from sources import services as source_services
from sources.models import Annotation, Document, Reliability, Snapshot, Source
from sources.services import unique_slug

CLAIM_CONTENT_FIELDS = [
    "text", "quote", "quote_language", "claimant", "document", "primary_source", "annotation",
    "asserted_on", "asserted_precision", "credibility", "credibility_rationale", "peer_rating",
]
LINK_CONTENT_FIELDS = ["link_type", "rationale"]
EDITABLE_STATUSES = {
    ClaimStatus.DRAFT, ClaimStatus.CHANGES_REQUESTED, ClaimStatus.IN_REVIEW, ClaimStatus.PUBLISHED,
}


def _event(
    *, claim: Claim | None = None, link: ClaimLink | None = None, action: str, from_status: str,
    to_status: str, actor: Any, comment: str = "",
) -> ReviewEvent:
    subject = claim or link
    return ReviewEvent(
        claim=claim, link=link, action=action, from_status=from_status, to_status=to_status,
        version=subject.version, actor=actor, actor_username=actor.get_username(), comment=comment,
    )


def _record(**step: Any) -> ReviewEvent:
    """The review event of one step (see `_event`), saved with its history."""
    return _record_all([_event(**step)], actor=step["actor"])[0]


def _record_all(events: list[ReviewEvent], *, actor: Any) -> list[ReviewEvent]:
    """The review events of a step taken on many objects by `actor`, saved together."""
    return save_revisions(events, actor=actor, reason=[ReviewAction(event.action).label for event in events])


def _require_text(value: str, *, field: str, message: str) -> str:
    if not value or not value.strip():
        raise ValidationError({field: message}, code="required")
    return value.strip()


def _refuse(claim: Claim, step: str) -> InvalidTransition:
    return InvalidTransition(f"A claim that is {claim.get_status_display().lower()} cannot be {step}.")


def _ungraded(step: str) -> InvalidTransition:
    return InvalidTransition(f"This claim was imported from another fact-checker's ClaimReview and awaits our "
                             f"grading: give it our credibility grade and a rationale of our own before it can be "
                             f"{step}.")


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


def _references(texts: Collection[str]) -> tuple[set[str], set[str]]:
    """(the public ones, the existing ones) among the claims these texts cite; two queries."""
    cited = set(references.referenced_slugs(*texts))
    if not cited:
        return set(), set()
    return (set(PublicClaim.objects.filter(slug__in=cited).values_list("slug", flat=True)),
            set(Claim.objects.filter(slug__in=cited).values_list("slug", flat=True)))


def _check_references_public(text: str, *, field: str, itself: str = "", alongside: Collection[str] = (),
                             known: tuple[set[str], set[str]] | None = None) -> None:
    """Everything a published rationale cites must be public too (or published at the same time).
    `known`: what `_references` found for a whole step's texts, read once."""
    cited = [slug for slug in references.referenced_slugs(text) if slug != itself and slug not in alongside]
    if not cited:
        return
    public, existing = known if known is not None else _references([text])
    for slug in cited:
        if slug not in existing:
            raise ValidationError({field: f"It cites [[claim:{slug}]], which does not exist."}, code="bad_reference")
        if slug not in public:
            raise ValidationError({field: f"It cites [[claim:{slug}]], which is not published: publish that claim "
                                   "first, or both together."}, code="unpublished_reference")


@transaction.atomic
def claim_create(*, actor: Any, slug: str = "", reason: str = "Claim drafted", **content: Any) -> Claim:
    """A new draft claim by `actor`."""
    return claims_create(actor=actor, drafts=[{"slug": slug, **content}], reason=reason)[0]


@transaction.atomic
def claims_create(*, actor: Any, drafts: Sequence[dict[str, Any]], reason: str = "Claim drafted") -> list[Claim]:
    """claim_create for each of `drafts` (its content, and its slug if it has one), all or none."""
    require(actor, Action.CREATE)
    claims = []
    for draft in drafts:
        content = dict(draft)
        slug = content.pop("slug", "")
        claim = Claim(created_by=actor, last_changed_by=actor, status=ClaimStatus.DRAFT)
        _check_content(claim, content)
        for name, value in content.items():
            setattr(claim, name, value)
        claim.slug = slug or unique_slug(Claim, claim.text or "claim")
        claims.append(claim)
    save_revisions(claims, actor=actor, reason=reason)
    _record_all([_event(claim=claim, action=ReviewAction.CREATE, from_status="", to_status=claim.status, actor=actor)
                 for claim in claims], actor=actor)
    return claims


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
        credibility_rationale=IMPORTED_RATIONALE,
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
    return claims_submit(claims=[(claim, version)], actor=actor, comment=comment)[0]


@transaction.atomic
def claims_submit(*, claims: Sequence[tuple[Claim, int | None]], actor: Any, comment: str = "") -> list[Claim]:
    """claim_submit for each claim (with the version the actor saw), all or none."""
    locked = lock_at_versions(Claim, [(claim.pk, version) for claim, version in claims])
    for claim in locked:
        require(actor, Action.SUBMIT, claim)
        if claim.status not in {ClaimStatus.DRAFT, ClaimStatus.CHANGES_REQUESTED}:
            raise _refuse(claim, "submitted")
        if claim.awaits_grading:
            raise _ungraded("submitted")
    from_statuses = [claim.status for claim in locked]
    for claim in locked:
        claim.status, claim.submitted_by = ClaimStatus.IN_REVIEW, actor
    save_revisions(locked, actor=actor, reason=f"Submitted for review{': ' + comment if comment else ''}",
                   fields=["status", "submitted_by"])
    _record_all([_event(claim=claim, action=ReviewAction.SUBMIT, from_status=from_status, to_status=claim.status,
                        actor=actor, comment=comment)
                 for claim, from_status in zip(locked, from_statuses, strict=True)], actor=actor)
    notifications.claims_submitted(claims=locked, actor=actor, comment=comment)
    return locked


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


class Publication(NamedTuple):
    """A claim to publish, at the version the editor saw, with its note to readers (which a
    correction needs) and, when its quote has no archived copy, the public exception."""

    claim: Claim
    version: int | None
    note: str = ""
    exception: str = ""


@transaction.atomic
def claim_publish(*, claim: Claim, actor: Any, version: int | None, comment: str = "", note: str = "",
                  exception: str = "", alongside: Collection[str] = ()) -> Claim:
    """Publish the claim as it stands, appending it to the public record.

    Four eyes: not by anyone who wrote, edited, reverted or submitted it since it was last
    published (`Claim.pending_contributor_ids`). A correction (any publish after
    the first) needs a note to readers. The quote must be anchored in an archived snapshot of
    the claim's document, unless the editor records a public exception saying why not.
    Its rationale may cite the claims `alongside` as if public (they are published with it).
    """
    return claims_publish(publications=[Publication(claim, version, note, exception)], actor=actor, comment=comment,
                          alongside=alongside)[0]


@transaction.atomic
def claims_publish(*, publications: Sequence[Publication], actor: Any, comment: str = "",
                   alongside: Collection[str] = ()) -> list[Claim]:
    """claim_publish for each claim, in order, as one act, all or none: their rationales may
    cite one another (and the claims `alongside`), and each claim's record is built as if
    those before it were already appended, so the public record holds what publishing them
    one after another would have appended."""
    claims = lock_at_versions(Claim, [(item.claim.pk, item.version) for item in publications])
    pending_contributors(claims)  # four eyes, for all of them in one query
    _load_cited(claims)
    together = {claim.slug for claim in claims} | set(alongside)
    known = _references([claim.credibility_rationale for claim in claims])
    notes, exceptions = [], []
    for claim, item in zip(claims, publications, strict=True):
        require(actor, Action.PUBLISH, claim)
        if claim.status != ClaimStatus.IN_REVIEW:
            raise _refuse(claim, "published")
        if claim.awaits_grading:
            raise _ungraded("published")
        note = (item.note or "").strip()
        if claim.first_published_at is not None and not note:
            raise ValidationError({"note": "Tell readers what this correction changes and why; they will read it."},
                                  code="required")
        _check_references_public(claim.credibility_rationale, field="credibility_rationale", itself=claim.slug,
                                 alongside=together, known=known)
        problem = publication.evidence_problem(claim)
        exception = (item.exception or "").strip() or (claim.evidence_exception if problem else "")
        if problem and not exception:
            raise ValidationError({"exception": f"Not published: {problem} Anchor the quote in an archived copy "
                                   "of the document, or record a public exception saying why there is none."},
                                  code="no_evidence")
        notes.append(note)
        exceptions.append(exception if problem else "")
    contributors = [claim.pending_contributor_ids() for claim in claims]  # before publishing empties them
    records = publication.ClaimRecords()  # the log's lock, before reading the records to build on
    now = timezone.now()
    corrections = [claim.first_published_at is not None for claim in claims]
    records.load(claim.pk for claim in claims)
    # A first publication records the claims it links to again (below): read them in one go.
    records.load([other_id for claim, correction in zip(claims, corrections, strict=True) if not correction
                  for other_id in records.linked_claim_ids(claim.pk)])
    from_statuses = [claim.status for claim in claims]
    for claim, exception in zip(claims, exceptions, strict=True):
        claim.status = ClaimStatus.PUBLISHED
        claim.published_version = claim.version + 1  # the version this save creates
        claim.published_at = now
        claim.first_published_at = claim.first_published_at or now
        claim.evidence_exception = exception
    save_revisions(claims, actor=actor, reason=f"Published{': ' + comment if comment else ''}",
                   fields=["status", "published_version", "published_at", "first_published_at", "evidence_exception"])
    editor = publication.public_name(actor)
    cited: list[Source | Document | Annotation | None] = []
    for claim, note, correction in zip(claims, notes, corrections, strict=True):
        # What this claim cites is public from now on (mark_public, below, writes it): the
        # records of this claim and of those after it show it so.
        for obj in _cited(claim):
            if obj is not None and obj.public_since is None:
                obj.public_since = now
            cited.append(obj)
        records.publication(claim=claim, editor=editor, at=now, note=note, exception=claim.evidence_exception)
        if not correction:
            # Its accepted links to claims already public now show on their pages too.
            for other_id in records.linked_claim_ids(claim.pk):
                records.evidence(claim_id=other_id, editor=editor, at=now, note="")
    source_services.mark_public(objects=cited, when=now, actor=actor)
    records.append()
    _record_all([_event(claim=claim, action=ReviewAction.PUBLISH, from_status=from_status, to_status=claim.status,
                        actor=actor, comment=comment or note)
                 for claim, from_status, note in zip(claims, from_statuses, notes, strict=True)], actor=actor)
    notifications.claims_published(published=list(zip(claims, notes, contributors, strict=True)), actor=actor)
    return claims


def _cited(claim: Claim) -> list[Source | Document | Annotation | None]:
    """What a published claim cites, and so makes public: its sources, document and passage."""
    cited = [claim.claimant, claim.primary_source, claim.document, claim.document.publisher, claim.annotation]
    if claim.annotation is not None:
        cited += [claim.annotation.snapshot.document, claim.annotation.snapshot.document.publisher]
    return cited


def _load_cited(claims: list[Claim]) -> None:
    """The rows each claim's record names (its sources and their affiliations, its document and
    publisher, its passage and snapshot), a few queries for all of them, one instance per row:
    what one claim makes public, the records of the next ones see."""
    annotations = Annotation.objects.in_bulk({claim.annotation_id for claim in claims} - {None})
    snapshots = Snapshot.objects.defer("content", "text").in_bulk({item.snapshot_id for item in annotations.values()})
    documents = Document.objects.in_bulk({claim.document_id for claim in claims}
                                         | {snapshot.document_id for snapshot in snapshots.values()})
    sources = Source.objects.in_bulk(({claim.claimant_id for claim in claims}
                                      | {claim.primary_source_id for claim in claims}
                                      | {document.publisher_id for document in documents.values()}) - {None})
    affiliations = {source.affiliation_id for source in sources.values()} - set(sources) - {None}
    sources |= Source.objects.in_bulk(affiliations) if affiliations else {}
    for source in sources.values():
        if source.affiliation_id in sources:
            source.affiliation = sources[source.affiliation_id]
    for document in documents.values():
        document.publisher = sources[document.publisher_id]
    for snapshot in snapshots.values():
        snapshot.document = documents[snapshot.document_id]
    for annotation in annotations.values():
        annotation.snapshot = snapshots[annotation.snapshot_id]
    for claim in claims:
        claim.claimant, claim.document = sources[claim.claimant_id], documents[claim.document_id]
        claim.primary_source = sources.get(claim.primary_source_id)
        claim.annotation = annotations.get(claim.annotation_id)


@transaction.atomic
def claim_retract(*, claim: Claim, actor: Any, version: int | None, reason: str) -> Claim:
    """Withdraw a published claim; it stays public with the retraction notice."""
    claim = lock_at_version(Claim, claim.pk, version=version)
    require(actor, Action.RETRACT, claim)
    if claim.published_version is None or claim.status == ClaimStatus.RETRACTED:
        raise _refuse(claim, "retracted")
    reason = _require_text(reason, field="reason", message="Give the reason for the retraction; readers will see it.")
    records = publication.ClaimRecords()  # the log's lock, before reading the record to build on
    from_status, claim.status = claim.status, ClaimStatus.RETRACTED
    claim.retraction_reason = reason
    save_revision(claim, actor=actor, reason=f"Retracted: {reason}")
    records.retraction(claim_id=claim.pk, editor=publication.public_name(actor), at=timezone.now(), note=reason)
    records.append()
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


class Proposal(NamedTuple):
    """A link to propose: `from_claim` supports, contradicts, qualifies or repeats `to_claim`, and why."""

    from_claim: Claim
    to_claim: Claim
    link_type: str
    rationale: str


@transaction.atomic
def link_propose(
    *, actor: Any, from_claim: Claim, to_claim: Claim, link_type: str, rationale: str
) -> ClaimLink:
    return links_propose(actor=actor, proposals=[Proposal(from_claim, to_claim, link_type, rationale)])[0]


@transaction.atomic
def links_propose(*, actor: Any, proposals: Sequence[Proposal]) -> list[ClaimLink]:
    """link_propose for each of `proposals`, all or none."""
    links = []
    for proposal in proposals:
        require(actor, Action.PROPOSE_LINK, proposal.from_claim)
        rationale = _require_text(proposal.rationale, field="rationale", message="Explain why these claims are linked.")
        _check_reference_form(rationale, field="rationale")
        links.append(ClaimLink(from_claim=proposal.from_claim, to_claim=proposal.to_claim,
                               link_type=proposal.link_type, rationale=rationale, proposed_by=actor,
                               status=LinkStatus.PROPOSED))
    try:
        with transaction.atomic():
            save_revisions(links, actor=actor, reason="Link proposed")
    except IntegrityError:
        # Lost a race to an identical proposal after the validation passed.
        raise ValidationError("These two claims already have a link of this type.", code="duplicate") from None
    _record_all([_event(link=link, action=ReviewAction.PROPOSE, from_status="", to_status=link.status, actor=actor,
                        comment=link.rationale) for link in links], actor=actor)
    return links


def _refresh_evidence(records: publication.ClaimRecords, link: ClaimLink, *, actor: Any, at: Any,
                      note: str = "") -> None:
    """A record for each public claim whose accepted links this change altered."""
    records.link_changed(link)
    for claim_id in (link.from_claim_id, link.to_claim_id):
        records.evidence(claim_id=claim_id, editor=publication.public_name(actor), at=at, note=note)


class Review(NamedTuple):
    """A link to accept or reject, at the version the editor saw, with the note to readers."""

    link: ClaimLink
    version: int | None
    note: str = ""


def _review_links(*, reviews: Sequence[Review], actor: Any, decision: str, comment: str) -> list[ClaimLink]:
    links = lock_at_versions(ClaimLink, [(review.link.pk, review.version) for review in reviews])
    claims = Claim.objects.in_bulk({link.from_claim_id for link in links} | {link.to_claim_id for link in links})
    for link in links:
        link.from_claim, link.to_claim = claims[link.from_claim_id], claims[link.to_claim_id]
    known = _references([link.rationale for link in links]) if decision == ReviewAction.ACCEPT else None
    for link in links:
        require(actor, Action.REVIEW_LINK, link)
        if link.status != LinkStatus.PROPOSED:
            raise InvalidTransition(f"This link is already {link.get_status_display().lower()}.")
        if decision == ReviewAction.ACCEPT:
            _check_references_public(link.rationale, field="rationale", itself=link.from_claim.slug,
                                     alongside=[link.to_claim.slug], known=known)
    records = None
    if decision == ReviewAction.ACCEPT:
        records = publication.ClaimRecords()  # the log's lock, before reading the records to build on
        records.load(claims)
        for link in links:
            records.link_changed(link)  # still proposed: each shows from its own acceptance on
    from_statuses = [link.status for link in links]
    now = timezone.now()
    for link in links:
        link.status = LinkStatus.ACCEPTED if decision == ReviewAction.ACCEPT else LinkStatus.REJECTED
        link.reviewed_by, link.reviewed_at = actor, now
    label = ReviewAction(decision).label
    save_revisions(links, actor=actor, reason=f"{label}{': ' + comment if comment else ''}",
                   fields=["status", "reviewed_by", "reviewed_at"])
    if records is not None:
        for link, review in zip(links, reviews, strict=True):
            _refresh_evidence(records, link, actor=actor, at=now, note=review.note.strip())
        records.append()
    _record_all([_event(link=link, action=decision, from_status=from_status, to_status=link.status, actor=actor,
                        comment=comment) for link, from_status in zip(links, from_statuses, strict=True)], actor=actor)
    notifications.links_decided(links=links, actor=actor, decision=label.removeprefix("Link ").lower(),
                                comment=comment)
    return links


@transaction.atomic
def link_accept(*, link: ClaimLink, actor: Any, version: int | None, comment: str = "", note: str = "") -> ClaimLink:
    """Accept a proposed link; between two public claims it shows at once, with a record for each."""
    return links_accept(reviews=[Review(link, version, note)], actor=actor, comment=comment)[0]


@transaction.atomic
def links_accept(*, reviews: Sequence[Review], actor: Any, comment: str = "") -> list[ClaimLink]:
    """link_accept for each link, in order, all or none; each record built as if those of
    the links before it were already appended."""
    return _review_links(reviews=reviews, actor=actor, decision=ReviewAction.ACCEPT, comment=comment)


@transaction.atomic
def link_reject(*, link: ClaimLink, actor: Any, version: int | None, comment: str) -> ClaimLink:
    comment = _require_text(comment, field="comment", message="Say why the link is rejected.")
    return _review_links(reviews=[Review(link, version)], actor=actor, decision=ReviewAction.REJECT,
                         comment=comment)[0]


@transaction.atomic
def link_withdraw(*, link: ClaimLink, actor: Any, version: int | None, reason: str) -> ClaimLink:
    """Withdraw an accepted link that no longer holds; readers see the reason as the note."""
    link = lock_at_version(ClaimLink, link.pk, version=version)
    require(actor, Action.RETRACT, link.from_claim)
    if link.status != LinkStatus.ACCEPTED:
        raise InvalidTransition("Only an accepted link can be withdrawn; this one is "
                                f"{link.get_status_display().lower()}.")
    reason = _require_text(reason, field="reason", message="Say why the link no longer holds; readers will see it.")
    records = publication.ClaimRecords()  # the log's lock, before reading the records to build on
    from_status, link.status = link.status, LinkStatus.REJECTED
    link.reviewed_by, link.reviewed_at = actor, timezone.now()
    save_revision(link, actor=actor, reason=f"Withdrawn: {reason}")
    _refresh_evidence(records, link, actor=actor, at=link.reviewed_at, note=reason)
    records.append()
    _record(link=link, action=ReviewAction.WITHDRAW, from_status=from_status, to_status=link.status, actor=actor,
            comment=reason)
    notifications.links_decided(links=[link], actor=actor, decision="withdrew", comment=reason)
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
        records = publication.ClaimRecords()
        _refresh_evidence(records, link, actor=actor, at=timezone.now(), note="A link was withdrawn for review.")
        records.append()
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
        records = publication.ClaimRecords()
        _refresh_evidence(records, link, actor=actor, at=timezone.now(), note="A link was withdrawn for review.")
        records.append()
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


# The steps a claim awaiting our grade may not take (see Claim.awaits_grading), as refusals word them.
UNGRADED_STEPS = {"submit": "submitted", "publish": "published"}


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
        if refusals[step] is None and step in UNGRADED_STEPS and obj.awaits_grading:
            refusals[step] = str(_ungraded(UNGRADED_STEPS[step]))
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
