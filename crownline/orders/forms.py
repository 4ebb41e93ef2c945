"""Forms of the order pages. They parse what a browser sends; the rules live in the services."""

from __future__ import annotations

import re

from django import forms

from crownline.errors import InvalidInput
from crownline.pages import VersionForm


class ReasonForm(VersionForm):
    reason = forms.CharField(required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class ProductionForm(VersionForm):
    production_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Production date")


class TrackingForm(VersionForm):
    # Lengths and characters are checked by the service, which names the rule in its message.
    tracking_number = forms.CharField(max_length=200, label="Tracking number", strip=False)
    carrier = forms.CharField(max_length=200, required=False)


class DeliverForm(VersionForm):
    delivered_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class PaymentForm(VersionForm):
    amount = forms.DecimalField(required=False, decimal_places=2, max_digits=12)
    method = forms.CharField(required=False, max_length=200)
    reference = forms.CharField(required=False, max_length=200)


class DiscountForm(VersionForm):
    kind = forms.ChoiceField(
        required=False, label="Discount",
        choices=[("percent", "Percent off"), ("amount", "Amount off"), ("", "No discount")],
    )
    value = forms.DecimalField(required=False, max_digits=13, decimal_places=3, min_value=0, label="How much")


class CommentForm(forms.Form):
    body = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 3}), label="Comment")
    internal = forms.BooleanField(required=False, label="Internal (lab only)")


# ---- the new-order / edit-draft form ------------------------------------------------------

_TOOTH_SPLIT = re.compile(r"[\s,;]+")


def parse_teeth(raw: str) -> list[int]:
    parts = [p for p in _TOOTH_SPLIT.split(raw.strip()) if p]
    # ASCII digits: str.isdigit() is also true for "²", which int() refuses.
    if not all(p.isascii() and p.isdigit() and len(p) <= 2 for p in parts):
        raise forms.ValidationError("write teeth as FDI numbers, e.g. 11, 21")
    return [int(p) for p in parts]


class OrderForm(forms.Form):
    customer = forms.TypedChoiceField(coerce=int, required=False)
    patient_name = forms.CharField(max_length=200, required=False, label="Patient (name or code)")
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Due date",
                               help_text="Empty: the lab's production days (or the appointment) decide.")
    appointment_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                       label="Patient's appointment",
                                       help_text="The lab works back from it to meet it.")
    notes = forms.CharField(required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, customers=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if customers is None:
            del self.fields["customer"]
        else:
            self.fields["customer"].required = True
            self.fields["customer"].choices = [("", "Choose a customer")] + [(c.id, c.name) for c in customers]


class LineForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    service = forms.TypedChoiceField(coerce=int)
    quantity = forms.IntegerField(min_value=1, max_value=100, initial=1)
    teeth = forms.CharField(required=False, max_length=300, help_text="FDI numbers, e.g. 11, 21")
    shade = forms.CharField(required=False, max_length=20, help_text="e.g. A2")

    def __init__(self, *args, services=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", "Choose a service")] + [(s.id, s.name) for s in services]

    def clean_teeth(self) -> list[int]:
        return parse_teeth(self.cleaned_data.get("teeth", ""))


LineFormSet = forms.formset_factory(LineForm, extra=0, min_num=1, validate_min=True, max_num=50, can_delete=True)


def attach_error(error: InvalidInput, form: forms.Form, lines: forms.BaseFormSet | None = None) -> bool:
    """Show a service's InvalidInput next to its field; False when no field on the page matches."""
    field = error.field
    match = re.match(r"^lines\[(\d+)\]\.(\w+)$", field)
    if match and lines is not None:
        index, name = int(match.group(1)), match.group(2)
        if index < len(lines.forms) and name in lines.forms[index].fields:
            lines.forms[index].add_error(name, error.message)
            return True
    field = {"patient": "patient_name", "delivered_on": "delivered_on"}.get(field, field)
    if field in form.fields:
        form.add_error(field, error.message)
        return True
    return False
