"""The read vocabulary of the claims app: what is public and who may see what."""

from typing import Any, Self

from django.db import models

from claims.choices import LinkStatus
from factcheck.roles import is_team_member


class ClaimQuerySet(models.QuerySet):
    def public(self) -> Self:
        """Claims with a published revision: published, retracted, or published and being
        corrected (the public then reads the last published revision)."""
        return self.filter(published_version__isnull=False)

    def visible_to(self, user: Any) -> Self:
        return self.all() if is_team_member(user) else self.public()

    def with_parties(self) -> Self:
        """What every claim listing shows beside the text: claimant and document."""
        return self.select_related("claimant", "document", "document__publisher")


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


class ReviewEventQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> Self:
        # The review record (comments, requests for changes) is internal to the desk.
        return self.all() if is_team_member(user) else self.none()


def published_revision(claim: Any) -> Any:
    """The claim as the public reads it: a Claim built from the revision its last publish saved.

    Identical to `claim` itself unless an edit is in review since that publish.
    """
    if claim.version == claim.published_version:
        return claim
    record = (
        claim.history.select_related("claimant", "document", "document__publisher")
        .filter(version=claim.published_version)
        .latest("history_date")
    )
    revision = record.instance
    revision.claimant, revision.document = record.claimant, record.document
    return revision
