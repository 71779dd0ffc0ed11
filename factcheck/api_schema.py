"""How the OpenAPI schema describes what every endpoint shares (drf-spectacular's AutoSchema).

Apart from factcheck/api.py, which DRF imports while it starts: drf-spectacular needs DRF's
views, which would then not exist yet.
"""

from typing import Any

from drf_spectacular import openapi
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

from factcheck.api import ReadOrDeskWrite

# drf-spectacular states a blank-able formatted string (a URLField with blank=True) as a union
# with the empty string. As `oneOf`, an empty value, which matches both branches to any validator
# that does not check the `uri` format (formats are annotations unless checked), was invalid.
BLANK_OR = "anyOf"
EMPTY_STRING = {"type": "string", "maxLength": 0}


# Text takes no NUL character (PostgreSQL can store none: factcheck.api refuses it). And DRF
# trims a text field's white space (str.strip) before it refuses a blank one, so a required one
# needs a character that is not white space as Python counts it (not the regex class \s, which
# differs: U+FEFF is white space to it, U+001C-U+001F and U+0085 are not).
WHITE_SPACE = r"\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
NO_NUL = r"^[^\x00]*$"
NOT_ONLY_WHITE_SPACE = rf"^[^\x00]*[^\x00{WHITE_SPACE}][^\x00]*$"


class AutoSchema(openapi.AutoSchema):
    def _insert_field_validators(self, field: Any, schema: dict[str, Any]) -> None:
        super()._insert_field_validators(field, schema)
        if EMPTY_STRING in schema.get("oneOf", []):
            schema[BLANK_OR] = schema.pop("oneOf")
        if (isinstance(field, serializers.CharField) and not field.read_only and schema.get("type") == "string"
                and "pattern" not in schema):
            schema["pattern"] = NOT_ONLY_WHITE_SPACE if field.trim_whitespace and not field.allow_blank else NO_NUL

    def get_auth(self) -> list[Any]:
        """Anyone may read (ReadOrDeskWrite) and anyone may ask for a token: say so, with the
        empty security requirement, or clients (and schemathesis) take a public read for one
        that ignores authentication."""
        auths = super().get_auth()
        permissions = self.view.get_permissions()
        public_read = self.method in SAFE_METHODS and any(isinstance(p, ReadOrDeskWrite) for p in permissions)
        if (public_read or not permissions) and {} not in auths:
            auths.append({})
        return auths

    def _get_response_for_code(self, serializer: Any, status_code: str, media_types: Any = None,
                               direction: str = "response") -> dict[str, Any]:
        """A response given as a raw JSON schema is that document as it is: never wrapped as a
        list in our cursor page (the W3C AnnotationCollection is its own paged document)."""
        if isinstance(serializer, dict) and serializer.get("type") == "object" and self._is_list_view():
            return {"description": "", "content": {media_type: {"schema": serializer}
                                                   for media_type in media_types or self.map_renderers("media_type")}}
        return super()._get_response_for_code(serializer, status_code, media_types, direction)


def closed_request_bodies(result: dict[str, Any], generator: Any, request: Any, public: Any) -> dict[str, Any]:
    """drf-spectacular post-processing: a write names only fields it may set (an unknown one is a
    400, factcheck.api.StrictFieldsMixin), so every request body says `additionalProperties: false`;
    URLs as Django's URLValidator takes them, partial dates as they are kept, forms without null."""
    schemas = result.get("components", {}).get("schemas", {})
    for name, schema in schemas.items():
        if name.endswith("Request") and schema.get("type") == "object":
            schema["additionalProperties"] = False
            for field in schema.get("properties", {}).values():
                for variant in [field, *field.get(BLANK_OR, [])]:
                    if variant.get("format") == "uri":  # Django's URLValidator: http(s) and a host name
                        variant["pattern"] = WEB_ADDRESS
            if not name.startswith("Patched"):
                _partial_dates(schema, schemas)
    _forms_without_null(result)
    _required_bodies(result)
    return result


