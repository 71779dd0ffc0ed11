"""Template filters for readers' words: verdicts, grades as sentences, quotes cut at words."""

from django import template
from django.utils.safestring import SafeString

from claims import reading

register = template.Library()


@register.filter
def verdict(credibility: int) -> str:
    return reading.verdict(int(credibility))


@register.filter
def status_words(status: str) -> str:
    return reading.status_words(status)


@register.filter
def grade_sentence(reliability: str, credibility: int) -> str:
    return reading.grade_sentence(reliability, int(credibility))


@register.filter
def context_before(prefix: str) -> str:
    return reading.context_before(prefix)


@register.filter
def context_after(suffix: str) -> str:
    return reading.context_after(suffix)


@register.filter
def highlight(text: str, query: str) -> SafeString:
    """The text, escaped, with the searched words marked."""
    return reading.highlight(text, query)
