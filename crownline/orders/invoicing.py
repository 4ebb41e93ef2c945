"""An order named by an invoice, and freed again by a credit note: the orders side of billing.

`crownline.billing` writes the invoice and calls these inside its own transaction, so the
invoice, the order's `invoice_number` and the order's history entry commit together or not
at all. Each goes through `changes.acting` (row lock, version, event) like every other change
to an order; neither moves the status.
"""

from __future__ import annotations

from django.db.models import QuerySet

from crownline.errors import Conflict
from crownline.orders.changes import acting, commit
from crownline.orders.lifecycle import Action, EventKind
from crownline.orders.models import Order


def _alone(qs: QuerySet[Order]) -> QuerySet[Order]:
    return qs


def mark_invoiced(user, number: str, invoice_number: str) -> Order:
    """The order is billed by `invoice_number`; refused when another invoice bills it already."""
    with acting(user, number, Action.INVOICE, shape=_alone) as change:
        order = change.order
        if order.invoice_number:
            raise Conflict(f"Order {order.display_number} is already billed by invoice {order.invoice_number}.")
        commit(change, EventKind.INVOICE, data={"invoice": invoice_number}, invoice_number=invoice_number)
    return change.order


def mark_credited(user, number: str, invoice_number: str, credit_note_number: str) -> Order:
    """A credit note cancels the order's invoice in full: the order may be invoiced again (or cancelled)."""
    with acting(user, number, Action.INVOICE, shape=_alone) as change:
        order = change.order
        if order.invoice_number != invoice_number:
            raise Conflict(f"Order {order.display_number} is not billed by invoice {invoice_number}.")
        commit(
            change,
            EventKind.CREDIT,
            data={"invoice": invoice_number, "credit_note": credit_note_number},
            invoice_number="",
        )
    return change.order
