"""The read vocabulary of the sources app: who may see which source, document and snapshot."""

import datetime
from collections.abc import Iterable
from typing import Any, Self

from django.db import models

from factcheck.roles import is_team_member


class PublicSinceQuerySet(models.QuerySet):
    """Objects become public when a published claim first cites them."""

    def public(self) -> Self:
        return self.filter(public_since__isnull=False)

    def visible_to(self, user: Any) -> Self:
        return self.all() if is_team_member(user) else self.public()

    def first_published(self, field: str, keys: Iterable[Any]) -> dict[Any, datetime.datetime]:
        """When each object, named by `field` as the public record names it (id, uuid), first became
        public. Read from the row, where only the publish service writes it, once, in the transaction
        that appends the first record showing the object; nothing done on the desk changes it."""
        return dict(self.public().filter(**{f"{field}__in": list(keys)}).values_list(field, "public_since"))


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
