"""The API of sources, documents, snapshots and annotations. Thin: reads through the
querysets, writes through sources.services."""

from typing import Any

import django_filters
from django.db.models import BigIntegerField, QuerySet
from django.db.models.functions import Cast
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from factcheck.api import FormParser, LimitedJSONParser, MultiPartParser, VersionedMixin, etag_for, expected_version
from factcheck.api_history import RevisionsMixin
from factcheck.params import whole_number
from factcheck.roles import is_team_member
from publicrecord.models import Projection
from sources import services
from sources.models import Annotation, Document, Reliability, Snapshot, Source, SourceKind
from sources.public import document_from, passage_from, source_from
from sources.serializers import (
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


def readable_documents(request: Request | None) -> QuerySet:
    """The documents this reader may see, and so name in a filter: any other id is refused exactly
    as an unknown one (a 400), never answered with an empty page that says it exists."""
    return Document.objects.visible_to(request.user) if request is not None else Document.objects.none()


def readable_snapshots(request: Request | None) -> QuerySet:
    """The snapshots this reader may see: all for the team; for anyone else those a record cites
    (archived bytes never change: the public reads them as stored)."""
    if request is None:
        return Snapshot.objects.none()
    if is_team_member(request.user):
        return Snapshot.objects.all()
    cited = Projection.objects.filter(kind="snapshot").annotate(
        snapshot_id=Cast("key", BigIntegerField())).values("snapshot_id")
    return Snapshot.objects.filter(pk__in=cited)


class SnapshotFilter(django_filters.FilterSet):
    document = django_filters.ModelChoiceFilter(queryset=readable_documents)

    class Meta:
        model = Snapshot
        fields: list[str] = []


class AnnotationFilter(django_filters.FilterSet):
    snapshot = django_filters.ModelChoiceFilter(queryset=readable_snapshots)

    class Meta:
        model = Annotation
        fields = ["motivation", "anchoring"]


class PublicRecordMixin:
    """Anyone outside the team reads these objects as the public record shows them: the
    projection of the latest record citing each (publicrecord.Projection), never the working
    row, so an edit shows only when an editor publishes a claim citing it."""

    projection_kind = ""
    public_filters: dict[str, str] = {}

    def public_rows(self) -> QuerySet:
        rows = Projection.objects.filter(kind=self.projection_kind).select_related("record")
        for name, lookup in self.public_filters.items():
            value: Any = self.request.query_params.get(name)
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

    def public_instance(self, pk: str) -> Any:
        number = whole_number(pk)
        if number is None:
            raise NotFound()
        row = self.public_rows().filter(data__id=number).first()
        if row is None:
            raise NotFound()
        return self.from_row(row)

    def public_list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.public_rows())
        return self.get_paginated_response(self.get_serializer([self.from_row(row) for row in page], many=True).data)


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
        version = expected_version(request)
        payload = self.get_serializer(obj, data=request.data, partial=partial)
        payload.is_valid(raise_exception=True)
        changes = {name: value for name, value in payload.validated_data.items()
                   if name in self.content_fields and getattr(obj, name) != value}
        obj = type(self).update_service(**{self.object_argument: obj}, actor=request.user, version=version,
                                        changes=changes, reason=payload.validated_data.get("reason", ""))
        return self.respond(obj, self.get_serializer(obj).data)


@extend_schema_view(
    list=extend_schema(summary="List sources", description="Anonymous clients see the sources published claims cite."),
    retrieve=extend_schema(summary="A source, with its reliability grade and rationale"),
    create=extend_schema(summary="Add a source", examples=[OpenApiExample("A research firm", request_only=True, value={
        "name": "Sayari", "kind": "research_firm", "reliability": "B",
        "reliability_rationale": "Works from corporate and trade records; widely cited."})]),
    partial_update=extend_schema(summary="Change a source (editors once it is public)", examples=[OpenApiExample(
        "Regrade", request_only=True, value={"version": 2, "reliability": "C", "reason": "A commercial interest."})]),
    update=extend_schema(summary="Replace a source's fields"),
)
class SourceViewSet(RevisionsMixin, EditableMixin, PublicRecordMixin, mixins.ListModelMixin,
                    viewsets.GenericViewSet):
    serializer_class = SourceSerializer
    projection_kind = "source"
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


class DocumentFilter(django_filters.FilterSet):
    publisher = django_filters.CharFilter(field_name="publisher__slug")

    class Meta:
        model = Document
        fields = ["language", "published_precision"]


