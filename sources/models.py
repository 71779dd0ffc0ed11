"""Who says things, where they said it, and archived copies of what they said.

Sources, documents, snapshots and annotations become public the first time a published
claim cites them (`public_since`, set by the claims publish service): this app never needs
to know about claims to answer who may see what.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.urls import reverse

from factcheck.dates import DatePrecision, format_partial_date, validate_partial_date
from factcheck.history import tracked_history
from sources.querysets import (
    AnnotationQuerySet,
    DocumentQuerySet,
    SnapshotQuerySet,
    SourceQuerySet,
)


class Reliability(models.TextChoices):
    """The Admiralty (NATO) grading of a source's reliability."""

    A = "A", "Completely reliable"
    B = "B", "Usually reliable"
    C = "C", "Fairly reliable"
    D = "D", "Not usually reliable"
    E = "E", "Unreliable"
    F = "F", "Reliability cannot be judged"


class SourceKind(models.TextChoices):
    NEWS_OUTLET = "news_outlet", "News outlet"
    RESEARCH_FIRM = "research_firm", "Research firm"
    THINK_TANK = "think_tank", "Think tank"
    GOVERNMENT = "government", "Government"
    ANALYST = "analyst", "Analyst"
    OFFICIAL_RECORD = "official_record", "Official record"
    OTHER = "other", "Other"


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug: str) -> models.Model:
        return self.get(slug=slug)


