"""The public pages: everything here reads the public record (claims.publication), never the
working rows, so nothing a fact-checker does shows before an editor publishes it.

Team members read the same pages, with links to the desk; a claim, source or document that
is not public yet sends them to its working copy instead.
"""

import datetime
import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import BigIntegerField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe

from claims import evidence_map, exports
from claims import search as search_index
from claims.choices import Credibility
from claims.claimreview import claim_review, json_for_script
from claims.models import Claim, ClaimLink, PublicClaim
from claims.publication import (
    page_state,
    public_claim_texts,
    shown_claims,
    shown_from_record,
    subject_of,
    summarize_changes,
)
from claims.querysets import EVIDENCE_HEADINGS
from claims.reading import VERDICTS
from claims.references import REFERENCE, referenced_slugs
from claims.references import render as render_references
from factcheck.caching import log_state, public_page
from factcheck.desk import search_words
from factcheck.params import BadParameter, whole_number
from factcheck.roles import is_team_member
from factcheck.views import json_error
from publicrecord.models import Projection, Record, RecordKind
from sources.models import Source
from sources.public import document_from, snapshot_from, source_from

PAGE_SIZE = 25
MAX_PAGES = 200
SOURCE_DOCUMENTS = 50


class CappedPaginator(Paginator):
    """At most MAX_PAGES pages: counting and skipping stay bounded however many claims are
    public. Beyond them readers narrow with the filters; every claim is in claims.csv and the
    DataFeed."""

    @cached_property
    def count(self) -> int:
        # Unordered: how many there are up to the cap does not depend on the order, and a
        # search's order is its ranking, which the count would otherwise compute for every match.
        return self.object_list.order_by()[: MAX_PAGES * self.per_page + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > MAX_PAGES * self.per_page

    @cached_property
    def num_pages(self) -> int:
        return min(super().num_pages, MAX_PAGES)


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _public_claims() -> QuerySet:
    return PublicClaim.objects.with_record()


@public_page
def home(request: HttpRequest) -> HttpResponse:
    """The latest publications, corrections and retractions, and a search box."""
    latest = shown_claims(_public_claims().latest_first()[:20])
    corrections = [shown_from_record(json.loads(record.body), index=record.index) for record in
                   Record.objects.filter(subject__startswith="claim:",
                                         kind__in=[RecordKind.CORRECTION, RecordKind.RETRACTION])
                   .order_by("-index")[:10]]
    return render(request, "claims/home.html", {"claims": latest, "corrections": corrections,
                                                "verdicts": list(VERDICTS.items())})


@public_page
def corrections(request: HttpRequest) -> HttpResponse:
    """Every correction and retraction, newest first, with the editor's note to readers."""
    records = Record.objects.filter(subject__startswith="claim:", kind__in=[RecordKind.CORRECTION,
                                                                             RecordKind.RETRACTION]).order_by("-index")
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "claims/corrections.html", {
        "page": page, "claims": [shown_from_record(json.loads(record.body), index=record.index)
                                 for record in page.object_list],
        "query_without_page": _query_without_page(request),
    })


class ClaimFilterForm(forms.Form):
    claimant = forms.CharField(required=False, max_length=200, label="Claimant",
                               help_text="A name, or part of one.")
    credibility = forms.TypedChoiceField(choices=[("", "Any"), *Credibility.choices], coerce=int,
                                         empty_value=None, required=False)
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Asserted from")
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="to")
    status = forms.ChoiceField(choices=[("", "Published or retracted"), ("published", "Published"),
                                        ("retracted", "Retracted")], required=False)


def filtered_public_claims(*, claimant: str = "", credibility: int | None = None,
                           since: datetime.date | None = None, until: datetime.date | None = None,
                           status: str = "") -> QuerySet:
    """Public claims by their published grade, claimant, assertion date and status, newest first."""
    claims = _public_claims()
    lookups = {"credibility": credibility, "asserted_on__gte": since, "asserted_on__lte": until, "status": status}
    claims = claims.filter(**{key: value for key, value in lookups.items() if value})
    if claimant:
        # A slug as the claim pages link it, or words of a name as a reader types them.
        named = Projection.objects.filter(kind="source", data__name__icontains=claimant).values("key")
        claims = claims.filter(Q(claimant_slug=claimant) | Q(claimant_slug__in=named))
    return claims.latest_first()


