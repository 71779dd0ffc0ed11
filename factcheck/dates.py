"""Dates known to a day, a month or a year ("October 2025" is a month)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


def format_partial_date(value: datetime.date | None, precision: str) -> str:
    """The date as precisely as it is known: "29 November 2025", "October 2025", "2025"."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year}"
    if precision == DatePrecision.MONTH:
        return value.strftime("%B %Y")
    return f"{value.day} {value.strftime('%B %Y')}"


def validate_partial_date(value: datetime.date | None, precision: str, *, field: str) -> None:
    """A month-precise date is stored as the 1st of its month, a year as 1 January."""
    if value is None:
        return
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
