from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from claims import services
from claims.models import Claim, ClaimLink, ReviewEvent
from factcheck.admin import GuardedAdmin
from factcheck.errors import ServiceError
from sources.admin import ServiceBackedAdmin, error_message


def _run_transition(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet, service: Any,
                    argument: str) -> None:
    """Apply one service to each selected object; each succeeds or fails on its own."""
    done = 0
    for obj in queryset:
        try:
            service(**{argument: obj}, actor=request.user, version=obj.version)
            done += 1
        except (ServiceError, ValidationError, PermissionDenied) as error:
            modeladmin.message_user(request, f"{obj}: {error_message(error)}", messages.ERROR)
    if done:
        modeladmin.message_user(request, f"{done} done.", messages.SUCCESS)


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
        "created_by", "last_changed_by", "created_at", "updated_at",
    ]
    # Publishing stays on the change form, which carries the version the editor read: a bulk
    # action would publish whatever the claims became since the list was loaded.
    actions = ["submit"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # A published slug is a permalink: fixed once the claim exists.
        return [*self.readonly_fields, "slug"] if obj is not None else self.readonly_fields

    @admin.action(description="Submit the selected claims for review")
    def submit(self, request: HttpRequest, queryset: QuerySet) -> None:
        _run_transition(self, request, queryset, services.claim_submit, "claim")


@admin.register(ClaimLink)
class ClaimLinkAdmin(GuardedAdmin):
    list_display = ["from_claim", "link_type", "to_claim", "status", "proposed_by", "reviewed_by"]
    list_filter = ["link_type", "status"]
    search_fields = ["from_claim__text", "to_claim__text", "rationale"]
    list_select_related = ["from_claim", "to_claim", "proposed_by", "reviewed_by"]
    readonly_fields = ["from_claim", "to_claim", "link_type", "rationale", "status", "version",
                       "proposed_by", "reviewed_by", "reviewed_at", "created_at", "updated_at"]
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # links are proposed from a claim, through the workspace or the API


@admin.register(ReviewEvent)
class ReviewEventAdmin(GuardedAdmin):
    list_display = ["created_at", "action", "claim", "link", "from_status", "to_status", "actor_username"]
    list_filter = ["action", "to_status"]
    search_fields = ["comment", "actor_username", "claim__text"]
    list_select_related = ["claim", "link__from_claim", "link__to_claim"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
