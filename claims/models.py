"""Claims, the evidence links between them, and the review record.

Every write that matters goes through claims/services.py; these models hold fields,
database constraints and small derived properties only.
"""

import json
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from claims.choices import ClaimStatus, Credibility, LinkStatus, LinkType, ReviewAction
from claims.querysets import (
    ClaimLinkQuerySet,
    ClaimQuerySet,
    PublicClaimQuerySet,
    ReviewEventQuerySet,
    pending_contributors,
)
from factcheck.dates import DatePrecision, format_partial_date, validate_partial_date
from factcheck.history import tracked_history


class ClaimManager(models.Manager):
    def get_by_natural_key(self, slug: str) -> "Claim":
        return self.get(slug=slug)


# The rationale a claim imported from another fact-checker's ClaimReview starts with: it holds
# their rating beside it, not a grade of ours, so it goes to review only once this is replaced.
IMPORTED_RATIONALE = ("Imported from another fact-checker's ClaimReview (the document): it awaits our grading. "
                      "The rating beside it is theirs, not ours.")


class Claim(models.Model):
    """One atomic assertion, by one claimant, in one document, graded by the desk."""

    slug = models.SlugField(max_length=120, unique=True)
    text = models.TextField(help_text="The assertion in plain words.")
    quote = models.TextField(blank=True, help_text="The verbatim words, in the original script.")
    quote_language = models.CharField(max_length=16, default="en", help_text="BCP 47 tag of the quote.")
    claimant = models.ForeignKey(
        "sources.Source", on_delete=models.PROTECT, related_name="claims",
        help_text="Who asserts it.",
    )
    document = models.ForeignKey(
        "sources.Document", on_delete=models.PROTECT, related_name="claims",
        help_text="Where it is asserted.",
    )
    primary_source = models.ForeignKey(
        "sources.Source", on_delete=models.PROTECT, null=True, blank=True, related_name="primary_for_claims",
        help_text="The original record when the claimant reports it second-hand.",
    )
    annotation = models.ForeignKey(
        "sources.Annotation", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The annotation anchoring the quote in an archived snapshot.",
    )
    asserted_on = models.DateField(null=True, blank=True, help_text="Empty when the source gives no date.")
    asserted_precision = models.CharField(max_length=7, choices=DatePrecision.choices, default=DatePrecision.DAY)
    credibility = models.PositiveSmallIntegerField(choices=Credibility.choices, default=Credibility.CANNOT_BE_JUDGED)
    credibility_rationale = models.TextField()
    peer_rating = models.TextField(
        blank=True,
        help_text="Another fact-checker's rating, verbatim from their ClaimReview (not our grade): "
        "“alternateName (ratingValue/bestRating)”.",
    )
    status = models.CharField(max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT)
    version = models.PositiveIntegerField(default=1, editable=False)
    published_version = models.PositiveIntegerField(
        null=True, blank=True, editable=False,
        help_text="The version the public reads; set by each publish.",
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    retraction_reason = models.TextField(blank=True, editable=False)
    evidence_exception = models.TextField(
        blank=True, editable=False,
        help_text="Why the claim was published without an archived copy of its quote, as the editor told readers.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        editable=False, help_text="Who last changed the content (four eyes).",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        editable=False, help_text="Who last submitted it for review (four eyes).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClaimManager.from_queryset(ClaimQuerySet)()
    history = tracked_history()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "-updated_at"], name="claim_status_updated"),
            models.Index(fields=["claimant", "-asserted_on"], name="claim_claimant_date"),
            models.Index(fields=["document"], name="claim_document"),
            models.Index(fields=["-asserted_on"], name="claim_asserted_on"),
            models.Index(fields=["-published_at"], name="claim_published_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(credibility__gte=1, credibility__lte=6),
                name="claim_credibility_1_to_6",
                violation_error_message="Credibility must be a grade from 1 to 6.",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ClaimStatus.values),
                name="claim_status_valid",
                violation_error_message="Unknown claim status.",
            ),
            models.CheckConstraint(
                condition=models.Q(asserted_precision__in=DatePrecision.values),
                name="claim_precision_valid",
                violation_error_message="Date precision must be day, month, year or not given.",
            ),
            models.CheckConstraint(
                condition=models.Q(asserted_on__isnull=True, asserted_precision=DatePrecision.UNKNOWN)
                | (models.Q(asserted_on__isnull=False) & ~models.Q(asserted_precision=DatePrecision.UNKNOWN)),
                name="claim_date_given_unless_unknown",
                violation_error_message="A claim has a date unless the source gives none (precision “not given”).",
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1),
                name="claim_version_positive",
                violation_error_message="A claim's version starts at 1.",
            ),
            models.CheckConstraint(
                condition=models.Q(published_version__isnull=True)
                | models.Q(published_version__lte=models.F("version")),
                name="claim_published_version_not_ahead",
                violation_error_message="The published version cannot be newer than the claim.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=[ClaimStatus.PUBLISHED, ClaimStatus.RETRACTED])
                | models.Q(published_version__isnull=False),
                name="claim_public_status_has_published_version",
                violation_error_message="A published or retracted claim must have a published version.",
            ),
        ]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:77] + "…"

    def get_absolute_url(self) -> str:
        return reverse("claims:claim-detail", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    natural_key.dependencies = ["sources.source", "sources.document", "sources.annotation"]

    def clean(self) -> None:
        validate_partial_date(self.asserted_on, self.asserted_precision, field="asserted_on")
        if self.primary_source_id is not None and self.primary_source_id == self.claimant_id:
            raise ValidationError(
                {"primary_source": "The primary source is the original record behind a second-hand "
                 "report; leave it empty when the claimant is the original."},
                code="primary_is_claimant",
            )

    @property
    def admiralty_code(self) -> str:
        """The familiar grade: the claimant's reliability and the claim's credibility ("B2")."""
        return f"{self.claimant.reliability}{self.credibility}"

    @property
    def asserted_display(self) -> str:
        return format_partial_date(self.asserted_on, self.asserted_precision)

    @property
    def is_public(self) -> bool:
        return self.published_version is not None

    @property
    def awaits_grading(self) -> bool:
        """Imported from a peer's ClaimReview and not yet graded by us: its rationale is still
        the import's."""
        return self.credibility_rationale.strip() == IMPORTED_RATIONALE

    def pending_contributor_ids(self) -> frozenset[int]:
        """Who put content into the revision awaiting publication (four eyes); one query, cached,
        unless `pending_contributors` primed it for a whole list."""
        if getattr(self, "_pending_contributors", None) is None:
            pending_contributors([self])
        return self._pending_contributors


class ClaimLinkManager(models.Manager):
    def get_by_natural_key(self, from_slug: str, to_slug: str, link_type: str) -> "ClaimLink":
        return self.get(from_claim__slug=from_slug, to_claim__slug=to_slug, link_type=link_type)


class ClaimLink(models.Model):
    """Typed evidence: `from_claim` supports, contradicts, qualifies or repeats `to_claim`."""

    from_claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="outgoing_links")
    to_claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="incoming_links")
    link_type = models.CharField(max_length=20, choices=LinkType.choices)
    rationale = models.TextField()
    status = models.CharField(max_length=10, choices=LinkStatus.choices, default=LinkStatus.PROPOSED)
    version = models.PositiveIntegerField(default=1, editable=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClaimLinkManager.from_queryset(ClaimLinkQuerySet)()
    history = tracked_history()

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["to_claim", "status"], name="link_to_status"),
            models.Index(fields=["from_claim", "status"], name="link_from_status"),
            models.Index(fields=["status", "created_at"], name="link_status_created"),  # the review queue
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_claim=models.F("to_claim")),
                name="link_no_self_link",
                violation_error_message="A claim cannot be linked to itself.",
            ),
            models.UniqueConstraint(
                fields=["from_claim", "to_claim", "link_type"],
                name="link_unique_from_to_type",
                violation_error_message="These two claims already have a link of this type.",
            ),
            models.CheckConstraint(
                condition=models.Q(link_type__in=LinkType.values),
                name="link_type_valid",
                violation_error_message="Unknown link type.",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=LinkStatus.values),
                name="link_status_valid",
                violation_error_message="Unknown link status.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_claim.slug} {self.get_link_type_display().lower()} {self.to_claim.slug}"

    def natural_key(self) -> tuple[str, str, str]:
        return (self.from_claim.slug, self.to_claim.slug, self.link_type)

    natural_key.dependencies = ["claims.claim"]


