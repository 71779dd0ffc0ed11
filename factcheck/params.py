"""Whole numbers read from addresses and query strings (`page`, `version`, `a`/`b`, `tree_size`, ids).

A value that is not a whole number, or is too large for either database to compare (SQLite
raises OverflowError past 2**63 - 1), is the client's mistake: a 400 in words, never a 500.
"""

from collections.abc import Mapping

from django.core.exceptions import BadRequest

MAX_ID = 2**63 - 1  # the largest integer both databases store


class BadNumber(BadRequest):
    """A query-string parameter that is not a whole number in range: 400 on pages and in the API."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


def whole_number(value: str | None, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """`value` as a whole number from `minimum` to `maximum`; None if absent or anything else."""
    if value is None or not (value.isascii() and value.isdigit()) or len(value) > len(str(maximum)):
        return None
    number = int(value)
    return number if minimum <= number <= maximum else None


def number_param(params: Mapping[str, str], name: str, *, default: int | None = None, minimum: int = 0,
                 maximum: int = MAX_ID) -> int | None:
    """The query parameter `name` as a whole number: `default` when absent or empty, BadNumber when bad."""
    value = params.get(name)
    if value is None or value == "":
        return default
    number = whole_number(value, minimum=minimum, maximum=maximum)
    if number is None:
        raise BadNumber(name, f"`{name}` must be a whole number from {minimum}"
                              + (f" to {maximum}." if maximum != MAX_ID else "."))
    return number
