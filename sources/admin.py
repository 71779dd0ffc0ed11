from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect

from factcheck.admin import GuardedAdmin
from factcheck.errors import ServiceError
from factcheck.forms import VersionedForm
from sources import services
from sources.models import Annotation, Document, Snapshot, Source


class ServiceBackedAdmin(GuardedAdmin):
    """Saves through sources.services, so the admin obeys the same rules as every other door."""

    form = VersionedForm
    create_service: Any = None
    update_service: Any = None
    object_argument = ""

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_fields(request, obj))
        return fields if obj is not None else [name for name in fields if name != "reason"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # A slug is a permalink: fixed once the object exists.
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "slug"] if obj is not None and hasattr(obj, "slug") else readonly

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> dict:
        return super().get_prepopulated_fields(request, obj) if obj is None else {}

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        fields = {name: form.cleaned_data[name] for name in form.changed_data
                  if name not in {"seen_version", "reason"}}
        try:
            saved = self._save_through_service(request, obj, form, fields, change)
        except (ServiceError, ValidationError, PermissionDenied) as error:
            raise ServiceRefused(error_message(error)) from error
        obj.pk, obj.version = saved.pk, saved.version

    def _save_through_service(self, request: HttpRequest, obj: Any, form: Any, fields: dict, change: bool) -> Any:
        if not change:
            return type(self).create_service(actor=request.user, reason="Created in the admin", **fields)
        return type(self).update_service(
            **{self.object_argument: obj}, actor=request.user, version=form.cleaned_data["seen_version"],
            changes=fields, reason=f"Edited in the admin: {form.cleaned_data['reason']}",
        )

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().changeform_view(request, *args, **kwargs)
        except ServiceRefused as refusal:
            # The admin's own transaction has rolled back by now: nothing was saved.
            self.message_user(request, f"Nothing was saved: {refusal}", messages.ERROR)
            return redirect(request.get_full_path())


class ServiceRefused(Exception):
    """A service refused the admin's save; carries the message for the editor."""


def error_message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(getattr(error, "message", error))


@admin.register(Source)
class SourceAdmin(ServiceBackedAdmin):
    create_service = services.source_create
    update_service = services.source_update
    object_argument = "source"
    list_display = ["name", "kind", "reliability", "affiliation", "public_since", "updated_at"]
    list_filter = ["kind", "reliability"]
    search_fields = ["name", "slug", "description"]
    list_select_related = ["affiliation"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["affiliation"]
    readonly_fields = ["public_since", "version", "created_by", "created_at", "updated_at"]


@admin.register(Document)
class DocumentAdmin(ServiceBackedAdmin):
    create_service = services.document_create
    update_service = services.document_update
    object_argument = "document"
    list_display = ["title", "publisher", "published_on", "published_precision", "language", "public_since"]
    list_filter = ["published_precision", "language", "publisher__kind"]
    search_fields = ["title", "slug", "authors", "url", "publisher__name"]
    list_select_related = ["publisher"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["publisher"]
    date_hierarchy = "published_on"
    readonly_fields = ["public_since", "version", "created_by", "created_at", "updated_at"]


@admin.register(Snapshot)
class SnapshotAdmin(GuardedAdmin):
    """Archived copies are captured by the capture service and never edited here."""

    list_display = ["document", "captured_at", "content_type", "short_hash", "origin"]
    list_filter = ["content_type"]
    search_fields = ["document__title", "sha256", "origin"]
    list_select_related = ["document"]
    readonly_fields = ["document", "captured_at", "origin", "content_type", "sha256", "captured_by", "text"]
    exclude = ["content"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="SHA-256")
    def short_hash(self, obj: Snapshot) -> str:
        return obj.sha256[:16] + "…"


@admin.register(Annotation)
class AnnotationAdmin(ServiceBackedAdmin):
    update_service = services.annotation_update
    object_argument = "annotation"
    list_display = ["__str__", "snapshot", "motivation", "anchoring", "author", "created_at"]
    list_filter = ["motivation", "anchoring"]
    search_fields = ["exact", "body", "uuid"]
    list_select_related = ["snapshot__document", "author"]
    fields = ["motivation", "body", "exact", "prefix", "suffix", "start", "end", "anchoring", "snapshot", "uuid"]
    readonly_fields = ["exact", "prefix", "suffix", "start", "end", "anchoring", "snapshot", "uuid"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        # Annotations are made by selecting a passage of a snapshot, not by typing offsets.
        return False
