"""Other fact-checkers' reviews, read from their schema.org ClaimReview markup.

Pure: bytes in, plain values out, no database. `reviews_in(page)` finds every ClaimReview in
a page (JSON-LD in HTML, read with extruct, or bare JSON): a single ClaimReview, a list, a
DataFeed (its dataFeedElement, DataFeedItems included) or an @graph, with @id references
resolved within the page. Each review becomes a PeerReview, or an Unreadable saying why not.

Only what the markup says is read, and nothing is made up:

    url                      → the review's address (the document we cite)
    claimReviewed            → the claim's text
    author                   → the reviewing organisation
    headline or name         → the review's title
    datePublished            → the review's date, at its precision (2025, 2025-10 or 2025-10-01)
    inLanguage               → its language ("und", undetermined, when it gives none)
    reviewRating             → the peer's rating, verbatim: "alternateName (ratingValue/bestRating)"
    itemReviewed.author      → who made the claim (the claimant), if named
    itemReviewed.datePublished → when the claim was made, if given
"""

import codecs
import datetime
import json
import re
from dataclasses import dataclass
from typing import Any

import lxml.etree
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from factcheck.dates import DatePrecision
from sources.capture import charset_of
from sources.models import SourceKind

MAX_DEPTH = 32
MAX_CLAIM_LENGTH = 2000
MAX_NAME_LENGTH = 200  # Source.name
MAX_TITLE_LENGTH = 500  # Document.title
MAX_URL_LENGTH = 1000  # Document.url
MAX_HOMEPAGE_LENGTH = 500  # Source.homepage
MAX_RATING_LENGTH = 200
MAX_NUMBER_LENGTH = 20
UNDETERMINED_LANGUAGE = "und"  # BCP 47: the language is not given

