"""What the order API reads and writes (its schemas); what each role sees is decided below the door
(`presenting`, `history`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from pydantic import StrictBool

from crownline.orders.lifecycle import Status
from crownline.schemas import Out


class Ref(Out):
    id: int
    name: str


class LineOut(Out):
    id: int
    position: int
    service: Ref
    quantity: int
    teeth: list[int]
    shade: str
    # Null for technicians: they see no money figures.
    unit_price: Decimal | None
    line_total: Decimal | None


class OrderOut(Out):
    number: str = Field(description="10 hex characters; use it in URLs")
    display_number: str = Field(description="the number as people see it, with '#'")
    lab: str
    status: Status
    cancelled_from: Status | None
    version: int
    customer: Ref
    patient: Ref | None
    lines: list[LineOut]
    due_date: dt.date | None
    notes: str
    production_date: dt.date | None
    published_at: dt.datetime | None
    delivered_on: dt.date | None
    tracking_number: str
    carrier: str
    currency: str
    total: Decimal | None
    amount_paid: Decimal | None
    amount_due: Decimal
    tasks_total: int
    tasks_done: int
    created_at: dt.datetime
    updated_at: dt.datetime
    allowed_actions: list[str]


class OrderPage(Out):
    items: list[OrderOut]
    count: int = Field(
        description="orders matching the filters: exact below 10,000; above, up to a minute old, and the "
        "server's estimate the very first time it is asked"
    )
    page: int
    page_size: int
    next_cursor: str | None = Field(
        None, description="pass as `cursor` to get the next page (null on the last page and for due-date orderings)"
    )


class LineIn(Schema):
    id: int | None = Field(None, description="an existing line to keep (edits only)")
    service: int
    quantity: int = Field(1, ge=1, le=100)
    teeth: list[int] = Field(default_factory=list, max_length=52)
    shade: str = Field("", max_length=20)
    unit_price: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)


class OrderCreateIn(Schema):
    lab: str | None = Field(None, description="lab slug; needed when the caller works with several labs")
    customer: int | None = Field(None, description="customer id; a dentist's own record by default")
    patient: int | None = None
    patient_name: str | None = Field(None, max_length=200, description="creates the patient if new")
    due_date: dt.date | None = None
    notes: str = Field("", max_length=4000)
    lines: list[LineIn] = Field(default_factory=list, max_length=50)


class OrderPatchIn(Schema):
    patient: int | None = None
    patient_name: str | None = Field(None, max_length=200)
    due_date: dt.date | None = None
    notes: str | None = Field(None, max_length=4000)
    lines: list[LineIn] | None = Field(None, max_length=50)


class ReasonIn(Schema):
    reason: str = Field("", max_length=500)


class ProductionIn(Schema):
    production_date: dt.date


class TrackingIn(Schema):
    tracking_number: str = Field(max_length=200)
    carrier: str = Field("", max_length=100)


class DeliverIn(Schema):
    delivered_on: dt.date | None = None


class PaymentIn(Schema):
    amount: Decimal | None = Field(None, description="defaults to what is still due", max_digits=12, decimal_places=2)
    method: str = Field("", max_length=50)
    reference: str = Field("", max_length=100)


class PaymentOut(Out):
    id: int
    amount: Decimal
    method: str
    reference: str
    recorded_at: dt.datetime
    voided_at: dt.datetime | None
    void_reason: str


class EventOut(Out):
    id: int
    action: str
    label: str = Field(description="what happened, in words")
    detail: str = Field(description="the event's data as one phrase, as the order page shows it")
    from_status: str
    to_status: str
    actor: str | None
    actor_role: str
    data: dict[str, Any]
    created_at: dt.datetime


class PaymentInstructionsOut(Out):
    text: str
    payment_reference: str
    amount_due: Decimal
    currency: str


class CommentIn(Schema):
    body: str = Field(min_length=1, max_length=4000)
    # Strict: JSON says true or false; pydantic would also read 0 and "yes" as a flag.
    internal: StrictBool = False


class CommentOut(Out):
    id: int
    author: str | None
    body: str
    internal: bool
    created_at: dt.datetime
