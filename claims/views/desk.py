"""The desk: the workspace of fact-checkers and editors. Every write calls claims.services."""

import logging
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from claims import publication, services
from claims.choices import ClaimStatus, LinkStatus
from claims.forms import ClaimForm, ProposeLinkForm, TransitionForm
from claims.models import Claim, ClaimLink, ReviewEvent
from claims.querysets import (
    latest_requests_for_changes,
    pending_contributors,
    published_records,
)
from claims.reading import status_words
from claims.references import referenced_slugs
from claims.search import working_claims_matching
from claims.services import CLAIM_CONTENT_FIELDS, STEP_WORDS
from factcheck.desk import REFUSALS, add_refusal_to_form, next_url, refusal_message, search_words, team_required
from factcheck.diffs import changes_between
from factcheck.permissions import Action, may
from sources.models import Annotation, Document

PAGE_SIZE = 25
HOME_LIST_SIZE = 10
logger = logging.getLogger(__name__)

# The desk: the workspace of fact-checkers and editors. Every write calls claims.services.

@team_required
def desk_home(request: HttpRequest) -> HttpResponse:
    """The day's work: my drafts, what came back to me and why, what waits for my review
    (editors), what I submitted, notes to re-anchor and documents with no archived copy."""
    user = request.user
    mine = Claim.objects.filter(created_by=user).with_parties().order_by("-updated_at")
    sent_back = list(mine.filter(status=ClaimStatus.CHANGES_REQUESTED))
    comments = latest_requests_for_changes(sent_back)
    can_review = may(user, Action.PUBLISH)
    to_review: list[Claim] = []
    if can_review:
        in_review = list(Claim.objects.filter(status=ClaimStatus.IN_REVIEW).with_parties().order_by("updated_at", "pk")
                         [:HOME_LIST_SIZE * 4])
        pending_contributors(in_review)
        # What this editor can decide: four eyes keeps their own work for another editor.
        to_review = [claim for claim in in_review if may(user, Action.PUBLISH, claim)][:HOME_LIST_SIZE]
    links_to_review = (ClaimLink.objects.filter(status=LinkStatus.PROPOSED).exclude(proposed_by=user)
                       .select_related("from_claim", "to_claim").order_by("created_at", "pk")) if can_review else None
    orphaned = (Annotation.objects.filter(anchoring=Annotation.Anchoring.ORPHANED)
                .select_related("snapshot__document").defer("snapshot__content", "snapshot__text").order_by("pk"))
    unarchived = Document.objects.filter(snapshots__isnull=True).select_related("publisher").order_by("-pk")
    return render(request, "claims/desk_home.html", {
        "drafts": mine.filter(status=ClaimStatus.DRAFT),
        "sent_back": [(claim, comments.get(claim.pk)) for claim in sent_back],
        "submitted": mine.filter(status=ClaimStatus.IN_REVIEW),
        "links": ClaimLink.objects.filter(proposed_by=user, status=LinkStatus.PROPOSED)
        .select_related("from_claim", "to_claim").order_by("created_at"),
        "can_review": can_review,
        "to_review": to_review,
        "links_to_review": links_to_review[:HOME_LIST_SIZE] if links_to_review is not None else [],
        "counts": {
            "drafts": mine.filter(status=ClaimStatus.DRAFT).count(), "sent_back": len(sent_back),
            "submitted": mine.filter(status=ClaimStatus.IN_REVIEW).count(),
            "in_review": Claim.objects.filter(status=ClaimStatus.IN_REVIEW).count(),
            "links_to_review": links_to_review.count() if links_to_review is not None else 0,
            "orphaned": orphaned.count(), "unarchived": unarchived.count(),
        },
        "orphaned": orphaned[:HOME_LIST_SIZE],
        "unarchived": unarchived[:HOME_LIST_SIZE],
    })


