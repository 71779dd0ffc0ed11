"""Importing other fact-checkers' ClaimReviews as draft claims: the command and the API call this.

Read a page (a URL, through sources.capture's safe fetch; a file; or text sent to the API),
find its ClaimReviews (claims.peer_reviews), and import each through
claims.services.claim_import_peer_review in its own transaction: a review that cannot be
imported leaves nothing behind and does not stop the others.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from claims import services
from claims.models import Claim
from claims.peer_reviews import HTML_TYPES, JSON_TYPES, Page, PeerReview, Unreadable, reviews_in
from factcheck.permissions import Action, require
from sources import capture

IMPORTABLE_TYPES = HTML_TYPES | JSON_TYPES | {"text/plain"}
ACCEPT = "application/ld+json, application/json;q=0.9, text/html;q=0.8"
FILE_TYPES = {".html": "text/html", ".htm": "text/html", ".xhtml": "application/xhtml+xml",
              ".json": "application/json", ".jsonld": "application/ld+json"}
URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


class Result:
    CREATED = "created"
    DUPLICATE = "duplicate"
    ERROR = "error"


@dataclass(frozen=True)
class Outcome:
    """What became of one ClaimReview (or of a part of the page that could not be read)."""

    position: str
    result: str
    message: str
    review_url: str = ""
    claim: Claim | None = None


def _sniffed_type(content: bytes, charset: str = "utf-8") -> str:
    """JSON if it starts like JSON, else HTML: for bytes whose type says neither."""
    return f"{'application/json' if Page('', content, '').is_json else 'text/html'}; charset={charset}"


def _limit(size: int, origin: str) -> None:
    if size > settings.SNAPSHOT_CAPTURE_MAX_BYTES:
        raise ValidationError(f"{origin} is larger than {settings.SNAPSHOT_CAPTURE_MAX_BYTES} bytes.")


def page_from_url(url: str) -> Page:
    """The page at `url`: public addresses only, with timeouts and a size limit (sources.capture)."""
    try:
        fetched = capture.fetch(url, content_types=IMPORTABLE_TYPES, accept=ACCEPT)
    except ValueError as error:  # an address urllib or IDNA cannot even parse
        raise ValidationError(f"{url[:200]!r} is not a valid address: {error}.") from None
    content_type = fetched.content_type
    if content_type.split(";")[0].strip().lower() == "text/plain":
        content_type = _sniffed_type(fetched.content, capture.charset_of(content_type))  # a feed as plain text
    return Page(origin=fetched.url, content=fetched.content, content_type=content_type)


def page_from_file(path: Path) -> Page:
    if not path.is_file():
        raise ValidationError(f"No file at {path}.")
    _limit(path.stat().st_size, str(path))
    content = path.read_bytes()
    return Page(origin=path.name, content=content,
                content_type=FILE_TYPES.get(path.suffix.lower()) or _sniffed_type(content))


def page_from_text(text: str, *, origin: str) -> Page:
    """Markup sent as text: JSON if it starts like JSON, else HTML."""
    try:
        content = text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError("The content is not valid Unicode text.") from None
    _limit(len(content), "The content")
    return Page(origin=origin, content=content, content_type=_sniffed_type(content))


def read_origin(origin: str) -> Page:
    """A URL (any scheme: only http and https are fetched) or a file."""
    return page_from_url(origin) if URL.match(origin) else page_from_file(Path(origin))


def import_page(*, actor: Any, page: Page) -> Iterator[Outcome]:
    """Each review of the page imported in turn, as it is done.

    The page is read at once: MarkupError (nothing in it can be imported) or PermissionDenied
    are raised by this call, before any review is imported."""
    require(actor, Action.CREATE)
    return import_reviews(actor=actor, page=page, reviews=reviews_in(page))


def import_reviews(*, actor: Any, page: Page,
                   reviews: list[tuple[str, PeerReview | Unreadable]]) -> Iterator[Outcome]:
    archived = page if page.is_html else None  # a JSON feed is not the review's page
    for position, review in reviews:
        if isinstance(review, Unreadable):
            yield Outcome(position, Result.ERROR, review.message, review.review_url)
            continue
        try:
            claim, created = services.claim_import_peer_review(actor=actor, review=review, page=archived)
        except ValidationError as error:
            yield Outcome(position, Result.ERROR, " ".join(error.messages), review.url)
            continue
        except PermissionDenied as error:
            yield Outcome(position, Result.ERROR, str(error), review.url)
            continue
        except IntegrityError:
            # Another import of the same review won a race for a unique name or slug.
            yield Outcome(position, Result.ERROR, "Imported at the same time by someone else; try again.",
                          review.url)
            continue
        if not created:
            yield Outcome(position, Result.DUPLICATE, f"already imported as {claim.slug}: nothing created.",
                          review.url, claim)
            continue
        quoted = "; its words are quoted from the archived page" if claim.quote else ""
        yield Outcome(position, Result.CREATED,
                      f"draft {claim.slug}: “{_short(claim.text)}”, rated “{claim.peer_rating or 'no rating'}” by "
                      f"{claim.document.publisher.name}{quoted}.", review.url, claim)


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:79] + "…"


def summary(counts: dict[str, int]) -> str:
    created, duplicates, errors = (counts.get(key, 0) for key in (Result.CREATED, Result.DUPLICATE, Result.ERROR))
    return (f"{created} created, {duplicates} duplicate{'' if duplicates == 1 else 's'}, "
            f"{errors} error{'' if errors == 1 else 's'}.")
