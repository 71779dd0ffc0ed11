"""The filters every API list shares for references to other objects: each takes what a create
body takes (a slug, or an id where create takes ids), a value that names nothing matches
nothing (an empty list, never a hint of what exists), and a malformed one is a 400 in the
API's error shape (django-filter's errors go through factcheck.api.exception_handler)."""

import re
from collections.abc import Callable
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

MAX_ID = 2**63 - 1  # the largest id either database stores
SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # Django's slug
# Empty is no filter, as with every other filter.
SLUG_OR_ID_SCHEMA = {"type": "string", "pattern": r"^[-a-zA-Z0-9_]*$", "maxLength": 160}


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """A reference by id: a whole number from 1."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field(SLUG_OR_ID_SCHEMA)
class SlugOrIdFilter(django_filters.CharFilter):
    """A reference by slug, as create takes it, or by id. `lookups(queryset, slug, id)` gives the
    condition; `id` is None unless the value is all digits (then it may be either)."""

    def __init__(self, *args: Any, lookups: Callable[[QuerySet, str, int | None], Q], **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 160)
        super().__init__(*args, **kwargs)
        self.lookups = lookups

    def filter(self, queryset: QuerySet, value: str) -> QuerySet:
        if value in django_filters.constants.EMPTY_VALUES:
            return queryset
        if not SLUG.fullmatch(value):
            raise ValidationError({self.field_name: ["A slug (letters, digits, - and _) or an id."]})
        number = int(value) if value.isascii() and value.isdigit() else None
        if number is not None and number > MAX_ID:
            raise ValidationError({self.field_name: ["No object has so large an id."]})
        return queryset.filter(self.lookups(queryset, value, number))


def slug_or_id(slug_lookup: str, id_lookup: str) -> Callable[[QuerySet, str, int | None], Q]:
    """The condition for a reference to one related object, by its slug or its id."""
    def lookups(queryset: QuerySet, slug: str, number: int | None) -> Q:
        condition = Q(**{slug_lookup: slug})
        return condition | Q(**{id_lookup: number}) if number is not None else condition
    return lookups


@extend_schema_field({"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "maxLength": 0}]})
class OptionalDateFilter(django_filters.DateFilter):
    """A date, YYYY-MM-DD; empty is no filter, as with every other filter."""
