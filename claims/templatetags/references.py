"""`{{ text|cite:references }}`: a rationale with its claim references as links."""

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString

from claims.references import render

register = template.Library()


@register.filter
def cite(text: str, references: dict[str, str] | None) -> SafeString:
    return render(text, references or {}, lambda slug: reverse("claims:claim-detail", kwargs={"slug": slug}))
