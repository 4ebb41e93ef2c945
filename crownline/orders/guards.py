"""The life cycle's guards over plain values: each returns the reason it refuses, or None.

Pure Python like `lifecycle` (no Django import): the services pass in what they read from the
database and turn a `Refusal` into an error (`changes.refuse`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from crownline.orders.lifecycle import PRODUCED_OR_LATER, TRACKING_MAX_LENGTH, Status
from crownline.orders.lifecycle import Status as S


@dataclass(frozen=True)
class Refusal:
    """Why a guard refused: a message for people and the field it concerns, if any."""

    message: str
    field: str | None = None


def check_publishable(*, line_count: int, has_patient: bool) -> Refusal | None:
    if line_count == 0:
        return Refusal("an order needs at least one service line before it is published", "lines")
    if not has_patient:
        return Refusal("an order needs a patient before it is published", "patient")
    return None


def check_producible(open_task_names: Iterable[str], task_count: int) -> Refusal | None:
    if task_count == 0:
        return Refusal("the work plan is empty: plan the work and mark the tasks done first")
    names = list(open_task_names)
    if names:
        return Refusal("mark the remaining tasks done first: " + ", ".join(names))
    return None


def check_production_date(value: dt.date, *, today: dt.date, published_on: dt.date | None) -> Refusal | None:
    if value > today:
        return Refusal(f"the production date {value} is in the future (today is {today})", "production_date")
    if published_on is not None and value < published_on:
        return Refusal(
            f"the production date {value} is before the order was published ({published_on})", "production_date"
        )
    return None


def clean_tracking_number(raw: str) -> tuple[str, Refusal | None]:
    value = raw.strip()
    if not value:
        return value, Refusal("a tracking number is required", "tracking_number")
    if len(value) > TRACKING_MAX_LENGTH:
        return value, Refusal(f"a tracking number has at most {TRACKING_MAX_LENGTH} characters", "tracking_number")
    if not value.isprintable():
        return value, Refusal("a tracking number has printable characters only", "tracking_number")
    return value, None


def check_delivery_date(value: dt.date, *, today: dt.date, shipped_on: dt.date | None) -> Refusal | None:
    """A parcel arrives between the day it was sent and today (both in the lab's time zone)."""
    if value > today:
        return Refusal(f"the delivery date {value} is in the future (today is {today})", "delivered_on")
    if shipped_on is not None and value < shipped_on:
        return Refusal(f"the delivery date {value} is before the order was shipped ({shipped_on})", "delivered_on")
    return None


def check_payment_amount(amount: Decimal, *, due: Decimal) -> Refusal | None:
    if amount <= 0:
        return Refusal("a payment amount is greater than zero", "amount")
    if amount > due:
        return Refusal(f"the amount {amount} is more than what is due ({due})", "amount")
    return None


def check_not_invoiced(invoice_number: str) -> Refusal | None:
    """An invoiced order keeps its content and stays open: the invoice is corrected first."""
    if invoice_number:
        return Refusal(f"the order is billed by invoice {invoice_number}: issue a credit note for invoice "
                       f"{invoice_number} first")
    return None


def production_is_over(status: Status, *, cancelled_from: str = "") -> bool:
    """Produced or later, or cancelled from there: reopening brings such an order back past Produce."""
    return status in PRODUCED_OR_LATER or (status is S.CANCELLED and cancelled_from in PRODUCED_OR_LATER)


def check_task_removal(status: Status, *, tasks_left: int, cancelled_from: str = "") -> Refusal | None:
    """Removing a task must not undo a Produce that already happened: the plan keeps a task."""
    if production_is_over(status, cancelled_from=cancelled_from) and tasks_left == 0:
        return Refusal(f"the order is {status}: its work plan keeps at least one task")
    return None
