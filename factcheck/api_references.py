"""References to other objects in API write bodies, as the filters take them (factcheck.api_filters)
and the reads show them: a source, document or claim by its slug or its id, an annotation by its
uuid or its id.

In JSON the value's type says which: a string is the slug (or uuid), an integer the id. A form's
values are all text: there a value is the slug, or, all digits and no slug being that, the id
(so a form that sent an id before still works). A reference that names nothing is a 400 naming
the field; who may use what it names is the services' question, as everywhere.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, Q
from django.http import QueryDict
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from factcheck.params import MAX_ID, whole_number

# What each key looks like; empty (none) where the reference is optional.
KEY_SCHEMAS = {
    "slug": lambda optional: {"type": "string", "maxLength": 160,
                              "pattern": r"^[-a-zA-Z0-9_]*$" if optional else r"^[-a-zA-Z0-9_]+$"},
    "uuid": lambda optional: {"type": "string", "pattern": "^(" + r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                              r"[0-9a-fA-F]{4}-[0-9a-fA-F]{12}" + (")?$" if optional else ")$")},
}
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


class ReferenceField(serializers.RelatedField):
    """A related object by its `key` (a string: "slug" or "uuid") or its id (an integer); shown
    by its key. `description` says what it names, for the schema."""

    default_error_messages = {
        "does_not_exist": "No {what} has this {by} or id.",
        "incorrect_type": "A {by} (a string) or an id (a whole number), not {type}.",
    }

    def __init__(self, *, key: str = "slug", description: str = "", **kwargs: Any) -> None:
        self.key = key
        super().__init__(**kwargs)
        optional = bool(kwargs.get("allow_null"))
        schema: dict[str, Any] = {
            "oneOf": [KEY_SCHEMAS[key](optional), ID_SCHEMA],
            "description": " ".join(part for part in [
                description, f"By its {key} (a string) or its id (an integer)"
                + ("; null or empty for none." if optional else ".")] if part)}
        if optional:
            schema["nullable"] = True
        extend_schema_field(schema)(self)

    def _what(self) -> str:
        return str(self.get_queryset().model._meta.verbose_name)

    def to_internal_value(self, data: Any) -> Model:
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("incorrect_type", by=self.key, type=type(data).__name__)
        found = referenced(self.get_queryset(), data, key=self.key, form=isinstance(self.root.initial_data, QueryDict))
        if found is None:
            self.fail("does_not_exist", what=self._what(), by=self.key)
        return found

    def to_representation(self, value: Model) -> Any:
        return str(getattr(value, self.key))


def referenced(queryset: Any, data: Any, *, key: str = "slug", form: bool = False) -> Model | None:
    """The object a write names (see the module), or None when it names nothing (or is no key
    nor id at all)."""
    if isinstance(data, bool) or not isinstance(data, str | int):
        return None
    if isinstance(data, int):
        return queryset.filter(pk=data).first() if 1 <= data <= MAX_ID else None
    number = whole_number(data, minimum=1) if form else None
    condition = Q(**{key: data})
    try:
        candidates = list(queryset.filter(condition | Q(pk=number) if number else condition)[:2])
    except (DjangoValidationError, ValueError, TypeError):  # not a uuid, for one
        return None
    # The key first: a form's digits are a slug when one is that.
    return next((obj for obj in candidates if str(getattr(obj, key)) == data), None) or next(iter(candidates), None)

