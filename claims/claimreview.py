"""schema.org ClaimReview for published claims (what search engines and other newsrooms read).

Credibility 1–5 maps to ratingValue 5–1 of 5; 6 ("truth cannot be judged") has a label and
no number. Every value comes from the published revision, never from work in progress.
"""

import json
from typing import Any

from django.conf import settings
from django.utils.html import _json_script_escapes
from django.utils.safestring import SafeString, mark_safe

from factcheck.dates import DatePrecision

SOURCE_KIND_TYPES = {"analyst": "Person"}


def iso_partial_date(value: Any, precision: str) -> str | None:
    """ISO 8601 at the precision known: 2025-11-29, 2025-10 or 2025."""
    if value is None:
        return None
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def review_rating(credibility: int, label: str) -> dict[str, Any]:
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": label}
    if 1 <= credibility <= 5:
        rating.update(ratingValue=6 - credibility, bestRating=5, worstRating=1)
    return rating


def claim_review(claim: Any, *, absolute_url: Any) -> dict[str, Any]:
    """The ClaimReview of a published claim (as `as_published` returns it)."""
    document = claim.document
    appearance = {
        "@type": "CreativeWork",
        "headline": document.title,
        "publisher": {"@type": "Organization", "name": document.publisher.name},
    }
    if document.url:  # the original, where the claim appeared; never our own page in its place
        appearance["url"] = document.url
    if document.published_on:
        appearance["datePublished"] = iso_partial_date(document.published_on, document.published_precision)
    claimant = claim.claimant
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": absolute_url(claim.get_absolute_url()),
        "claimReviewed": claim.text,
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": SOURCE_KIND_TYPES.get(claimant.kind, "Organization"), "name": claimant.name,
                       **({"url": claimant.homepage} if claimant.homepage else {})},
            **({"datePublished": iso_partial_date(claim.asserted_on, claim.asserted_precision)}
               if claim.asserted_on else {}),  # an undated claim says no date, not a null one
            "appearance": appearance,
            "firstAppearance": appearance,
        },
        "reviewRating": review_rating(claim.credibility, claim.get_credibility_display()),
        "author": {"@type": "Organization", "name": settings.FACTCHECK_PUBLISHER_NAME,
                   "url": settings.FACTCHECK_PUBLISHER_URL or absolute_url("/")},
        "datePublished": claim.first_published_at.date().isoformat() if claim.first_published_at else None,
        "dateModified": (getattr(claim, "recorded_at", None) or claim.published_at).isoformat()
        if claim.published_at else None,
    }
    if claim.status == "retracted":
        review["correction"] = {"@type": "CorrectionComment", "text": f"Retracted: {claim.retraction_reason}"}
    return review


def json_for_script(data: Any) -> SafeString:
    """JSON safe inside <script>: <, > and & escaped, so user text cannot close the element."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_json_script_escapes))  # noqa: S308
