"""Words for readers: verdicts, grades as sentences, quotes in context. Pure functions.

The Admiralty code ("B2") stays for those who know it; readers first get the verdict in
plain words, and the code explained as a sentence (see /methodology/).
"""

import re

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from claims.choices import ClaimStatus, LinkStatus

# Credibility 1–6: the verdict as a reader's words, and the same as part of a sentence.
VERDICTS = {
    1: "Confirmed", 2: "Probably true", 3: "Possibly true", 4: "Doubtful", 5: "Improbable",
    6: "Cannot be judged",
}
CREDIBILITY_SENTENCES = {
    1: "confirmed by other, independent sources",
    2: "probably true: its basis is named and nothing contradicts it",
    3: "possibly true: nothing contradicts it, but no basis is shown",
    4: "doubtful: the evidence makes it unlikely",
    5: "improbable: the evidence says otherwise",
    6: "a judgement or forecast whose truth cannot be judged from evidence",
}
RELIABILITY_SENTENCES = {
    "A": "a completely reliable source",
    "B": "a usually reliable source",
    "C": "a fairly reliable source",
    "D": "a source that is not usually reliable",
    "E": "an unreliable source",
    "F": "a source whose reliability cannot be judged",
}


def status_words(status: str) -> str:
    """A claim's or link's workflow state as the desk says it: "in review", not "in_review"."""
    for choices in (ClaimStatus, LinkStatus):
        if status in choices.values:
            return str(choices(status).label).lower()
    return status.replace("_", " ")


def verdict(credibility: int) -> str:
    return VERDICTS[credibility]


def grade_sentence(reliability: str, credibility: int) -> str:
    """ "B2" in words: "From a usually reliable source; the claim is probably true: …" """
    return f"From {RELIABILITY_SENTENCES[reliability]}; the claim is {CREDIBILITY_SENTENCES[credibility]}."


WORD_EDGE = re.compile(r"\s")


def context_before(prefix: str, full: int = 32) -> str:
    """The text before a quote, from a word's start: a prefix cut at `full` characters may
    begin mid-word ("n to a related company"), so its first, partial word is dropped."""
    if len(prefix) < full or not prefix or WORD_EDGE.match(prefix[0]):
        return prefix
    cut = WORD_EDGE.search(prefix)
    return prefix[cut.end():] if cut else ""


def context_after(suffix: str, full: int = 32) -> str:
    """The text after a quote, to a word's end (its last, partial word dropped)."""
    if len(suffix) < full or not suffix or WORD_EDGE.match(suffix[-1]):
        return suffix
    cut = max((match.start() for match in WORD_EDGE.finditer(suffix)), default=None)
    return suffix[:cut] if cut is not None else ""


def highlight(text: str, query: str) -> SafeString:
    """`text`, escaped, with each word of `query` (two letters or more) in <mark>."""
    words = sorted({word for word in re.findall(r"\w+", query or "") if len(word) > 1}, key=len, reverse=True)
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    parts, position = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[position:match.start()]))
        parts.append(format_html("<mark>{}</mark>", match.group(0)))
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 (every part is escaped)
