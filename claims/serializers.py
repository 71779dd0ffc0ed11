"""How claims, links and review events read and write in the API (thin: the services validate
and save)."""

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.choices import Credibility, LinkType
from claims.models import Claim, ClaimLink, ReviewEvent
from claims.services import CLAIM_CONTENT_FIELDS, CLAIM_STEP_ACTIONS, LINK_CONTENT_FIELDS, LINK_STEPS, allowed_steps
from factcheck.api import StrictFieldsMixin
from factcheck.api_references import ReferenceField
from factcheck.dates import DatePrecision, implied_precision
from factcheck.roles import is_team_member
from sources.models import Annotation, Document, Source
from sources.serializers import SourceSummarySerializer, hide_private


def _allowed_steps(serializer: serializers.Serializer, obj: Any) -> list[str]:
    request = serializer.context.get("request")
    if request is None or not is_team_member(request.user):
        return []  # readers take no step; the public record is read, never acted on
    return allowed_steps(request.user, obj)


CLAIM_STEPS_FIELD = extend_schema_field({
    "type": "array", "items": {"type": "string", "enum": list(CLAIM_STEP_ACTIONS)},
    "description": "The steps you may take on this claim now (your role, four eyes and its state): "
    "`edit`, `submit`, `request-changes`, `publish`, `retract`, `propose-link`. Empty for readers.",
})
LINK_STEPS_FIELD = extend_schema_field({
    "type": "array", "items": {"type": "string", "enum": [*LINK_STEPS, "edit"]},
    "description": "The steps you may take on this link now (your role, four eyes and its state): "
    "`accept`, `reject`, `withdraw`, `edit`. Empty for readers.",
})


class DocumentSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "slug", "title", "published_on", "published_precision"]


class ClaimSerializer(serializers.ModelSerializer):
    claimant = SourceSummarySerializer(read_only=True)
    primary_source = SourceSummarySerializer(read_only=True, allow_null=True)
    document = DocumentSummarySerializer(read_only=True)
    annotation = serializers.UUIDField(source="annotation.uuid", read_only=True, default=None, allow_null=True)
    credibility_label = serializers.CharField(source="get_credibility_display", read_only=True)
    admiralty_code = serializers.CharField(read_only=True)
    asserted_display = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField(help_text="The public claim page.")
    record = serializers.SerializerMethodField(help_text="Public readers: the index of the record in the public "
                                               "log that this representation reads (/transparency/entries/N.json).")
    public_note = serializers.SerializerMethodField(help_text="Public readers: the editor's note to readers.")
    peer_rating = serializers.SerializerMethodField(
        help_text="The team: another fact-checker's rating of an imported claim, verbatim from their ClaimReview "
                  "(“alternateName (ratingValue/bestRating)”; not our grade). Null when there is none, and for "
                  "readers: it is never published.")
    allowed_steps = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = ["id", "slug", "url", "record", "public_note", "text", "quote", "quote_language", "claimant",
                  "primary_source", "document",
                  "annotation", "asserted_on", "asserted_precision", "asserted_display", "credibility",
                  "credibility_label", "admiralty_code", "credibility_rationale", "peer_rating", "status", "version",
                  "published_version", "first_published_at", "published_at", "retraction_reason", "created_at",
                  "updated_at", "allowed_steps"]
        read_only_fields = fields

    @CLAIM_STEPS_FIELD
    def get_allowed_steps(self, claim: Claim) -> list[str]:
        return _allowed_steps(self, claim)

    def get_record(self, claim: Claim) -> int | None:
        return getattr(claim, "record_index", None)

    def get_public_note(self, claim: Claim) -> str | None:
        return getattr(claim, "public_note", None)

    def get_peer_rating(self, claim: Claim) -> str | None:
        request = self.context.get("request")
        if request is None or not is_team_member(request.user):
            return None  # not in the public record: readers see what is published only
        return claim.peer_rating or None

    def get_url(self, claim: Claim) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(claim.get_absolute_url()) if request else claim.get_absolute_url()


class ClaimWriteSerializer(StrictFieldsMixin, serializers.Serializer):
    """The content of a claim, as sent to create or change it. Sources and documents by slug or id,
    the annotation by uuid or id (factcheck.api_references)."""

    create_only_fields = ("slug",)

    text = serializers.CharField()
    quote = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    quote_language = serializers.CharField(required=False, max_length=16)
    claimant = ReferenceField(queryset=Source.objects.all(), description="Who asserts it: a source.")
    primary_source = ReferenceField(queryset=Source.objects.all(), required=False, allow_null=True,
                                    description="The original record when the claimant reports it second-hand: "
                                                "a source.")
    document = ReferenceField(queryset=Document.objects.all(), description="Where it is asserted: a document.")
    annotation = ReferenceField(key="uuid", queryset=Annotation.objects.all(), required=False, allow_null=True,
                                description="The annotation anchoring the quote in an archived snapshot, as a "
                                            "claim shows it (`uuid`) or /api/v1/annotations/ names it (`id`).")
    # Undated stays undated (factcheck.dates): a claim the source does not date has no date and
    # the precision "unknown"; nothing is to be invented to write it.
    asserted_on = serializers.DateField(required=False, allow_null=True,
                                        help_text="When it was asserted; null or left out when the source gives no "
                                                  "date.")
    asserted_precision = serializers.ChoiceField(
        choices=DatePrecision.choices, required=False,
        help_text="How precisely the date is known; left out: `day` with a date, `unknown` without one. A day, "
                  "month or year needs a date.")
    credibility = serializers.ChoiceField(choices=Credibility.choices)
    credibility_rationale = serializers.CharField()
    slug = serializers.SlugField(required=False, max_length=120, help_text="On creation only; derived if absent.")
    version = serializers.IntegerField(required=False, help_text="The version you change (or If-Match).")
    reason = serializers.CharField(required=False, help_text="Why you change it (required for edits).")

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        data = super().validate(data)
        if not self.partial and "asserted_precision" not in data:  # a create or a PUT; PATCH keeps the stored one
            data["asserted_precision"] = implied_precision(data.get("asserted_on"))
        return data

    def content(self) -> dict[str, Any]:
        """The claim's content fields as sent (not slug, version or reason)."""
        return {name: value for name, value in self.validated_data.items() if name in CLAIM_CONTENT_FIELDS}