JSON_TYPES = frozenset({"application/json", "application/ld+json"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
SCHEMA_PREFIXES = ("http://schema.org/", "https://schema.org/", "schema:")
# The kinds of source a schema.org type says outright; any other organisation or person is "other".
SOURCE_KINDS = {"NewsMediaOrganization": SourceKind.NEWS_OUTLET, "GovernmentOrganization": SourceKind.GOVERNMENT}
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
PARTIAL_DATE = re.compile(r"(?P<year>\d{4})(-(?P<month>\d{2})(-(?P<day>\d{2})(?P<time>[T ].+)?)?)?")


class MarkupError(ValueError):
    """The page as a whole cannot be read: not JSON, no ClaimReview in it, nested too deep."""


class ReviewError(ValueError):
    """One ClaimReview cannot be imported; the message says why."""


@dataclass(frozen=True)
class Page:
    """What was read: from a URL, a file or the API, with its media type."""

    origin: str
    content: bytes
    content_type: str

    @property
    def media_type(self) -> str:
        return self.content_type.split(";")[0].strip().lower()

    @property
    def is_json(self) -> bool:
        if self.media_type in JSON_TYPES:
            return True
        if self.media_type in HTML_TYPES:
            return False
        return self.content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in {b"{", b"["}

    @property
    def is_html(self) -> bool:
        return not self.is_json


@dataclass(frozen=True)
class PartialDate:
    value: datetime.date | None
    precision: str


UNDATED = PartialDate(None, DatePrecision.UNKNOWN)


@dataclass(frozen=True)
class Party:
    """An organisation or person the markup names."""

    name: str
    kind: str = SourceKind.OTHER
    homepage: str = ""


@dataclass(frozen=True)
class PeerReview:
    url: str
    claim_reviewed: str
    reviewer: Party
    claimant: Party | None
    title: str
    published: PartialDate
    asserted: PartialDate
    rating: str
    language: str


@dataclass(frozen=True)
class Unreadable:
    message: str
    review_url: str = ""  # the url a review that cannot be imported gives, as it gives it, if it is text


def reviews_in(page: Page) -> list[tuple[str, PeerReview | Unreadable]]:
    """(position, review or why it cannot be read) of each ClaimReview in the page, in order.

    MarkupError when the page holds none at all."""
    blocks = _json_blocks(page)
    ids: dict[str, dict[str, Any]] = {}
    for _, data in blocks:
        if not isinstance(data, Unreadable):
            _index_ids(data, ids)
    found: list[tuple[str, PeerReview | Unreadable]] = []
    nodes = []
    for label, data in blocks:
        if isinstance(data, Unreadable):
            found.append((label, data))
            continue
        nodes += _claim_reviews(data)
    for number, node in enumerate(nodes, start=1):
        try:
            found.append((f"review {number}", read_review(node, ids)))
        except ReviewError as error:
            found.append((f"review {number}", Unreadable(str(error), review_url=_given_url(node))))
    if not nodes:
        problems = " ".join(f"{label}: {item.message}" for label, item in found if isinstance(item, Unreadable))
        raise MarkupError(f"No ClaimReview found in {page.origin}.{' ' + problems if problems else ''}")
    return found


def _json_blocks(page: Page) -> list[tuple[str, Any]]:
    """The parsed JSON of the page: the whole of it, or each JSON-LD script element of HTML."""
    if page.is_json:
        try:
            data = json.loads(page.content)
        except (ValueError, RecursionError) as error:
            raise MarkupError(f"{page.origin} is not valid JSON: {_reason(error)}") from None
        if _too_deep(data):
            raise MarkupError(f"{page.origin} is nested more than {MAX_DEPTH} levels deep.")
        return [("the JSON", data)]
    return _json_ld_in_html(page)


def _json_ld_in_html(page: Page) -> list[tuple[str, Any]]:
    # Imported here: extruct loads every syntax it knows (RDFa, microformats…), 0.4 s that
    # only an import should pay.
    from extruct.jsonld import JsonLdExtractor
    from extruct.utils import parse_html

    encoding = charset_of(page.content_type)
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "utf-8"
    try:
        tree = parse_html(page.content, encoding=encoding)
    except (lxml.etree.LxmlError, ValueError) as error:
        raise MarkupError(f"{page.origin} cannot be read as HTML: {error}") from None
    scripts = tree.xpath('//script[@type="application/ld+json"]') if tree is not None else []
    if not scripts:
        raise MarkupError(f"No ClaimReview found in {page.origin}: it has no JSON-LD "
                          "(<script type=\"application/ld+json\">).")
    extractor = JsonLdExtractor()
    blocks: list[tuple[str, Any]] = []
    for number, script in enumerate(scripts, start=1):
        label = f"JSON-LD block {number}"
        try:
            items = extractor.extract_items(script)  # the script element alone
        except (ValueError, RecursionError) as error:
            blocks.append((label, Unreadable(f"not valid JSON: {_reason(error)}")))
            continue
        if _too_deep(items):
            blocks.append((label, Unreadable(f"nested more than {MAX_DEPTH} levels deep.")))
            continue
        blocks.append((label, items))
    return blocks


def _reason(error: BaseException) -> str:
    if isinstance(error, RecursionError):
        return "nested too deep to read."
    return str(error)[:200]


def _children(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, list):
        return value
    return []


def _too_deep(value: Any) -> bool:
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in _children(node) if isinstance(child, dict | list))
    return False


def _index_ids(value: Any, ids: dict[str, dict[str, Any]]) -> None:
    """Every node with an @id and more than a reference, by its @id (the first one wins)."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict) and isinstance(node.get("@id"), str) and set(node) - {"@id", "@type"}:
            ids.setdefault(node["@id"], node)
        stack.extend(child for child in _children(node) if isinstance(child, dict | list))


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type")
    names = value if isinstance(value, list) else [value]
    types = set()
    for name in names:
        if isinstance(name, str):
            for prefix in SCHEMA_PREFIXES:
                name = name.removeprefix(prefix)
            types.add(name)
    return types


def _claim_reviews(value: Any) -> list[dict[str, Any]]:
    """The ClaimReview nodes of a single object, a list, a DataFeed or an @graph, in order."""
    if isinstance(value, list):
        return [node for item in value for node in _claim_reviews(item)]
    if not isinstance(value, dict):
        return []
    types = _types(value)
    if "ClaimReview" in types:
        return [value]
    found = _claim_reviews(value.get("@graph"))
    if "DataFeed" in types or "dataFeedElement" in value:
        found += _claim_reviews(value.get("dataFeedElement"))
    if "DataFeedItem" in types:
        found += _claim_reviews(value.get("item"))
    return found


def _resolve(value: Any, ids: dict[str, dict[str, Any]]) -> Any:
    """A reference ({"@id": …} alone) as the node it names in the page, if there is one."""
    if isinstance(value, dict) and isinstance(value.get("@id"), str) and not set(value) - {"@id", "@type"}:
        return ids.get(value["@id"], value)
    return value


def _single(value: Any, ids: dict[str, dict[str, Any]], *, what: str) -> Any:
    if isinstance(value, list):
        if len(value) > 1:
            raise ReviewError(f"{what} names {len(value)}; only one can be imported.")
        value = value[0] if value else None
    return _resolve(value, ids)


def _shown(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= 60 else text[:60] + "…")


def _text(node: dict[str, Any], key: str, *, limit: int, what: str = "") -> str:
    """The text of `key`, stripped; "" when absent."""
    what = what or key
    value = node.get(key)
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, dict) and "@value" in value:
        value = value["@value"]
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ReviewError(f"{what} is not text.")
    value = value.strip()
    if "\x00" in value:
        raise ReviewError(f"{what} contains a NUL character.")
    if len(value) > limit:
        raise ReviewError(f"{what} is {len(value)} characters long; at most {limit} can be imported.")
    return value


def _given_url(node: dict[str, Any]) -> str:
    """The review's url as it gives it, valid or not, to say which review an error is about."""
    try:
        return _text(node, "url", limit=MAX_URL_LENGTH)
    except ReviewError:
        return ""


def _http_url(value: str, *, limit: int) -> bool:
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return False
    return len(value) <= limit


def _partial_date(value: str, *, what: str) -> PartialDate:
    date = _read_partial_date(value, what=what)
    # A day of slack: the markup's own time zone may be a day ahead of ours.
    if date.value is not None and date.value > datetime.datetime.now(datetime.UTC).date() + datetime.timedelta(days=1):
        raise ReviewError(f"{what} {_shown(value)} is in the future: nothing is published, nor said, after today.")
    return date


def _read_partial_date(value: str, *, what: str) -> PartialDate:
    if not value:
        return UNDATED
    match = PARTIAL_DATE.fullmatch(value)
    try:
        if match is None:
            raise ValueError
        if match["time"]:
            # The day as the markup writes it, in its own time zone.
            return PartialDate(datetime.datetime.fromisoformat(value).date(), DatePrecision.DAY)
        year, month, day = int(match["year"]), match["month"], match["day"]
        if day:
            return PartialDate(datetime.date(year, int(month), int(day)), DatePrecision.DAY)
        if month:
            return PartialDate(datetime.date(year, int(month), 1), DatePrecision.MONTH)
        return PartialDate(datetime.date(year, 1, 1), DatePrecision.YEAR)
    except ValueError:
        raise ReviewError(f"{what} {_shown(value)} is not an ISO 8601 date (2025, 2025-10 or 2025-10-01).") from None


def _party(value: Any, ids: dict[str, dict[str, Any]], *, what: str) -> Party | None:
    node = _single(value, ids, what=what)
    if node is None:
        return None
    if isinstance(node, str):
        node = {"name": node}
    if not isinstance(node, dict):
        raise ReviewError(f"{what} is neither a name nor an organisation or person.")
    name = _text(node, "name", limit=MAX_NAME_LENGTH, what=f"{what}'s name")
    if not name:
        raise ReviewError(f"{what} has no name.")
    homepage = _text(node, "url", limit=MAX_URL_LENGTH, what=f"{what}'s url")
    kinds = [SOURCE_KINDS[schema_type] for schema_type in sorted(_types(node)) if schema_type in SOURCE_KINDS]
    return Party(name=name, kind=kinds[0] if kinds else SourceKind.OTHER,
                 homepage=homepage if _http_url(homepage, limit=MAX_HOMEPAGE_LENGTH) else "")


def _number(node: dict[str, Any], key: str) -> str:
    value = node.get(key)
    if isinstance(value, dict) and "@value" in value:
        value = value["@value"]
    if value is None:
        return ""
    if isinstance(value, bool):
        raise ReviewError(f"reviewRating.{key} is not a number.")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, str):
        value = value.strip()
        if len(value) > MAX_NUMBER_LENGTH or "\x00" in value:
            raise ReviewError(f"reviewRating.{key} {_shown(value)} is not a rating value.")
        return value
    raise ReviewError(f"reviewRating.{key} is not a number.")


