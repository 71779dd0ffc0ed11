import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from claims import evidence_map, services
from claims.choices import ClaimStatus, Credibility, LinkStatus, ReviewAction
from claims.claimreview import claim_review, json_for_script
from claims.forms import ClaimForm, ProposeLinkForm, TransitionForm
from claims.models import Claim, ClaimLink, ReviewEvent
from claims.querysets import (
    as_published,
    evidence_for,
    latest_requests_for_changes,
    published_records,
    published_revision,
)
from claims.selectors import as_of, changelog, filtered_public_claims, search_public_claims
from claims.services import CLAIM_CONTENT_FIELDS
from factcheck.caching import public_page
from factcheck.desk import REFUSALS, add_refusal_to_form, next_url, refusal_message, search_words, team_required
from factcheck.diffs import changes_between
from factcheck.permissions import Action, denial, may
from factcheck.roles import is_team_member
from sources.models import Annotation, Document, Source

PAGE_SIZE = 25



@public_page
def home(request: HttpRequest) -> HttpResponse:
    """The latest publications and corrections, and a search box."""
    latest = as_published(Claim.objects.public().with_parties().order_by("-published_at", "-pk")[:20])
    earlier_publish = ReviewEvent.objects.filter(claim=OuterRef("claim"), action=ReviewAction.PUBLISH,
                                                 pk__lt=OuterRef("pk"))
    corrections = (ReviewEvent.objects.filter(claim__published_version__isnull=False)
                   .filter(Q(action=ReviewAction.RETRACT) | (Q(action=ReviewAction.PUBLISH) & Exists(earlier_publish)))
                   .select_related("claim").order_by("-created_at", "-pk")[:10])
    return render(request, "claims/home.html", {"claims": latest, "corrections": corrections})


class ClaimFilterForm(forms.Form):
    claimant = forms.SlugField(required=False)
    credibility = forms.TypedChoiceField(choices=[("", "Any"), *Credibility.choices], coerce=int,
                                         empty_value=None, required=False)
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Asserted from")
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="to")
    status = forms.ChoiceField(choices=[("", "Published or retracted"), ("published", "Published"),
                                        ("retracted", "Retracted")], required=False)


@public_page
def claim_list(request: HttpRequest) -> HttpResponse:
    form = ClaimFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(filtered_public_claims(**{k: v for k, v in filters.items() if v}), PAGE_SIZE).get_page(
        request.GET.get("page"))
    claimants = Source.objects.public().filter(claims__published_version__isnull=False).distinct().order_by("name")
    return render(request, "claims/claim_list.html", {
        "form": form, "page": page, "claims": as_published(page.object_list), "claimants": claimants,
        "query_without_page": _query_without_page(request),
    }, status=200 if form.is_valid() or not request.GET else 400)


@public_page
def search(request: HttpRequest) -> HttpResponse:
    query = search_words(request)
    page = Paginator(search_public_claims(query) if query else Claim.objects.none(), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "claims/search.html", {
        "query": query, "page": page, "claims": as_published(page.object_list),
        "query_without_page": _query_without_page(request),
    })


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@public_page
def claim_detail(request: HttpRequest, slug: str) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.visible_to(request.user).with_parties(), slug=slug)
    day = _as_of_date(request)
    if day is not None:
        then = as_of(claim, day)
        if then is None:
            raise Http404("This claim was not published on that date.")
        shown, evidence = then
    else:
        # The team reads the working copy; everyone else the last published revision, so an
        # edit in review never shows before an editor publishes it.
        shown = claim if is_team_member(request.user) else published_revision(claim)
        if shown is None:
            raise Http404("No published revision of this claim.")
        evidence = evidence_for(claim, request.user)
    annotation = _cited_passage(shown, request.user)
    context = {
        "claim": claim, "shown": shown, "evidence": evidence, "as_of": day, "annotation": annotation,
        "map": evidence_map.layout(shown, evidence) if evidence else None,
        "changelog": changelog(claim)[:5] if claim.published_version else [],
        "permalink": request.build_absolute_uri(claim.get_absolute_url()),
        "publisher_name": settings.FACTCHECK_PUBLISHER_NAME,
    }
    if shown.published_version is not None and shown.status in {ClaimStatus.PUBLISHED, ClaimStatus.RETRACTED}:
        context["claimreview_json"] = json_for_script(
            claim_review(shown, absolute_url=request.build_absolute_uri))
    return render(request, "claims/claim_detail.html", context)


