"""Forms of the copy, remake and change-customer dialogs, and their choices. They parse what a browser sends; the
rules (who pays, which lines, which customer) live in the services, which name the field they
refuse."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms

from crownline.customers.models import Customer
from crownline.orders.choices import RemakePayer, RemakeReason
from crownline.orders.models import Order
from crownline.pages import VersionForm
from crownline.roles import LabRole

Choices = Iterable[tuple[int, str]]


class CopyForm(forms.Form):
    patient_name = forms.CharField(
        max_length=200,
        required=False,
        label="Patient",
        help_text="A new patient's name or code; empty for the same patient",
    )
    lines = forms.TypedMultipleChoiceField(
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        label="Services to take along",
    )
    files = forms.TypedMultipleChoiceField(
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Files to take along",
    )

    def __init__(self, *args, lines: Choices = (), files: Choices = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lines"].choices = list(lines)
        self.fields["files"].choices = list(files)
        if not self.fields["files"].choices:
            del self.fields["files"]


class RemakeForm(CopyForm):
    reason = forms.ChoiceField(choices=RemakeReason.choices, label="Reason")
    payer = forms.ChoiceField(choices=RemakePayer.choices, label="Who pays")
    note = forms.CharField(
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Note",
        help_text="What to do differently",
    )

    field_order = ["reason", "payer", "note", "lines", "files"]

    def __init__(self, *args, sets_prices: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["patient_name"]  # a remake is for the same patient
        if not sets_prices:
            # Giving work away is the lab's decision; the service refuses it too.
            self.fields["payer"].choices = [(RemakePayer.CUSTOMER.value, RemakePayer.CUSTOMER.label)]
            self.fields["payer"].help_text = "A remake the lab pays for is made by the lab"


class ChangeCustomerForm(VersionForm):
    customer = forms.TypedChoiceField(coerce=int, label="New customer")

    def __init__(self, *args, customers: Choices = (), currency: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].choices = [("", "Choose a customer"), *customers]
        self.fields["customer"].help_text = f"The lab's customers billed in {currency}, the order's currency"


def sees(order: Order | None, standing: LabRole) -> bool:
    """Whether the caller may open that order (the access rule of `visible_orders`, on a loaded row)."""
    if order is None:
        return False
    return order.lab_id == standing.lab_id and (standing.is_staff or order.customer_id in standing.customer_ids)


def line_choices(order: Order) -> list[tuple[int, str]]:
    return [
        (
            line.id,
            " · ".join(
                p for p in (f"{line.quantity} x {line.service.name}", ", ".join(map(str, line.teeth)), line.shade) if p
            ),
        )
        for line in order.lines.all()
    ]


def file_choices(order: Order, standing: LabRole) -> list[tuple[int, str]]:
    """The order's files the caller may take along: all for the lab, the shared ones for a dentist."""
    files = order.files.all() if standing.is_staff else order.files.filter(shared=True)
    return [(f.id, f.name) for f in files.only("id", "name")]


def customer_choices(order: Order) -> list[tuple[int, str]]:
    """The lab's customers an order may move to: billed in its currency, not a partner lab."""
    customers = Customer.objects.filter(lab_id=order.lab_id, partner_lab__isnull=True).exclude(pk=order.customer_id)
    customers = customers.select_related("lab").order_by("name", "id")
    return [(c.pk, c.name) for c in customers if c.currency == order.currency]