@team_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Claims in review and proposed links, oldest first: each claim as readers would read it
    if published now, its diff against the published record, its review record, and the steps
    this person may take (or why not, in place)."""
    page = Paginator(Claim.objects.filter(status=ClaimStatus.IN_REVIEW).with_parties()
                     # The quote in context: annotation, snapshot and its document, not the archived bytes.
                     .select_related("annotation__snapshot__document")
                     .defer("annotation__snapshot__content", "annotation__snapshot__text")
                     .order_by("updated_at", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    claims = list(page.object_list)
    published = published_records(claims)
    pending_contributors(claims)  # four eyes for the whole page in one query
    events = _grouped(ReviewEvent.objects.filter(claim__in=claims).order_by("created_at", "pk"), "claim_id")
    claim_links = ClaimLink.objects.filter(Q(from_claim__in=claims) | Q(to_claim__in=claims)).select_related(
        "from_claim", "to_claim").order_by("created_at", "pk")
    links_of: dict[int, list[ClaimLink]] = {claim.pk: [] for claim in claims}
    for link in claim_links:
        for end in (link.from_claim_id, link.to_claim_id):
            if end in links_of:
                links_of[end].append(link)
    items = [{
        "claim": claim,
        "changes": _changes(claim, published),
        "annotation": claim.annotation if publication.evidence_problem(claim) is None else None,
        "evidence_problem": publication.evidence_problem(claim),
        "events": events.get(claim.pk, []),
        "links": links_of[claim.pk],
        "steps": _template_steps(services.offered_steps(request.user, claim)),
    } for claim in claims]
    links = list(ClaimLink.objects.filter(status=LinkStatus.PROPOSED).select_related(
        "from_claim__claimant", "to_claim__claimant", "proposed_by").order_by("created_at", "pk")[:100])
    cited = referenced_slugs(*(claim.credibility_rationale for claim in claims), *(link.rationale for link in links),
                             *(link.rationale for item in items for link in item["links"]))
    return render(request, "claims/desk_review.html", {
        "items": items, "page": page, "is_editor": may(request.user, Action.PUBLISH),
        "links": [(link, _template_steps(services.offered_steps(request.user, link))) for link in links],
        "references": publication.public_claim_texts(cited),
        "query_without_page": _query_without_page(request),
    })


def _grouped(rows: Any, key: str) -> dict[Any, list[Any]]:
    grouped: dict[Any, list[Any]] = {}
    for row in rows:
        grouped.setdefault(getattr(row, key), []).append(row)
    return grouped


def _changes(claim: Claim, published: dict[int, Any]) -> list[Any] | None:
    """The diff against the published record; [] for a published claim unchanged since, None
    only for a claim never published."""
    if claim.published_version is None:
        return None
    record = published.get(claim.pk)
    return changes_between(record, claim, CLAIM_CONTENT_FIELDS) if record is not None else []


def _template_steps(offered: dict[str, str | None]) -> dict[str, dict[str, Any]]:
    """offered_steps for a template: `steps.publish.allowed`, `steps.request_changes.refusal`."""
    return {name.replace("-", "_"): {"allowed": reason is None, "refusal": reason, "words": STEP_WORDS[name]}
            for name, reason in offered.items()}


@team_required
def desk_claim(request: HttpRequest, slug: str) -> HttpResponse:
    """The working copy of a claim with its review record and the steps this person may take."""
    claim = get_object_or_404(Claim.objects.with_parties().select_related("annotation"), slug=slug)
    published = published_records([claim])
    links = list(ClaimLink.objects.filter(Q(from_claim=claim) | Q(to_claim=claim))
                 .select_related("from_claim", "to_claim").order_by("created_at"))
    cited = referenced_slugs(claim.credibility_rationale, *(link.rationale for link in links))
    return render(request, "claims/desk_claim.html", {
        "claim": claim,
        "changes": _changes(claim, published),
        "events": claim.review_events.all(),
        "links": links,
        "references": publication.public_claim_texts(cited),
        "steps": _template_steps(services.offered_steps(request.user, claim)),
        # Everything publishing would show readers, the claimant's and document's edits included.
        "pending": publication.pending_changes(claim) if claim.status == ClaimStatus.IN_REVIEW else None,
    })


@team_required
def claim_create(request: HttpRequest) -> HttpResponse:
    passage = _from_passage(request.GET.get("annotation"))
    form = ClaimForm(request.POST or None, initial=passage)
    if request.method == "POST" and form.is_valid():
        content = {name: form.cleaned_data[name] for name in ClaimForm.Meta.fields}
        try:
            claim = services.claim_create(actor=request.user, **content)
        except REFUSALS as error:
            add_refusal_to_form(form, error)
        else:
            messages.success(request, "Draft saved.")
            return redirect("claims:desk-claim", slug=claim.slug)
    # Only a claim being made from a passage says where its fields came from.
    return render(request, "form_page.html", {"form": form, "title": "New claim", "from_passage": bool(passage)},
                  status=400 if form.errors else 200)


def _from_passage(annotation_id: str | None) -> dict[str, Any]:
    """A new claim's fields from the passage it is made from: quote, document, claimant, date."""
    if not (annotation_id or "").isdecimal():
        return {}
    annotation = Annotation.objects.select_related("snapshot__document").defer(
        "snapshot__content", "snapshot__text").filter(pk=annotation_id).first()
    if annotation is None:
        return {}
    document = annotation.snapshot.document
    return {"annotation": annotation.pk, "quote": annotation.exact, "document": document.pk,
            "claimant": document.publisher_id, "asserted_on": document.published_on,
            "asserted_precision": document.published_precision, "quote_language": document.language}


