"""The API of sources, documents, snapshots and annotations. Thin: reads through the
querysets, writes through sources.services."""

import hashlib
import json
from typing import Any
from urllib.parse import urlsplit

import django_filters
from django.db.models import BigIntegerField, Max, Q, QuerySet
from django.db.models.functions import Cast
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import NotFound, UnsupportedMediaType, ValidationError
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from factcheck.api import (
    LD_TAG_SUFFIX,
    FormParser,
    LimitedJSONParser,
    MultiPartParser,
    VersionedMixin,
    created_location,
    etag_for,
    expected_version,
    for_update,
    refuse_existing,
    replacement,
    written,
)
from factcheck.api_filters import IdFilter, SlugOrIdFilter, slug_or_id
from factcheck.api_history import RevisionsMixin
from factcheck.api_references import ID_SCHEMA, KEY_SCHEMAS
from factcheck.params import whole_number
from factcheck.roles import is_team_member
from publicrecord.models import Projection
from sources import annotation_protocol, services
from sources.models import Annotation, Document, Reliability, Snapshot, Source, SourceKind
from sources.public import document_from, passage_from, source_from
from sources.serializers import (
    FILE_DESCRIPTION,
    AnnotationSerializer,
    DocumentSerializer,
    SnapshotCaptureSerializer,
    SnapshotSerializer,
    SourceSerializer,
    web_annotation,
)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class JSONLDRenderer(JSONRenderer):
    """W3C Web Annotation JSON-LD, chosen with Accept: application/ld+json."""

    media_type = "application/ld+json"
    format = "jsonld"


class SourceFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=SourceKind.choices)
    reliability = django_filters.ChoiceFilter(choices=Reliability.choices)

    class Meta:
        model = Source
        fields: list[str] = []


class PublicRecordMixin:
    """Anyone outside the team reads these objects as the public record shows them: the
    projection of the latest record citing each (publicrecord.Projection), never the working
    row, so an edit shows only when an editor publishes a claim citing it."""

    projection_kind = ""
    public_filters: dict[str, str | tuple[str, str]] = {}
    public_model: Any = None
    public_key = ("pk", "id")  # the model's field, and the record's key, that name one object
    # Public pages are ordered, and their cursors placed, by the object's id as its record gives
    # it (as the team's by the row's): never by the projection's own row, an internal order.
    public_order = "object_id"

    @property
    def cursor_field(self) -> str:
        return "pk" if is_team_member(self.request.user) else self.public_order

    def public_rows(self) -> QuerySet:
        rows = Projection.objects.filter(kind=self.projection_kind).select_related("record")
        for name, lookup in self.public_filters.items():
            value: Any = self.request.query_params.get(name)
            if value and isinstance(lookup, tuple):  # a reference by slug or id (SlugOrIdFilter)
                slug_lookup, id_lookup = lookup
                number = whole_number(value) if value.isascii() and value.isdigit() else None
                condition = Q(**{slug_lookup: value})
                rows = rows.filter(condition | Q(**{id_lookup: number}) if number is not None else condition)
                continue
            if value and lookup.endswith("__id"):
                # An id in the record's JSON is a number: "2" would match nothing.
                value = whole_number(value)
                if value is None:
                    return rows.none()
            if value:
                rows = rows.filter(**{lookup: value})
        return rows

    def from_row(self, row: Projection) -> Any:
        raise NotImplementedError

    def from_rows(self, rows: list[Projection]) -> list[Any]:
        """The objects these rows show, each with the date it first became public (one query)."""
        field, key = self.public_key
        since = {str(name): when for name, when in self.public_model.objects.first_published(
            field, [row.data.get(key) for row in rows]).items()}
        shown = [self.from_row(row) for row in rows]
        for obj, row in zip(shown, rows, strict=True):
            obj.public_since = since.get(str(row.data.get(key)))
        return shown

    def public_instance(self, pk: str) -> Any:
        number = whole_number(pk)
        if number is None:
            raise NotFound()
        row = self.public_rows().filter(object_id=number).first()
        if row is None:
            raise NotFound()
        return self.from_rows([row])[0]

    def public_list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.public_rows())
        return self.get_paginated_response(self.get_serializer(self.from_rows(list(page)), many=True).data)


def _recorded(instance: Any, row: Projection) -> Any:
    instance.record_index = row.record_id
    instance.created_at = instance.updated_at = row.record.recorded_at
    return instance


