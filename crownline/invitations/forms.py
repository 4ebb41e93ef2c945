"""The forms of the invitation pages; the services check everything again."""

from __future__ import annotations

from django import forms

from crownline.invitations.acceptance import USERNAME_PATTERN
from crownline.invitations.models import ROLE_CHOICES


class InviteForm(forms.Form):
    email = forms.EmailField(max_length=254, label="E-mail address")
    role = forms.ChoiceField(choices=ROLE_CHOICES)
    name = forms.CharField(max_length=200, required=False, label="Customer's name",
                           help_text="For a new customer: how your lab will know them.")
    customer = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Existing customer",
                                      help_text="Or: give one of your customers without a login their login.")

    def __init__(self, *args, customers=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].choices = [("", "A new customer")] + [(c.id, c.name) for c in customers]


class SignUpForm(forms.Form):
    username = forms.RegexField(regex=USERNAME_PATTERN, max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "username"}),
                                error_messages={"invalid": "letters, digits and @ . + - _ only"})
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    password = forms.CharField(max_length=200, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password_again = forms.CharField(max_length=200, label="Password again",
                                     widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", "the two passwords differ")
        return data


class RegisterForm(forms.Form):
    name = forms.CharField(max_length=200, label="Your name", help_text="As the lab should know you.")
    email = forms.EmailField(max_length=254, label="E-mail address",
                             help_text="We send a link there; your login is created when you open it.")
