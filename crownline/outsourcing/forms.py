"""The outsourcing pages' forms: inviting a partner lab, accepting into one of one's labs, sending."""

from __future__ import annotations

from django import forms

from crownline.pages import VersionForm


class PartnerInviteForm(forms.Form):
    email = forms.CharField(
        label="Partner lab admin's e-mail",
        max_length=254,
        help_text="They get a link; the labs link only when an admin of their lab accepts.",
    )


class AcceptForm(forms.Form):
    lab = forms.ChoiceField(label="Accept for", help_text="One of the labs you are the admin of.")

    def __init__(self, *args, labs=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lab"].choices = [(lab.slug, lab.name) for lab in labs]


class OutsourceForm(VersionForm):
    """The Send dialog; the chosen lines (`line`), their services (`service-<line id>`) and the
    files (`file`) are read as lists by the view, which hands them to the service to check."""

    partner = forms.CharField(max_length=60)
    note = forms.CharField(required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