class LinkWriteSerializer(StrictFieldsMixin, serializers.Serializer):
    """A link's content as sent to change it; its two claims never change (propose another link)."""

    link_type = serializers.ChoiceField(choices=LinkType.choices)
    rationale = serializers.CharField()
    version = serializers.IntegerField(required=False, help_text="The version you change (or If-Match).")
    reason = serializers.CharField(required=False, help_text="Why you change it (required).")

    def content(self) -> dict[str, Any]:
        return {name: value for name, value in self.validated_data.items() if name in LINK_CONTENT_FIELDS}


class StepSerializer(StrictFieldsMixin, serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text="The version you act on (or If-Match).")
    comment = serializers.CharField(required=False, allow_blank=True, default="",
                                    help_text="Required to request changes, retract (the public reason) or reject.")
    note = serializers.CharField(required=False, allow_blank=True, default="",
                                 help_text="Publish and accept: the note to readers (required for a correction).")
    exception = serializers.CharField(required=False, allow_blank=True, default="",
                                      help_text="Publish: why there is no archived copy of the quote, for readers "
                                      "(required only when the quote is not anchored in a snapshot).")


class LinkSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    from_claim = ReferenceField(queryset=Claim.objects.all(), description="The claim that supports, contradicts, "
                                "qualifies or states the same as `to_claim`; shown by its slug.")
    to_claim = ReferenceField(queryset=Claim.objects.all(), description="The claim it bears on; shown by its slug.")
    link_type = serializers.ChoiceField(choices=LinkType.choices)
    proposed_by = serializers.CharField(source="proposed_by.get_username", read_only=True, default=None,
                                        allow_null=True)
    reviewed_by = serializers.CharField(source="reviewed_by.get_username", read_only=True, default=None,
                                        allow_null=True)
    allowed_steps = serializers.SerializerMethodField()

    class Meta:
        model = ClaimLink
        fields = ["id", "from_claim", "to_claim", "link_type", "rationale", "status", "version", "proposed_by",
                  "reviewed_by", "reviewed_at", "created_at", "updated_at", "allowed_steps"]
        read_only_fields = ["status", "version", "reviewed_at", "created_at", "updated_at"]

    @LINK_STEPS_FIELD
    def get_allowed_steps(self, link: ClaimLink) -> list[str]:
        return _allowed_steps(self, link)

    def to_representation(self, link: ClaimLink) -> dict[str, Any]:
        return hide_private(self, super().to_representation(link), link, people=("proposed_by", "reviewed_by"))


class ReviewEventSerializer(serializers.ModelSerializer):
    claim = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = ReviewEvent
        fields = ["id", "claim", "link", "action", "from_status", "to_status", "version", "actor_username",
                  "comment", "created_at"]
        read_only_fields = fields


class ClaimReviewImportSerializer(StrictFieldsMixin, serializers.Serializer):
    """Other fact-checkers' ClaimReview markup to import as draft claims: a URL or the markup itself."""

    url = serializers.CharField(required=False, max_length=1000, help_text="An http(s) page or feed to fetch: "
                                "HTML with JSON-LD, or JSON (public addresses only, size and time limits).")
    content = serializers.CharField(required=False, trim_whitespace=False, help_text="The markup itself: HTML "
                                    "with <script type=\"application/ld+json\">, or JSON (one ClaimReview, a "
                                    "list, a DataFeed or an @graph).")

    def validate_content(self, value: str) -> str:
        if len(value.encode("utf-8", errors="replace")) > settings.SNAPSHOT_CAPTURE_MAX_BYTES:
            raise serializers.ValidationError(f"At most {settings.SNAPSHOT_CAPTURE_MAX_BYTES} bytes.")
        return value

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if bool(data.get("url")) == bool(data.get("content")):
            raise serializers.ValidationError("Send either `url` or `content`.")
        return data


class ImportedClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    text = serializers.CharField()
    peer_rating = serializers.CharField(help_text="The peer's rating, verbatim (not our grade).")
    status = serializers.CharField()


class ImportOutcomeSerializer(serializers.Serializer):
    position = serializers.CharField(help_text="Where in the input: “review 2”, “JSON-LD block 1”.")
    result = serializers.ChoiceField(choices=["created", "duplicate", "error"])
    message = serializers.CharField(help_text="What was done, or why nothing was.")
    review_url = serializers.CharField(allow_blank=True)
    claim = ImportedClaimSerializer(allow_null=True, help_text="The draft created, or the one already imported.")


class ImportReportSerializer(serializers.Serializer):
    origin = serializers.CharField()
    created = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    errors = serializers.IntegerField()
    items = ImportOutcomeSerializer(many=True)