class EditableMixin(VersionedMixin):
    """Create and change through a service; the content fields come from the serializer."""

    create_service: Any = None
    update_service: Any = None
    object_argument = ""
    content_fields: list[str] = []

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object() if is_team_member(request.user) else self.public_instance(kwargs["pk"])
        return self.not_modified(request, obj) or self.respond(obj, self.get_serializer(obj).data)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not is_team_member(request.user):
            self.filter_queryset(self.get_queryset())  # validates the filters' values
            return self.public_list(request)
        return super().list(request, *args, **kwargs)

    def shown_etag(self, obj: Any) -> str:
        if is_team_member(self.request.user):
            return etag_for(obj.version)
        return f'"r{obj.record_index}"'

    def create(self, request: Request) -> Response:
        slug = request.data.get("slug") if hasattr(request.data, "get") else None
        if isinstance(slug, str) and slug:  # before validation, which would call a taken slug bad input
            model = self.get_serializer_class().Meta.model
            refuse_existing(request, model.objects.filter(slug=slug).first(),
                            what=f"A {model._meta.verbose_name} with this slug")
        payload = self.get_serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        fields = {name: value for name, value in payload.validated_data.items()
                  if name in [*self.content_fields, "slug"]}
        obj = type(self).create_service(actor=request.user, **fields)
        return self.respond(obj, self.get_serializer(obj).data, 201)

    def update(self, request: Request, pk: str) -> Response:
        return self._update(request, partial=False)

    def partial_update(self, request: Request, pk: str) -> Response:
        return self._update(request, partial=True)

    def _update(self, request: Request, *, partial: bool) -> Response:
        obj = self.get_object()
        version = expected_version(request, obj.version)
        payload = self.get_serializer(obj, data=request.data, partial=partial)
        payload.is_valid(raise_exception=True)
        content = {name: value for name, value in payload.validated_data.items() if name in self.content_fields}
        if not partial:
            content = replacement(content, model=type(obj), fields=self.content_fields)
        changes = {name: value for name, value in content.items() if getattr(obj, name) != value}
        obj = written(lambda: type(self).update_service(**{self.object_argument: obj}, actor=request.user,
                                                        version=version, changes=changes,
                                                        reason=payload.validated_data.get("reason", "")),
                      unchanged=obj)
        return self.respond(obj, self.get_serializer(obj).data)


@extend_schema_view(
    list=extend_schema(summary="List sources", description="Anonymous clients see the sources published claims cite."),
    retrieve=extend_schema(summary="A source, with its reliability grade and rationale"),
    create=extend_schema(summary="Add a source", examples=[OpenApiExample("A research firm", request_only=True, value={
        "name": "Sayari", "kind": "research_firm", "reliability": "B",
        "reliability_rationale": "Works from corporate and trade records; widely cited."})]),
    partial_update=extend_schema(summary="Change a source (editors once it is public)",
                                 request=for_update(SourceSerializer), examples=[OpenApiExample(
        "Regrade", request_only=True, value={"version": 2, "reliability": "C", "reason": "A commercial interest."})]),
    update=extend_schema(summary="Replace a source's fields (what is left out is cleared)",
                         request=for_update(SourceSerializer)),
)
class SourceViewSet(RevisionsMixin, EditableMixin, PublicRecordMixin, mixins.ListModelMixin,
                    viewsets.GenericViewSet):
    serializer_class = SourceSerializer
    projection_kind = "source"
    public_model = Source
    public_filters = {"kind": "data__kind", "reliability": "data__reliability"}
    filterset_class = SourceFilter
    create_service = services.source_create
    update_service = services.source_update
    object_argument = "source"
    content_fields = services.SOURCE_FIELDS
    tracked_kind = "source"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet:
        return Source.objects.visible_to(self.request.user).select_related("affiliation")

    def from_row(self, row: Projection) -> Source:
        return _recorded(source_from(row.data), row)


class SnapshotFilter(django_filters.FilterSet):
    document = SlugOrIdFilter(lookups=slug_or_id("document__slug", "document_id"),
                              help_text="The document, by slug (or id, as a snapshot is created with).")

    class Meta:
        model = Snapshot
        fields: list[str] = []


class AnnotationFilter(django_filters.FilterSet):
    snapshot = IdFilter(field_name="snapshot_id", help_text="The snapshot, by id (as an annotation is created with).")

    class Meta:
        model = Annotation
        fields = ["motivation", "anchoring"]


class DocumentFilter(django_filters.FilterSet):
    publisher = SlugOrIdFilter(lookups=slug_or_id("publisher__slug", "publisher_id"),
                               help_text="The publisher (a source), by slug as a document is created with (or id).")

    class Meta:
        model = Document
        fields = ["language", "published_precision"]


