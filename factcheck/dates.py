"""Dates known to a day, a month or a year ("October 2025" is a month), or not known at all
(an undated statement stays undated: its date is empty and its precision "unknown")."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"
    UNKNOWN = "unknown", "Not given"


def format_partial_date(value: datetime.date | None, precision: str) -> str:
    """The date as precisely as it is known: "29 November 2025", "October 2025", "2025", or
    "undated" when the source gives no date."""
    if value is None:
        return "undated" if precision == DatePrecision.UNKNOWN else ""
    if precision == DatePrecision.YEAR:
        return f"{value.year}"
    if precision == DatePrecision.MONTH:
        return value.strftime("%B %Y")
    return f"{value.day} {value.strftime('%B %Y')}"


def implied_precision(value: datetime.date | None) -> str:
    """The precision of a date written without one: a date is known to the day; no date is "not
    given" (never a day, month or year with no date)."""
    return DatePrecision.UNKNOWN if value is None else DatePrecision.DAY


def validate_partial_date(value: datetime.date | None, precision: str, *, field: str) -> None:
    """A month-precise date is stored as the 1st of its month, a year as 1 January; an
    unknown date has no value, and only an unknown date may be empty."""
    if precision == DatePrecision.UNKNOWN:
        if value is not None:
            raise ValidationError({field: "The source gives no date: leave the date empty, or choose how precisely "
                                   "it is known."}, code="partial_date")
        return
    if value is None:
        raise ValidationError({field: f"Give the date, known to the {precision}, or choose “Not given” as its "
                               "precision when the source does not date it."}, code="required")
    if precision == DatePrecision.MONTH and value.day != 1:
        raise ValidationError(
            {field: f"A date known only to the month is stored as the 1st ({value:%Y-%m}-01)."},
            code="partial_date",
        )
    if precision == DatePrecision.YEAR and (value.month, value.day) != (1, 1):
        raise ValidationError(
            {field: f"A date known only to the year is stored as 1 January ({value.year}-01-01)."},
            code="partial_date",
        )
