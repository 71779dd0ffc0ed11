"""How sources, documents, snapshots and annotations read and write in the API (thin: the
services validate and save)."""

from typing import Any

from rest_framework import serializers

from factcheck.api import StrictFieldsMixin
from factcheck.api_references import ReferenceField
from factcheck.dates import implied_precision
from sources.annotation_protocol import ANNO_CONTEXT, motivation_term
from sources.models import Annotation, Document, Snapshot, Source


def _for_team(serializer: serializers.Serializer) -> bool:
    from factcheck.roles import is_team_member

    request = serializer.context.get("request")
    return request is not None and is_team_member(request.user)


def hide_private(serializer: serializers.Serializer, data: dict[str, Any], obj: Any, *,
                 sources: tuple[str, ...] = (), people: tuple[str, ...] = ()) -> dict[str, Any]:
    """Outside the team: no related source that is not public, and no desk member's name."""
    if _for_team(serializer):
        return data
    # What a record shows (`record_index`) names only public sources, and does not say since when.
    for name in sources if not hasattr(obj, "record_index") else ():
        related = getattr(obj, name, None)
        if related is not None and related.public_since is None:
            data[name] = None
    for name in people:
        data[name] = None
    return data


class SourceSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "slug", "name", "reliability"]


class SourceSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    create_only_fields = ("slug",)

    affiliation = ReferenceField(queryset=Source.objects.all(), allow_null=True, required=False,
                                 description="The source it belongs to or speaks for.")
    reliability_label = serializers.CharField(source="get_reliability_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    version = serializers.IntegerField(required=False, help_text="The version you change (or If-Match).")
    reason = serializers.CharField(write_only=True, required=False, help_text="Why you change it (edits).")

    class Meta:
        model = Source
        fields = ["id", "slug", "name", "kind", "kind_label", "homepage", "description", "affiliation",
                  "reliability", "reliability_label", "reliability_rationale", "public_since", "version", "reason",
                  "created_at", "updated_at"]
        read_only_fields = ["public_since", "created_at", "updated_at"]
        extra_kwargs = {"slug": {"required": False}}

    def to_representation(self, source: Source) -> dict[str, Any]:
        return hide_private(self, super().to_representation(source), source, sources=("affiliation",))


class DocumentSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    create_only_fields = ("slug",)

    publisher = ReferenceField(queryset=Source.objects.all(), description="Who published it: a source.")
    published_display = serializers.CharField(read_only=True)
    version = serializers.IntegerField(required=False, help_text="The version you change (or If-Match).")
    reason = serializers.CharField(write_only=True, required=False, help_text="Why you change it (edits).")

    class Meta:
        model = Document
        fields = ["id", "slug", "title", "publisher", "authors", "url", "language", "published_on",
                  "published_precision", "published_display", "public_since", "version", "reason",
                  "created_at", "updated_at"]
        read_only_fields = ["public_since", "created_at", "updated_at"]
        extra_kwargs = {"slug": {"required": False}, "published_precision": {
            "required": False, "help_text": "How precisely the date is known; left out: `day` with a date, "
                                            "`unknown` without one. A day, month or year needs a date."}}

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if not self.partial and "published_precision" not in data:  # a create or a PUT; PATCH keeps the stored one
            data["published_precision"] = implied_precision(data.get("published_on"))
        return data

    def to_representation(self, document: Document) -> dict[str, Any]:
        return hide_private(self, super().to_representation(document), document, sources=("publisher",))


class SnapshotSerializer(serializers.ModelSerializer):
    document = serializers.PrimaryKeyRelatedField(queryset=Document.objects.all())

    class Meta:
        model = Snapshot
        fields = ["id", "document", "captured_at", "origin", "content_type", "sha256", "text"]
        read_only_fields = fields


FILE_DESCRIPTION = ("The file as published: HTML or plain text, as its part's Content-Type says (plain text if "
                    "none). Read in its declared charset (the part's, a byte-order mark, an HTML <meta charset>), "
                    "else UTF-8, else the one detected; refused when none can be told.")


class SnapshotCaptureSerializer(StrictFieldsMixin, serializers.Serializer):
    """A capture from an uploaded file or from text."""

    document = ReferenceField(queryset=Document.objects.all(), description="The document it is a copy of.")
    file = serializers.FileField(required=False, help_text=FILE_DESCRIPTION)
    text = serializers.CharField(required=False, trim_whitespace=False, help_text="Or the text itself.")
    origin = serializers.CharField(max_length=1000, required=False, help_text="Where it came from (URL or name).")

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if bool(data.get("file")) == bool(data.get("text")):
            raise serializers.ValidationError("Send either a file or a text, not both nor neither.")
        return data


class AnnotationSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    create_only_fields = ("snapshot", "start", "end")

    snapshot = serializers.PrimaryKeyRelatedField(queryset=Snapshot.objects.all())
    author = serializers.CharField(source="author.get_username", read_only=True, default=None, allow_null=True)
    version = serializers.IntegerField(required=False, help_text="The version you change (or If-Match).")
    reason = serializers.CharField(write_only=True, required=False, help_text="Why you change it (edits).")

    class Meta:
        model = Annotation
        fields = ["id", "uuid", "snapshot", "exact", "prefix", "suffix", "start", "end", "motivation", "body",
                  "anchoring", "author", "public_since", "version", "reason", "created_at", "updated_at"]
        read_only_fields = ["uuid", "exact", "prefix", "suffix", "anchoring", "author", "public_since",
                            "created_at", "updated_at"]

    def to_representation(self, annotation: Annotation) -> dict[str, Any]:
        return hide_private(self, super().to_representation(annotation), annotation, people=("author",))


def web_annotation(annotation: Annotation, *, absolute_url: Any, for_team: bool = False) -> dict[str, Any]:
    """The annotation in the W3C Web Annotation data model (JSON-LD)."""
    data: dict[str, Any] = {
        "@context": ANNO_CONTEXT,
        "id": absolute_url(f"/api/v1/annotations/{annotation.pk}/"),
        "type": "Annotation",
        "motivation": motivation_term(annotation.motivation),
        "created": annotation.created_at.isoformat(),
        "modified": annotation.updated_at.isoformat(),
        "target": {
            "source": absolute_url(annotation.snapshot.get_absolute_url()),
            "selector": [
                {"type": "TextQuoteSelector", "exact": annotation.exact, "prefix": annotation.prefix,
                 "suffix": annotation.suffix},
                {"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end},
            ],
        },
    }
    if for_team and annotation.author is not None:
        data["creator"] = {"type": "Person", "nickname": annotation.author.get_username()}
    else:  # the public sees the desk, not the person
        from django.conf import settings

        data["creator"] = {"type": "Organization", "name": settings.FACTCHECK_PUBLISHER_NAME}
    if annotation.body:
        data["body"] = {"type": "TextualBody", "value": annotation.body, "format": "text/plain"}
    return data