@team_required
def claim_edit(request: HttpRequest, slug: str) -> HttpResponse:
    claim = get_object_or_404(Claim, slug=slug)
    form = ClaimForm(request.POST or None, instance=claim)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in ClaimForm.Meta.fields}
        try:
            claim = services.claim_update(claim=claim, actor=request.user, version=form.cleaned_data["seen_version"],
                                          changes=changes, reason=form.cleaned_data["reason"])
        except REFUSALS as error:
            add_refusal_to_form(form, error)
        else:
            messages.success(request, f"Saved as version {claim.version}.")
            return redirect("claims:desk-claim", slug=claim.slug)
    return render(request, "form_page.html", {"form": form, "title": f"Edit: {claim}",
                                              "cancel_url": reverse("claims:desk-claim", args=[claim.slug])},
                  status=400 if form.errors else 200)


@team_required
@require_POST
def claim_transition(request: HttpRequest, slug: str, step: str) -> HttpResponse:
    claim = get_object_or_404(Claim, slug=slug)
    if step not in services.CLAIM_STEPS:
        raise Http404("No such step.")
    _take_step(request, services.CLAIM_STEPS[step], claim,
               lambda done: f"Done: the claim is now {status_words(done.status)}.")
    return redirect(next_url(request, reverse("claims:desk-claim", kwargs={"slug": claim.slug})))


def _take_step(request: HttpRequest, step: Any, subject: Any, success: Any) -> None:
    """One workflow step from a desk form; the outcome, or why nothing was done, as a message
    on the page the form came from. A step the rules forbid (four eyes, a role) is said there
    too, and logged as a warning: the page offered it to someone it should not have, or the
    state changed since the page was drawn."""
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing was done: the form was incomplete; reload the page.")
        return
    try:
        done = step(subject, actor=request.user, version=form.cleaned_data["version"],
                    comment=form.cleaned_data["comment"], note=form.cleaned_data["note"],
                    exception=form.cleaned_data["exception"])
    except PermissionDenied as error:
        logger.warning("Refused %s on %s for %s: %s", request.path, subject._meta.label, request.user.get_username(),
                       refusal_message(error))
        messages.error(request, f"Nothing was done: {refusal_message(error)}")
    except REFUSALS as error:
        messages.error(request, f"Nothing was done: {refusal_message(error)}")
    else:
        messages.success(request, success(done))


@team_required
def link_propose(request: HttpRequest, slug: str) -> HttpResponse:
    """Propose a link from this claim to another, found by its text."""
    claim = get_object_or_404(Claim, slug=slug)
    query = search_words(request)
    others = Claim.objects.exclude(pk=claim.pk)
    # Stemmed: "embedded" finds "embedding" (claims/search.py).
    candidates = (working_claims_matching(others, query).with_parties().order_by("-updated_at", "pk")[:20]
                  if len(query) >= 2 else [])
    form = ProposeLinkForm(request.POST or None, candidates=others)
    if request.method == "POST" and form.is_valid():
        try:
            services.link_propose(actor=request.user, from_claim=claim, to_claim=form.cleaned_data["to_claim"],
                                  link_type=form.cleaned_data["link_type"], rationale=form.cleaned_data["rationale"])
        except REFUSALS as error:
            add_refusal_to_form(form, error)
        else:
            messages.success(request, "Link proposed; an editor will review it.")
            return redirect("claims:desk-claim", slug=claim.slug)
    return render(request, "claims/desk_link_form.html", {
        "claim": claim, "form": form, "query": query, "candidates": candidates,
    }, status=400 if form.errors else 200)


@team_required
@require_POST
def link_decision(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    link = get_object_or_404(ClaimLink, pk=pk)
    if decision not in services.LINK_STEPS:
        raise Http404("No such decision.")
    _take_step(request, services.LINK_STEPS[decision], link,
               lambda done: f"Link {done.get_status_display().lower()}.")
    return redirect(next_url(request, reverse("claims:review-queue")))


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
