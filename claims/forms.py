"""Forms for the desk's claim pages; every save goes through claims.services."""

from django import forms

from claims.choices import LinkType
from claims.models import Claim
from factcheck.forms import VersionedForm


class ClaimForm(VersionedForm):
    class Meta:
        model = Claim
        fields = [
            "text", "quote", "quote_language", "claimant", "primary_source", "document",
            "asserted_on", "asserted_precision", "credibility", "credibility_rationale", "annotation",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "quote": forms.Textarea(attrs={"rows": 3}),
            "credibility_rationale": forms.Textarea(attrs={"rows": 3}),
            "asserted_on": forms.DateInput(attrs={"type": "date"}),
            "annotation": forms.HiddenInput,
        }
        help_texts = {"asserted_on": "For a date known to the month, the 1st; to the year, 1 January."}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("claimant", "primary_source", "document"):
            self.fields[name].queryset = self.fields[name].queryset.order_by(
                "name" if name != "document" else "title"
            )


class TransitionForm(forms.Form):
    """One workflow step on the object at the version the person saw."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # Publishing only: the note to readers, and why there is no archived copy (if there is none).
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    exception = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ProposeLinkForm(forms.Form):
    to_claim = forms.ModelChoiceField(queryset=Claim.objects.none(), widget=forms.RadioSelect,
                                      label="The other claim")
    link_type = forms.ChoiceField(choices=LinkType.choices, label="This claim…")
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_claim"].queryset = candidates