@extend_schema_view(
    list=extend_schema(summary="List documents"),
    retrieve=extend_schema(summary="A document, with its date at its precision"),
    create=extend_schema(summary="Add a document", examples=[OpenApiExample("A report", request_only=True, value={
        "title": "Sayari report on Rustakt's imports", "publisher": "sayari", "published_on": "2025-10-01",
        "published_precision": "month", "language": "en"})]),
    partial_update=extend_schema(summary="Change a document", examples=[OpenApiExample(
        "Add the address", request_only=True, value={"version": 1, "url": "https://example.org/report",
                                                     "reason": "Found the original."})]),
    update=extend_schema(summary="Replace a document's fields"),
)
class DocumentViewSet(RevisionsMixin, EditableMixin, PublicRecordMixin, mixins.ListModelMixin,
                      viewsets.GenericViewSet):
    serializer_class = DocumentSerializer
    projection_kind = "document"
    public_filters = {"publisher": "data__publisher__slug", "language": "data__language",
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


@extend_schema_view(list=extend_schema(summary="List snapshots (filter by document)"),
                    retrieve=extend_schema(summary="A snapshot: capture time, origin, SHA-256 and text"))
class SnapshotViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Archived copies: created from an uploaded file or from text, never changed afterwards."""

    serializer_class = SnapshotSerializer
    filterset_class = SnapshotFilter
    parser_classes = [LimitedJSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet:
        return readable_snapshots(self.request).defer("content")

    @extend_schema(summary="Archive a document's text", request=SnapshotCaptureSerializer,
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
            origin = payload.validated_data.get("origin") or upload.name
        else:
            content = payload.validated_data["text"].encode()
            content_type = "text/plain; charset=utf-8"
            origin = payload.validated_data.get("origin") or "text sent to the API"
        snapshot, created = services.snapshot_capture(
            document=payload.validated_data["document"], actor=request.user, content=content,
            content_type=content_type, origin=origin)
        return Response(SnapshotSerializer(snapshot).data, status=201 if created else 200)


@extend_schema_view(list=extend_schema(summary="List annotations (JSON, or W3C JSON-LD with Accept)"),
                    retrieve=extend_schema(summary="An annotation (JSON, or W3C JSON-LD with Accept)"))
class AnnotationViewSet(RevisionsMixin, VersionedMixin, PublicRecordMixin, mixins.ListModelMixin,
                       viewsets.GenericViewSet):
    """Notes on passages of snapshots; `Accept: application/ld+json` gives W3C Web Annotations.

    The public reads the passages published claims quote, as their records froze them."""

    projection_kind = "passage"
    public_filters = {"snapshot": "data__snapshot__id", "motivation": "data__motivation"}

    serializer_class = AnnotationSerializer
    filterset_class = AnnotationFilter
    tracked_kind = "annotation"
    renderer_classes = [JSONRenderer, JSONLDRenderer, BrowsableAPIRenderer]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet:
        return Annotation.objects.visible_to(self.request.user).select_related("snapshot", "author").defer(
            "snapshot__content", "snapshot__text")

    def _as_ld(self, request: Request) -> bool:
        return getattr(request.accepted_renderer, "media_type", "") == JSONLDRenderer.media_type

    def from_row(self, row: Projection) -> Annotation:
        return _recorded(passage_from(row.data), row)

    def shown_etag(self, obj: Any) -> str:
        return etag_for(obj.version) if is_team_member(self.request.user) else f'"r{obj.record_index}"'

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())  # validates the filters' values
        if is_team_member(request.user):
            page = self.paginate_queryset(queryset)
        else:
            page = [self.from_row(row) for row in self.paginate_queryset(self.public_rows())]
        if self._as_ld(request):
            team = is_team_member(request.user)
            items = [web_annotation(a, absolute_url=request.build_absolute_uri, for_team=team) for a in page]
            return self.get_paginated_response(items)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        annotation = self.get_object() if is_team_member(request.user) else self.public_instance(kwargs["pk"])
        cached = self.not_modified(request, annotation)
        if cached is not None:
            return cached
        if self._as_ld(request):
            return self.respond(annotation, web_annotation(annotation, absolute_url=request.build_absolute_uri,
                                                          for_team=is_team_member(request.user)))
        return self.respond(annotation, self.get_serializer(annotation).data)

    @extend_schema(summary="Annotate a passage (code point offsets)", examples=[OpenApiExample(
        "A passage", request_only=True, value={"snapshot": 1, "start": 120, "end": 180, "motivation": "questioning",
                                               "body": "Which filings?"})])
    def create(self, request: Request) -> Response:
        payload = AnnotationSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        annotation = services.annotation_create(snapshot=data["snapshot"], actor=request.user, start=data["start"],
                                                end=data["end"], motivation=data.get("motivation", "highlighting"),
                                                body=data.get("body", ""))
        data = AnnotationSerializer(annotation, context=self.get_serializer_context()).data
        return self.respond(annotation, data, 201)

    @extend_schema(summary="Change an annotation's motivation or note", examples=[OpenApiExample(
        "A sharper note", request_only=True, value={"version": 1, "body": "Which filing, and when?",
                                                    "reason": "Clearer question"})])
    def partial_update(self, request: Request, pk: str) -> Response:
        annotation = self.get_object()
        version = expected_version(request)
        payload = AnnotationSerializer(annotation, data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        changes = {name: value for name, value in payload.validated_data.items() if name in {"motivation", "body"}}
        annotation = services.annotation_update(annotation=annotation, actor=request.user, version=version,
                                                changes=changes, reason=payload.validated_data.get("reason", ""))
        return self.respond(annotation, AnnotationSerializer(annotation, context=self.get_serializer_context()).data)
