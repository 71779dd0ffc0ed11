"""The public record: an append-only log of what readers were shown, its signed tree heads,
and the projection of the latest record of each public object that the public pages read.

A record is never changed or deleted: not by the application, the admin or a queryset.
`services.append` is the one way in.
"""

from typing import Any

from django.db import models


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete what the public record holds."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("The public record is append-only: publish again instead.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The public record is append-only: nothing in it is deleted.")


class AppendOnly(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name} {self.pk} is in the public record and cannot change.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError(f"{self._meta.verbose_name} {self.pk} is in the public record and cannot be deleted.")


class RecordKind(models.TextChoices):
    PUBLICATION = "publication", "First published"
    CORRECTION = "correction", "Corrected"
    RETRACTION = "retraction", "Retracted"
    EVIDENCE = "evidence", "Evidence updated"


class Record(AppendOnly):
    """One leaf of the log: what the public sees of one object after one editorial act."""

    index = models.BigIntegerField(primary_key=True, help_text="The leaf's position, from 0.")
    subject = models.CharField(max_length=200, help_text="What it is the record of, e.g. claim:12.")
    kind = models.CharField(max_length=20, choices=RecordKind.choices)
    body = models.TextField(help_text="The record as canonical JSON; its UTF-8 bytes are the leaf.")
    leaf_hash = models.CharField(max_length=64, help_text="SHA-256(0x00 || body), hex.")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["index"]
        indexes = [models.Index(fields=["subject", "-index"], name="record_subject_latest")]
        constraints = [
            models.CheckConstraint(condition=models.Q(index__gte=0), name="record_index_not_negative"),
            models.CheckConstraint(condition=models.Q(kind__in=RecordKind.values), name="record_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"#{self.index} {self.kind} of {self.subject}"

    @property
    def body_bytes(self) -> bytes:
        return self.body.encode("utf-8")


class TreeHead(AppendOnly):
    """A signed statement of the log's size and root hash, one after each append."""

    tree_size = models.BigIntegerField(primary_key=True)
    root_hash = models.CharField(max_length=64)
    timestamp = models.BigIntegerField(help_text="Milliseconds since the epoch.")
    signature = models.CharField(max_length=100, help_text="Ed25519, base64.")
    public_key = models.CharField(max_length=60, help_text="The raw 32-byte key, base64.")

    class Meta:
        ordering = ["tree_size"]

    def __str__(self) -> str:
        return f"tree head {self.tree_size} {self.root_hash[:12]}"


class LogState(models.Model):
    """The log's one row: its size and right edge. Appends lock it, so they take turns."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    tree_size = models.BigIntegerField(default=0)
    frontier = models.TextField(blank=True, help_text="Roots of the perfect subtrees, hex, largest first.")

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="log_state_single_row")]

    def __str__(self) -> str:
        return f"log of {self.tree_size} records"


class Projection(models.Model):
    """The latest public form of one object (a source, document, snapshot, passage or link),
    as the latest record naming it froze it. Derived from the records; public pages read it."""

    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=200)
    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="+")
    data = models.JSONField()
    # The object's id as the record gives it (`data["id"]`; older records of passages have none):
    # public lists page through one kind by it.
    object_id = models.BigIntegerField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="projection_unique_kind_key")]
        indexes = [models.Index(fields=["kind", "object_id"], name="projection_kind_object_id")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key} at #{self.record_id}"