def _required_bodies(result: dict[str, Any]) -> None:
    """OpenAPI takes a request body as optional unless it says otherwise: one whose every form
    requires fields is itself required (a create without its body is a 400)."""
    schemas = result.get("components", {}).get("schemas", {})

    def requires(schema: dict[str, Any]) -> bool:
        if "$ref" in schema:
            schema = schemas.get(schema["$ref"].rsplit("/", 1)[-1], {})
        branches = schema.get("oneOf") or schema.get("anyOf")
        return all(requires(branch) for branch in branches) if branches else bool(schema.get("required"))

    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            if body and body.get("content") and all(requires(media.get("schema", {}))
                                                    for media in body["content"].values()):
                body["required"] = True


def _partial_dates(body: dict[str, Any], schemas: dict[str, Any]) -> None:
    """factcheck.dates.validate_partial_date in the schema: a day, month or year has a date (a
    month-precise one the 1st of its month, a year-precise one 1 January) and an unknown date is
    empty; left out, the precision is a day with a date, unknown without one
    (factcheck.dates.implied_precision). Not for PATCH, whose other half may be the stored one."""
    properties = body.get("properties", {})
    for date_name in [name for name in properties if name.endswith("_on")]:
        precision_name = date_name.removesuffix("_on") + "_precision"
        if precision_name not in properties:
            continue
        field = properties[precision_name]
        reference = field.get("$ref") or next((part.get("$ref", "") for part in field.get("allOf", [])), "")
        precisions = schemas.get(reference.rsplit("/", 1)[-1], properties[precision_name]).get("enum", [])
        dated = {"day": {"type": "string"}, "month": {"type": "string", "pattern": "-01$"},
                 "year": {"type": "string", "pattern": "-01-01$"}}
        # A date with no precision is a day's; no date and no precision is an unknown one.
        branches = [{"required": [date_name], "properties": {precision_name: {"enum": ["day"]},
                                                             date_name: dated["day"]}}]
        if "unknown" in precisions:
            branches.append({"properties": {precision_name: {"enum": ["unknown"]},
                                            date_name: {"nullable": True, "enum": [None]}}})
        body["anyOf"] = [*branches, *[
            {"required": [precision_name, date_name], "properties": {precision_name: {"enum": [precision]},
                                                                     date_name: dated[precision]}}
            for precision in precisions if precision in {"month", "year"}]]


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _forms_without_null(result: dict[str, Any]) -> None:
    """A form has no null: every value is text, and an empty one means none (DRF reads an empty
    value of a nullable field as null). A form body is described by a copy of the JSON body
    (`DocumentFormRequest` beside `DocumentRequest`) whose fields are not nullable, so that no
    client (nor schemathesis) sends the text "null" for a date; and an optional field left empty
    is left out (DRF reads it so), so there the empty text is allowed."""
    schemas = result.get("components", {}).get("schemas", {})
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            content = operation.get("requestBody", {}).get("content", {}) if isinstance(operation, dict) else {}
            for media_type in FORM_TYPES:
                reference = content.get(media_type, {}).get("schema", {}).get("$ref", "")
                name = reference.rsplit("/", 1)[-1]
                body = schemas.get(name)
                if not body:
                    continue
                required = set(body.get("required", []))
                properties = {field_name: _form_field(field, optional=field_name not in required)
                              for field_name, field in body.get("properties", {}).items()}
                if properties == body.get("properties", {}):
                    continue
                form_name = name.removesuffix("Request") + "FormRequest"
                schemas.setdefault(form_name, {**body, "properties": properties})
                content[media_type]["schema"] = {"$ref": f"#/components/schemas/{form_name}"}


def _form_field(field: dict[str, Any], *, optional: bool) -> dict[str, Any]:
    """A field of a form body: never null; left empty, an optional one is left out."""
    form_field = {key: value for key, value in field.items() if key != "nullable"}
    if optional and form_field.get("minLength") == 1:
        del form_field["minLength"]
    if optional and "pattern" in form_field:
        form_field["pattern"] = f"^$|{form_field['pattern']}"
    return form_field


# A host name is at most 253 characters (Django's URLValidator refuses longer ones): the lookahead
# bounds what comes between "://" and the path; each label is at most 63.


WEB_ADDRESS = r"^(https?://(?=[A-Za-z0-9.-]{1,253}(/|$))([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(/[A-Za-z0-9._~/-]*)?)?$"
