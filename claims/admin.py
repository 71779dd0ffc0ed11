from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from claims import services
from claims.choices import ClaimStatus, LinkStatus
from claims.models import Claim, ClaimLink, ReviewEvent
from claims.reading import status_words
from factcheck.admin import GuardedAdmin
from factcheck.errors import ServiceError
from sources.admin import ServiceBackedAdmin, error_message


def _confirmed_step(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet, *, steps: dict,
                    step: str, comment_label: str, comment_required: bool) -> TemplateResponse | None:
    """A workflow step as an admin action, through a confirmation page.

    The page shows each selected object and carries the version the editor confirms, so a
    claim changed since then is refused as stale instead of published unseen.
    """
    if request.POST.get("confirmed") != "yes":
        return TemplateResponse(request, "admin/claims/confirm_step.html", {
            **modeladmin.admin_site.each_context(request),
            "title": f"{step.replace('-', ' ').capitalize()}: confirm",
            # Each with why it would be refused, as the desk says it (services.step_refusals).
            "objects": [(obj, services.step_refusals(request.user, obj).get(step)) for obj in queryset],
            "step": step, "action": request.POST.get("action"),
            "comment_label": comment_label, "comment_required": comment_required, "opts": modeladmin.model._meta,
        })
    versions = {pk: _version(value) for pk, value in
                zip(request.POST.getlist("_selected_action"), request.POST.getlist("version"), strict=False)}
    try:
        comment = forms.CharField(required=False, max_length=2000).clean(request.POST.get("comment", ""))
    except ValidationError as error:
        modeladmin.message_user(request, f"Nothing was done: {error_message(error)}", messages.ERROR)
        return None
    done = 0
    for obj in queryset:
        try:
            # In the admin the one comment box is also the note to readers (publish, accept).
            steps[step](obj, actor=request.user, version=versions.get(str(obj.pk)), comment=comment, note=comment)
            done += 1
        except (ServiceError, ValidationError, PermissionDenied) as error:
            modeladmin.message_user(request, f"{obj}: {error_message(error)}", messages.ERROR)
    if done:
        modeladmin.message_user(request, f"{done} done.", messages.SUCCESS)
    return None


def _version(value: str) -> int | None:
    """The posted version, or None (refused by the service as missing) if it is not a number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@admin.register(Claim)
class ClaimAdmin(ServiceBackedAdmin):
    create_service = services.claim_create
    update_service = services.claim_update
    object_argument = "claim"
    list_display = ["__str__", "claimant", "admiralty_code", "status", "asserted_on", "published_at"]
    list_filter = ["status", "credibility", "asserted_precision", "claimant__reliability"]
    search_fields = ["text", "quote", "slug", "claimant__name", "document__title"]
    list_select_related = ["claimant", "document"]
    autocomplete_fields = ["claimant", "document", "primary_source"]
    raw_id_fields = ["annotation"]
    date_hierarchy = "asserted_on"
    readonly_fields = [
        "status", "version", "published_version", "first_published_at", "published_at", "retraction_reason",
        "peer_rating", "created_by", "last_changed_by", "created_at", "updated_at",
    ]
    actions = ["submit", "request_changes", "publish", "retract"]

    class Media:
        css = {"all": ["css/admin.css"]}  # the list at 1280 px

    @admin.action(description="Submit the selected claims for review")
    def submit(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        return _confirmed_step(self, request, queryset, steps=services.CLAIM_STEPS, step="submit",
                               comment_label="Note to the editor (optional)", comment_required=False)

    @admin.action(description="Request changes to the selected claims")
    def request_changes(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        return _confirmed_step(self, request, queryset, steps=services.CLAIM_STEPS, step="request-changes",
                               comment_label="What should change", comment_required=True)

    @admin.action(description="Publish the selected claims")
    def publish(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        return _confirmed_step(self, request, queryset, steps=services.CLAIM_STEPS, step="publish",
                               comment_label="Note to readers (required for a correction)", comment_required=False)

    @admin.action(description="Retract the selected claims")
    def retract(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        return _confirmed_step(self, request, queryset, steps=services.CLAIM_STEPS, step="retract",
                               comment_label="Reason for the retraction (readers will see it)", comment_required=True)


@admin.register(ClaimLink)
class ClaimLinkAdmin(ServiceBackedAdmin):
    """Saves a link's type or rationale through claims.services.link_update, like the desk and the
    API: a new version, the reason in the history, and the link back in review."""

    update_service = services.link_update
    object_argument = "link"
    list_display = ["from_claim", "link_type", "to_claim", "status", "proposed_by", "reviewed_by"]
    list_filter = ["link_type", "status"]
    search_fields = ["from_claim__text", "to_claim__text", "rationale"]
    list_select_related = ["from_claim", "to_claim", "proposed_by", "reviewed_by"]
    readonly_fields = ["from_claim", "to_claim", "status", "version",
                       "proposed_by", "reviewed_by", "reviewed_at", "created_at", "updated_at"]
    actions = ["accept", "reject"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # links are proposed from a claim, through the desk or the API

    @admin.action(description="Accept the selected links")
    def accept(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        return _confirmed_step(self, request, queryset, steps=services.LINK_STEPS, step="accept",
                               comment_label="Note to readers (required for a correction)", comment_required=False)

    @admin.action(description="Reject the selected links")
    def reject(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        return _confirmed_step(self, request, queryset, steps=services.LINK_STEPS, step="reject",
                               comment_label="Why not", comment_required=True)


class ToStateFilter(admin.SimpleListFilter):
    """The state a step led to, in words ("in review")."""

    title = "state reached"
    parameter_name = "to_status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [(value, status_words(value)) for value in dict.fromkeys([*ClaimStatus.values, *LinkStatus.values])]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(to_status=self.value()) if self.value() else queryset


@admin.register(ReviewEvent)
class ReviewEventAdmin(GuardedAdmin):
    list_display = ["created_at", "action", "claim", "link", "from_state", "to_state", "actor_username"]
    list_filter = ["action", ToStateFilter]
    search_fields = ["comment", "actor_username", "claim__text"]
    list_select_related = ["claim", "link__from_claim", "link__to_claim"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    @admin.display(description="from", ordering="from_status")
    def from_state(self, event: ReviewEvent) -> str:
        return status_words(event.from_status)  # "in review", not "in_review"

    @admin.display(description="to", ordering="to_status")
    def to_state(self, event: ReviewEvent) -> str:
        return status_words(event.to_status)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
