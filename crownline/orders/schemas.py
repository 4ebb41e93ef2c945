"""What the order API reads and writes (its schemas); what each role sees is decided below the door
(`presenting`, `history`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field
from pydantic import StrictBool

from crownline.orders.drafting import MAX_LINES, MAX_QUANTITY, SHADE_MAX, VALID_TEETH
from crownline.orders.lifecycle import TRACKING_MAX_LENGTH, Status
from crownline.schemas import NOT_BLANK, PATCH_CONFIG, Day, Id, In, Money, MoneyOut, Out


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
    list_price: MoneyOut | None = Field(description="the service's price when the line was priced")
    unit_price: MoneyOut | None = Field(description="the price after the customer's pricebook")
    price_note: str | None = Field(description="which pricebook rule gave the price, blank for the list price")
    tax_rate: Decimal | None = Field(description="percent")
    line_total: MoneyOut | None


class DiscountOut(Out):
    kind: str = Field(description="percent or amount")
    value: MoneyOut
    amount: MoneyOut


class MarkersOut(Out):
    on_hold: bool = Field(description="held: out of the work queues and My tasks until released")
    hold_reason: str
    at_fitting: bool = Field(description="sent for fitting (a try-in) and not back yet")
    fitting_sent_on: dt.date | None
    fitting_back_on: dt.date | None


class RemakeOut(Out):
    of: str = Field(description="the number of the order this one remakes")
    reason: str
    payer: str = Field(description="who pays the remake: lab, customer or shared")


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
    # Null for technicians, like every money figure but what is due.
    list_total: MoneyOut | None = Field(description="the lines at their list prices")
    subtotal: MoneyOut | None = Field(description="the lines at their prices (after the pricebook)")
    discount: DiscountOut | None = Field(description="the order's own discount, if any")
    tax_amount: MoneyOut | None
    total: MoneyOut | None = Field(description="subtotal - discount + tax: what makes the order paid in full")
    amount_paid: MoneyOut | None
    amount_due: MoneyOut
    invoice_number: str | None = Field(description="the invoice that bills the order (lab admin and customer)")
    tasks_total: int
    tasks_done: int
    created_at: dt.datetime
    updated_at: dt.datetime
    allowed_actions: list[str]
    # The case (issue 13).
    markers: MarkersOut
    appointment_date: dt.date | None = Field(description="the patient's appointment, if the dentist gave it")
    due_date_source: str = Field(description="how the due date was set: manual, production, appointment, or ''")
    due_date_note: str = Field(description="how the due date was computed, in words")
    copied_from: str | None = Field(description="the number of the order this one was copied from")
    remake: RemakeOut | None = Field(description="set when this order remakes another")


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


# An FDI tooth number (declared, so that generated clients offer only these; the order's
# service checks them with its own message).
Tooth = Annotated[int, Field(json_schema_extra={"enum": sorted(VALID_TEETH)})]


class LineIn(In):
    id: Id | None = Field(None, description="an existing line to keep (edits only)")
    service: Id = Field(description="an active service of the lab's catalogue")
    quantity: int = Field(1, ge=1, le=MAX_QUANTITY)
    teeth: list[Tooth] = Field(
        default_factory=list, max_length=len(VALID_TEETH), json_schema_extra={"uniqueItems": True}
    )
    shade: str = Field("", max_length=SHADE_MAX)
    unit_price: Money | None = Field(None, description="set by the lab only; the service's price by default")


class OrderCreateIn(In):
    lab: str | None = Field(None, description="lab slug; needed when the caller works with several labs")
    customer: Id | None = Field(None, description="customer id; a dentist's own record by default")
    patient: Id | None = None
    patient_name: str | None = Field(
        None, min_length=1, max_length=200, description="creates the patient if new", json_schema_extra=NOT_BLANK
    )
    due_date: Day | None = Field(None, description="today or later, in the lab's time zone")
    appointment_date: Day | None = Field(
        None, description="the patient's appointment: without a due date, the order is due in time for it"
    )
    notes: str = Field("", max_length=4000)
    lines: list[LineIn] = Field(default_factory=list, max_length=MAX_LINES)


class OrderPatchIn(In):
    model_config = PATCH_CONFIG

    patient: Id | None = None
    patient_name: str | None = Field(None, min_length=1, max_length=200, json_schema_extra=NOT_BLANK)
    due_date: Day | None = Field(None, description="today or later, in the lab's time zone")
    appointment_date: Day | None = Field(None, description="the patient's appointment; null removes it")
    notes: str | None = Field(None, max_length=4000)
    lines: list[LineIn] | None = Field(None, max_length=MAX_LINES)


class ReasonIn(In):
    reason: str = Field("", max_length=500)


class ProductionIn(In):
    production_date: Day = Field(description="from the day the order was published to today (lab's time zone)")


class TrackingIn(In):
    # The service strips it and names the rule (guards.clean_tracking_number); declared here.
    tracking_number: str = Field(
        max_length=200,
        description=f"printable characters, at most {TRACKING_MAX_LENGTH} once trimmed",
        json_schema_extra={**NOT_BLANK, "maxLength": TRACKING_MAX_LENGTH},
    )
    carrier: str = Field("", max_length=100)


class DeliverIn(In):
    delivered_on: Day | None = Field(
        None, description="defaults to today; from the day the order was shipped to today, in the lab's time zone"
    )


class DiscountIn(In):
    kind: Literal["percent", "amount"] = Field(description="percent off the lines' total, or an amount off")
    value: Money = Field(description="the percentage (at most 100, two decimals) or an amount in the order's currency")


class PaymentIn(In):
    amount: Money | None = Field(None, description="more than zero and at most what is due; defaults to what is due")
    method: str = Field("", max_length=50)
    reference: str = Field("", max_length=100)
    # Strict, like every flag: JSON says true or false.
    from_balance: StrictBool = Field(False, description="paid from the customer's prepaid funds (lab admin)")


class PaymentOut(Out):
    id: int
    amount: MoneyOut
    method: str
    reference: str
    from_balance: bool = False
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
    amount_due: MoneyOut
    currency: str


class CommentIn(In):
    body: str = Field(min_length=1, max_length=4000, json_schema_extra=NOT_BLANK)
    # Strict: JSON says true or false; pydantic would also read 0 and "yes" as a flag.
    internal: StrictBool = False


class CommentOut(Out):
    id: int
    author: str | None
    body: str
    internal: bool
    created_at: dt.datetime
