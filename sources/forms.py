"""Forms for the desk's source and document pages; every save goes through sources.services."""

from django import forms

from factcheck.forms import VersionedForm
from sources import anchoring
from sources.models import Anchoring, Annotation, Document, Motivation, Snapshot, Source


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


class AnnotationForm(forms.Form):
    """A passage of a snapshot, selected in the text (start and end filled by the page's
    script) or typed or pasted (found in the text by the server), and the note on it."""

    exact = forms.CharField(label="Passage", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                            strip=False, help_text="Select it in the text above, or type or paste it exactly.")
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    motivation = forms.ChoiceField(choices=Motivation.choices, initial=Motivation.COMMENTING)
    body = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    orphan = forms.ModelChoiceField(queryset=Annotation.objects.none(), required=False,
                                    label="Or anchor an orphaned note here",
                                    help_text="Its motivation and note stay as they were.")
    make_claim = forms.BooleanField(required=False, label="Make a claim from this passage")

    def __init__(self, *args, snapshot: Snapshot, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.snapshot = snapshot
        self.fields["orphan"].queryset = Annotation.objects.filter(
            snapshot__document_id=snapshot.document_id, anchoring=Anchoring.ORPHANED)

    def clean(self) -> dict:
        data = super().clean()
        exact, start, end = data.get("exact"), data.get("start"), data.get("end")
        if not exact:
            return data
        text = self.snapshot.text
        if start is not None and end is not None and text[start:end] == exact:
            return data
        found = anchoring.locate(text, exact, near=start)
        if found is None:
            raise forms.ValidationError({"exact": "This passage is not in the archived text, word for word."})
        data["start"], data["end"] = found, found + len(exact)
        return data