@extend_schema_view(
    list=extend_schema(summary="List documents"),
    retrieve=extend_schema(summary="A document, with its date at its precision"),
    create=extend_schema(summary="Add a document", examples=[OpenApiExample("A report", request_only=True, value={
        "title": "Sayari report on Rustakt's imports", "publisher": "sayari", "published_on": "2025-10-01",
        "published_precision": "month", "language": "en"})]),
    partial_update=extend_schema(summary="Change a document", request=for_update(DocumentSerializer),
                                 examples=[OpenApiExample(
        "Add the address", request_only=True, value={"version": 1, "url": "https://example.org/report",
                                                     "reason": "Found the original."})]),
    update=extend_schema(summary="Replace a document's fields (what is left out is cleared)",
                         request=for_update(DocumentSerializer)),
)
class DocumentViewSet(RevisionsMixin, EditableMixin, PublicRecordMixin, mixins.ListModelMixin,
                      viewsets.GenericViewSet):
    serializer_class = DocumentSerializer
    projection_kind = "document"
    public_model = Document
    public_filters = {"publisher": ("data__publisher__slug", "data__publisher__id"), "language": "data__language",
                      "published_precision": "data__published_precision"}
    filterset_class = DocumentFilter
    create_service = services.document_create
    update_service = services.document_update
    object_argument = "document"
    content_fields = services.DOCUMENT_FIELDS
    tracked_kind = "document"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet:
        return Document.objects.visible_to(self.request.user).select_related("publisher")

    def from_row(self, row: Projection) -> Document:
        return _recorded(document_from(row.data), row)


_SNAPSHOT_FIELDS = {"document": {"oneOf": [KEY_SCHEMAS["slug"](False), ID_SCHEMA],
                                  "description": "The document it is a copy of. By its slug (a string) or its id "
                                                 "(an integer)."},
                    "origin": {"type": "string", "maxLength": 1000,
                               "description": "Where it came from (URL or name); empty for the default."}}
SNAPSHOT_TEXT_SCHEMA = {"type": "object", "required": ["document", "text"], "additionalProperties": False,
                        "properties": {**_SNAPSHOT_FIELDS, "text": {"type": "string", "minLength": 1,
                                                                    "description": "The text itself."}}}
SNAPSHOT_FILE_SCHEMA = {"type": "object", "required": ["document", "file"], "additionalProperties": False,
                        "properties": {**_SNAPSHOT_FIELDS, "file": {"type": "string", "format": "binary",
                                                                    "description": FILE_DESCRIPTION}}}


@extend_schema_view(list=extend_schema(summary="List snapshots (filter by document)"),
                    retrieve=extend_schema(summary="A snapshot: capture time, origin, SHA-256 and text"))
class SnapshotViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Archived copies: created from an uploaded file or from text, never changed afterwards."""

    serializer_class = SnapshotSerializer
    filterset_class = SnapshotFilter
    parser_classes = [LimitedJSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet:
        if is_team_member(self.request.user):
            return Snapshot.objects.defer("content")
        # Archived bytes never change: the public reads those a record cites, as stored.
        cited = Projection.objects.filter(kind="snapshot").annotate(
            snapshot_id=Cast("key", BigIntegerField())).values("snapshot_id")
        return Snapshot.objects.filter(pk__in=cited).defer("content")

    @extend_schema(summary="Archive a document's text", request={
        "application/json": SNAPSHOT_TEXT_SCHEMA, "application/x-www-form-urlencoded": SNAPSHOT_TEXT_SCHEMA,
        "multipart/form-data": {"oneOf": [SNAPSHOT_TEXT_SCHEMA, SNAPSHOT_FILE_SCHEMA]}},
                   responses={201: SnapshotSerializer, 200: SnapshotSerializer},
                   description="The same bytes twice give the existing snapshot (200).",
                   examples=[OpenApiExample("Text", request_only=True,
                                            value={"document": 1, "text": "The article's text…",
                                                   "origin": "https://example.org/article"})])
    def create(self, request: Request) -> Response:
        payload = SnapshotCaptureSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        upload = payload.validated_data.get("file")
        if upload is not None:
            if upload.size > MAX_UPLOAD_BYTES:
                return Response({"error": "too_large", "detail": f"Files are limited to {MAX_UPLOAD_BYTES} bytes.",
                                 "fields": {"file": ["Too large."]}}, status=413)
            content, content_type = upload.read(), upload.content_type or "text/plain"
            charset = upload.charset  # the part's declared charset, which Django keeps apart (as bytes)
            if isinstance(charset, bytes):
                charset = charset.decode("ascii", "replace")
            if charset:
                content_type += f"; charset={charset}"
            origin = payload.validated_data.get("origin") or upload.name
        else:
            content = payload.validated_data["text"].encode()
            content_type = "text/plain; charset=utf-8"
            origin = payload.validated_data.get("origin") or "text sent to the API"
        if request.headers.get("If-None-Match", "").strip() == "*":
            # Nothing is archived twice: the same bytes of the same document name the same snapshot.
            digest = hashlib.sha256(content).hexdigest()
            refuse_existing(request, Snapshot.objects.filter(document=payload.validated_data["document"],
                                                             sha256=digest).first(),
                            what="A snapshot of these bytes of this document")
        snapshot, created = services.snapshot_capture(
            document=payload.validated_data["document"], actor=request.user, content=content,
            content_type=content_type, origin=origin)
        return Response(SnapshotSerializer(snapshot).data, status=201 if created else 200,
                        headers={"Location": created_location(request, snapshot)})


ANNOTATION_LD_SCHEMA = {
    "type": "object", "required": ["@context", "id", "type", "target"],
    "description": "A W3C Web Annotation (JSON-LD, http://www.w3.org/ns/anno.jsonld).",
    "properties": {"@context": {"type": "string"}, "id": {"type": "string"}, "type": {"type": "string"},
                   "motivation": {"type": "string"}, "created": {"type": "string"},
                   "modified": {"type": "string"}, "creator": {"type": "object"}, "body": {"type": "object"},
                   "target": {"type": "object"}},
}
ANNOTATION_ITEM_LD_SCHEMA = {key: value for key, value in ANNOTATION_LD_SCHEMA.items() if key != "required"}
ANNOTATION_ITEM_LD_SCHEMA["required"] = ["id", "type", "target"]  # in a page, under the page's @context
PAGE_ITEM_LD_SCHEMA = {"oneOf": [{"type": "string", "description": "An annotation's IRI (PreferContainedIRIs)."},
                                 ANNOTATION_ITEM_LD_SCHEMA]}
COLLECTION_LD_SCHEMA = {
    "type": "object", "required": ["@context", "id", "type"],
    "description": "Without `page`: the AnnotationCollection, its first AnnotationPage embedded (or only linked, "
                   "with `Prefer` PreferMinimalContainer), `last` linked. With `page`: that AnnotationPage "
                   "(`partOf`, `startIndex`, `next`, `prev`, `items`). Items are annotations, or their IRIs with "
                   "`iris=1` (or `Prefer` PreferContainedIRIs).",
    "properties": {"@context": {"type": "string"}, "id": {"type": "string"},
                   "type": {"type": "string", "enum": ["AnnotationCollection", "AnnotationPage"]},
                   "label": {"type": "string"}, "total": {"type": "integer"}, "modified": {"type": "string"},
                   "first": {"oneOf": [{"type": "object"}, {"type": "string"}]}, "last": {"type": "string"},
                   "partOf": {"type": "object"}, "startIndex": {"type": "integer"}, "next": {"type": "string"},
                   "prev": {"type": "string"}, "items": {"type": "array", "items": PAGE_ITEM_LD_SCHEMA}},
}


def _closed(properties: dict[str, Any], *required: str) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(required), "additionalProperties": False}


QUOTE_SELECTOR_SCHEMA = _closed({"type": {"type": "string", "enum": ["TextQuoteSelector"]},
                                 "exact": {"type": "string", "minLength": 1}, "prefix": {"type": "string"},
                                 "suffix": {"type": "string"}}, "type", "exact")
POSITION_SELECTOR_SCHEMA = _closed({"type": {"type": "string", "enum": ["TextPositionSelector"]},
                                    "start": {"type": "integer", "minimum": 0},
                                    "end": {"type": "integer", "minimum": 1}}, "type", "start", "end")
SELECTOR_SCHEMA = {"oneOf": [QUOTE_SELECTOR_SCHEMA, POSITION_SELECTOR_SCHEMA]}
WEB_ANNOTATION_REQUEST_SCHEMA = {
    **_closed({
        "@context": {"type": "string", "enum": list(annotation_protocol.CONTEXTS)},
        "type": {"type": "string", "enum": ["Annotation"]},
        "motivation": {"type": "string", "enum": sorted(annotation_protocol.motivation_names(
            Annotation.Motivation.values)), "description": "As the W3C context names it (`oa:assessing`: the "
                                                           "context has no term for it); highlighting if left out."},
        "body": _closed({"type": {"type": "string", "enum": ["TextualBody"]}, "value": {"type": "string"},
                         "format": {"type": "string", "enum": ["text/plain"]}}, "value"),
        "bodyValue": {"type": "string", "description": "The note, instead of a TextualBody `body`."},
        "target": _closed({
            "type": {"type": "string", "enum": ["SpecificResource"]},
            "source": {"type": "string", "minLength": 1, "description": "The archived snapshot's IRI, as we publish "
                                                                        "it: https://<this site>/snapshots/<id>/."},
            "selector": {"oneOf": [SELECTOR_SCHEMA, {"type": "array", "items": SELECTOR_SCHEMA, "minItems": 1,
                                                     "maxItems": 2}]}}, "source", "selector"),
        "id": {"type": "string", "description": "Not kept: the server names the annotation (its URL)."},
        "created": {"type": "string", "description": "Not kept: said by the server."},
        "modified": {"type": "string", "description": "Not kept: said by the server."},
        "creator": {"oneOf": [{"type": "string"}, {"type": "object"}],
                    "description": "Not kept: the creator is who sends it."},
    }, "@context", "type", "target"),
    "not": {"required": ["body", "bodyValue"]},
    "description": "A W3C Web Annotation (Content-Type: application/ld+json; "
                   "profile=\"http://www.w3.org/ns/anno.jsonld\") on a passage of an archived snapshot: a "
                   "TextQuoteSelector, a TextPositionSelector or both (which must agree), pointing at one passage; "
                   "a plain-text note. Anything else is refused by name.",
}
MAX_LD_PAGE = 10**9
LD_PAGE_PARAMETER = OpenApiParameter(
    "page", {"type": "integer", "minimum": 0, "maximum": MAX_LD_PAGE}, OpenApiParameter.QUERY, required=False,
    description="The W3C representation (Accept: application/ld+json): which AnnotationPage, 0 first. "
                "Without it, the AnnotationCollection.")
LD_IRIS_PARAMETER = OpenApiParameter(
    "iris", {"type": "integer", "enum": [0, 1]}, OpenApiParameter.QUERY, required=False,
    description="The W3C representation: 1 lists the annotations' IRIs only, 0 (the default) their descriptions.")
PREFER_PARAMETER = OpenApiParameter(
    "Prefer", str, OpenApiParameter.HEADER, required=False,
    description="The W3C representation's container preferences (RFC 7240): `return=representation; "
                f"include=\"{annotation_protocol.PREFER_MINIMAL}\"` (no page embedded), "
                f"`…include=\"{annotation_protocol.PREFER_IRIS}\"` (IRIs only) or "
                f"`…include=\"{annotation_protocol.PREFER_DESCRIPTIONS}\"` (the default). Applied ones are said "
                "in `Preference-Applied`; others are ignored.")
ANNOTATION_UPDATE = for_update(AnnotationSerializer)
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
W3C_REPLACE_REASON = "Replaced through the W3C Web Annotation Protocol"
ACCEPT_POST = f"{annotation_protocol.MEDIA_TYPE}, application/json"


class WebAnnotationParser(LimitedJSONParser):
    """W3C Web Annotations sent to the container (application/ld+json, the W3C profile), read as
    JSON with the same limits; what they say is read by annotation_protocol.read_annotation."""

    media_type = annotation_protocol.MEDIA_TYPE_NAME


def _refused(error: annotation_protocol.Refused) -> ValidationError:
    return ValidationError({name: [message] for name, message in error.fields.items()})


@extend_schema_view(
    list=extend_schema(summary="List annotations (JSON, or a W3C AnnotationCollection with Accept)",
                       parameters=[LD_PAGE_PARAMETER, LD_IRIS_PARAMETER, PREFER_PARAMETER],
                       responses={(200, "application/json"): AnnotationSerializer(many=True),
                                  (200, "application/ld+json"): COLLECTION_LD_SCHEMA}),
    retrieve=extend_schema(summary="An annotation (JSON, or a W3C Web Annotation with Accept)",
                           responses={(200, "application/json"): AnnotationSerializer,
                                      (200, "application/ld+json"): ANNOTATION_LD_SCHEMA}))
class AnnotationViewSet(RevisionsMixin, VersionedMixin, PublicRecordMixin, mixins.ListModelMixin,
                       viewsets.GenericViewSet):
    """Notes on passages of snapshots. With `Accept: application/ld+json` (the W3C Web Annotation
    profile), the W3C Web Annotation Protocol: this list is an annotation container read as an
    AnnotationCollection in AnnotationPages, each annotation a W3C Web Annotation; W3C
    annotations sent to it (Content-Type application/ld+json) are created, replaced with PUT,
    through the same services as our JSON.

    The public reads the passages published claims quote, as their records froze them."""

    projection_kind = "passage"
    public_model = Annotation
    public_key = ("uuid", "annotation")  # older records of passages have no id
    public_order = "pk"  # (so they are listed in the order they were first published)
    public_filters = {"snapshot": "data__snapshot__id", "motivation": "data__motivation"}

    serializer_class = AnnotationSerializer
    filterset_class = AnnotationFilter
    tracked_kind = "annotation"
    renderer_classes = [JSONRenderer, JSONLDRenderer, BrowsableAPIRenderer]
    parser_classes = [LimitedJSONParser, WebAnnotationParser, FormParser, MultiPartParser]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_renderers(self) -> list[Any]:
        # What has a W3C form: the container, an annotation, and what a write to either answers.
        if getattr(self, "action", None) in {"list", "retrieve", "create", "update", "partial_update", "destroy",
                                             "metadata"}:
            return super().get_renderers()
        return [JSONRenderer(), BrowsableAPIRenderer()]

    def get_queryset(self) -> QuerySet:
        return Annotation.objects.visible_to(self.request.user).select_related("snapshot", "author").defer(
            "snapshot__content", "snapshot__text")

    def _as_ld(self, request: Request) -> bool:
        return getattr(request.accepted_renderer, "media_type", "") == JSONLDRenderer.media_type

    def _sent_as_ld(self, request: Request) -> bool:
        return request.content_type.split(";")[0].strip().lower() == annotation_protocol.MEDIA_TYPE_NAME

    def _answers_as_ld(self, request: Request) -> bool:
        """A write answers in the form asked for (Accept), else in the form it was sent in."""
        return self._as_ld(request) or (self._sent_as_ld(request)
                                        and "application/json" not in request.headers.get("Accept", ""))

    def from_row(self, row: Projection) -> Annotation:
        return _recorded(passage_from(row.data), row)

    def shown_etag(self, obj: Any) -> str:
        """The version (the team) or the record (the public), and for the W3C form its own tag:
        two forms of one annotation never share a strong tag (RFC 9110, 8.8.1)."""
        tag = str(obj.version) if is_team_member(self.request.user) else f"r{obj.record_index}"
        return f'"{tag}{LD_TAG_SUFFIX if self._answers_as_ld(self.request) else ""}"'

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # OPTIONS describes the endpoint in our JSON whatever the client reads its annotations in
        # (a W3C client's Accept included): the protocol has servers answer it (§4.1).
        return super().perform_content_negotiation(request, force=force or request.method == "OPTIONS")

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        one = "pk" in self.kwargs  # an annotation, not the container
        if self.action in {"list", "create", "metadata"} and not one and "page" not in request.query_params:
            response["Link"] = annotation_protocol.CONTAINER_LINKS  # on every response of the container
            if self.action != "create":
                response["Accept-Post"] = ACCEPT_POST  # what may be sent to it (§4.1)
        elif one and self.action in {"retrieve", "update", "partial_update", "destroy", "metadata"}:
            response["Link"] = annotation_protocol.ANNOTATION_LINKS  # on every response of an annotation
        if response.status_code == 412 and self._answers_as_ld(request) and response.has_header("ETag"):
            response["ETag"] = response["ETag"][:-1] + LD_TAG_SUFFIX + '"'  # the current tag of the form it reads
        if getattr(self, "page_links", None):
            response["Link"] = self.page_links
        return response

    def _ld_page_number(self, request: Request) -> int | None:
        value = request.query_params.get("page")
        if value is None:
            return None
        if not (value.isascii() and value.isdigit()) or int(value) > MAX_LD_PAGE:
            raise ValidationError({"page": ["A page is a whole number, 0 for the first."]})
        return int(value)

    def _ld_iris(self, request: Request) -> bool:
        value = request.query_params.get("iris")
        if value not in (None, "0", "1"):
            raise ValidationError({"iris": ["1 lists the annotations' IRIs only, 0 their descriptions."]})
        return value == "1"

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())  # validates the filters' values
        number = self._ld_page_number(request)
        iris = self._ld_iris(request)
        if self._as_ld(request):
            return self._ld_list(request, queryset, number, iris)
        if is_team_member(request.user):
            page = self.paginate_queryset(queryset)
        else:
            page = self.from_rows(list(self.paginate_queryset(self.public_rows())))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _ld_list(self, request: Request, queryset: QuerySet, number: int | None, iris: bool) -> Response:
        """The container in the W3C protocol: oldest first, so a page keeps its annotations as
        new ones are added (they join the end), and numbered pages with first, last and startIndex.
        The container honours the protocol's preferences; a page follows its `iris` (§4.3)."""
        team = is_team_member(request.user)
        shown = annotation_protocol.representation(
            annotation_protocol.preferred(request.headers.get("Prefer", "")) if number is None else set(), iris=iris)
        rows = (queryset if team else self.public_rows()).order_by("pk")
        latest = rows.aggregate(latest=Max("updated_at" if team else "record__recorded_at"))["latest"]
        total = rows.count()
        size = self.paginator.get_page_size(request)
        self.paginator.get_ordering(request, rows, self)  # validated; the W3C pages are always oldest first
        items: list[Any] = []
        if not (shown.minimal and number is None):
            page = rows[(number or 0) * size:((number or 0) + 1) * size]
            if shown.iris:
                items = [request.build_absolute_uri(f"/api/v1/annotations/{pk}/")
                         for pk in (page.values_list("pk", flat=True) if team else
                                    [row.data.get("id") for row in page])]
            else:
                annotations = list(page) if team else [self.from_row(row) for row in page]
                items = [web_annotation(a, absolute_url=request.build_absolute_uri, for_team=team)
                         for a in annotations]
        query = request.query_params.copy()
        for name in ("page", "cursor", "iris"):
            query.pop(name, None)
        if shown.iris:  # the container's IRI says which representation it is (§4.2)
            query["iris"] = "1"
        collection_id = request.build_absolute_uri(request.path + (f"?{query.urlencode()}" if query else ""))

        def page_url(page_number: int) -> str:
            paged = query.copy()
            paged["page"] = str(page_number)
            return request.build_absolute_uri(f"{request.path}?{paged.urlencode()}")

        if number is not None:
            # Where the pages are, on a page and on a page past the last alike, so a client recovers.
            self.page_links = (f'<{page_url(0)}>; rel="first", '
                               f'<{page_url(annotation_protocol.last_page(total, size))}>; rel="last"')
            if number > annotation_protocol.last_page(total, size):
                raise NotFound("No such page of annotations: the Link header names the first and the last.")
        described = {"collection_id": collection_id, "label": "Annotations on archived snapshots", "total": total,
                     "modified": latest.isoformat() if latest else None}
        if number is None:
            data = annotation_protocol.container(items, size=size, page_url=page_url, minimal=shown.minimal,
                                                 **described)
        else:
            data = annotation_protocol.standalone_page(items, number=number, size=size, page_url=page_url,
                                                       **described)
        etag = '"' + hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:40] + '"'
        if etag in [tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")]:
            response = Response(status=304)
        else:
            response = Response(data, content_type=annotation_protocol.MEDIA_TYPE)
            response["Content-Location"] = data["id"]
        response["ETag"] = etag
        if number is None:
            patch_vary_headers(response, ["Prefer"])
            if shown.applied:
                response["Preference-Applied"] = "return=representation"
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        annotation = self.get_object() if is_team_member(request.user) else self.public_instance(kwargs["pk"])
        cached = self.not_modified(request, annotation)
        if cached is not None:
            return cached
        if self._as_ld(request):
            response = self.respond(annotation, web_annotation(annotation, absolute_url=request.build_absolute_uri,
                                                               for_team=is_team_member(request.user)))
            response.content_type = annotation_protocol.MEDIA_TYPE
            return response
        return self.respond(annotation, self.get_serializer(annotation).data)

    def _answer(self, request: Request, annotation: Annotation, status_code: int = 200) -> Response:
        """A write's answer: the annotation as it now is, in our JSON or as a W3C annotation."""
        if self._answers_as_ld(request):
            response = self.respond(annotation, web_annotation(annotation, absolute_url=request.build_absolute_uri,
                                                               for_team=True), status_code)
            response.content_type = annotation_protocol.MEDIA_TYPE
            return response
        return self.respond(annotation, AnnotationSerializer(annotation, context=self.get_serializer_context()).data,
                            status_code)

    def _w3c_passage(self, request: Request) -> tuple[annotation_protocol.Sent, Snapshot,
                                                      annotation_protocol.Position]:
        """What a W3C annotation sent here asks for: the snapshot its target's source names (as we
        publish it: /snapshots/<id>/ on this site), and the one passage its selectors point at."""
        try:
            sent = annotation_protocol.read_annotation(request.data, motivations=Annotation.Motivation.values)
        except annotation_protocol.Refused as error:
            raise _refused(error) from None
        source, site = urlsplit(sent.source), urlsplit(request.build_absolute_uri("/"))
        try:
            match = resolve(source.path) if source.path.startswith("/") else None
        except Resolver404:
            match = None
        number = whole_number(str(match.kwargs.get("pk"))) if match is not None else None
        snapshot = None
        if (source.scheme in {"http", "https"} and source.netloc.lower() == site.netloc.lower()
                and not source.query and not source.fragment and match is not None
                and match.view_name == "sources:snapshot-detail" and number is not None):
            snapshot = Snapshot.objects.visible_to(request.user).defer("content").filter(pk=number).first()
        if snapshot is None:
            raise ValidationError({"target.source": [
                f"Not an archived snapshot here: the source is a snapshot's IRI as we publish it, "
                f"{request.build_absolute_uri('/snapshots/')}<id>/. Nothing was saved."]})
        try:
            place = annotation_protocol.passage(snapshot.text, quote=sent.quote, position=sent.position)
        except annotation_protocol.Refused as error:
            raise _refused(error) from None
        return sent, snapshot, place

    @extend_schema(summary="Annotate a passage: our JSON (code point offsets) or a W3C Web Annotation",
                   request={"application/json": AnnotationSerializer,
                            "application/ld+json": WEB_ANNOTATION_REQUEST_SCHEMA,
                            **dict.fromkeys(FORMS, AnnotationSerializer)},
                   responses={(201, "application/json"): AnnotationSerializer,
                              (201, "application/ld+json"): ANNOTATION_LD_SCHEMA},
                   description="Answers 201 with `Location` and `ETag`: in the W3C form when the annotation was "
                               "sent in it (or Accept asks for it), else in our JSON. A W3C annotation's `id` is "
                               "not kept: the server names it.",
                   examples=[OpenApiExample(
        "A passage", request_only=True, media_type="application/json",
        value={"snapshot": 1, "start": 120, "end": 180, "motivation": "questioning", "body": "Which filings?"}),
                             OpenApiExample(
        "A W3C Web Annotation", request_only=True, media_type="application/ld+json",
        value={"@context": annotation_protocol.ANNO_CONTEXT, "type": "Annotation", "motivation": "questioning",
               "body": {"type": "TextualBody", "value": "Which filings?", "format": "text/plain"},
               "target": {"source": "https://factcheck.example/snapshots/1/", "selector": [
                   {"type": "TextQuoteSelector", "exact": "Wang acquired a 5% equity stake in Rustakt"},
                   {"type": "TextPositionSelector", "start": 120, "end": 162}]}})])
    def create(self, request: Request) -> Response:
        if self._sent_as_ld(request):
            sent, snapshot, place = self._w3c_passage(request)
            annotation = services.annotation_create(snapshot=snapshot, actor=request.user, start=place.start,
                                                    end=place.end, motivation=sent.motivation, body=sent.body)
        else:
            payload = AnnotationSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            data = payload.validated_data
            annotation = services.annotation_create(snapshot=data["snapshot"], actor=request.user,
                                                    start=data["start"], end=data["end"],
                                                    motivation=data.get("motivation", "highlighting"),
                                                    body=data.get("body", ""))
        return self._answer(request, annotation, 201)  # with Location (VersionedMixin.respond)

    @extend_schema(summary="Replace an annotation's motivation and note (what is left out is cleared): our JSON "
                           "or a W3C Web Annotation",
                   request={"application/json": ANNOTATION_UPDATE,
                            "application/ld+json": WEB_ANNOTATION_REQUEST_SCHEMA,
                            **dict.fromkeys(FORMS, ANNOTATION_UPDATE)},
                   responses={(200, "application/json"): AnnotationSerializer,
                              (200, "application/ld+json"): ANNOTATION_LD_SCHEMA},
                   description="With If-Match (or `version`). A W3C annotation's target must be the one it has: "
                               "where an annotation points is set when it is created.")
    def update(self, request: Request, pk: str) -> Response:
        annotation = self.get_object()
        version = expected_version(request, annotation.version)
        if self._sent_as_ld(request):
            sent, snapshot, place = self._w3c_passage(request)
            if (snapshot.pk, place.start, place.end) != (annotation.snapshot_id, annotation.start, annotation.end):
                raise ValidationError({"target": [
                    "Where an annotation points is set when it is created and never changes: send the target "
                    "you read. Nothing was saved."]})
            content, reason = {"motivation": sent.motivation, "body": sent.body}, W3C_REPLACE_REASON
        else:
            payload = AnnotationSerializer(annotation, data=request.data)
            payload.is_valid(raise_exception=True)
            content = replacement(payload.validated_data, model=Annotation, fields=["motivation", "body"])
            reason = payload.validated_data.get("reason", "")
        changes = {name: value for name, value in content.items() if getattr(annotation, name) != value}
        annotation = written(lambda: services.annotation_update(annotation=annotation, actor=request.user,
                                                                version=version, changes=changes, reason=reason),
                             unchanged=annotation)
        return self._answer(request, annotation)

    @extend_schema(summary="Change an annotation's motivation or note (our JSON)",
                   request={"application/json": ANNOTATION_UPDATE, **dict.fromkeys(FORMS, ANNOTATION_UPDATE)},
                   examples=[OpenApiExample(
        "A sharper note", request_only=True, value={"version": 1, "body": "Which filing, and when?",
                                                    "reason": "Clearer question"})])
    def partial_update(self, request: Request, pk: str) -> Response:
        if self._sent_as_ld(request):
            raise UnsupportedMediaType(request.content_type, "PATCH takes our JSON; a W3C Web Annotation "
                                                             "replaces one with PUT. Nothing was saved.")
        annotation = self.get_object()
        version = expected_version(request, annotation.version)
        payload = AnnotationSerializer(annotation, data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        changes = {name: value for name, value in payload.validated_data.items() if name in {"motivation", "body"}}
        annotation = written(lambda: services.annotation_update(
            annotation=annotation, actor=request.user, version=version, changes=changes,
            reason=payload.validated_data.get("reason", "")), unchanged=annotation)
        return self._answer(request, annotation)

    @extend_schema(summary="Delete an annotation nothing cites (with If-Match)", request=None,
                   responses={204: None},
                   description="Its history stays. One that anchors a claim's quote, or that a published claim "
                               "quotes, is not deleted (409, `in_use`).")
    def destroy(self, request: Request, pk: str) -> Response:
        annotation = self.get_object()
        services.annotation_delete(annotation=annotation, actor=request.user,
                                   version=expected_version(request, annotation.version),
                                   reason="Deleted through the API")
        return Response(status=204)