class Source(models.Model):
    Kind = SourceKind

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    homepage = models.URLField(max_length=500, blank=True)
    description = models.TextField(blank=True)
    affiliation = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="affiliates",
        help_text="The organisation this source speaks for (a think tank's head, say).",
    )
    reliability = models.CharField(max_length=1, choices=Reliability.choices, default=Reliability.F)
    reliability_rationale = models.TextField()
    public_since = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SlugManager.from_queryset(SourceQuerySet)()
    history = tracked_history()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reliability__in=Reliability.values),
                name="source_reliability_a_to_f",
                violation_error_message="Reliability must be a grade from A to F.",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=SourceKind.values),
                name="source_kind_valid",
                violation_error_message="Unknown kind of source.",
            ),
            models.CheckConstraint(
                condition=~models.Q(affiliation=models.F("pk")),
                name="source_not_affiliated_with_itself",
                violation_error_message="A source cannot be affiliated with itself.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("source-detail", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class Document(models.Model):
    slug = models.SlugField(max_length=160, unique=True)
    title = models.CharField(max_length=500)
    publisher = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="documents")
    authors = models.CharField(max_length=500, blank=True, help_text="The byline, as printed.")
    url = models.URLField(max_length=1000, blank=True)
    language = models.CharField(max_length=16, default="en", help_text="BCP 47 tag: en, ru, zh-Hans.")
    published_on = models.DateField(null=True, blank=True)
    published_precision = models.CharField(
        max_length=7, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    public_since = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SlugManager.from_queryset(DocumentQuerySet)()
    history = tracked_history()

    class Meta:
        ordering = ["-published_on", "title"]
        indexes = [models.Index(fields=["publisher", "-published_on"], name="document_publisher_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(published_precision__in=DatePrecision.values),
                name="document_precision_valid",
                violation_error_message="Date precision must be day, month, year or not given.",
            ),
            models.CheckConstraint(
                condition=models.Q(published_on__isnull=True, published_precision=DatePrecision.UNKNOWN)
                | (models.Q(published_on__isnull=False) & ~models.Q(published_precision=DatePrecision.UNKNOWN)),
                name="document_date_given_unless_unknown",
                violation_error_message="A document has a date unless it gives none (precision “not given”).",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("document-detail", kwargs={"pk": self.pk})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    natural_key.dependencies = ["sources.source"]

    def clean(self) -> None:
        validate_partial_date(self.published_on, self.published_precision, field="published_on")

    @property
    def published_display(self) -> str:
        return format_partial_date(self.published_on, self.published_precision)


class ImmutableSnapshotError(Exception):
    """Raised on any attempt to change or delete an archived snapshot."""


class SnapshotManager(models.Manager):
    def get_by_natural_key(self, document_slug: str, sha256: str) -> "Snapshot":
        return self.get(document__slug=document_slug, sha256=sha256)


class Snapshot(models.Model):
    """An archived copy of a document: the bytes as captured, never edited or deleted."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="snapshots")
    captured_at = models.DateTimeField()
    origin = models.CharField(max_length=1000, help_text="The URL or file the bytes came from.")
    content_type = models.CharField(max_length=100, default="text/plain")
    content = models.BinaryField()
    text = models.TextField(help_text="Readable text extracted from the content.")
    sha256 = models.CharField(max_length=64, editable=False)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = SnapshotManager.from_queryset(SnapshotQuerySet)()
    history = tracked_history(excluded_fields=["content"])

    class Meta:
        ordering = ["document", "captured_at"]
        get_latest_by = "captured_at"
        constraints = [
            models.UniqueConstraint(
                fields=["document", "sha256"],
                name="snapshot_unique_bytes_per_document",
                violation_error_message="This document already has a snapshot of exactly these bytes.",
            ),
            models.CheckConstraint(
                condition=Exact(Length("sha256"), 64),
                name="snapshot_sha256_is_64_hex",
                violation_error_message="The SHA-256 must be 64 hexadecimal characters.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} @ {self.captured_at:%Y-%m-%d %H:%M} ({self.sha256[:12]})"

    def save(self, *args, **kwargs) -> None:
        # Immutability is an invariant of the record itself, not a business rule: no code
        # path (admin, API, shell) may rewrite what was archived.
        if not self._state.adding:
            raise ImmutableSnapshotError(
                f"Snapshot {self.pk} is an archived record and cannot be changed; "
                "capture a new snapshot instead."
            )
        self.sha256 = hashlib.sha256(bytes(self.content)).hexdigest()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("sources:snapshot-detail", kwargs={"pk": self.pk})

    def delete(self, *args, **kwargs):
        raise ImmutableSnapshotError(f"Snapshot {self.pk} is an archived record and cannot be deleted.")

    def natural_key(self) -> tuple[str, str]:
        return (self.document.slug, self.sha256)

    natural_key.dependencies = ["sources.document"]


class Motivation(models.TextChoices):
    """Why a passage was annotated, in the W3C Web Annotation vocabulary."""

    HIGHLIGHTING = "highlighting", "Highlighting"
    COMMENTING = "commenting", "Commenting"
    QUESTIONING = "questioning", "Questioning"
    ASSESSING = "assessing", "Assessing"
    LINKING = "linking", "Linking"


class Anchoring(models.TextChoices):
    ANCHORED = "anchored", "Anchored"
    ORPHANED = "orphaned", "Orphaned"


class AnchoringMethod(models.TextChoices):
    """How the passage was found in the snapshot it is anchored in."""

    SELECTED = "selected", "Selected by a person"
    EXACT = "exact", "Found again exactly"
    POSITION = "position", "Found again by its position"
    FUZZY = "fuzzy", "Found again approximately"
    NOT_FOUND = "not_found", "Not found in the newer snapshot"


class AnnotationManager(models.Manager):
    def get_by_natural_key(self, uuid_value: str) -> "Annotation":
        return self.get(uuid=uuid_value)


class Annotation(models.Model):
    """A note on a passage of a snapshot, anchored as the W3C Web Annotation model defines.

    Positions count Unicode code points of the snapshot's text, as the W3C model does.
    """

    Motivation = Motivation
    Anchoring = Anchoring
    AnchoringMethod = AnchoringMethod

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    snapshot = models.ForeignKey(Snapshot, on_delete=models.PROTECT, related_name="annotations")
    exact = models.TextField(help_text="The quoted passage, exactly.")
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    motivation = models.CharField(
        max_length=20, choices=Motivation.choices, default=Motivation.HIGHLIGHTING
    )
    body = models.TextField(blank=True)
    anchoring = models.CharField(max_length=10, choices=Anchoring.choices, default=Anchoring.ANCHORED)
    anchoring_method = models.CharField(max_length=10, choices=AnchoringMethod.choices,
                                        default=AnchoringMethod.SELECTED)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    public_since = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnnotationManager.from_queryset(AnnotationQuerySet)()
    history = tracked_history()

    class Meta:
        ordering = ["snapshot", "start"]
        indexes = [models.Index(fields=["snapshot", "start"], name="annotation_snapshot_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="annotation_end_after_start",
                violation_error_message="An annotation's end must come after its start.",
            ),
            models.CheckConstraint(
                condition=models.Q(motivation__in=Motivation.values),
                name="annotation_motivation_valid",
                violation_error_message="Unknown motivation.",
            ),
            models.CheckConstraint(
                condition=models.Q(anchoring__in=Anchoring.values),
                name="annotation_anchoring_valid",
                violation_error_message="Anchoring must be anchored or orphaned.",
            ),
        ]

    def __str__(self) -> str:
        quote = self.exact if len(self.exact) <= 60 else self.exact[:57] + "…"
        return f"“{quote}” ({self.get_motivation_display().lower()})"

    def natural_key(self) -> tuple[str]:
        return (str(self.uuid),)

    natural_key.dependencies = ["sources.snapshot"]

    def clean(self) -> None:
        if self.end is not None and self.start is not None and self.end - self.start != len(self.exact):
            raise ValidationError(
                {"end": "The position selector must span exactly the quoted passage."},
                code="selector_mismatch",
            )
