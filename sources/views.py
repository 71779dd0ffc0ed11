from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from factcheck.desk import REFUSALS, add_refusal_to_form, team_required
from sources import services
from sources.forms import DocumentForm, SourceForm
from sources.models import Annotation, Document, Snapshot, Source
from sources.passages import segments


def snapshot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The archived text with its hash, and the passages the reader may see marked in it."""
    snapshot = get_object_or_404(
        Snapshot.objects.visible_to(request.user).select_related("document").defer("content"), pk=pk
    )
    annotations = Annotation.objects.visible_to(request.user).filter(snapshot=snapshot, anchoring="anchored")
    return render(request, "sources/snapshot_detail.html", {
        "snapshot": snapshot, "segments": segments(snapshot.text, annotations),
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
