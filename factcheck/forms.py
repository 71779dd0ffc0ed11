"""Form pieces shared by the workspace and the admin."""

from django import forms


class VersionedForm(forms.ModelForm):
    """Carries the version the editor loaded, so a save over someone else's change is refused."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["seen_version"].initial = self.instance.version
