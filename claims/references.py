"""References to other claims inside rationales: `[[claim:SLUG]]`.

A rationale cites its evidence by naming the claims it rests on. Pure functions: finding
the references, checking their form, and rendering them as links (everything else in the
text escaped) given the claims the reader may see.
"""

import re
from collections.abc import Callable, Iterable, Mapping

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

REFERENCE = re.compile(r"\[\[claim:([a-z0-9]+(?:-[a-z0-9]+)*)\]\]")
LOOKS_LIKE_A_REFERENCE = re.compile(r"\[\[[^\]]*\]\]")
LABEL_CHARS = 90


def referenced_slugs(*texts: str) -> list[str]:
    """The claims these texts reference, in order of first mention."""
    return list(dict.fromkeys(slug for text in texts for slug in REFERENCE.findall(text or "")))


def malformed(text: str) -> list[str]:
    """The `[[…]]` markers that are not a well-formed claim reference."""
    return [marker for marker in LOOKS_LIKE_A_REFERENCE.findall(text or "") if not REFERENCE.fullmatch(marker)]


def _label(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rsplit(" ", 1)[0] + "…"


def render(text: str, claims: Mapping[str, str], url: Callable[[str], str]) -> SafeString:
    """The text, escaped, with each reference to a claim in `claims` (slug → its text) as a
    link to it; a reference to any other claim reads as “[a claim not published]” (brackets, as an
    editor's insertion: the text around it often has its own parentheses)."""
    parts, position = [], 0
    for match in REFERENCE.finditer(text or ""):
        parts.append(escape(text[position:match.start()]))
        slug = match.group(1)
        if slug in claims:
            parts.append(format_html('<a class="ref" href="{}" title="{}">“{}”</a>', url(slug), claims[slug],
                                     _label(claims[slug])))
        else:
            parts.append("[a claim not published]")
        position = match.end()
    parts.append(escape((text or "")[position:]))
    return mark_safe("".join(parts))  # noqa: S308 (every part above is escaped or built by format_html)


def texts_to_scan(*groups: Iterable[str]) -> list[str]:
    return [text for group in groups for text in group if text]
