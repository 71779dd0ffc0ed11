"""The API of claims, links and review events. Thin: reads through the querysets, writes
through claims.services; who may do what is decided there."""

import datetime
import json
from collections import Counter
from typing import Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from django.http import QueryDict
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from claims import imports, provenance, services
from claims.choices import ClaimStatus, Credibility, LinkStatus, LinkType
from claims.claimreview import claim_review
from claims.models import Claim, ClaimLink, PublicClaim, ReviewEvent
from claims.peer_reviews import MarkupError, PeerReview, reviews_in
from claims.publication import shown_claims, shown_from_record
from claims.querysets import pending_contributors
from claims.serializers import (
    ClaimReviewImportSerializer,
    ClaimSerializer,
    ClaimWriteSerializer,
    ImportReportSerializer,
    LinkSerializer,
    LinkWriteSerializer,
    ReviewEventSerializer,
    StepSerializer,
)
from factcheck.api import (
    LimitedJSONParser,
    VersionedMixin,
    etag_for,
    expected_version,
    for_update,
    refuse_existing,
    replacement,
    written,
)
from factcheck.api_filters import IdFilter, OptionalDateFilter, SlugOrIdFilter, slug_or_id
from factcheck.api_history import RevisionsMixin
from factcheck.api_references import referenced
from factcheck.caching import PublicReads
from factcheck.params import whole_number
from factcheck.roles import is_team_member
from sources.models import Document, Source

VERSION_HEADER = OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False,
                                  description="The ETag you read (or send `version` in the body).")
STEP_EXAMPLE = OpenApiExample("At version 2", request_only=True, value={"version": 2, "comment": ""})
EDIT_EXAMPLE = OpenApiExample("A correction", request_only=True, value={
    "version": 3, "credibility": 3, "reason": "Only one source has seen the filings."})
CLAIM_EXAMPLE = OpenApiExample("A claim", request_only=True, value={
    "text": "Minghuaxin shipped $304 million worth of drone parts to Rustakt.",
    "quote": "Minghuaxin shipped $304 million worth of drone parts to Rustakt",
    "claimant": "financial-times", "primary_source": "russian-customs-records",
    "document": "ft-expose-2025-11-29", "asserted_on": "2025-11-29", "asserted_precision": "day",
    "credibility": 2, "credibility_rationale": "From the FT's analysis of Russian customs records.",
})


