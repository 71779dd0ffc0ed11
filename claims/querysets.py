"""The read vocabulary of the claims app: what is public and who may see what."""

import logging
from collections.abc import Iterable
from typing import Any, Self

from django.db import models

from claims.choices import ClaimStatus, LinkStatus, ReviewAction
from factcheck.roles import is_team_member


class ClaimQuerySet(models.QuerySet):
    def public(self) -> Self:
        """Claims with a published revision: published, retracted, or published and being
        corrected (the public then reads the last published revision)."""
        return self.filter(published_version__isnull=False)

    def visible_to(self, user: Any) -> Self:
        return self.all() if is_team_member(user) else self.public()

    def imported_from(self, *, url: str, text: str) -> Self:
        """The claim imported from a peer's ClaimReview: the same review URL and the same words."""
        return self.filter(document__url=url, text=text)

    def with_parties(self) -> Self:
        """What every claim listing shows beside the text: claimant and document."""
        return self.select_related("claimant", "primary_source", "document", "document__publisher")


class ClaimLinkQuerySet(models.QuerySet):
    def public(self) -> Self:
        """Accepted links between two public claims."""
        return self.filter(
            status=LinkStatus.ACCEPTED,
            from_claim__published_version__isnull=False,
            to_claim__published_version__isnull=False,
        )

    def visible_to(self, user: Any) -> Self:
        return self.all() if is_team_member(user) else self.public()


class PublicClaimQuerySet(models.QuerySet):
    """The public's claims: each as its latest record shows it."""

    def with_record(self) -> Self:
        # Every public listing reads the record's body: one join, not one query per claim.
        return self.select_related("record")

    def latest_first(self) -> Self:
        return self.order_by("-published_at", "-claim_id")


class ReviewEventQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> Self:
        # The review record (comments, requests for changes) is internal to the desk.
        return self.all() if is_team_member(user) else self.none()


logger = logging.getLogger(__name__)


def published_records(claims: Iterable[Any]) -> dict[int, Any]:
    """The history record each claim's last publish saved, by claim id, in one query.

    Only for claims changed since that publish; the others are their own published version.
    """
    return revisions_at({claim.pk: claim.published_version for claim in claims
                         if claim.published_version is not None and claim.version != claim.published_version})


def revisions_at(versions: dict[int, int]) -> dict[int, Any]:
    """The history record of each claim id at the given version, in one query."""
    if not versions:
        return {}
    from claims.models import Claim

    # id IN (…) AND version IN (…), then the exact pairs in Python: no OR per claim, which
    # SQLite refuses past a thousand terms.
    records = (Claim.history.filter(id__in=list(versions), version__in=set(versions.values()))
               .select_related("claimant", "primary_source", "document", "document__publisher", "annotation")
               .order_by("history_date"))
    return {record.id: record for record in records if versions[record.id] == record.version}


def revision_instance(record: Any) -> Any:
    """A Claim built from a history record, its related objects from the record's cache.

    Not `record.instance`, which reads the fields history leaves out from the database, one
    query per record.
    """
    claim_model = type(record).instance_type
    tracked = {field.attname for field in record._meta.concrete_fields}
    claim = claim_model(**{field.attname: getattr(record, field.attname)
                           for field in claim_model._meta.concrete_fields if field.attname in tracked})
    for name in ("claimant", "document", "primary_source", "annotation"):
        if getattr(record, f"{name}_id") is not None:
            setattr(claim, name, getattr(record, name))
    return claim


def as_published(claims: Iterable[Any]) -> list[Any]:
    """Each public claim as the public reads it: built from the revision its last publish saved.

    A claim not edited since its publish is returned as it is; the others (an edit in review,
    a retraction) are rebuilt from their published revisions, fetched in one query.
    """
    claims = list(claims)
    records = published_records(claims)
    shown = []
    for claim in claims:
        if claim.version == claim.published_version:
            shown.append(claim)
            continue
        record = records.get(claim.pk)
        if record is None:
            # Fail closed: without its published revision, show nothing rather than an
            # unreviewed working copy.
            logger.error("Claim %s has no history record for its published version %s", claim.pk,
                         claim.published_version)
            continue
        revision = revision_instance(record)
        # What the public sees of the workflow: published, or retracted with the notice.
        revision.status = claim.status if claim.status == ClaimStatus.RETRACTED else ClaimStatus.PUBLISHED
        revision.retraction_reason = claim.retraction_reason
        shown.append(revision)
    return shown


def published_revision(claim: Any) -> Any | None:
    """The claim as the public reads it; None if its published revision is missing."""
    shown = as_published([claim])
    return shown[0] if shown else None


EVIDENCE_HEADINGS = {
    # (link type, the claim on the page is the link's target): heading over the other claims
    ("supports", True): "Supported by",
    ("contradicts", True): "Contradicted by",
    ("qualifies", True): "Qualified by",
    ("same_assertion", True): "The same assertion elsewhere",
    ("supports", False): "This claim supports",
    ("contradicts", False): "This claim contradicts",
    ("qualifies", False): "This claim qualifies",
    ("same_assertion", False): "The same assertion elsewhere",
}


# The steps that put content into a pending revision: whoever took one stands behind it, so
# four eyes keeps them from publishing it. Requests for changes and decisions are not content.
CONTRIBUTING_ACTIONS = (ReviewAction.CREATE, ReviewAction.EDIT, ReviewAction.SUBMIT, ReviewAction.REVERT)


def pending_contributors(claims: Iterable[Any]) -> dict[int, frozenset[int]]:
    """The users who wrote, edited, reverted or submitted each claim since it was last published
    (since its creation if it never was), by claim id, in one query; each claim caches its set
    for `Claim.pending_contributor_ids`."""
    from claims.models import ReviewEvent

    claims = list(claims)
    if not claims:
        return {}
    since = {claim.pk: claim.published_version or 0 for claim in claims}
    found: dict[int, set[int]] = {claim.pk: set() for claim in claims}
    rows = ReviewEvent.objects.filter(claim_id__in=list(since), action__in=CONTRIBUTING_ACTIONS,
                                      version__gt=min(since.values()), actor__isnull=False).values_list(
        "claim_id", "actor_id", "version")
    for claim_id, actor_id, version in rows:
        if version > since[claim_id]:
            found[claim_id].add(actor_id)
    result = {claim_id: frozenset(actors) for claim_id, actors in found.items()}
    for claim in claims:
        claim._pending_contributors = result[claim.pk]
    return result


def latest_requests_for_changes(claims: Iterable[Any]) -> dict[int, Any]:
    """The last "request changes" review event of each claim, by claim id, in one query."""
    from claims.models import ReviewEvent

    events = ReviewEvent.objects.filter(claim__in=list(claims), action=ReviewAction.REQUEST_CHANGES).order_by(
        "created_at", "pk")
    return {event.claim_id: event for event in events}
