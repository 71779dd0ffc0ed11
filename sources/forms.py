"""Forms for the desk's source and document pages; every save goes through sources.services."""

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

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


class CaptureForm(forms.Form):
    """Capture a document from an address (its own, unless the person gives another)."""

    url = forms.URLField(label="Address", max_length=1000, assume_scheme="https",
                         help_text="The page is fetched now, from this server; this can take a few seconds.")


# What an uploaded file holds, by its name; browsers' own guesses vary. The capture service
# decides what it can archive and refuses the rest in words.
UPLOAD_TYPES = {".html": "text/html", ".htm": "text/html", ".xhtml": "application/xhtml+xml",
                ".txt": "text/plain", ".text": "text/plain", ".pdf": "application/pdf"}


class UploadForm(forms.Form):
    """Archive a file the person saved from the web (HTML or text)."""

    file = forms.FileField(label="File", help_text="A saved web page (.html) or a text file (.txt).")

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        limit = settings.SNAPSHOT_CAPTURE_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"The file is larger than {limit} bytes.", code="too_large")
        return upload

    def content_type(self) -> str:
        upload = self.cleaned_data["file"]
        declared = (upload.content_type or "application/octet-stream").split(";")[0].strip().lower()
        return UPLOAD_TYPES.get(PurePath(upload.name).suffix.lower(), declared)


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
