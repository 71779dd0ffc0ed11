"""Reads that the public pages make: listing, search, the published changelog, time travel."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from claims.choices import ClaimStatus, LinkStatus, ReviewAction
from claims.models import Claim, ClaimLink, ReviewEvent
from claims.querysets import EVIDENCE_HEADINGS, revision_instance, revisions_at
from claims.services import CLAIM_CONTENT_FIELDS
from factcheck.diffs import FieldChange, changes_between


def filtered_public_claims(*, claimant: str = "", credibility: int | None = None,
                           since: datetime.date | None = None, until: datetime.date | None = None,
                           status: str = "") -> QuerySet:
    """Public claims by the published grade, claimant, assertion date and status, newest first."""
    claims = Claim.objects.public().with_parties()
    published = {key: value for key, value in [("claimant__slug", claimant), ("asserted_on__gte", since),
                                               ("asserted_on__lte", until)] if value}
    if published:
        # On the revision the public reads, never on an edit in review.
        claims = claims.filter(Exists(Claim.history.filter(id=OuterRef("pk"), version=OuterRef("published_version"),
                                                           **published)))
    if credibility:
        claims = claims.filter(published_credibility=credibility)
    if status == ClaimStatus.RETRACTED:
        claims = claims.filter(status=ClaimStatus.RETRACTED)
    elif status == ClaimStatus.PUBLISHED:
        claims = claims.exclude(status=ClaimStatus.RETRACTED)
    return claims.order_by("-published_at", "-pk")


def search_public_claims(query: str) -> QuerySet:
    """Public claims whose published text matches `query`, best first.

    PostgreSQL: full-text search with ranking (GIN index in claims migration 0003);
    elsewhere every word must appear, newest first.
    """
    claims = Claim.objects.public().with_parties()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector("published_search_text", config="english")
        search = SearchQuery(query, config="english", search_type="websearch")
        return (claims.annotate(rank=SearchRank(vector, search)).filter(rank__gt=0)
                .order_by("-rank", "-published_at", "-pk"))
    words = [word for word in query.split() if word]
    for word in words:
        claims = claims.filter(published_search_text__icontains=word)
    return claims.order_by("-published_at", "-pk")


@dataclass(frozen=True)
class ChangelogEntry:
    event: Any  # the ReviewEvent of the publish or retraction
    changes: list[FieldChange] | None  # against the previous published version; None for the first
    reasons: list[str]  # why it changed since the previous publish


def changelog(claim: Claim) -> list[ChangelogEntry]:
    """The published history of a claim: each publish and retraction, what changed and why.

    Three queries whatever the number of revisions.
    """
    events = list(claim.review_events.order_by("created_at", "pk"))
    public_steps = [e for e in events if e.action in {ReviewAction.PUBLISH, ReviewAction.RETRACT}]
    versions = [e.version for e in public_steps if e.action == ReviewAction.PUBLISH]
    records = {r.version: r for r in claim.history.filter(version__in=versions)
               .select_related("claimant", "primary_source", "document", "annotation")}
    entries, previous, reasons = [], None, []
    for event in events:
        if event.action in {ReviewAction.EDIT, ReviewAction.REVERT} and event.comment:
            reasons.append(event.comment)
        if event.action == ReviewAction.PUBLISH:
            record = records.get(event.version)
            changes = changes_between(previous, record, CLAIM_CONTENT_FIELDS) if previous and record else None
            entries.append(ChangelogEntry(event, changes, reasons))
            previous, reasons = record, []
        elif event.action == ReviewAction.RETRACT:
            entries.append(ChangelogEntry(event, None, [event.comment]))
    return list(reversed(entries))


def as_of(claim: Claim, day: datetime.date) -> tuple[Any, list[tuple[str, list[tuple[Any, Any]]]]] | None:
    """The claim as the public read it at the end of `day`, with the evidence accepted then.

    None if the claim was not public then. A fixed number of queries: the review events of the
    claim and of its links, the link and claim revisions of that day.
    """
    end = datetime.datetime.combine(day, datetime.time.max, tzinfo=datetime.UTC)
    steps = list(claim.review_events.filter(created_at__lte=end, action__in=[ReviewAction.PUBLISH,
                                                                               ReviewAction.RETRACT])
                 .order_by("created_at", "pk"))
    publishes = [step for step in steps if step.action == ReviewAction.PUBLISH]
    if not publishes:
        return None
    published = revisions_at({claim.pk: publishes[-1].version})[claim.pk]
    revision = revision_instance(published)
    retracted = [step for step in steps if step.action == ReviewAction.RETRACT and
                 step.created_at >= publishes[-1].created_at]
    revision.status = ClaimStatus.RETRACTED if retracted else ClaimStatus.PUBLISHED
    revision.retraction_reason = retracted[-1].comment if retracted else ""
    return revision, _evidence_as_of(claim, end)


def _evidence_as_of(claim: Claim, end: datetime.datetime) -> list[tuple[str, list[tuple[Any, Any]]]]:
    links = {link.pk: link for link in ClaimLink.objects.filter(Q(from_claim=claim) | Q(to_claim=claim))}
    decisions: dict[int, Any] = {}
    for event in ReviewEvent.objects.filter(link__in=links, created_at__lte=end,
                                            action__in=[ReviewAction.ACCEPT, ReviewAction.REJECT,
                                                        ReviewAction.REVERT]).order_by("created_at", "pk"):
        decisions[event.link_id] = event
    accepted = [links[pk] for pk, event in decisions.items() if event.to_status == LinkStatus.ACCEPTED]
    others = {link.from_claim_id if link.to_claim_id == claim.pk else link.to_claim_id for link in accepted}
    last_publish: dict[int, int] = {}
    for event in ReviewEvent.objects.filter(claim_id__in=others, created_at__lte=end,
                                            action=ReviewAction.PUBLISH).order_by("created_at", "pk"):
        last_publish[event.claim_id] = event.version
    revisions = revisions_at(last_publish)
    groups: dict[str, list[tuple[Any, Any]]] = {}
    for link in sorted(accepted, key=lambda link: (link.link_type, link.pk)):
        other_id = link.from_claim_id if link.to_claim_id == claim.pk else link.to_claim_id
        if other_id not in revisions:
            continue  # the other claim was not public yet
        heading = EVIDENCE_HEADINGS[(link.link_type, link.to_claim_id == claim.pk)]
        groups.setdefault(heading, []).append((revision_instance(revisions[other_id]), link))
    order = list(dict.fromkeys(EVIDENCE_HEADINGS.values()))
    return sorted(groups.items(), key=lambda item: order.index(item[0]))