class ReviewEvent(models.Model):
    """Who decided what and why: one row per workflow step on a claim or a link."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, null=True, blank=True, related_name="review_events")
    link = models.ForeignKey(ClaimLink, on_delete=models.CASCADE, null=True, blank=True, related_name="review_events")
    action = models.CharField(max_length=20, choices=ReviewAction.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    version = models.PositiveIntegerField(help_text="The object's version after this step.")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_username = models.CharField(max_length=150, blank=True, help_text="Kept if the account is deleted.")
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ReviewEventQuerySet.as_manager()
    history = tracked_history()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["claim", "created_at"], name="review_claim_created"),
            models.Index(fields=["link", "created_at"], name="review_link_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(claim__isnull=False) & models.Q(link__isnull=True))
                | (models.Q(claim__isnull=True) & models.Q(link__isnull=False)),
                name="review_event_one_subject",
                violation_error_message="A review event concerns exactly one claim or one link.",
            ),
            models.CheckConstraint(
                condition=models.Q(action__in=ReviewAction.values),
                name="review_event_action_valid",
                violation_error_message="Unknown review action.",
            ),
        ]

    def __str__(self) -> str:
        subject = self.claim if self.claim_id else self.link
        return f"{self.get_action_display()}: {subject} by {self.actor_username or 'system'}"


class PublicClaim(models.Model):
    """The projection of a public claim: its latest record in the public record, and the
    few fields of that record the public lists filter, sort and search on.

    Written only by claims.publication with each record appended; every public surface
    reads claims through it, never through the working rows.
    """

    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, primary_key=True, related_name="public")
    record = models.ForeignKey("publicrecord.Record", on_delete=models.PROTECT, related_name="+")
    slug = models.SlugField(max_length=120, unique=True)
    status = models.CharField(max_length=20, choices=ClaimStatus.choices)
    claimant_slug = models.CharField(max_length=120)
    primary_source_slug = models.CharField(max_length=120, blank=True)
    publisher_slug = models.CharField(max_length=120)
    document_id = models.BigIntegerField()
    snapshot_id = models.BigIntegerField(null=True, blank=True)
    credibility = models.PositiveSmallIntegerField(choices=Credibility.choices)
    asserted_on = models.DateField(null=True, blank=True)
    first_published_at = models.DateTimeField()
    published_at = models.DateTimeField()
    recorded_at = models.DateTimeField()
    search_text = models.TextField()
    cites = models.TextField(blank=True, default="",
                             help_text="' slug slug ': the claims its published texts cite, each between spaces.")
    # The latest record that changes this claim's page: its own, or that of a claim the page
    # shows (linked or cited). Its page's ETag and cache key derive from it alone.
    page_index = models.BigIntegerField(default=0)
    page_changed_at = models.DateTimeField(null=True, blank=True)

    objects = PublicClaimQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["-published_at", "-claim"], name="public_claim_latest"),
            models.Index(fields=["claimant_slug", "-published_at"], name="public_claim_claimant"),
            models.Index(fields=["document_id"], name="public_claim_document"),
            models.Index(fields=["snapshot_id"], name="public_claim_snapshot"),
            models.Index(fields=["credibility", "-published_at"], name="public_claim_credibility"),
            models.Index(fields=["asserted_on"], name="public_claim_asserted_on"),
            models.Index(fields=["publisher_slug"], name="public_claim_publisher"),
            models.Index(fields=["primary_source_slug"], name="public_claim_primary_source"),
        ]

    def __str__(self) -> str:
        return f"{self.slug} at record {self.record_id}"

    def get_absolute_url(self) -> str:
        return reverse("claims:claim-detail", kwargs={"slug": self.slug})

    @cached_property
    def content(self) -> dict[str, Any]:
        """The record this projection points at, as data."""
        return json.loads(self.record.body)
