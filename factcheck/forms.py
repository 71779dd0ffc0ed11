"""Form pieces shared by the desk and the admin."""

from django import forms


class VersionedForm(forms.ModelForm):
    """Carries the version the person loaded, so a save over someone else's change is refused,
    and, when editing, asks why: the reason goes into the history."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(max_length=500, help_text="What you changed and why; kept in the history.",
                             error_messages={"required": "Say what you changed and why."})

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["reason"]  # a creation's reason is the creation itself
        else:
            self.fields["seen_version"].initial = self.instance.version
