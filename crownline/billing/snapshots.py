"""What an invoice prints, frozen when it is issued: the JSON kept in `Invoice.snapshot`.

Everything the document shows is copied here as text (amounts as exact decimal strings), so
later changes to the lab's details, the customer, a service's name or a patient never reach an
issued invoice. The PDF is drawn from this alone (crownline.documents.invoices).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from crownline.customers.models import Customer
from crownline.numbers import money_text
from crownline.orders.models import Order
from crownline.pricing.arithmetic import RateShare, Totals
from crownline.tenancy.models import Lab, PatientOnInvoice

ZERO = Decimal("0")
DESCRIPTION_MAX = 300


def rate_text(rate: Decimal) -> str:
    """19.00 -> "19", 7.70 -> "7.7": a tax rate as a person writes it."""
    text = f"{rate.normalize():f}"
    return text


def initials(name: str) -> str:
    """ "Erika Mustermann" -> "E. M." (the lab prints only initials for privacy)."""
    return " ".join(f"{word[0].upper()}." for word in name.split() if word)


def patient_on_invoice(lab: Lab, order: Order) -> str:
    if order.patient_id is None:
        return ""
    name = order.patient.name
    return initials(name) if lab.invoice_patient == PatientOnInvoice.INITIALS else name


def lab_part(lab: Lab) -> dict[str, str]:
    return {
        "name": lab.name,
        "legal_name": lab.legal_name or lab.name,
        "address": lab.legal_address,
        "tax_id": lab.tax_id,
        "iban": lab.iban.replace(" ", "").upper(),
        "bic": lab.bic.replace(" ", "").upper(),
        "contacts": lab.contacts,
        "instructions": lab.invoice_instructions,
        "paper_size": lab.paper_size,
    }


def customer_part(customer: Customer) -> dict[str, Any]:
    return {"id": customer.pk, "name": customer.name, "details": customer.invoice_details.strip() or customer.name}


def rate_part(share: RateShare) -> dict[str, str]:
    return {
        "rate": str(share.rate),
        "lines": money_text(share.gross_lines),
        "discount": money_text(share.discount),
        "net": money_text(share.net),
        "tax": money_text(share.tax),
        "gross": money_text(share.gross),
    }


def read_rates(rows: list[dict[str, str]]) -> dict[Decimal, tuple[Decimal, Decimal]]:
    """A snapshot's rates as {rate: (net, tax)}."""
    return {Decimal(r["rate"]): (Decimal(r["net"]), Decimal(r["tax"])) for r in rows}


def _describe(*parts: str) -> str:
    text = " · ".join(p for p in parts if p)
    return text if len(text) <= DESCRIPTION_MAX else text[: DESCRIPTION_MAX - 1] + "…"


@dataclass(frozen=True)
class DraftLine:
    """One line as it goes both into `InvoiceLine` and into the snapshot."""

    order: Order | None
    description: str
    quantity: int
    unit_price: Decimal
    net: Decimal
    tax_rate: Decimal
    printed: dict[str, Any]


def order_lines(lab: Lab, order: Order, totals: Totals) -> list[DraftLine]:
    """The order's service lines, then one discount line per tax rate the discount touches."""
    patient = patient_on_invoice(lab, order)
    drafts = []
    for line in order.lines.all():
        teeth = ", ".join(str(t) for t in line.teeth)
        net = line.unit_price * line.quantity
        description = _describe(
            line.service.name,
            f"order {order.display_number}",
            patient and f"patient {patient}",
            teeth and f"teeth {teeth}",
            line.shade and f"shade {line.shade}",
        )
        printed = {
            "kind": "service",
            "order": order.display_number,
            "service": line.service.name,
            "patient": patient,
            "teeth": teeth,
            "shade": line.shade,
            "quantity": line.quantity,
            "unit_price": money_text(line.unit_price),
            "list_price": money_text(line.list_price),
            "net": money_text(net),
            "tax_rate": str(line.tax_rate),
        }
        drafts.append(DraftLine(order, description, line.quantity, line.unit_price, net, line.tax_rate, printed))
    several = len(totals.rates) > 1
    for share in totals.rates:
        if not share.discount:
            continue
        how = f"{rate_text(order.discount_value)} %" if order.discount_kind == "percent" else ""
        description = _describe(
            f"Discount{f' {how}' if how else ''}",
            f"order {order.display_number}",
            several and f"on the {rate_text(share.rate)} % lines",
        )
        printed = {
            "kind": "discount",
            "order": order.display_number,
            "service": description,
            "patient": "",
            "teeth": "",
            "shade": "",
            "quantity": 1,
            "unit_price": money_text(-share.discount),
            "list_price": "",
            "net": money_text(-share.discount),
            "tax_rate": str(share.rate),
        }
        drafts.append(DraftLine(order, description, 1, -share.discount, -share.discount, share.rate, printed))
    return drafts


def order_part(order: Order, totals: Totals) -> dict[str, Any]:
    return {"number": order.number, "total": money_text(order.total), "rates": [rate_part(r) for r in totals.rates]}


def document(
    *,
    kind: str,
    number: str,
    issued_on: dt.date,
    due_on: dt.date,
    currency: str,
    lab: Lab,
    customer: Customer,
    lines: list[DraftLine],
    rates: list[RateShare],
    orders: list[dict[str, Any]],
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    net = sum((r.net for r in rates), ZERO)
    tax = sum((r.tax for r in rates), ZERO)
    return {
        "kind": kind,
        "number": number,
        "issued_on": issued_on.isoformat(),
        "due_on": due_on.isoformat(),
        "currency": currency,
        "lab": lab_part(lab),
        "customer": customer_part(customer),
        "payment_terms_days": customer.payment_terms_days,
        "lines": [{"position": i, **line.printed} for i, line in enumerate(lines, start=1)],
        "rates": [rate_part(r) for r in rates],
        "orders": orders,
        "totals": {"net": money_text(net), "tax": money_text(tax), "gross": money_text(net + tax)},
        **(extra or {}),
    }