def _rating(value: Any, ids: dict[str, dict[str, Any]]) -> str:
    """The peer's rating as they wrote it: "False (1/5)", "False", or "1/5"."""
    node = _single(value, ids, what="reviewRating")
    if node is None:
        return ""
    if not isinstance(node, dict):
        raise ReviewError("reviewRating is not a Rating.")
    name = (_text(node, "alternateName", limit=MAX_RATING_LENGTH, what="reviewRating.alternateName")
            or _text(node, "name", limit=MAX_RATING_LENGTH, what="reviewRating.name"))
    value, best = _number(node, "ratingValue"), _number(node, "bestRating")
    numbers = f"{value}/{best}" if value and best else value
    return f"{name} ({numbers})" if name and numbers else name or numbers


def _language(value: Any) -> str:
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("alternateName") or value.get("name")
    if isinstance(value, str) and len(value.strip()) <= 16 and LANGUAGE_TAG.fullmatch(value.strip()):
        return value.strip()
    return UNDETERMINED_LANGUAGE


def read_review(node: dict[str, Any], ids: dict[str, dict[str, Any]] | None = None) -> PeerReview:
    """One ClaimReview node as a PeerReview, or ReviewError saying what is wrong with it."""
    ids = ids or {}
    claim_reviewed = _text(node, "claimReviewed", limit=MAX_CLAIM_LENGTH)
    if not claim_reviewed:
        raise ReviewError("It has no claimReviewed: the claim it reviews is not stated.")
    url = _text(node, "url", limit=MAX_URL_LENGTH)
    if not url:
        raise ReviewError("It has no url: without the review's address it cannot be cited or told from a "
                          "duplicate.")
    if not _http_url(url, limit=MAX_URL_LENGTH):
        raise ReviewError(f"Its url {_shown(url)} is not a valid http or https address.")
    reviewer = _party(node.get("author"), ids, what="Its author")
    if reviewer is None:
        raise ReviewError("It names no author: who reviewed the claim is not stated.")
    item = _single(node.get("itemReviewed"), ids, what="itemReviewed")
    if item is not None and not isinstance(item, dict):
        raise ReviewError("itemReviewed is not a Claim.")
    item = item or {}
    title = (_text(node, "headline", limit=MAX_TITLE_LENGTH)
             or _text(node, "name", limit=MAX_TITLE_LENGTH) or f"ClaimReview by {reviewer.name}")
    return PeerReview(
        url=url, claim_reviewed=claim_reviewed, reviewer=reviewer,
        claimant=_party(item.get("author"), ids, what="itemReviewed.author"),
        title=title,
        published=_partial_date(_text(node, "datePublished", limit=40), what="datePublished"),
        asserted=_partial_date(_text(item, "datePublished", limit=40, what="itemReviewed.datePublished"),
                               what="itemReviewed.datePublished"),
        rating=_rating(node.get("reviewRating"), ids),
        language=_language(node.get("inLanguage")),
    )