def _as_of_date(request: HttpRequest) -> datetime.date | None:
    value = request.GET.get("as_of")
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise Http404("as_of must be a date, YYYY-MM-DD.") from None


def _cited_passage(shown: Any, user: Any) -> Any:
    """The annotation anchoring the quote, with its snapshot, if the reader may see it."""
    if shown.annotation_id is None:
        return None
    return (Annotation.objects.visible_to(user).select_related("snapshot__document")
            .defer("snapshot__content", "snapshot__text").filter(pk=shown.annotation_id).first())


@public_page
def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A source: its grade and rationale, its documents, and the claims it made."""
    visible = Source.objects.visible_to(request.user)
    source = get_object_or_404(visible, slug=slug)
    # The affiliation is named only if the reader may see it too.
    affiliation = visible.filter(pk=source.affiliation_id).first() if source.affiliation_id else None
    page = Paginator(Claim.objects.visible_to(request.user).with_parties().filter(claimant=source)
                     .order_by("-asserted_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "sources/source_detail.html", {
        "source": source, "affiliation": affiliation, "page": page,
        "claims": page.object_list if is_team_member(request.user) else as_published(page.object_list),
        "documents": Document.objects.visible_to(request.user).filter(publisher=source),
        "query_without_page": _query_without_page(request),
    })


@public_page
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A document: its metadata, archived snapshots with their hashes, and the passages claims cite."""
    document = get_object_or_404(Document.objects.visible_to(request.user).select_related("publisher"), pk=pk)
    claims = list(Claim.objects.visible_to(request.user).with_parties().filter(document=document)
                  .order_by("pk"))
    if not is_team_member(request.user):
        claims = as_published(claims)
    passages = {annotation.pk: annotation for annotation in Annotation.objects.visible_to(request.user)
                .filter(pk__in=[claim.annotation_id for claim in claims if claim.annotation_id])
                .select_related("snapshot").defer("snapshot__content", "snapshot__text")}
    return render(request, "sources/document_detail.html", {
        "document": document,
        "snapshots": document.snapshots.defer("content", "text"),  # the bytes stay in the database
        "cited": [(claim, passages.get(claim.annotation_id)) for claim in claims],
    })


@public_page
def claim_history(request: HttpRequest, slug: str) -> HttpResponse:
    """The published changelog: each publication and retraction, what changed and why."""
    claim = get_object_or_404(Claim.objects.public().with_parties(), slug=slug)
    return render(request, "claims/claim_history.html", {
        "claim": claim, "shown": published_revision(claim), "changelog": changelog(claim),
    })


@public_page
def claimreview_json(request: HttpRequest, slug: str) -> JsonResponse:
    claim = get_object_or_404(Claim.objects.public().with_parties(), slug=slug)
    shown = published_revision(claim)
    if shown is None:
        raise Http404("No published revision of this claim.")
    return JsonResponse(claim_review(shown, absolute_url=request.build_absolute_uri),
                        json_dumps_params={"ensure_ascii": False}, content_type="application/ld+json")


@public_page
def claimreview_feed(request: HttpRequest) -> JsonResponse:
    """A schema.org DataFeed of every published ClaimReview."""
    claims = as_published(Claim.objects.public().with_parties().order_by("-published_at", "-pk"))
    return JsonResponse({
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": f"{settings.FACTCHECK_PUBLISHER_NAME}: fact-checks",
        "dateModified": claims[0].published_at.isoformat() if claims else None,
        "dataFeedElement": [claim_review(claim, absolute_url=request.build_absolute_uri) for claim in claims],
    }, json_dumps_params={"ensure_ascii": False}, content_type="application/ld+json")


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", "Disallow: /desk/", "Disallow: /admin/", "Disallow: /accounts/",
             f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


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
    return render(request, "form_page.html", {"form": form, "title": f"Edit: {claim}", "cancel": claim},
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
                    comment=form.cleaned_data["comment"])
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
