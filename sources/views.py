from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from factcheck.desk import REFUSALS, add_refusal_to_form, team_required
from factcheck.roles import is_team_member
from publicrecord.models import Projection
from sources import services
from sources.forms import AnnotationForm, DocumentForm, SourceForm
from sources.models import Annotation, Document, Snapshot, Source
from sources.passages import segments, text_changes
from sources.public import snapshot_from


def snapshot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The archived text with its hash, and the passages published claims quote marked in it.

    Public once a record cites it; the bytes never change, so they are read as stored. The
    team also sees its working notes on snapshots no record cites yet.
    """
    public = Projection.objects.filter(kind="snapshot", key=str(pk)).first()
    if public is None and not is_team_member(request.user):
        raise Http404("No public archived copy here.")
    snapshot = get_object_or_404(Snapshot.objects.select_related("document").defer("content"), pk=pk)
    if public is not None:
        # The document as the record names it, not as it may have been edited since.
        snapshot.document = snapshot_from(public.data).document
        quoted = [row.data for row in Projection.objects.filter(kind="passage", data__snapshot__id=pk)]
        passages = [Annotation(uuid=data["annotation"], exact=data["exact"], start=data["start"], end=data["end"],
                               motivation=Annotation.Motivation.ASSESSING, body=f"Quoted by “{data['claim_text']}”")
                    for data in quoted]
    else:
        quoted = []
        passages = list(Annotation.objects.filter(snapshot=snapshot, anchoring="anchored"))
    # Reached from a claim's page: its passage stands out, with the way back.
    from_claim = next((data for data in quoted if data["claim"] == request.GET.get("claim")), None)
    return render(request, "sources/snapshot_detail.html", {
        "snapshot": snapshot, "segments": segments(snapshot.text, passages), "from_claim": from_claim,
        "quoted": sorted(quoted, key=lambda data: data["start"]),
    })


# The desk: creating and editing sources and documents, through sources.services.

@team_required
def source_create(request: HttpRequest) -> HttpResponse:
    return _edit_page(request, SourceForm, None, "New source",
                      lambda fields: services.source_create(actor=request.user, **fields))


@team_required
def source_edit(request: HttpRequest, slug: str) -> HttpResponse:
    source = get_object_or_404(Source, slug=slug)
    return _edit_page(request, SourceForm, source, f"Edit source: {source}",
                      lambda changes, version, reason: services.source_update(
                          source=source, actor=request.user, version=version, changes=changes, reason=reason))


@team_required
def document_create(request: HttpRequest) -> HttpResponse:
    return _edit_page(request, DocumentForm, None, "New document",
                      lambda fields: services.document_create(actor=request.user, **fields))


@team_required
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk)
    return _edit_page(request, DocumentForm, document, f"Edit document: {document}",
                      lambda changes, version, reason: services.document_update(
                          document=document, actor=request.user, version=version, changes=changes, reason=reason))


def _edit_page(request: HttpRequest, form_class: type, instance: Any, title: str,
               save: Callable[..., Any]) -> HttpResponse:
    """A create (instance None) or edit page whose save goes through a service."""
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        fields = form_class.Meta.fields
        try:
            if instance is None:
                saved = save({name: form.cleaned_data[name] for name in fields})
            else:
                saved = save({name: form.cleaned_data[name] for name in form.changed_data if name in fields},
                             form.cleaned_data["seen_version"], form.cleaned_data["reason"])
        except REFUSALS as error:
            add_refusal_to_form(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect(saved.get_absolute_url())
    return render(request, "form_page.html", {"form": form, "title": title}, status=400 if form.errors else 200)


@team_required
def annotate(request: HttpRequest, pk: int) -> HttpResponse:
    """A snapshot's text to select passages in, annotate them, and make claims from them."""
    snapshot = get_object_or_404(Snapshot.objects.select_related("document__publisher").defer("content"), pk=pk)
    form = AnnotationForm(request.POST or None, snapshot=snapshot)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["orphan"] is not None:
                annotation = services.annotation_reattach(
                    annotation=data["orphan"], actor=request.user, version=data["orphan"].version,
                    snapshot=snapshot, start=data["start"], end=data["end"], reason="Anchored again by hand")
            else:
                annotation = services.annotation_create(snapshot=snapshot, actor=request.user, start=data["start"],
                                                        end=data["end"], motivation=data["motivation"],
                                                        body=data["body"])
        except REFUSALS as error:
            add_refusal_to_form(form, error)
        else:
            if data["make_claim"]:
                return redirect(f"{reverse('claims:claim-create')}?annotation={annotation.pk}")
            messages.success(request, f"Saved: “{annotation.exact[:80]}”.")
            return redirect("sources:annotate", pk=snapshot.pk)
    annotations = Annotation.objects.filter(snapshot=snapshot).select_related("author").order_by("start")
    return render(request, "sources/annotate.html", {
        "snapshot": snapshot, "form": form, "annotations": annotations,
        "segments": segments(snapshot.text, [a for a in annotations if a.anchoring == "anchored"]),
        "orphans": Annotation.objects.filter(snapshot__document_id=snapshot.document_id,
                                             anchoring="orphaned").select_related("snapshot"),
        "newer": snapshot.document.snapshots.filter(captured_at__gt=snapshot.captured_at).defer("content", "text")
        .order_by("-captured_at").first(),
    }, status=400 if form.errors else 200)


@team_required
def document_versions(request: HttpRequest, pk: int) -> HttpResponse:
    """A document's snapshots in order, what changed between any two, and the notes it moved."""
    document = get_object_or_404(Document.objects.select_related("publisher"), pk=pk)
    snapshots = list(document.snapshots.defer("content").order_by("captured_at", "pk"))
    by_id = {str(s.pk): s for s in snapshots}
    older = by_id.get(request.GET.get("a", "")) or (snapshots[-2] if len(snapshots) > 1 else None)
    newer = by_id.get(request.GET.get("b", "")) or (snapshots[-1] if snapshots else None)
    changes, moved = [], []
    if older is not None and newer is not None and older.pk != newer.pk:
        changes = text_changes(older.text, newer.text)
        moved = Annotation.history.filter(history_change_reason__startswith=f"Re-anchoring to snapshot {newer.pk}:",
                                          history_change_reason__endswith=f" snapshot {older.pk}").order_by("start")
    return render(request, "sources/document_versions.html", {
        "document": document, "snapshots": snapshots, "older": older, "newer": newer, "changes": changes,
        "moved": moved,
    })
