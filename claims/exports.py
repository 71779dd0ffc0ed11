"""The public record as CSV, for spreadsheets and scripts: /claims.csv and /links.csv.

Pure: rows from claims and links as the public record shows them (claims.publication), never
the working rows. Every text cell that a spreadsheet would run as a formula (one starting with
= + - @, or a tab or carriage return) is prefixed with a single quote.

claims.csv, one row per public claim (published or retracted), newest publication first:

    slug                  the claim's permanent name (its page is /claims/<slug>/)
    url                   its public page
    text                  the claim in plain words
    quote                 the words quoted verbatim from the document ("" if none)
    claimant              who asserts it
    claimant_reliability  the claimant's grade, A to F
    credibility           the claim's grade, 1 to 6
    credibility_label     the grade in words ("Probably true")
    admiralty_code        both together ("B2")
    asserted_on           when it was asserted, as precisely as known: 2025-11-29, 2025-11 or 2025;
                          empty when the source does not date it
    asserted_precision    day, month, year or unknown
    document_title        where it was asserted
    document_url          that document's own address ("" if it has none)
    snapshot_sha256       SHA-256 of the archived copy the quote is checked against ("" if none)
    status                published or retracted
    first_published_at    ISO 8601 times
    published_at
    record                the record of the public log this row reads (/transparency/entries/<n>.json)

links.csv, one row per accepted link between two public claims, by id:

    id                    the link's number
    from_claim, to_claim  the claims' slugs: from_claim <type> to_claim
    type                  supports, contradicts, qualifies or same_assertion
    rationale             why they are linked
"""

import csv
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from claims.choices import Credibility
from claims.claimreview import iso_partial_date

CLAIM_COLUMNS = [
    "slug", "url", "text", "quote", "claimant", "claimant_reliability", "credibility", "credibility_label",
    "admiralty_code", "asserted_on", "asserted_precision", "document_title", "document_url", "snapshot_sha256",
    "status", "first_published_at", "published_at", "record",
]
LINK_COLUMNS = ["id", "from_claim", "to_claim", "type", "rationale"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """The cell as a spreadsheet will show it and never run it: '=1+1 for =1+1."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def claim_row(claim: Any, *, url: Callable[[str], str]) -> list[Any]:
    """The columns of CLAIM_COLUMNS for a claim as its record shows it (publication.shown_from_record)."""
    passage = claim.annotation  # the record's archived passage, or None: never a query
    snapshot_sha256 = passage.snapshot.sha256 if passage is not None else ""
    return [
        claim.slug, url(claim.get_absolute_url()), claim.text, claim.quote, claim.claimant.name,
        claim.claimant.reliability, claim.credibility, Credibility(claim.credibility).label,
        f"{claim.claimant.reliability}{claim.credibility}",
        iso_partial_date(claim.asserted_on, claim.asserted_precision) or "", claim.asserted_precision,
        claim.document.title, claim.document.url, snapshot_sha256, claim.status,
        claim.first_published_at.isoformat(), claim.published_at.isoformat(), claim.record_index,
    ]


def link_row(link: dict[str, Any], slugs: dict[int, str]) -> list[Any] | None:
    """The columns of LINK_COLUMNS for a link as the public record projects it, or None when
    either claim is not public (the record never shows such a link; this fails closed)."""
    from_slug, to_slug = slugs.get(link["from_claim"]), slugs.get(link["to_claim"])
    if from_slug is None or to_slug is None:
        return None
    return [link["id"], from_slug, to_slug, link["type"], link["rationale"]]


class _Line:
    """What csv.writer writes to: each row comes back as its line, to be streamed."""

    def write(self, line: str) -> str:
        return line


def csv_lines(columns: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """The header, then each row with its formulas neutralised, one CSV line (RFC 4180) at a time."""
    writer = csv.writer(_Line())
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow([spreadsheet_safe(value) for value in row])
