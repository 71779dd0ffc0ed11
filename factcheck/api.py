"""What every API endpoint shares: errors, preconditions, ETags and pagination.

Every error is JSON of one shape: {"error": code, "detail": message, "fields": {...}}.
"""

import codecs
import json
import logging
import threading
from collections.abc import Callable
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, QueryDict
from django.utils.http import parse_etags
from rest_framework import exceptions, parsers, serializers, status, throttling
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils import json as drf_json
from rest_framework.utils.mediatypes import _MediaType

from factcheck.errors import InUse, InvalidTransition, StaleVersion
from factcheck.params import NUL_MESSAGE, BadParameter, whole_number
from factcheck.permissions import Action, may
from factcheck.ratecounts import count_request

logger = logging.getLogger(__name__)


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = "Say which version you change: send If-Match with the ETag you read, or a `version` field."
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "stale_version"

    def __init__(self, detail: str, current_version: int) -> None:
        super().__init__(detail)
        self.current_version = current_version


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "invalid_transition"


class Cited(exceptions.APIException):
    """A delete of what something still cites (an annotation anchoring a claim's quote)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "in_use"


class AlreadyTaken(exceptions.APIException):
    """A well-formed create whose natural key (a slug, a link's ends and type) is taken: the
    request conflicts with what the server holds (RFC 9110 §15.5.10), it is not bad input."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


TAKEN = {"unique", "unique_together", "duplicate"}


def _django_errors(error: DjangoValidationError) -> list[DjangoValidationError]:
    if hasattr(error, "error_dict"):
        return [e for errors in error.error_dict.values() for e in errors]
    return list(getattr(error, "error_list", [error]))


def _drf_codes(codes: Any) -> set[str]:
    if isinstance(codes, dict):
        return set().union(*(_drf_codes(value) for value in codes.values())) if codes else {"invalid"}
    if isinstance(codes, list):
        return set().union(*(_drf_codes(value) for value in codes)) if codes else {"invalid"}
    return {str(codes)}


def _drf_messages(detail: Any) -> list[str]:
    if isinstance(detail, dict):
        return [message for value in detail.values() for message in _drf_messages(value)]
    if isinstance(detail, list):
        return [message for value in detail for message in _drf_messages(value)]
    return [str(detail)]


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"

    def __init__(self) -> None:
        super().__init__(f"The request body is larger than {settings.API_MAX_BODY_BYTES} bytes; nothing was saved.")


MAX_JSON_DEPTH = 32  # far more than any of our bodies nest (a W3C annotation: 4)


def _depth(value: Any) -> int:
    """How deep lists and objects nest in `value`, without recursion."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            pending.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _holds_nul(value: Any) -> bool:
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str) and "\x00" in item:
            return True
        if isinstance(item, dict):
            pending.extend([*item.keys(), *item.values()])
        elif isinstance(item, list):
            pending.extend(item)
    return False


def refuse_nul(data: Any) -> Any:
    """400 naming the field if any string in a request body holds a NUL character.

    PostgreSQL can neither store one nor compare with one (a slug with a NUL was a 500), and
    SQLite would store it silently: refused here, before any field or lookup sees it.
    """
    if hasattr(data, "lists"):
        items = list(data.lists())
    elif isinstance(data, dict):
        items = list(data.items())
    else:
        items = [("non_field_errors", data)]
    fields = {str(name).replace("\x00", "\\x00"): [NUL_MESSAGE]
              for name, value in items if _holds_nul(name) or _holds_nul(value)}
    if fields:
        raise exceptions.ValidationError(fields)
    return data


def _unique_names(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose names are unique (RFC 8259, 4): a name given twice is a mistake to
    report, not one to settle by keeping the last."""
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        twice = next(name for name, _ in pairs if name in seen or seen.add(name))  # type: ignore[func-returns-value]
        raise ValueError(f"the name {twice!r} is given twice in one object")
    return data


class LimitedJSONParser(parsers.JSONParser):
    """JSON bodies of at most API_MAX_BODY_BYTES (413) nested at most MAX_JSON_DEPTH deep (400).

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE guards request.body and forms, not the stream DRF parses;
    and the json module would recurse until RecursionError (a 500) on a thousand nested brackets.
    """

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict[str, Any] | None = None) -> Any:
        limit = settings.API_MAX_BODY_BYTES
        request = (parser_context or {}).get("request")
        declared = whole_number(request.META.get("CONTENT_LENGTH")) if request is not None else None
        if declared is not None and declared > limit:
            raise RequestTooLarge()
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise RequestTooLarge()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.decode(raw, encoding)
            data = json.loads(text, parse_constant=drf_json.strict_constant if self.strict else None,
                              object_pairs_hook=_unique_names)
        except RecursionError:
            data = None
            deep = True
        except (ValueError, LookupError) as error:
            raise exceptions.ParseError(f"JSON parse error - {error}") from None
        else:
            deep = _depth(data) > MAX_JSON_DEPTH
        if deep:
            raise exceptions.ParseError(f"The JSON body nests deeper than {MAX_JSON_DEPTH} levels; nothing was saved.")
        return refuse_nul(data)


