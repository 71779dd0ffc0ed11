"""Forms for the desk's source and document pages; every save goes through sources.services."""

from django import forms

from factcheck.forms import VersionedForm
from sources.models import Document, Source


class SourceForm(VersionedForm):
    class Meta:
        model = Source
        fields = ["name", "kind", "homepage", "description", "affiliation", "reliability", "reliability_rationale"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "reliability_rationale": forms.Textarea(attrs={"rows": 3})}


class DocumentForm(VersionedForm):
    class Meta:
        model = Document
        fields = ["title", "publisher", "authors", "url", "language", "published_on", "published_precision"]
        widgets = {"published_on": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"published_on": "For a date known to the month, the 1st; to the year, 1 January."}