class ClaimFilter(django_filters.FilterSet):
    """The team filters the working claims; everyone else the public record's projection
    (PublicClaim), so never on an edit in review."""

    status = django_filters.ChoiceFilter(choices=ClaimStatus.choices, method="filter_status")
    claimant = SlugOrIdFilter(lookups=lambda queryset, slug, number: _claimant_lookups(queryset, slug, number),
                              help_text="The claimant, by slug as a claim is created with (or id).")
    document = SlugOrIdFilter(lookups=slug_or_id("document__slug", "document_id"),
                              help_text="The document, by slug as a claim is created with (or id).")
    credibility = django_filters.TypedChoiceFilter(choices=Credibility.choices, coerce=int,
                                                   method="filter_credibility",
                                                   help_text="1 to 6 (the published grade for anonymous readers).")
    asserted_after = OptionalDateFilter(method="filter_published", help_text="YYYY-MM-DD (empty: no filter).")
    asserted_before = OptionalDateFilter(method="filter_published", help_text="YYYY-MM-DD (empty: no filter).")
    search = django_filters.CharFilter(method="filter_search", help_text="Words in the text (published text for "
                                       "anonymous readers).")

    class Meta:
        model = Claim
        fields: list[str] = []

    LOOKUPS = {"asserted_after": "asserted_on__gte", "asserted_before": "asserted_on__lte"}

    def filter_published(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(**{self.LOOKUPS[name]: value})

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # The public knows two states: published (whatever is in review since) and retracted.
        return queryset.filter(status=value)

    def filter_credibility(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(credibility=value)

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split():
            if is_team_member(self.request.user):
                queryset = queryset.filter(Q(text__icontains=word) | Q(quote__icontains=word))
            else:
                queryset = queryset.filter(search_text__icontains=word)
        return queryset


class PublicClaimFilter(ClaimFilter):
    """The same filters on the public record's projection."""

    document = SlugOrIdFilter(lookups=lambda queryset, slug, number: _public_document_lookups(slug, number),
                              help_text="The document, by slug as a claim is created with (or id).")

    class Meta:
        model = PublicClaim
        fields: list[str] = []


def _claimant_lookups(queryset: QuerySet, slug: str, number: int | None) -> Q:
    # The public projection keeps the claimant's slug; a slug never changes once created.
    field = "claimant_slug" if queryset.model is PublicClaim else "claimant__slug"
    condition = Q(**{field: slug})
    if number is not None:
        condition |= Q(**{f"{field}__in": Source.objects.filter(pk=number).values("slug")})
    return condition


def _public_document_lookups(slug: str, number: int | None) -> Q:
    condition = Q(document_id__in=Document.objects.filter(slug=slug).values("pk"))
    return condition | Q(document_id=number) if number is not None else condition


@extend_schema_view(
    list=extend_schema(summary="List claims", description="Anonymous clients see published claims as "
                       "published; the team sees work in progress. Cursor pages, newest first "
                       "(`?ordering=id` for oldest first)."),
    retrieve=extend_schema(summary="A claim", description="With an ETag: its version (the published version "
                           "for anonymous clients)."),
)
class ClaimViewSet(PublicReads, RevisionsMixin, VersionedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                   viewsets.GenericViewSet):
    serializer_class = ClaimSerializer
    tracked_kind = "claim"
    # An anonymous list reads only the public record: answered from the cache per state of the log.
    public_actions = ("list",)
    lookup_value_regex = "[0-9]+"  # ids are whole numbers (and so the schema says, PublicClaim having no `id`)

    @property
    def filterset_class(self) -> type[ClaimFilter]:
        request = getattr(self, "request", None)
        return ClaimFilter if request is not None and is_team_member(request.user) else PublicClaimFilter

    def get_queryset(self) -> QuerySet:
        if not is_team_member(self.request.user):
            # The public reads the public record: each claim's latest record, one join.
            return PublicClaim.objects.with_record()
        # with_parties and annotation: the serializer reads all four on every claim (no N+1).
        return Claim.objects.with_parties().select_related("annotation")

    def shown_etag(self, claim: Any) -> str:
        if is_team_member(self.request.user):
            return etag_for(claim.version)
        # The record the public reads: a new one with each publication, correction, retraction
        # or change to its evidence, and nothing else.
        return f'"r{claim.record_index}"'

    def get_object(self) -> Any:
        if whole_number(self.kwargs.get("pk", "")) is None:
            raise exceptions.NotFound()
        return super().get_object()

    def _shown(self, rows: list[Any]) -> list[Any]:
        return rows if is_team_member(self.request.user) else shown_claims(rows)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self._shown(self.paginate_queryset(queryset))
        if is_team_member(request.user):
            pending_contributors(page)  # allowed_steps (four eyes) for the page in one query
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        shown = self._shown([self.get_object()])[0]
        return self.not_modified(request, shown) or self.respond(shown, self.get_serializer(shown).data)

    @extend_schema(summary="Draft a claim", request=ClaimWriteSerializer, responses={201: ClaimSerializer},
                   examples=[CLAIM_EXAMPLE])
    def create(self, request: Request) -> Response:
        payload = ClaimWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        slug = payload.validated_data.get("slug")
        refuse_existing(request, Claim.objects.filter(slug=slug).first() if slug else None,
                        what="A claim with this slug")
        claim = services.claim_create(actor=request.user, slug=payload.validated_data.get("slug", ""),
                                      **payload.content())
        return self.respond(claim, ClaimSerializer(claim, context={"request": request}).data, 201)

    @extend_schema(summary="Change a claim's content", request=for_update(ClaimWriteSerializer),
                   parameters=[VERSION_HEADER],
                   responses={200: ClaimSerializer}, examples=[EDIT_EXAMPLE],
                   description="A published claim goes back to review. Send only what changes with PATCH; "
                   "`reason` is required.")
    def partial_update(self, request: Request, pk: str) -> Response:
        return self._update(request, partial=True)

    @extend_schema(summary="Replace a claim's content", request=for_update(ClaimWriteSerializer),
                   parameters=[VERSION_HEADER], responses={200: ClaimSerializer}, examples=[CLAIM_EXAMPLE],
                   description="PUT replaces: an optional field left out is cleared; a required one is a 400. "
                   "`reason` is required.")
    def update(self, request: Request, pk: str) -> Response:
        return self._update(request, partial=False)

    def _update(self, request: Request, *, partial: bool) -> Response:
        claim = self.get_object()
        version = expected_version(request, claim.version)
        payload = ClaimWriteSerializer(claim, data=request.data, partial=partial)
        payload.is_valid(raise_exception=True)
        content = payload.content()
        if not partial:
            content = replacement(content, model=Claim, fields=[name for name in services.CLAIM_CONTENT_FIELDS
                                                                if name in payload.fields])
        changes = {name: value for name, value in content.items() if getattr(claim, name) != value}
        claim = written(lambda: services.claim_update(claim=claim, actor=request.user, version=version,
                                                      changes=changes, reason=payload.validated_data.get("reason", "")),
                        unchanged=claim)
        return self.respond(claim, ClaimSerializer(claim, context={"request": request}).data)

    def _step(self, request: Request, step: str) -> Response:
        claim = self.get_object()
        version = expected_version(request, claim.version)
        payload = StepSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        claim = services.CLAIM_STEPS[step](claim, actor=request.user, version=version,
                                           comment=payload.validated_data["comment"],
                                           note=payload.validated_data["note"],
                                           exception=payload.validated_data["exception"])
        return self.respond(claim, ClaimSerializer(claim, context={"request": request}).data)

    @extend_schema(summary="Submit for review", request=StepSerializer, responses={200: ClaimSerializer},
                   parameters=[VERSION_HEADER], examples=[STEP_EXAMPLE])
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        return self._step(request, "submit")

    @extend_schema(summary="Request changes (editors; comment required)", request=StepSerializer,
                   responses={200: ClaimSerializer}, parameters=[VERSION_HEADER],
                   examples=[OpenApiExample("Comment", request_only=True,
                                            value={"version": 2, "comment": "Cite the filing date."})])
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request: Request, pk: str) -> Response:
        return self._step(request, "request-changes")

    @extend_schema(summary="Publish (editors; not your own change)", request=StepSerializer,
                   responses={200: ClaimSerializer}, parameters=[VERSION_HEADER], examples=[STEP_EXAMPLE])
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        return self._step(request, "publish")

    @extend_schema(summary="Retract (editors; the comment is the public reason)", request=StepSerializer,
                   responses={200: ClaimSerializer}, parameters=[VERSION_HEADER],
                   examples=[OpenApiExample("Reason", request_only=True,
                                            value={"version": 5, "comment": "The FT corrected the figure."})])
    @action(detail=True, methods=["post"])
    def retract(self, request: Request, pk: str) -> Response:
        return self._step(request, "retract")

    def _public_row(self, pk: str) -> PublicClaim:
        row = PublicClaim.objects.with_record().filter(claim_id=self.get_object().pk).first()
        if row is None:
            raise exceptions.NotFound("This claim is not published.")
        return row

    @extend_schema(summary="Provenance as W3C PROV-JSON (from the public record)", responses={200: dict})
    @action(detail=True, methods=["get"])
    def provenance(self, request: Request, pk: str) -> Response:
        row = self._public_row(pk)
        return Response(provenance.prov_document(row.claim_id, absolute_url=request.build_absolute_uri))

    @extend_schema(summary="schema.org ClaimReview of the published claim", responses={200: dict})
    @action(detail=True, methods=["get"])
    def claimreview(self, request: Request, pk: str) -> Response:
        row = self._public_row(pk)
        return Response(claim_review(shown_from_record(row.content, index=row.record_id),
                                     absolute_url=request.build_absolute_uri))


class LinkFilter(django_filters.FilterSet):
    claim = SlugOrIdFilter(lookups=lambda queryset, slug, number: _either_end(slug, number),
                           help_text="Links from or to this claim, by slug as a link is proposed with (or id).")
    status = django_filters.ChoiceFilter(choices=LinkStatus.choices)
    link_type = django_filters.ChoiceFilter(choices=LinkType.choices)

    class Meta:
        model = ClaimLink
        fields: list[str] = []



def _either_end(slug: str, number: int | None) -> Q:
    condition = Q(from_claim__slug=slug) | Q(to_claim__slug=slug)
    return condition | Q(from_claim_id=number) | Q(to_claim_id=number) if number is not None else condition


@extend_schema_view(list=extend_schema(summary="List links (anonymous: accepted links between public claims)"),
                    retrieve=extend_schema(summary="A link"))
class LinkViewSet(RevisionsMixin, VersionedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                  viewsets.GenericViewSet):
    serializer_class = LinkSerializer
    filterset_class = LinkFilter
    tracked_kind = "link"

    def get_queryset(self) -> QuerySet:
        return ClaimLink.objects.visible_to(self.request.user).select_related(
            "from_claim", "to_claim", "proposed_by", "reviewed_by")

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        link = self.get_object()
        return self.not_modified(request, link) or self.respond(link, self.get_serializer(link).data)

    @extend_schema(summary="Propose a link", responses={201: LinkSerializer}, examples=[OpenApiExample(
        "Supports", request_only=True, value={"from_claim": "minghuaxin-shipped-304m-to-rustakt",
                                              "to_claim": "minghuaxin-shipments-total-411m", "link_type": "supports",
                                              "rationale": "One of the two parts of the total."})])
    def create(self, request: Request) -> Response:
        sent = request.data if hasattr(request.data, "get") else {}
        form = isinstance(request.data, QueryDict)
        ends = [referenced(Claim.objects.all(), sent.get(end), form=form) for end in ("from_claim", "to_claim")]
        if None not in ends and isinstance(sent.get("link_type"), str):  # before validation, which calls it a duplicate
            refuse_existing(request, ClaimLink.objects.filter(from_claim=ends[0], to_claim=ends[1],
                                                              link_type=sent["link_type"]).first(), what="This link")
        payload = LinkSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        link = services.link_propose(actor=request.user, **{name: payload.validated_data[name] for name in
                                                            ["from_claim", "to_claim", "link_type", "rationale"]})
        return self.respond(link, LinkSerializer(link, context=self.get_serializer_context()).data, 201)

    @extend_schema(summary="Change a link's type or rationale", request=for_update(LinkWriteSerializer),
                   parameters=[VERSION_HEADER], responses={200: LinkSerializer},
                   examples=[OpenApiExample("Rationale", request_only=True, value={
                       "rationale": "One of the two parts of the total, by the same filings.",
                       "reason": "Name the filings."})],
                   description="The link goes back to review: an accepted link leaves the public evidence until "
                   "an editor accepts it again. Send only what changes with PATCH; `reason` is required.")
    def partial_update(self, request: Request, pk: str) -> Response:
        return self._update(request, partial=True)

    @extend_schema(summary="Replace a link's type and rationale", request=for_update(LinkWriteSerializer),
                   parameters=[VERSION_HEADER], responses={200: LinkSerializer},
                   description="PUT replaces both; either left out is a 400. `reason` is required.")
    def update(self, request: Request, pk: str) -> Response:
        return self._update(request, partial=False)

    def _update(self, request: Request, *, partial: bool) -> Response:
        link = self.get_object()
        version = expected_version(request, link.version)
        payload = LinkWriteSerializer(link, data=request.data, partial=partial)
        payload.is_valid(raise_exception=True)
        changes = {name: value for name, value in payload.content().items() if getattr(link, name) != value}
        link = written(lambda: services.link_update(link=link, actor=request.user, version=version, changes=changes,
                                                    reason=payload.validated_data.get("reason", "")),
                       unchanged=link)
        return self.respond(link, LinkSerializer(link, context=self.get_serializer_context()).data)

    def _decide(self, request: Request, decision: str) -> Response:
        link = self.get_object()
        version = expected_version(request, link.version)
        payload = StepSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        link = services.LINK_STEPS[decision](link, actor=request.user, version=version,
                                             comment=payload.validated_data["comment"],
                                             note=payload.validated_data["note"])
        return self.respond(link, LinkSerializer(link, context=self.get_serializer_context()).data)

    @extend_schema(summary="Accept (editors; not your own proposal)", request=StepSerializer,
                   responses={200: LinkSerializer}, parameters=[VERSION_HEADER],
                   examples=[OpenApiExample("At version 1", request_only=True, value={"version": 1})])
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        return self._decide(request, "accept")

    @extend_schema(summary="Withdraw an accepted link that no longer holds (editors; comment: the public reason)",
                   request=StepSerializer, responses={200: LinkSerializer}, parameters=[VERSION_HEADER],
                   examples=[OpenApiExample("Why", request_only=True, value={
                       "version": 2, "comment": "A total of that size makes the ranking plausible; it does not "
                                                "support it."})])
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        return self._decide(request, "withdraw")

    @extend_schema(summary="Reject (editors; comment required)", request=StepSerializer,
                   responses={200: LinkSerializer}, parameters=[VERSION_HEADER],
                   examples=[OpenApiExample("Why not", request_only=True,
                                            value={"version": 1, "comment": "Different periods: not comparable."})])
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        return self._decide(request, "reject")

class ReviewEventFilter(django_filters.FilterSet):
    claim = SlugOrIdFilter(lookups=slug_or_id("claim__slug", "claim_id"), help_text="The claim, by slug (or id).")
    link = IdFilter(field_name="link_id", help_text="The link, by id.")

    class Meta:
        model = ReviewEvent
        fields = ["action"]


@extend_schema_view(list=extend_schema(summary="The review record (the team; empty for anyone else)"),
                    retrieve=extend_schema(summary="One step of the review record"))
class ReviewEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ReviewEventSerializer
    filterset_class = ReviewEventFilter

    def get_queryset(self) -> QuerySet:
        return ReviewEvent.objects.visible_to(self.request.user).select_related("claim")


MAX_IMPORTED_REVIEWS = 100
IMPORT_EXAMPLE = OpenApiExample("A review page", request_only=True, value={
    "url": "https://factcheck.example/2025/11/drone-parts-claim/"})
IMPORT_CONTENT_EXAMPLE = OpenApiExample("ClaimReview JSON-LD", request_only=True, value={"content": json.dumps({
    "@context": "https://schema.org", "@type": "ClaimReview",
    "url": "https://factcheck.example/2025/11/drone-parts-claim/",
    "claimReviewed": "China sends no drone parts to Russia.",
    "author": {"@type": "Organization", "name": "Example Fact Check"},
    "datePublished": "2025-11-30",
    "itemReviewed": {"@type": "Claim", "author": {"@type": "Organization", "name": "Ministry of Foreign Affairs"},
                     "datePublished": "2025-11-28"},
    "reviewRating": {"@type": "Rating", "ratingValue": 2, "bestRating": 5, "worstRating": 1,
                     "alternateName": "Mostly false"}})})


IMPORT_REQUEST_SCHEMA = {"oneOf": [
    {"type": "object", "required": ["url"], "additionalProperties": False, "properties": {"url": {
        "type": "string", "minLength": 1, "maxLength": 1000, "description": "An http(s) page or feed to fetch: "
        "HTML with JSON-LD, or JSON (public addresses only, size and time limits)."}}},
    {"type": "object", "required": ["content"], "additionalProperties": False, "properties": {"content": {
        "type": "string", "minLength": 1, "description": "The markup itself: HTML with <script "
        "type=\"application/ld+json\">, or JSON (one ClaimReview, a list, a DataFeed or an @graph)."}}},
]}


@extend_schema_view(create=extend_schema(
    summary="Import other fact-checkers' ClaimReviews as draft claims (fact-checkers and editors)",
    description="Send `url` (an http(s) page with ClaimReview JSON-LD, or a JSON feed: fetched from public "
    "addresses only, with time and size limits) or `content` (the HTML or JSON itself). Each ClaimReview (one, a "
    "list, a DataFeed or an @graph; at most 100) becomes a draft claim with its provenance: the reviewing "
    "organisation as an ungraded source, the review as the document, an HTML page archived as its snapshot, "
    "credibility 6 until we grade it and the peer's rating kept verbatim. Each review is imported in its own "
    "transaction: `items` says, for each, `created`, `duplicate` (the same review URL and text were imported "
    "before: nothing is created) or `error` (why; nothing of it was saved). 201 when something was created, "
    "else 200; 400 when the input itself cannot be read. With `If-None-Match: *`, only if none of the reviews "
    "sent was imported before: else 412 (`already_exists`) and nothing is imported.",
    request={"application/json": IMPORT_REQUEST_SCHEMA},
    responses={200: ImportReportSerializer, 201: ImportReportSerializer},
    examples=[IMPORT_EXAMPLE, IMPORT_CONTENT_EXAMPLE]))
class ClaimReviewImportViewSet(viewsets.GenericViewSet):
    """Peers' fact-checks in (claims.imports); reading them out is /claimreview.json."""

    serializer_class = ClaimReviewImportSerializer
    parser_classes = [LimitedJSONParser]

    def create(self, request: Request) -> Response:
        payload = ClaimReviewImportSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        url = payload.validated_data.get("url")
        field = "url" if url else "content"
        try:
            page = (imports.page_from_url(url) if url else
                    imports.page_from_text(payload.validated_data["content"], origin="ClaimReview markup sent to "
                                           "the API"))
            reviews = reviews_in(page)
        except DjangoValidationError as error:
            raise exceptions.ValidationError({field: error.messages}) from None
        except MarkupError as error:
            raise exceptions.ValidationError({field: [str(error)]}) from None
        if len(reviews) > MAX_IMPORTED_REVIEWS:
            raise exceptions.ValidationError({field: [
                f"It holds {len(reviews)} ClaimReviews; at most {MAX_IMPORTED_REVIEWS} are imported at once "
                "here. Use `manage.py import_claimreview` for a whole feed."]})
        if request.headers.get("If-None-Match", "").strip() == "*":
            # Create only if none of these reviews was imported before (their natural key: the
            # review's URL and the claim's words, as duplicates are found).
            imported = [review for _, review in reviews if isinstance(review, PeerReview)
                        and Claim.objects.imported_from(url=review.url, text=review.claim_reviewed).exists()]
            if imported:
                more = f" (and {len(imported) - 1} more of those sent)" if len(imported) > 1 else ""
                refuse_existing(request, imported[0],
                                what=f"A claim imported from the ClaimReview at {imported[0].url}{more}")
        outcomes = list(imports.import_reviews(actor=request.user, page=page, reviews=reviews))
        counts = Counter(outcome.result for outcome in outcomes)
        report = {
            "origin": page.origin, "created": counts[imports.Result.CREATED],
            "duplicates": counts[imports.Result.DUPLICATE], "errors": counts[imports.Result.ERROR],
            "items": [{"position": outcome.position, "result": outcome.result, "message": outcome.message,
                       "review_url": outcome.review_url, "claim": outcome.claim} for outcome in outcomes],
        }
        return Response(ImportReportSerializer(report).data, status=201 if report["created"] else 200)
