"""The history and revert endpoints every tracked kind of object shares.

Apart from factcheck/api.py, which DRF imports while it starts (it names the exception
handler): this module needs DRF's views, which would then not exist yet.
"""

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from factcheck.api import RevertSerializer, RevisionSerializer, expected_version
from factcheck.params import whole_number
from factcheck.permissions import Action, require
from factcheck.revisions import tracked_kinds, with_changes
from factcheck.roles import is_team_member

MAX_REVISIONS = 200  # per history response; the desk's history pages page through all of them


def revision_rows(records: list[Any], fields: list[str]) -> list[dict[str, Any]]:
    """Revisions newest first, each with what changed since the one before it."""
    return [{
        "history_id": record.history_id, "version": record.version, "history_date": record.history_date,
        "history_type": record.history_type, "history_username": record.history_username,
        "history_change_reason": record.history_change_reason,
        "changes": [{"field": c.name, "label": c.label, "old": c.old, "new": c.new} for c in changes or []],
    } for record, changes in with_changes(records, fields)]


class RevisionsMixin:
    """`history` (the team) and `revert` (editors) for a kind in factcheck.revisions.tracked_kinds."""

    tracked_kind = ""

    @extend_schema(summary="Every revision, newest first, with what each changed (the team)",
                   responses={200: RevisionSerializer(many=True)}, filters=False)
    @action(detail=True, methods=["get"], pagination_class=None)  # a plain list, as the schema says
    def history(self, request: Request, pk: str) -> Response:
        tracked = tracked_kinds()[self.tracked_kind]
        try:
            obj = self.get_object()  # what is not visible to the caller is not found (404)
            if not is_team_member(request.user):
                # Outside the team the lookup finds the public record's form, which has no history.
                require(request.user, Action.VIEW_HISTORY)
            revisions = obj.history
        except (Http404, NotFound):
            # A deleted object (an annotation nothing cited) keeps its history, ending with the
            # deletion: the team may still read it.
            number = whole_number(pk)
            revisions = tracked.model.history.filter(id=number) if number is not None else None
            last = revisions.order_by("-history_date", "-history_id").first() if revisions is not None else None
            if last is None or not is_team_member(request.user):
                raise
            obj = last.instance
        require(request.user, Action.VIEW_HISTORY, obj)
        records = list(revisions.select_related(*tracked.related).order_by("-history_date", "-history_id")
                       [:MAX_REVISIONS])
        return Response(RevisionSerializer(revision_rows(records, tracked.fields), many=True).data)

    @extend_schema(summary="Revert the content to an earlier revision, as a new one (editors)",
                   request=RevertSerializer, examples=[OpenApiExample(
                       "To a revision", request_only=True,
                       value={"version": 4, "history_id": 17, "reason": "The edit misread the filing."})])
    @action(detail=True, methods=["post"])
    def revert(self, request: Request, pk: str) -> Response:
        obj = self.get_object()
        version = expected_version(request, obj.version)
        payload = RevertSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        obj = tracked_kinds()[self.tracked_kind].revert(obj, actor=request.user, version=version,
                                                        history_id=payload.validated_data["history_id"],
                                                        reason=payload.validated_data["reason"])
        return self.respond(obj, self.get_serializer(obj).data)
