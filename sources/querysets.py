"""The read vocabulary of the sources app: who may see which source, document and snapshot."""

from typing import Any, Self

from django.db import models

from factcheck.roles import is_team_member


class PublicSinceQuerySet(models.QuerySet):
    """Objects become public when a published claim first cites them."""

    def public(self) -> Self:
        return self.filter(public_since__isnull=False)

    def visible_to(self, user: Any) -> Self:
        return self.all() if is_team_member(user) else self.public()


class SourceQuerySet(PublicSinceQuerySet):
    pass


class DocumentQuerySet(PublicSinceQuerySet):
    def with_snapshot_count(self) -> Self:
        return self.annotate(snapshot_count=models.Count("snapshots"))

    def without_snapshot(self) -> Self:
        """Documents with no archived copy yet: what the desk still has to capture."""
        return self.filter(snapshots__isnull=True)


class AnnotationQuerySet(PublicSinceQuerySet):
    pass


class SnapshotQuerySet(models.QuerySet):
    def public(self) -> Self:
        # An archived copy is evidence: public as soon as its document is.
        return self.filter(document__public_since__isnull=False)

    def visible_to(self, user: Any) -> Self:
        return self.all() if is_team_member(user) else self.public()

    def update(self, **kwargs: Any) -> int:
        from sources.models import ImmutableSnapshotError

        raise ImmutableSnapshotError("Archived snapshots cannot be changed; capture a new snapshot instead.")

    def delete(self) -> tuple[int, dict[str, int]]:
        from sources.models import ImmutableSnapshotError

        raise ImmutableSnapshotError("Archived snapshots cannot be deleted.")
