"""Views that belong to the service as a whole rather than to one app."""

import logging
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from factcheck.desk import REFUSALS, refusal_message, team_required
from factcheck.diffs import changes_between
from factcheck.health import static_files_problem
from factcheck.params import BadParameter, number_param
from factcheck.permissions import Action, may, require
from factcheck.revisions import TrackedKind, tracked_kinds, with_changes
from factcheck.roles import is_team_member

logger = logging.getLogger(__name__)


class DeskLoginView(LoginView):
    """Sign-in; with no `next`, the team lands on the desk (LOGIN_REDIRECT_URL) and readers on
    the public home, which is all they may read."""

    def get_default_redirect_url(self) -> str:
        if is_team_member(self.request.user):
            return super().get_default_redirect_url()
        return resolve_url("claims:home")


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the service can reach its database and its static files are collected, else 503
    with the reason (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: database unreachable")
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    static_problem = static_files_problem()
    if static_problem is not None:
        logger.error("Health check: %s", static_problem)
        return JsonResponse({"status": "unavailable", "database": "ok", "static": static_problem}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "static": "ok"})


REVISIONS_PER_PAGE = 50


def _tracked(kind: str, pk: int) -> tuple[TrackedKind, Any]:
    tracked = tracked_kinds().get(kind)
    if tracked is None:
        raise Http404("No such kind of object.")
    return tracked, get_object_or_404(tracked.model, pk=pk)


@team_required
def history(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Every revision with who, when and why; what each changed; a diff between any two."""
    tracked, obj = _tracked(kind, pk)
    require(request.user, Action.VIEW_HISTORY, obj)
    history = obj.history.select_related(*tracked.related).order_by("-history_date", "-history_id")
    page = Paginator(history, REVISIONS_PER_PAGE).get_page(request.GET.get("page"))
    records = list(page.object_list)
    # The revision just before this page, to show what the page's oldest one changed.
    offset = page.start_index() - 1 + len(records)
    older = list(history[offset:offset + 1]) if records else []
    rows = with_changes(records, tracked.fields, older=older[0] if older else None)
    compared = None
    pair = [number_param(request.GET, key, minimum=1) for key in ("a", "b")]
    if None not in pair:
        chosen = {r.history_id: r for r in history.filter(history_id__in=pair)}
        if len(chosen) == len(set(pair)):
            old, new = chosen[pair[0]], chosen[pair[1]]
            compared = (old, new, changes_between(old, new, tracked.fields))
    return render(request, "factcheck/history.html", {
        "kind": kind, "obj": obj, "rows": rows, "records": records, "compared": compared, "page": page,
        "can_revert": may(request.user, Action.REVERT, obj),
    })


class RevertForm(forms.Form):
    history_id = forms.IntegerField(min_value=1)
    version = forms.IntegerField(min_value=1)
    reason = forms.CharField(max_length=2000)


@team_required
@require_POST
def revert(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    tracked, obj = _tracked(kind, pk)
    form = RevertForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing was reverted: " + " ".join(
            f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()))
    else:
        try:
            tracked.revert(obj, actor=request.user, **form.cleaned_data)
        except PermissionDenied as error:
            # Said on the history page, as the desk's other steps are; a warning, not a traceback.
            logger.warning("Refused revert of %s %s for %s: %s", kind, pk, request.user.get_username(),
                           refusal_message(error))
            messages.error(request, f"Nothing was reverted: {refusal_message(error)}")
        except REFUSALS as error:
            messages.error(request, f"Nothing was reverted: {refusal_message(error)}")
        else:
            messages.success(request, "Reverted: the earlier content is now a new revision.")
    return redirect("history", kind=kind, pk=pk)


# Django's own error pages (handler400/403/404/500 in factcheck.urls). Under /api/ they answer in
# the API's one error shape: a client never has to read an HTML page.


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, code: str, detail: str, fields: dict[str, list[str]] | None = None) -> JsonResponse:
    """The error body every JSON answer of ours uses: a code, a sentence, and what was wrong with which field."""
    return JsonResponse({"error": code, "detail": detail, "fields": fields or {}}, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400 for a request we cannot read (a bad number or a NUL in a parameter names it); 413 when it
    is larger than we accept."""
    if isinstance(exception, RequestDataTooBig):
        status, code, message = 413, "too_large", "The request is larger than we accept; nothing was saved."
    elif isinstance(exception, BadParameter):
        status, code, message = 400, "invalid", exception.message
    else:
        status, code, message = 400, "bad_request", "The request could not be read; nothing was saved."
    if _is_api(request):
        fields = {exception.name: [exception.message]} if isinstance(exception, BadParameter) else {}
        return json_error(status, code, message, fields)
    return render(request, "400.html", {"message": message}, status=status)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return json_error(403, "permission_denied", str(exception) or "You may not do this.")
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return json_error(404, "not_found", "No such API endpoint.")
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return json_error(500, "server_error", "Something went wrong on our side; nothing you sent was half-saved.")
    return defaults.server_error(request)
