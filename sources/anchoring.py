"""Finding an annotated passage again in a newer snapshot of the same document.

First the exact quote (where it occurs more than once, the occurrence whose surroundings match
the old prefix and suffix, then the one nearest the old position); then a fuzzy match of the
quote with rapidfuzz, accepted only above a similarity threshold. Positions are code points.
"""

from dataclasses import dataclass

from rapidfuzz import fuzz

FUZZY_THRESHOLD = 80.0  # percent similarity of the quote, prefix and suffix taken together


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    method: str  # "exact", "position" or "fuzzy"
    score: float


def occurrences(text: str, exact: str, *, limit: int | None = None) -> list[int]:
    """Where `exact` starts in `text`, in code points; at most `limit` of them."""
    found, start = [], text.find(exact) if exact else -1
    while start != -1 and (limit is None or len(found) < limit):
        found.append(start)
        start = text.find(exact, start + 1)
    return found


def locate(text: str, exact: str, *, near: int | None = None) -> int | None:
    """Where a passage a person selected or typed starts: the occurrence nearest the selection
    if several, the first without one; None if it is not in the text word for word."""
    starts = occurrences(text, exact, limit=50) if exact.strip() else []
    if not starts:
        return None
    return min(starts, key=lambda start: abs(start - near)) if near is not None else starts[0]


def _context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> float:
    before, after = text[max(0, start - len(prefix)):start], text[end:end + len(suffix)]
    return fuzz.ratio(before, prefix) + fuzz.ratio(after, suffix)


def find(text: str, *, exact: str, prefix: str, suffix: str, old_start: int) -> Anchor | None:
    """Where the passage is in `text` now, or None if it cannot be found with confidence."""
    if not exact:
        return None
    starts = occurrences(text, exact)
    if len(starts) == 1:
        return Anchor(starts[0], starts[0] + len(exact), "exact", 100.0)
    if starts:
        # Several: the surroundings decide, then the old position as the hint.
        best = max(starts, key=lambda s: (_context_score(text, s, s + len(exact), prefix, suffix), -abs(s - old_start)))
        method = "exact" if _context_score(text, best, best + len(exact), prefix, suffix) >= 150 else "position"
        return Anchor(best, best + len(exact), method, 100.0)
    return _fuzzy(text, exact=exact, prefix=prefix, suffix=suffix)


def _fuzzy(text: str, *, exact: str, prefix: str, suffix: str) -> Anchor | None:
    alignment = fuzz.partial_ratio_alignment(exact, text, score_cutoff=FUZZY_THRESHOLD)
    if alignment is None:
        return None
    start, end = alignment.dest_start, alignment.dest_end
    # Trim to whole words: an alignment may start or stop inside one.
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    with_context = fuzz.ratio(prefix + exact + suffix,
                              text[max(0, start - len(prefix)):start] + text[start:end] + text[end:end + len(suffix)])
    score = max(alignment.score, with_context) if with_context >= FUZZY_THRESHOLD - 10 else alignment.score
    if score < FUZZY_THRESHOLD:
        return None
    return Anchor(start, end, "fuzzy", round(score, 1))