class FormParser(parsers.FormParser):
    """Forms, with no NUL in any field (Django's DATA_UPLOAD_MAX_MEMORY_SIZE bounds their size: 413)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict[str, Any] | None = None) -> Any:
        return refuse_nul(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    """Multipart forms, with no NUL in any text field (files are checked by what reads them)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict[str, Any] | None = None) -> Any:
        parsed = super().parse(stream, media_type, parser_context)
        refuse_nul(parsed.data)
        return parsed


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, with Accept's qualities honoured (RFC 9110 §12.5.1): each representation
    takes the quality of the most specific range that matches it, `q=0` refuses it, and the
    best wins (ties: the view's order, JSON first). An unknown `?format=` is a 406 naming those
    there are, not a 404."""

    def select_renderer(self, request: Request, renderers: list[Any], format_suffix: str | None = None) -> Any:
        wanted = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if wanted is not None:  # an empty one names no format either
            offered = [renderer.format for renderer in renderers]
            renderers = [renderer for renderer in renderers if renderer.format == wanted]
            if not renderers:
                raise exceptions.NotAcceptable(f"No format {wanted!r} here; `format` is one of: "
                                               f"{', '.join(offered)}.")
        ranges = self._get_parsed_accept_list(request)
        qualities = [self._quality(renderer, ranges) for renderer in renderers]
        best = max(qualities, default=0.0)
        if best <= 0:
            raise exceptions.NotAcceptable(
                "Nothing your Accept allows: we answer in "
                f"{', '.join(dict.fromkeys(renderer.media_type for renderer in renderers))}.",
                available_renderers=renderers)
        chosen = renderers[qualities.index(best)]
        return super().select_renderer(request, [chosen], format_suffix)

    @staticmethod
    def _quality(renderer: Any, ranges: list[Any]) -> float:
        offered = _MediaType(renderer.media_type)
        matching = [accepted for accepted in ranges if offered.match(accepted)]
        if not matching:
            return 0.0
        accepted = max(matching, key=lambda media_type: media_type.precedence)
        try:
            return min(max(float(accepted.params.get("q", "1")), 0.0), 1.0)
        except ValueError:
            return 1.0


def _fields(detail: Any) -> dict[str, Any]:
    if isinstance(detail, dict):
        return {name: [str(message) for message in (messages if isinstance(messages, list) else [messages])]
                for name, messages in detail.items()}
    return {}


def exception_handler(error: Exception, context: dict[str, Any]) -> Response | None:
    """Our errors and Django's in DRF's terms, then the one JSON shape for all of them."""
    # Imported here: DRF's views module reads the settings that name this handler.
    from rest_framework.views import exception_handler as drf_exception_handler

    request: Request = context["request"]
    if isinstance(error, StaleVersion):
        error = PreconditionFailed(error.message, error.current_version)
    elif isinstance(error, InvalidTransition):
        error = Conflict(error.message)
    elif isinstance(error, InUse):
        error = Cited(error.message)
    elif isinstance(error, DjangoValidationError) and {e.code for e in _django_errors(error)} <= TAKEN:
        error = AlreadyTaken(" ".join(error.messages))
    elif isinstance(error, DjangoValidationError):
        error = exceptions.ValidationError(error.message_dict if hasattr(error, "error_dict") else
                                           {"non_field_errors": error.messages})
    elif isinstance(error, exceptions.ValidationError) and _drf_codes(error.get_codes()) <= TAKEN:
        error = AlreadyTaken(" ".join(_drf_messages(error.detail)))
    elif isinstance(error, DjangoPermissionDenied):
        if not request.user.is_authenticated:
            error = exceptions.NotAuthenticated()
            view = context.get("view")
            # As DRF's own 401s have it (RFC 9110, 11.6.1): how to authenticate.
            error.auth_header = view.get_authenticate_header(request) if view is not None else None
        else:
            logger.warning("Forbidden: %s %s by %s: %s", request.method, request.path, request.user, error)
            error = exceptions.PermissionDenied(str(error) or None)
    elif isinstance(error, Http404):
        error = exceptions.NotFound()
    elif isinstance(error, RequestDataTooBig):
        error = RequestTooLarge()
    elif isinstance(error, BadParameter):
        error = exceptions.ValidationError({error.name: [error.message]})
    elif isinstance(error, TooManyFieldsSent | BadRequest):
        error = exceptions.ParseError(str(error) or None)
    if isinstance(error, exceptions.Throttled):
        logger.warning("Throttled: %s %s by %s from %s", request.method, request.path,
                       request.user if request.user.is_authenticated else "anonymous",
                       request.META.get("REMOTE_ADDR"))
    response = drf_exception_handler(error, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(error, exceptions.ValidationError):
        fields = _fields(detail)
        non_field = fields.pop("non_field_errors", [])
        message = " ".join(non_field) or ("Some parameters are not valid." if request.method in SAFE_METHODS
                                          else "Some fields are not valid; nothing was saved.")
    else:
        fields = {}
        message = str(detail.get("detail", detail)) if isinstance(detail, dict) else str(detail)
    code = getattr(error, "default_code", "error")
    if isinstance(error, exceptions.APIException):
        codes = error.get_codes()
        code = codes if isinstance(codes, str) else code
    response.data = {"error": code, "detail": message, "fields": fields}
    if isinstance(error, PreconditionFailed):
        response.data["current_version"] = error.current_version
        response["ETag"] = etag_for(error.current_version)
    if isinstance(getattr(request, "accepted_renderer", None), JSONRenderer):
        # An error is our error shape, not the representation asked for (a W3C annotation, say).
        response.content_type = "application/json"
    return response


def written(write: Callable[[], Any], *, unchanged: Any) -> Any:
    """What `write()` (a service's edit) saved; or, when it would change nothing, the object as
    it is: a write of the state it already has succeeds (RFC 9110, 9.3.4) and saves nothing,
    no revision. The service checks the preconditions (version, permission, reason) first."""
    try:
        return write()
    except DjangoValidationError as error:
        if getattr(error, "code", None) == "no_change":
            return unchanged
        raise


def etag_for(version: int) -> str:
    return f'"{version}"'


NO_VERSION = -1  # matches no object's version: a stale precondition


def expected_version(request: Request, current: int) -> int:
    """The version a write says it changes: If-Match, else the body's `version`; 428 if neither,
    400 if both are sent and disagree.

    If-Match is read as RFC 9110 says: `*` or a list of entity tags, compared strongly with the
    object's (`current`, as read before the write locks it; the service compares again under
    the lock). A tag is opaque: one that is not ours, or a weak one, matches nothing, so the
    write is refused as stale (412), never as bad input.
    """
    header = request.headers.get("If-Match", "").strip()
    sent = _body_version(request)
    if header:
        tags = parse_etags(header)
        versions = {version for version in map(_tag_version, tags) if version is not None}
        # Disagreeing only when If-Match names versions of ours: a foreign tag is simply stale (412).
        if sent is not None and versions and sent not in versions:
            raise exceptions.ValidationError({"version": [
                f"The body says version {sent} and If-Match says {header}: they disagree. Send the version once "
                "(If-Match, or `version` in the body), or the same in both."]})
        if tags == ["*"]:
            return current if sent is None else sent
        if current in versions:
            return current
        # An earlier version of ours, so the refusal can say what changed since.
        return max([version for version in versions if version < current], default=NO_VERSION)
    if sent is None:
        raise PreconditionRequired()
    return sent


# A representation other than our JSON (the W3C form of an annotation) is tagged with its
# version and this suffix: the tags differ, as RFC 9110 (8.8.1) has strong tags of two forms do.
LD_TAG_SUFFIX = "-ld"


def _tag_version(tag: str) -> int | None:
    """The version an entity tag of ours names ("7", or "7-ld" for its W3C form); None for a
    tag that is none of ours (a weak one included: If-Match compares strongly)."""
    if not (tag.startswith('"') and tag.endswith('"')):
        return None
    value = tag[1:-1].removesuffix(LD_TAG_SUFFIX)
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


def _body_version(request: Request) -> int | None:
    value = request.data.get("version") if hasattr(request.data, "get") else None
    if value is None or value == "":
        return None
    if not isinstance(request.data, QueryDict) and not is_json_integer(value):
        raise exceptions.ValidationError({"version": [NOT_AN_INTEGER]})
    try:
        return int(value)
    except (TypeError, ValueError):
        raise exceptions.ValidationError({"version": ["A version is a whole number."]}) from None


class StablePagination(CursorPagination):
    """Cursor pages by id: a page never repeats or skips an object when others are added."""

    ordering = "-pk"
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def decode_cursor(self, request: Request) -> Any:
        """A cursor we did not give (or whose position is an id no database can hold) is bad
        input: a 400 naming it, not a 404 or a 500."""
        try:
            cursor = super().decode_cursor(request)
        except exceptions.NotFound:
            cursor = None
        else:
            if cursor is None or cursor.position is None or whole_number(cursor.position) is not None:
                return cursor
        raise exceptions.ValidationError({self.cursor_query_param: [
            "Not a cursor of this list: follow the `next` and `previous` links a page gives."]})

    def get_ordering(self, request: Request, queryset: Any, view: Any) -> tuple[str, ...]:
        """Newest first; `?ordering=id` for oldest first (the only orders a cursor keeps stable), by
        the view's `cursor_field` (the row's pk unless it says otherwise)."""
        value = request.query_params.get("ordering")
        if value not in (None, "id", "-id"):
            raise exceptions.ValidationError({"ordering": ["`id` (oldest first) or `-id` (newest first)."]})
        field = getattr(view, "cursor_field", "pk")
        return (field,) if value == "id" else (f"-{field}",)

    def get_page_size(self, request: Request) -> int:
        """A page size outside 1 to 100 is a 400, as the schema says, not silently the default."""
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= self.max_page_size:
            raise exceptions.ValidationError({self.page_size_query_param: [
                f"A page holds 1 to {self.max_page_size} items."]})
        return int(value)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return [*parameters, {"name": "ordering", "in": "query", "required": False,
                              "description": "`-id` newest first (the default), `id` oldest first.",
                              "schema": {"type": "string", "enum": ["id", "-id"]}}]


class StrictFieldsMixin:
    """A write names only what it may set: an unknown or read-only field is a 400 naming it,
    never silently ignored. `create_only_fields` (a slug, an annotation's place) are set when the
    object is created and read-only afterwards: on PUT and PATCH (an instance is given, or the
    class is `for_update`)."""

    create_only_fields: tuple[str, ...] = ()
    updating = False
    NOT_FIELDS = frozenset({"csrfmiddlewaretoken"})  # the browsable API's forms send it

    def _updating(self) -> bool:
        return self.updating or getattr(self, "instance", None) is not None

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()  # type: ignore[misc]
        if self._updating():
            for name in self.create_only_fields:
                if name in fields:
                    fields[name].read_only, fields[name].required = True, False
        return fields

    def to_internal_value(self, data: Any) -> Any:
        if hasattr(data, "keys"):
            writable = {name for name, field in self.fields.items() if not field.read_only}  # type: ignore[attr-defined]
            refused: dict[str, list[str]] = {}
            for name in data:
                if name in writable or name in self.NOT_FIELDS:
                    continue
                if name in self.create_only_fields:
                    refused[name] = ["Set when it is created; it never changes."]
                elif name in self.fields:  # type: ignore[attr-defined]
                    refused[name] = ["Read-only: it cannot be written."]
                else:
                    refused[name] = ["Unknown field."]
            if refused:
                raise exceptions.ValidationError({
                    **refused, "non_field_errors": [f"Not a field you can write here: {', '.join(sorted(refused))}; "
                                                    "nothing was saved."]})
            wrong = {name: [message] for name, field in self.fields.items()  # type: ignore[attr-defined]
                     if not field.read_only and name in data and data[name] is not None
                     and (message := json_type_error(field, data[name], form=isinstance(data, QueryDict)))}
            if wrong:
                raise exceptions.ValidationError(wrong)
        return super().to_internal_value(data)  # type: ignore[misc]


NOT_AN_INTEGER = "Not a valid integer: send a JSON number, not text."


def is_json_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def takes_integer(field: serializers.Field) -> bool:
    """Whether the schema gives `field` as an integer: a number, a grade among numbered choices, an id."""
    if isinstance(field, serializers.IntegerField):
        return True
    if isinstance(field, serializers.ChoiceField):
        return bool(field.choices) and all(is_json_integer(choice) for choice in field.choices)
    if isinstance(field, serializers.PrimaryKeyRelatedField) and field.queryset is not None:
        return field.queryset.model._meta.pk.get_internal_type() in {"AutoField", "BigAutoField", "IntegerField",
                                                                      "BigIntegerField"}
    return False


def json_type_error(field: serializers.Field, value: Any, *, form: bool) -> str | None:
    """DRF reads a JSON body's values as leniently as a form's: "3" for 3, 0 as the text "0". The
    schema says what each is, so a JSON value of another type is refused. A form's values are
    all text, and are read as the field says, as forms always are."""
    if form:
        return None
    if isinstance(field, serializers.CharField) and not isinstance(value, str):
        return "Not a valid string."
    if takes_integer(field) and not is_json_integer(value):
        return NOT_AN_INTEGER
    return None


class RevertSerializer(StrictFieldsMixin, serializers.Serializer):
    history_id = serializers.IntegerField(help_text="The revision to restore, from the history endpoint.")
    reason = serializers.CharField(max_length=2000)
    version = serializers.IntegerField(required=False, help_text="The version you change (or If-Match).")


class RevisionSerializer(serializers.Serializer):
    """One revision of a tracked object: who, when, why, and what changed since the one before."""

    history_id = serializers.IntegerField()
    version = serializers.IntegerField()
    history_date = serializers.DateTimeField()
    history_type = serializers.CharField()
    user = serializers.CharField(source="history_username")
    reason = serializers.CharField(source="history_change_reason", allow_null=True)
    changes = serializers.ListField(child=serializers.DictField(), help_text="field, label, old, new")


def created_location(request: Request, obj: Any) -> str:
    """The address of an object just created by a POST to its list (the request's path)."""
    return request.build_absolute_uri(f"{request.path.rstrip('/')}/{obj.pk}/")


class VersionedMixin:
    """Detail reads carry an ETag (the version) and answer 304 to a matching If-None-Match."""

    def shown_etag(self, obj: Any) -> str:
        return etag_for(obj.version)

    def respond(self, obj: Any, data: Any, status_code: int = 200) -> Response:
        """The object as `data`, with its ETag; a 201 says where the new object is (Location)."""
        response = Response(data, status=status_code)
        response["ETag"] = self.shown_etag(obj)
        if status_code == status.HTTP_201_CREATED:
            response["Location"] = created_location(self.request, obj)  # type: ignore[attr-defined]
        return response

    def not_modified(self, request: Request, obj: Any) -> Response | None:
        tags = [tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")]
        if self.shown_etag(obj) in tags:
            response = Response(status=status.HTTP_304_NOT_MODIFIED)
            response["ETag"] = self.shown_etag(obj)
            return response
        return None


class ReadOrDeskWrite(BasePermission):
    """Anyone reads (the querysets decide what); writing needs a desk role. The services then
    decide, object by object, what this person may do (factcheck.permissions)."""

    message = "Only fact-checkers and editors may change anything."

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in SAFE_METHODS or may(request.user, Action.CREATE)


def api_not_found(request: Any) -> Any:
    """Unknown API addresses answer in the API's error shape, not with an HTML page."""
    from django.http import JsonResponse

    return JsonResponse({"error": "not_found", "detail": "No such API endpoint.", "fields": {}}, status=404)


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField(help_text="A stable code, e.g. invalid, stale_version, precondition_required.")
    detail = serializers.CharField(help_text="A sentence for a person.")
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                   help_text="Field name → messages (400 only).")
    current_version = serializers.IntegerField(required=False, help_text="With 412: the version to send again.")


ERROR_STATUSES = {
    "400": "Bad input; nothing was saved.",
    "401": "Sign in or send a token.",
    "403": "Not allowed for this account (four eyes included).",
    "404": "Not found, or not visible to you.",
    "406": "No representation your Accept (or `?format=`) allows.",
    "409": "The workflow does not allow this step now, or something still cites what you delete.",
    "412": "Stale: the object changed since you read it.",
    "428": "Say which version you change (If-Match or `version`).",
    "413": "The body is larger than we accept; nothing was saved.",
    "415": "A body we do not read (send JSON, a form or multipart).",
    "429": "Too many requests, or sign-in paused after too many failures (`locked_out`, with Retry-After).",
    "500": "Our fault; nothing was half-saved.",
}


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: Any) -> dict[str, Any]:
    """drf-spectacular post-processing: every operation documents the one error shape."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        "type": "object", "required": ["error", "detail", "fields"],
        "properties": {
            "error": {"type": "string"}, "detail": {"type": "string"},
            "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
            "current_version": {"type": "integer"},
        },
    }
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_STATUSES.items():
                responses.setdefault(code, {"description": description, "content": reference})
    return result



def for_update(serializer_class: type) -> type:
    """The serializer as PUT and PATCH take it (its create-only fields read-only), for the schema."""
    name = serializer_class.__name__.removesuffix("Serializer")
    return type(f"{name}UpdateSerializer", (serializer_class,), {"updating": True, "__module__": __name__})


def replacement(validated: dict[str, Any], *, model: Any, fields: list[str]) -> dict[str, Any]:
    """PUT replaces the content (RFC 9110 §9.3.4): a field the body leaves out goes back to its
    default (empty, none); a required one was already refused by the serializer."""
    return {name: validated[name] if name in validated else model._meta.get_field(name).get_default()
            for name in fields}


class AlreadyExists(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "already_exists"


def refuse_existing(request: Request, existing: Any, *, what: str) -> None:
    """`If-None-Match: *` on a create (RFC 9110 §13.1.2): only if nothing has this natural key
    (a slug, the same archived bytes, the same link); else 412 and nothing is written."""
    if existing is not None and request.headers.get("If-None-Match", "").strip() == "*":
        raise AlreadyExists(f"{what} already exists (If-None-Match: *); nothing was created.")


class CountedInWindows:
    """A DRF rate throttle counted in fixed windows of its duration (a minute, say): one atomic
    statement a request in the shared database (factcheck.ratecounts), where DRF's keeps the
    time of every request in the cache and writes the list back each time. A caller may make
    the limit's number of requests in each window; Retry-After says when the next begins.

    A count only grows within its window, so a caller refused once is refused until the window
    ends: the worker remembers that (`refused`) and refuses again without writing, so a flood
    from one caller does not become a flood of writes to one row."""

    refused: ClassVar[dict[str, int]] = {}  # the caller's key: the window it was refused in
    refused_lock: ClassVar[threading.Lock] = threading.Lock()  # a worker may serve on several threads
    REFUSED_KEPT = 10_000  # callers remembered by a worker; beyond, ended windows are forgotten

    def allow_request(self, request: Any, view: Any) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        if CountedInWindows.refused.get(self.key) == window:
            return False
        if count_request(self.key, window=window, expires=self.window_ends, now=self.now) <= self.num_requests:
            return True
        self._remember_refused(window)
        return False

    def _remember_refused(self, window: int) -> None:
        refused = CountedInWindows.refused
        with CountedInWindows.refused_lock:
            if len(refused) >= CountedInWindows.REFUSED_KEPT:
                for key in [key for key, seen in refused.items() if seen != window]:
                    del refused[key]
                if len(refused) >= CountedInWindows.REFUSED_KEPT:
                    refused.clear()
            refused[self.key] = window

    def wait(self) -> float:
        return max(self.window_ends - self.now, 1)


class AnonymousRateThrottle(CountedInWindows, throttling.AnonRateThrottle):
    """API_THROTTLE_ANON for anonymous callers, by address (API_NUM_PROXIES says which)."""


class SignedInRateThrottle(CountedInWindows, throttling.UserRateThrottle):
    """API_THROTTLE_USER for signed-in callers, by account. DRF's UserRateThrottle also counts
    anonymous callers by address, which the anonymous throttle already does at a stricter rate:
    a second count on every anonymous read, for nothing."""

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
