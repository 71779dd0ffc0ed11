from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from sources.models import Document, Snapshot, Source


def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    visible = Source.objects.visible_to(request.user)
    source = get_object_or_404(visible, slug=slug)
    # The affiliation is named only if the reader may see it too.
    affiliation = visible.filter(pk=source.affiliation_id).first() if source.affiliation_id else None
    documents = Document.objects.visible_to(request.user).filter(publisher=source)
    return render(request, "sources/source_detail.html",
                  {"source": source, "affiliation": affiliation, "documents": documents})


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document.objects.visible_to(request.user).select_related("publisher"), pk=pk)
    # The bytes stay in the database; the page needs only the metadata.
    snapshots = document.snapshots.defer("content", "text")
    return render(request, "sources/document_detail.html", {"document": document, "snapshots": snapshots})


def snapshot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = get_object_or_404(
        Snapshot.objects.visible_to(request.user).select_related("document").defer("content"), pk=pk
    )
    return render(request, "sources/snapshot_detail.html", {"snapshot": snapshot})
