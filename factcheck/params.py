"""What comes in through query strings and forms, checked the same way at every door.

Whole numbers (`page`, `version`, `a`/`b`, `tree_size`, ids): a value that is not one, or is too
large for either database to compare (SQLite raises OverflowError past 2**63 - 1), is the
client's mistake: a 400 in words, never a 500. And no NUL character anywhere: PostgreSQL can
neither store nor compare one (an admin filter or search with one was a 500), SQLite would keep it.
"""

from collections.abc import Callable, Iterable, Mapping

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

MAX_ID = 2**63 - 1  # the largest integer both databases store
NUL_MESSAGE = "NUL characters (\\x00) are not allowed in text."
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class BadParameter(BadRequest):
    """A query-string or form parameter we refuse: 400 on pages and in the API, naming it."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


class BadNumber(BadParameter):
    """Not a whole number in range."""


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


def _first_nul(params: Iterable[tuple[str, list[str]]]) -> str | None:
    for name, values in params:
        if "\x00" in name or any("\x00" in value for value in values):
            return name.replace("\x00", "\\x00")
    return None


def refuse_nul_middleware(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[..., HttpResponse]:
    """A NUL in the query string, or in a page's form, is a 400 naming the field, before any view.

    The API's bodies are checked by its parsers (factcheck.api), which know JSON as well.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        name = _first_nul(request.GET.lists())
        if name is None and request.method == "POST" and not request.path.startswith("/api/") \
                and request.content_type in FORM_TYPES:
            name = _first_nul(request.POST.lists())
        if name is not None:
            # Answered here rather than raised: a raised 400 would be Django's debug page under
            # DEBUG, and the API answers in its JSON error shape whatever the settings.
            from factcheck.views import bad_request

            return bad_request(request, BadParameter(name, f"`{name}`: {NUL_MESSAGE}"))
        return get_response(request)

    return middleware
