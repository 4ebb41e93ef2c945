"""A customer's ledger: every row that moved their account balance or their prepaid funds,
oldest first, with both running totals (see `crownline.billing.balances` for the definitions).

Rows are dated in the lab's time zone: an invoice on its issue day, an advance on the day it
was received, a payment on the day it was recorded, a cancellation on the day it happened (so a
cancellation never rewrites a past month's statement). A payment from the funds and its
cancellation move the funds, not the account balance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from crownline.billing.models import Advance, Invoice
from crownline.customers.models import Customer
from crownline.orders.models import Payment
from crownline.tenancy.models import Lab

ZERO = Decimal("0")


class Entry:
    """What a ledger row records (`LedgerRow.kind`)."""

    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    PAYMENT = "payment"
    PAYMENT_CANCELLED = "payment_cancelled"
    ADVANCE = "advance"
    ADVANCE_CANCELLED = "advance_cancelled"
    PAID_FROM_FUNDS = "paid_from_funds"
    PAID_FROM_FUNDS_CANCELLED = "paid_from_funds_cancelled"

    LABELS = {
        INVOICE: "Invoice",
        CREDIT_NOTE: "Credit note",
        PAYMENT: "Payment",
        PAYMENT_CANCELLED: "Payment cancelled",
        ADVANCE: "Advance",
        ADVANCE_CANCELLED: "Advance cancelled",
        PAID_FROM_FUNDS: "Paid from funds",
        PAID_FROM_FUNDS_CANCELLED: "Payment from funds cancelled",
    }
    ORDER = list(LABELS)


@dataclass(frozen=True)
class LedgerRow:
    day: dt.date
    kind: str
    reference: str  # the invoice's number or the order's
    description: str
    amount: Decimal  # what the row adds to the account balance (0 for the funds' own rows)
    funds_change: Decimal  # what it adds to the prepaid funds
    balance: Decimal  # the account balance after this row
    funds: Decimal  # the funds after this row
    at: dt.datetime | None = None

    @property
    def label(self) -> str:
        return Entry.LABELS[self.kind]


@dataclass(frozen=True)
class Ledger:
    currency: str
    opening: Decimal  # the account balance before `start`
    opening_funds: Decimal
    rows: list[LedgerRow]
    closing: Decimal
    closing_funds: Decimal


def _payment_rows(lab: Lab, payment: Payment) -> list[tuple]:
    order = payment.order
    words = f"{payment.method or 'payment'}{f', {payment.reference}' if payment.reference else ''}"
    sign = Decimal(-1)
    kinds = (
        (Entry.PAID_FROM_FUNDS, Entry.PAID_FROM_FUNDS_CANCELLED)
        if payment.from_balance
        else (Entry.PAYMENT, Entry.PAYMENT_CANCELLED)
    )

    def moves(direction: Decimal) -> tuple[Decimal, Decimal]:
        # A payment received lowers what is owed; a payment from the funds lowers the funds.
        return (ZERO, direction * payment.amount) if payment.from_balance else (direction * payment.amount, ZERO)

    rows = [
        (
            lab.local_date(payment.recorded_at),
            payment.recorded_at,
            kinds[0],
            order.display_number,
            f"Order {order.display_number}: {words}",
            *moves(sign),
        )
    ]
    if payment.voided_at is not None:
        why = f": {payment.void_reason}" if payment.void_reason else ""
        rows.append(
            (
                lab.local_date(payment.voided_at),
                payment.voided_at,
                kinds[1],
                order.display_number,
                f"Order {order.display_number}{why}",
                *moves(-sign),
            )
        )
    return rows


def _advance_rows(lab: Lab, advance: Advance) -> list[tuple]:
    words = ", ".join(x for x in (advance.method, advance.reference) if x) or "funds added"
    rows = [(advance.received_on, advance.recorded_at, Entry.ADVANCE, "", words, -advance.amount, advance.amount)]
    if advance.voided_at is not None:
        why = advance.void_reason or "cancelled"
        rows.append(
            (
                lab.local_date(advance.voided_at),
                advance.voided_at,
                Entry.ADVANCE_CANCELLED,
                "",
                why,
                advance.amount,
                -advance.amount,
            )
        )
    return rows


def ledger(customer: Customer, start: dt.date | None = None, end: dt.date | None = None) -> Ledger:
    """The customer's rows, oldest first, with the running balance and funds; with `start` and
    `end` (days in the lab's time zone, both included) the rows of that period, after the
    balance they opened with. The closing balance of a full ledger is `balance_of(customer)`."""
    lab, currency = customer.lab, customer.currency
    raw: list[tuple] = []
    for invoice in Invoice.objects.filter(customer=customer, currency=currency).select_related("credits"):
        if invoice.is_credit_note:
            raw.append(
                (
                    invoice.issued_on,
                    invoice.created_at,
                    Entry.CREDIT_NOTE,
                    invoice.number,
                    f"Credits {invoice.credits.number}{f': {invoice.reason}' if invoice.reason else ''}",
                    -invoice.gross,
                    ZERO,
                )
            )
        else:
            raw.append(
                (
                    invoice.issued_on,
                    invoice.created_at,
                    Entry.INVOICE,
                    invoice.number,
                    f"Due {invoice.due_on.isoformat()}",
                    invoice.gross,
                    ZERO,
                )
            )
    payments = Payment.objects.filter(order__customer=customer, order__currency=currency).select_related("order")
    for payment in payments:
        raw.extend(_payment_rows(lab, payment))
    for advance in Advance.objects.filter(customer=customer, currency=currency):
        raw.extend(_advance_rows(lab, advance))
    raw.sort(key=lambda r: (r[0], r[1] or timezone.now(), Entry.ORDER.index(r[2])))
    balance = funds = ZERO
    opening = opening_funds = ZERO
    rows = []
    for day, at, kind, reference, description, amount, funds_change in raw:
        balance += amount
        funds += funds_change
        if start is not None and day < start:
            opening, opening_funds = balance, funds
            continue
        if end is not None and day > end:
            break
        rows.append(LedgerRow(day, kind, reference, description, amount, funds_change, balance, funds, at))
    closing, closing_funds = (rows[-1].balance, rows[-1].funds) if rows else (opening, opening_funds)
    return Ledger(currency, opening, opening_funds, rows, closing, closing_funds)
