"""The desk: the workspace of fact-checkers and editors. Every write calls claims.services."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from claims import publication, services
from claims.choices import ClaimStatus, LinkStatus
from claims.forms import ClaimForm, ProposeLinkForm, TransitionForm
from claims.models import Claim, ClaimLink
from claims.querysets import (
    latest_requests_for_changes,
    published_records,
)
from claims.services import CLAIM_CONTENT_FIELDS
from factcheck.desk import REFUSALS, add_refusal_to_form, next_url, refusal_message, search_words, team_required
from factcheck.diffs import changes_between
from factcheck.permissions import Action, denial, may
from sources.models import Annotation

PAGE_SIZE = 25



# The desk: the workspace of fact-checkers and editors. Every write calls claims.services.

@team_required
def desk_home(request: HttpRequest) -> HttpResponse:
    """My work: drafts, claims sent back with the editor's comment, submitted claims, proposed links."""
    mine = Claim.objects.filter(created_by=request.user).with_parties().order_by("-updated_at")
    sent_back = list(mine.filter(status=ClaimStatus.CHANGES_REQUESTED))
    comments = latest_requests_for_changes(sent_back)
    return render(request, "claims/desk_home.html", {
        "drafts": mine.filter(status=ClaimStatus.DRAFT),
        "sent_back": [(claim, comments.get(claim.pk)) for claim in sent_back],
        "submitted": mine.filter(status=ClaimStatus.IN_REVIEW),
        "links": ClaimLink.objects.filter(proposed_by=request.user, status=LinkStatus.PROPOSED)
        .select_related("from_claim", "to_claim").order_by("created_at"),
        "can_review": may(request.user, Action.PUBLISH),
    })


@team_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Claims in review and proposed links, oldest first, each claim with its diff."""
    page = Paginator(Claim.objects.filter(status=ClaimStatus.IN_REVIEW).with_parties()
                     .select_related("annotation").order_by("updated_at", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    claims = list(page.object_list)
    published = published_records(claims)
    items = [(claim, changes_between(published.get(claim.pk), claim, CLAIM_CONTENT_FIELDS)
              if claim.pk in published else None) for claim in claims]
    links = ClaimLink.objects.filter(status=LinkStatus.PROPOSED).select_related(
        "from_claim__claimant", "to_claim__claimant", "proposed_by").order_by("created_at", "pk")
    return render(request, "claims/desk_review.html", {
        "items": items, "links": links[:100], "page": page, "is_editor": may(request.user, Action.PUBLISH),
        "query_without_page": _query_without_page(request),
    })


@team_required
def desk_claim(request: HttpRequest, slug: str) -> HttpResponse:
    """The working copy of a claim with its review record and the steps this person may take."""
    claim = get_object_or_404(Claim.objects.with_parties().select_related("annotation"), slug=slug)
    published = published_records([claim]).get(claim.pk)
    steps = {name: may(request.user, action, claim) for name, action in
             [("edit", Action.EDIT), ("submit", Action.SUBMIT), ("request_changes", Action.REQUEST_CHANGES),
              ("publish", Action.PUBLISH), ("retract", Action.RETRACT), ("propose_link", Action.PROPOSE_LINK)]}
    return render(request, "claims/desk_claim.html", {
        "claim": claim,
        "changes": changes_between(published, claim, CLAIM_CONTENT_FIELDS) if published else None,
        "events": claim.review_events.all(),
        "links": ClaimLink.objects.filter(Q(from_claim=claim) | Q(to_claim=claim))
        .select_related("from_claim", "to_claim").order_by("created_at"),
        "steps": steps,
        "four_eyes": denial(request.user, Action.PUBLISH, claim),
        # Everything publishing would show readers, the claimant's and document's edits included.
        "pending": publication.pending_changes(claim) if claim.status == ClaimStatus.IN_REVIEW else None,
    })


@team_required
def claim_create(request: HttpRequest) -> HttpResponse:
    form = ClaimForm(request.POST or None, initial=_from_passage(request.GET.get("annotation")))
    if request.method == "POST" and form.is_valid():
        content = {name: form.cleaned_data[name] for name in ClaimForm.Meta.fields}
        try:
            claim = services.claim_create(actor=request.user, **content)
        except REFUSALS as error:
            add_refusal_to_form(form, error)
        else:
            messages.success(request, "Draft saved.")
            return redirect("claims:desk-claim", slug=claim.slug)
    return render(request, "form_page.html", {"form": form, "title": "New claim"},
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
               lambda done: f"Done: the claim is now {done.get_status_display().lower()}.")
    return redirect(next_url(request, reverse("claims:desk-claim", kwargs={"slug": claim.slug})))


def _take_step(request: HttpRequest, step: Any, subject: Any, success: Any) -> None:
    """One workflow step from a desk form; the outcome, or why nothing was done, as a message.
    A forbidden step raises PermissionDenied: a logged 403."""
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing was done: the form was incomplete; reload the page.")
        return
    try:
        done = step(subject, actor=request.user, version=form.cleaned_data["version"],
                    comment=form.cleaned_data["comment"], note=form.cleaned_data["note"],
                    exception=form.cleaned_data["exception"])
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
    candidates = others.filter(text__icontains=query).with_parties()[:20] if len(query) >= 2 else []
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
