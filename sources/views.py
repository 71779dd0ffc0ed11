from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from factcheck.desk import REFUSALS, add_refusal_to_form, search_words, team_required
from factcheck.roles import is_team_member
from publicrecord.models import Projection
from sources import services
from sources.forms import AnnotationForm, CaptureForm, DocumentForm, SourceForm, UploadForm
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
    # Then on to the document's desk page, where its copy is captured.
    return _edit_page(request, DocumentForm, None, "New document",
                      lambda fields: services.document_create(actor=request.user, **fields), desk_url=_desk_url)


@team_required
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk)
    return _edit_page(request, DocumentForm, document, f"Edit document: {document}",
                      lambda changes, version, reason: services.document_update(
                          document=document, actor=request.user, version=version, changes=changes, reason=reason),
                      desk_url=_desk_url)


def _desk_url(document: Document) -> str:
    return reverse("sources:desk-document", kwargs={"pk": document.pk})


def _edit_page(request: HttpRequest, form_class: type, instance: Any, title: str,
               save: Callable[..., Any], desk_url: Callable[[Any], str] | None = None) -> HttpResponse:
    """A create (instance None) or edit page whose save goes through a service; then the
    object's desk page if it has one, else its public page."""
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
            return redirect(desk_url(saved) if desk_url else saved.get_absolute_url())
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
            # Back at the passage just annotated, not at the top of a long text.
            return redirect(f"{reverse('sources:annotate', kwargs={'pk': snapshot.pk})}#note-{annotation.pk}")
    annotations = Annotation.objects.filter(snapshot=snapshot).select_related("author").order_by("start", "pk")
    runs = segments(snapshot.text, [a for a in annotations if a.anchoring == "anchored"])
    return render(request, "sources/annotate.html", {
        "snapshot": snapshot, "form": form, "annotations": annotations, "segments": runs,
        # Overlapping passages are not marked in the text: the side list cannot scroll to them.
        "marked": {annotation.pk for _, annotation in runs if annotation is not None},
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


# The desk's documents: find one, capture or upload its archived copy, then annotate it.

DOCUMENTS_PAGE_SIZE = 50


@team_required
def desk_documents(request: HttpRequest) -> HttpResponse:
    """Documents, newest first, with how many archived copies each has; or only those without one."""
    query = search_words(request)
    missing = request.GET.get("missing") == "1"
    documents = Document.objects.select_related("publisher").with_snapshot_count().order_by("-created_at", "-pk")
    if query:
        documents = documents.filter(Q(title__icontains=query) | Q(publisher__name__icontains=query))
    if missing:
        documents = documents.without_snapshot()
    page = Paginator(documents, DOCUMENTS_PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "sources/desk_documents.html", {
        "page": page, "query": query, "missing": missing, "query_without_page": params.urlencode(),
    })


@team_required
def desk_document(request: HttpRequest, pk: int) -> HttpResponse:
    """A document's desk page: its archived copies, and capturing a new one from the web or a file.

    The capture runs in the request (sources.capture bounds it with its timeouts and size
    limit); a refusal re-renders the page with the service's words and archives nothing.
    """
    document = get_object_or_404(Document.objects.select_related("publisher"), pk=pk)
    capture_form, upload_form = CaptureForm(initial={"url": document.url}, prefix="capture"), UploadForm(
        prefix="upload")
    if request.method == "POST":
        if request.POST.get("how") == "upload":
            form = upload_form = UploadForm(request.POST, request.FILES, prefix="upload")
        else:
            form = capture_form = CaptureForm(request.POST, prefix="capture")
        if form.is_valid():
            try:
                if form is upload_form:
                    snapshot, created = services.snapshot_capture(
                        document=document, actor=request.user, content=form.cleaned_data["file"].read(),
                        content_type=form.content_type(), origin=form.cleaned_data["file"].name)
                else:
                    snapshot, created = services.snapshot_capture_url(document=document, actor=request.user,
                                                                      url=form.cleaned_data["url"])
            except REFUSALS as error:
                add_refusal_to_form(form, error)
            else:
                if created:
                    messages.success(request, f"Archived: {len(snapshot.text)} characters of text, "
                                              f"SHA-256 {snapshot.sha256[:12]}…. Select a passage to annotate it.")
                else:
                    messages.info(request, "Already archived: these exact bytes are this snapshot.")
                return redirect("sources:annotate", pk=snapshot.pk)
    snapshots = (document.snapshots.defer("content", "text").annotate(note_count=Count("annotations"))
                 .order_by("-captured_at", "-pk"))
    return render(request, "sources/desk_document.html", {
        "document": document, "snapshots": snapshots, "capture_form": capture_form, "upload_form": upload_form,
    }, status=400 if capture_form.errors or upload_form.errors else 200)