@public_page
def claim_list(request: HttpRequest) -> HttpResponse:
    form = ClaimFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = CappedPaginator(filtered_public_claims(**{k: v for k, v in filters.items() if v}), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "claims/claim_list.html", {
        "form": form, "page": page, "claims": shown_claims(page.object_list),
        "query_without_page": _query_without_page(request),
    }, status=200 if form.is_valid() or not request.GET else 400)


def search_public_claims(query: str) -> QuerySet:
    """Public claims whose published text matches `query`, best first (claims/search.py)."""
    return search_index.search(_public_claims(), query)


@public_page
def search(request: HttpRequest) -> HttpResponse:
    """Ranked full-text search, with the list's filters kept alongside the words."""
    query = search_words(request)
    form = ClaimFilterForm(request.GET)
    filters = {name: value for name, value in form.cleaned_data.items() if value} if form.is_valid() else {}
    results = PublicClaim.objects.none()
    if query:
        results = search_public_claims(query)
        if filters:
            results = results.filter(claim_id__in=filtered_public_claims(**filters).values("claim_id"))
    # Ranked by id alone, then the page's claims read with their records: a deep page sorts
    # (rank, date, id) for its matches, not whole records.
    page = CappedPaginator(results.values_list("claim_id", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = _public_claims().in_bulk(list(page.object_list))
    return render(request, "claims/search.html", {
        "query": query, "page": page, "claims": shown_claims(rows[claim_id] for claim_id in page.object_list),
        "highlight": query, "form": form,
        "filtered": bool(filters), "query_without_page": _query_without_page(request),
    }, status=200 if form.is_valid() else 400)


def _as_of_date(request: HttpRequest) -> datetime.date | None:
    value = request.GET.get("as_of")
    if value is None:
        return None
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise BadParameter("as_of", "`as_of` is a date, YYYY-MM-DD.") from None
    if day > datetime.datetime.now(tz=datetime.UTC).date():
        raise Http404("as_of is in the future: we cannot show what has not been published yet.")
    return day


def _record_index(request: HttpRequest) -> int | None:
    """`?version=N`: the claim as record N of the public log showed it (each record's permalink)."""
    value = request.GET.get("version")
    if value is None:
        return None
    number = whole_number(value)
    if number is None:
        raise Http404("version must be the number of one of this claim's records.")
    return number


def _evidence(shown: Any, *, current: bool) -> list[tuple[str, list[tuple[Any, Any]]]]:
    """The record's accepted links, grouped under headings, each with the other claim.

    On the current page the other claims read as their own latest records say (one query);
    read as of a past day, as this record froze them.
    """
    links = shown.record_links
    others: dict[int, Any] = {}
    if current and links:
        others = {claim.pk: claim for claim in shown_claims(
            _public_claims().filter(claim_id__in=[link["claim"]["id"] for link in links]))}
    groups: dict[str, list[tuple[Any, Any]]] = {}
    for link in sorted(links, key=lambda link: (link["type"], link["id"])):
        frozen = link["claim"]
        other = others.get(frozen["id"]) or Claim(
            id=frozen["id"], slug=frozen["slug"], text=frozen["text"], credibility=frozen["credibility"],
            claimant=Source(name=frozen.get("claimant", ""), reliability=frozen["reliability"]))
        heading = EVIDENCE_HEADINGS[(link["type"], link["direction"] == "to")]
        groups.setdefault(heading, []).append((other, ClaimLink(
            id=link["id"], link_type=link["type"], rationale=link["rationale"], status="accepted")))
    order = list(dict.fromkeys(EVIDENCE_HEADINGS.values()))
    return sorted(groups.items(), key=lambda item: order.index(item[0]))


@dataclass(frozen=True)
class ChangelogEntry:
    index: int
    kind: str
    label: str
    recorded_at: datetime.datetime
    note: str
    editor: str
    changes: list[str]


def changelog(claim_id: int, *, until: int | None = None) -> list[ChangelogEntry]:
    """The claim's records, newest first, each with what changed for readers and why."""
    records = Record.objects.filter(subject=subject_of(claim_id)).order_by("index")
    if until is not None:
        records = records.filter(index__lte=until)
    entries, previous = [], None
    for record in records:
        data = json.loads(record.body)
        entries.append(ChangelogEntry(
            index=record.index, kind=record.kind, label=RecordKind(record.kind).label,
            recorded_at=record.recorded_at, note=data["note"], editor=data["editor"],
            changes=summarize_changes(previous, data) if record.kind != RecordKind.RETRACTION else [],
        ))
        previous = data
    return list(reversed(entries))


def _public_claim_or_desk(request: HttpRequest, slug: str) -> PublicClaim | HttpResponse:
    row = _public_claims().filter(slug=slug).first()
    if row is not None:
        return row
    if is_team_member(request.user) and Claim.objects.filter(slug=slug).exists():
        return redirect("claims:desk-claim", slug=slug)
    raise Http404("No published claim here.")


def claim_page_state(request: HttpRequest, slug: str) -> tuple[str, datetime.datetime | None]:
    """A claim page's fingerprint: the latest record that changes it (its own, or one of a claim
    it links to or cites), so other publications leave its ETag and cached copy alone. A slug
    not public yet takes the whole log's, which changes when it is published."""
    state = page_state(slug)
    if state is None:
        return log_state(request)
    index, at = state
    return f"claim-page{index}-{at.timestamp() if at else 0}", at


@public_page(fingerprint=claim_page_state)
def claim_detail(request: HttpRequest, slug: str) -> HttpResponse:
    row = _public_claim_or_desk(request, slug)
    if isinstance(row, HttpResponse):
        return row
    day, version = _as_of_date(request), _record_index(request)
    records = Record.objects.filter(subject=subject_of(row.claim_id))
    if version is not None:
        record = records.filter(index=version).first()
        if record is None:
            raise Http404("This claim has no such version in the public record.")
    elif day is not None:
        end = datetime.datetime.combine(day, datetime.time.max, tzinfo=datetime.UTC)
        record = records.filter(recorded_at__lte=end).order_by("-index").first()
        if record is None:
            # Not yet public that day: say so, and when it first was.
            return render(request, "claims/not_published_then.html", {
                "shown": shown_from_record(row.content, index=row.record_id), "day": day,
            }, status=404)
    else:
        record = None
    shown = (shown_from_record(json.loads(record.body), index=record.index) if record is not None
             else shown_from_record(row.content, index=row.record_id))
    past = shown.record_index != row.record_id
    evidence = _evidence(shown, current=not past)
    cited = referenced_slugs(shown.credibility_rationale, shown.claimant.reliability_rationale,
                             *(link.rationale for _, items in evidence for _, link in items))
    context = {
        "references": public_claim_texts(cited),
        "claim": shown, "shown": shown, "evidence": evidence, "as_of": day if past else None, "past": past,
        "annotation": shown.annotation,
        "map": evidence_map.layout(shown, evidence) if evidence else None,
        "changelog": changelog(row.claim_id, until=shown.record_index)[:5],
        "permalink": request.build_absolute_uri(reverse("claims:claim-detail", kwargs={"slug": slug})),
        "publisher_name": settings.FACTCHECK_PUBLISHER_NAME,
        "claimreview_json": json_for_script(claim_review(shown, absolute_url=request.build_absolute_uri)),
    }
    return render(request, "claims/claim_detail.html", context)


@public_page
def claim_history(request: HttpRequest, slug: str) -> HttpResponse:
    """The published changelog: each record of the claim, what changed for readers and why."""
    row = get_object_or_404(_public_claims(), slug=slug)
    return render(request, "claims/claim_history.html", {
        "shown": shown_from_record(row.content, index=row.record_id), "changelog": changelog(row.claim_id),
    })


@public_page
def claimreview_json(request: HttpRequest, slug: str) -> JsonResponse:
    row = get_object_or_404(_public_claims(), slug=slug)
    return JsonResponse(claim_review(shown_from_record(row.content, index=row.record_id),
                                     absolute_url=request.build_absolute_uri),
                        json_dumps_params={"ensure_ascii": False}, content_type="application/ld+json")


FEED_PAGE_SIZE = 500


@public_page
def claimreview_feed(request: HttpRequest) -> HttpResponse:
    """A schema.org DataFeed of the published ClaimReviews in the order of their claims' ids,
    FEED_PAGE_SIZE a page, streamed a claim at a time. A page after the first starts after a
    claim (`?after=<claim id>`), so every page costs the same however deep it is: an index range,
    no count, no offset. The Link header names the `next` page and the `prev` one. A request it
    cannot answer is a 404 whose JSON says why."""
    if any(len(request.GET.getlist(name)) > 1 for name in ("after", "page")):
        return json_error(404, "not_found", "Name the page once: after=<claim id>, as the Link header's next does.")
    if request.GET.get("page", "1") != "1":
        return json_error(404, "not_found", "The feed pages by claim, not by number: follow the Link "
                          "header's next page (?after=<claim id>).")
    after = whole_number(request.GET.get("after", "0"))
    if after is None:
        return json_error(404, "not_found", "after is a claim's id, a whole number.")
    rows = _public_claims().order_by("claim_id")
    # One row past the page says whether there is a next one.
    ids = list(rows.filter(claim_id__gt=after).values_list("claim_id", flat=True)[:FEED_PAGE_SIZE + 1])
    if after and not ids:
        return json_error(404, "not_found", "No claim of the feed comes after this one.")
    page = rows.filter(claim_id__gt=after, claim_id__lte=ids[:FEED_PAGE_SIZE][-1]) if ids else rows.none()
    feed = request.build_absolute_uri(request.path)

    def stream() -> Iterator[str]:
        head = {"@context": "https://schema.org", "@type": "DataFeed",
                "name": f"{settings.FACTCHECK_PUBLISHER_NAME}: fact-checks",
                "url": f"{feed}?after={after}" if after else feed}
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "dataFeedElement": ['
        for index, row in enumerate(page.iterator(chunk_size=100)):
            review = claim_review(shown_from_record(row.content, index=row.record_id),
                                  absolute_url=request.build_absolute_uri)
            yield ("," if index else "") + json.dumps(review, ensure_ascii=False)
        yield "]}"

    response = StreamingHttpResponse(stream(), content_type="application/ld+json")
    links = []
    if len(ids) > FEED_PAGE_SIZE:
        links.append(f'<{feed}?after={ids[FEED_PAGE_SIZE - 1]}>; rel="next"')
    if after:
        # The page before: the claims up to `after`, a page of them; it starts after the one before.
        before = list(rows.filter(claim_id__lte=after).order_by("-claim_id")
                      .values_list("claim_id", flat=True)[:FEED_PAGE_SIZE + 1])
        if len(before) > FEED_PAGE_SIZE:
            links.append(f'<{feed}?after={before[FEED_PAGE_SIZE]}>; rel="prev"')
        elif before:
            links.append(f'<{feed}>; rel="prev"')
    if links:
        response["Link"] = ", ".join(links)
    return response


CSV_CHUNK = 500


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _csv(lines: Iterator[str], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@public_page
def claims_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Every public claim as its latest record shows it, newest first, streamed (claims.exports).

    One query, read in chunks: each PublicClaim row comes with its record (with_record)."""
    rows = _public_claims().latest_first().iterator(chunk_size=CSV_CHUNK)
    claims = (claim for chunk in _chunks(rows, CSV_CHUNK) for claim in shown_claims(chunk))
    return _csv(exports.csv_lines(exports.CLAIM_COLUMNS, (
        exports.claim_row(claim, url=request.build_absolute_uri) for claim in claims)), "claims.csv")


@public_page
def links_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Every accepted link between public claims, as the public record projects it, by id, streamed.

    One query for the links, read in chunks, and one per chunk for the slugs of their claims."""
    links = (Projection.objects.filter(kind="link").order_by(Cast("key", BigIntegerField()))
             .values_list("data", flat=True).iterator(chunk_size=CSV_CHUNK))

    def rows() -> Iterator[list[Any]]:
        for chunk in _chunks(links, CSV_CHUNK):
            ends = {end for link in chunk for end in (link["from_claim"], link["to_claim"])}
            slugs = dict(PublicClaim.objects.filter(claim_id__in=ends).values_list("claim_id", "slug"))
            yield from filter(None, (exports.link_row(link, slugs) for link in chunk))

    return _csv(exports.csv_lines(exports.LINK_COLUMNS, rows()), "links.csv")


METHODOLOGY = Path(__file__).resolve().parent.parent / "methodology.md"


@public_page
def methodology(request: HttpRequest) -> HttpResponse:
    """How we grade: the written method, with worked examples linked to their claims."""
    from markdown_it import MarkdownIt

    text = METHODOLOGY.read_text(encoding="utf-8")
    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)  # no raw HTML passes
    known = public_claim_texts(referenced_slugs(text))
    body = REFERENCE.sub(lambda match: str(render_references(match.group(0), known, _claim_url)), html)
    return render(request, "claims/methodology.html", {"body": mark_safe(body)})  # noqa: S308 (escaped above)


@public_page
def vocabulary(request: HttpRequest) -> HttpResponse:
    """The terms of our own in the PROV we give (`fcv:`), each under its own anchor."""
    from claims.provenance import VOCABULARY

    return render(request, "claims/vocabulary.html", {"terms": VOCABULARY.items()})


def _claim_url(slug: str) -> str:
    return reverse("claims:claim-detail", kwargs={"slug": slug})


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", "Disallow: /desk/", "Disallow: /admin/", "Disallow: /accounts/",
             f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@public_page
def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A source as the latest record citing it shows it: its grade, claims and documents."""
    projected = Projection.objects.filter(kind="source", key=slug).first()
    if projected is None:
        if is_team_member(request.user) and Source.objects.filter(slug=slug).exists():
            return _working_source(request, slug)
        raise Http404("No public source here.")
    source = source_from(projected.data)
    page = CappedPaginator(_public_claims().filter(claimant_slug=slug).order_by("-asserted_on", "-claim_id"),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    # The first SOURCE_DOCUMENTS, by id, and how many: a prolific publisher's page stays small.
    published = Projection.objects.filter(kind="document", data__publisher__slug=slug)
    documents = [document_from(row.data) for row in published.order_by("key")[:SOURCE_DOCUMENTS]]
    more_documents = published.count() - len(documents) if len(documents) == SOURCE_DOCUMENTS else 0
    return render(request, "sources/source_detail.html", {
        "references": public_claim_texts(referenced_slugs(source.reliability_rationale)),
        "source": source, "affiliation": getattr(source, "affiliation", None), "page": page,
        "claims": shown_claims(page.object_list), "documents": documents, "more_documents": more_documents,
        "query_without_page": _query_without_page(request),
        "working": Source.objects.filter(slug=slug).only("pk", "public_since").first()
        if is_team_member(request.user) else None,
    })


def _working_source(request: HttpRequest, slug: str) -> HttpResponse:
    """A source that no published claim cites yet, for the team."""
    source = Source.objects.select_related("affiliation").get(slug=slug)
    return render(request, "sources/source_detail.html", {
        "references": {}, "source": source, "affiliation": source.affiliation, "page": None, "claims": [],
        "documents": source.documents.all(), "working": source,
    })


@public_page
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A document as the latest record citing it shows it: its archived copies and the
    passages its published claims quote."""
    from sources.models import Document

    projected = Projection.objects.filter(kind="document", key=str(pk)).first()
    if projected is None:
        if is_team_member(request.user) and Document.objects.filter(pk=pk).exists():
            document = Document.objects.select_related("publisher").get(pk=pk)
            return render(request, "sources/document_detail.html", {
                "document": document, "snapshots": document.snapshots.defer("content", "text"), "cited": [],
                "working": document,
            })
        raise Http404("No public document here.")
    document = document_from(projected.data)
    claims = shown_claims(_public_claims().filter(document_id=pk).order_by("claim_id"))
    snapshots = sorted((snapshot_from(row.data) for row in Projection.objects.filter(kind="snapshot",
                                                                                      data__document=pk)),
                       key=lambda snapshot: snapshot.captured_at)
    return render(request, "sources/document_detail.html", {
        "document": document, "snapshots": snapshots,
        "cited": [(claim, claim.annotation) for claim in claims],
        "working": Document.objects.filter(pk=pk).only("pk", "public_since").first()
        if is_team_member(request.user) else None,
    })
