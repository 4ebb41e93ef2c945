"""Invoices and credit notes, their gapless numbers, and customers' advances.

An issued invoice never changes: the row and its lines are written once, with a frozen copy
of everything its PDF prints (`snapshot`), and the PDF's bytes are kept the first time it is
rendered. Corrections are credit notes (`kind=credit_note`) that point at the invoice.

A customer's balance is never stored: it is summed from these rows and the orders' payments
(`crownline.billing.balances`), so it cannot drift from them.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from crownline.catalog.models import MONEY, money_in_range
from crownline.customers.models import Customer
from crownline.orders.models import Order
from crownline.tenancy.models import TAX_RATE, Lab


class DocumentKind(models.TextChoices):
    INVOICE = "invoice", "Invoice"
    CREDIT_NOTE = "credit_note", "Credit note"


class InvoiceSequence(models.Model):
    """The last number used per lab, year and kind. Numbering locks this row, so concurrent
    invoices queue for it and a rolled-back invoice gives its number back (no gaps)."""

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lab", "year", "kind"], name="one_sequence_per_lab_year_kind")]

    def __str__(self) -> str:
        return f"{self.lab_id} {self.kind} {self.year}: {self.last}"


class Invoice(models.Model):
    lab = models.ForeignKey(Lab, on_delete=models.PROTECT, related_name="invoices")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="invoices")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices, default=DocumentKind.INVOICE)
    # "LAB-A-2026-0001", "LAB-A-2026-CN0001": unique across labs, so /invoices/{number} needs no lab.
    number = models.CharField(max_length=80, unique=True)
    year = models.PositiveIntegerField()
    sequence = models.PositiveIntegerField()
    issued_on = models.DateField()
    due_on = models.DateField()
    currency = models.CharField(max_length=3)
    net = models.DecimalField(**MONEY)
    tax = models.DecimalField(**MONEY)
    gross = models.DecimalField(**MONEY)
    # A credit note's invoice; the reason it was issued.
    credits = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes")
    reason = models.CharField(max_length=500, blank=True)
    # Everything the document prints, frozen at issue (lab and customer details, lines, rates).
    snapshot = models.JSONField()
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lab", "kind", "year", "sequence"], name="one_invoice_per_number"),
            money_in_range("gross", name="invoice_gross_in_range"),
            models.CheckConstraint(
                condition=models.Q(kind="invoice", credits__isnull=True)
                | models.Q(kind="credit_note", credits__isnull=False),
                name="credit_note_names_its_invoice",
            ),
        ]
        indexes = [models.Index(fields=["lab", "-issued_on", "-id"], name="invoice_lab_issued")]
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs) -> None:
        # An issued invoice never changes. The one write after the insert stores its PDF, once
        # (crownline.billing.invoices.store_pdf), drawn from the frozen snapshot.
        if not self._state.adding:
            first_pdf = set(kwargs.get("update_fields") or ()) == {"pdf"} and type(self).objects.filter(
                pk=self.pk, pdf__isnull=True
            ).exists()
            if not first_pdf:
                raise RuntimeError("an issued invoice or credit note never changes: issue a credit note")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("an issued invoice or credit note is never deleted: issue a credit note")

    @property
    def is_credit_note(self) -> bool:
        return self.kind == DocumentKind.CREDIT_NOTE


class InvoiceLine(models.Model):
    """One line of an invoice: an order's service line, or an order's discount at one tax rate
    (negative net). A credit note's lines say what is credited, with positive amounts."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.PROTECT, related_name="invoice_lines")
    description = models.CharField(max_length=300)
    quantity = models.PositiveIntegerField(default=1)
    unit_price = models.DecimalField(max_digits=13, decimal_places=3)
    net = models.DecimalField(max_digits=13, decimal_places=3)
    tax_rate = models.DecimalField(**TAX_RATE)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.description

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise RuntimeError("an issued invoice's lines never change")
        super().save(*args, **kwargs)


class Advance(models.Model):
    """Money a customer paid ahead, into their balance; orders are then paid from it.
    Cancelled (voided with a reason), never deleted."""

    lab = models.ForeignKey(Lab, on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="advances")
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    received_on = models.DateField()
    method = models.CharField(max_length=50, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [money_in_range("amount", name="advance_amount_in_range", minimum=Decimal("0.001"))]
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
