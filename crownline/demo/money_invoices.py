"""Demo data of the invoices part: issued invoices and a credit note.

Added to an already seeded demo lab (crownline/demo/seed.py): the lab's invoice details (legal
name, address, tax number, bank account: so the PDF carries its EPC payment code when the lab
works in euros) where it has none yet, one invoice per customer for their delivered and
completed orders, and a partial credit note (a goodwill reduction) on the first invoice.
"""

from __future__ import annotations

from decimal import Decimal

from crownline.billing import credits, invoices
from crownline.billing.models import Invoice
from crownline.numbers import round_money
from crownline.orders.models import Order
from crownline.tenancy.models import Lab, Membership


def _invoice_details(lab: Lab) -> None:
    if lab.legal_name:
        return
    lab.legal_name = f"{lab.name} GmbH" if lab.currency == "EUR" else f"{lab.name} LLC"
    lab.legal_address = "Hauptstraße 1\n10115 Berlin\nGermany" if lab.currency == "EUR" else "1 Main Street\nNew York"
    lab.tax_id = "DE123456789" if lab.currency == "EUR" else ""
    if lab.currency == "EUR":
        lab.iban, lab.bic = "DE89370400440532013000", "COBADEFFXXX"
    lab.invoice_instructions = "Thank you for your order. Please quote the invoice number with your payment."
    lab.save(update_fields=["legal_name", "legal_address", "tax_id", "iban", "bic", "invoice_instructions"])


def seed_invoices(lab: Lab) -> None:
    if Invoice.objects.filter(lab=lab).exists():
        return
    membership = Membership.objects.filter(lab=lab, role="lab_admin", is_active=True).order_by("id").first()
    if membership is None:
        return
    admin = membership.user
    _invoice_details(lab)
    billable = Order.objects.filter(lab=lab, status__in=["delivered", "completed"], invoice_number="").order_by("id")
    groups: dict[tuple[int, str], list[str]] = {}
    for order in billable:
        groups.setdefault((order.customer_id, order.currency), []).append(order.number)
    issued = [invoices.create_invoice(admin, lab.slug, numbers) for _, numbers in sorted(groups.items())]
    if issued and issued[0].gross > 0:
        first = issued[0]
        goodwill = round_money(first.gross / Decimal(10), first.currency)
        if goodwill > 0:
            credits.create_credit_note(
                admin, first.number, reason="Goodwill: shade adjusted at the chair", amount=goodwill
            )
