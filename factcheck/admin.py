"""What every admin page of the service shares: permissions asked of factcheck.permissions."""

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from factcheck.permissions import Action, may


class GuardedAdmin(SimpleHistoryAdmin):
    """A history-aware admin whose permissions come from the one permission module.

    Nothing is deleted through the admin: tracked records are corrected, retracted or
    reverted, never removed.
    """

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_staff and may(request.user, Action.VIEW_HISTORY, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return request.user.is_staff and may(request.user, Action.CREATE)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_staff and may(request.user, Action.EDIT, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None):
        # simple-history's form would write an old revision back with a plain save(),
        # past the services; reverts go through the services only.
        if request.method != "GET":
            raise PermissionDenied("Reverting is done from the claim's history page, not the admin.")
        return super().history_form_view(request, object_id, version_id, extra_context)


admin.site.site_header = "Claim provenance desk"
admin.site.site_title = "Claim provenance desk"
admin.site.index_title = "Sources, claims and their history"
