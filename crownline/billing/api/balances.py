"""Billing API: customers' balances and advances, the pending orders and "Mark all as paid",
and the monthly statements (JSON, PDF, CSV).

Paying an order from the funds is `POST /orders/{number}/payments` with `"from_balance": true`
(crownline.orders.api calls `balances.pay_from_balance`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Field, Path, Query, Router, Schema, Status

from crownline.billing import balances, pending, statements
from crownline.billing.models import Advance
from crownline.documents.statements import statement_pdf
from crownline.schemas import READ_ERRORS, WRITE_ERRORS, Day, ErrorOut, In, LabSlug, Money, MoneyOut, Out, PathId

router = Router()

MonthPath = Annotated[
    str, Path(pattern=statements.MONTH_PATTERN, description="a month, YYYY-MM (in the lab's time zone)")
]
MONEY_READ_ERRORS = {403: ErrorOut, **READ_ERRORS}


class CustomerRef(Out):
    id: int
    name: str


class LedgerRowOut(Out):
    day: dt.date
    kind: str = Field(
        description="invoice, credit_note, payment, payment_cancelled, advance, advance_cancelled, "
        "paid_from_funds, paid_from_funds_cancelled"
    )
    label: str
    reference: str
    description: str
    amount: MoneyOut = Field(description="what the row adds to the account balance")
    funds_change: MoneyOut = Field(description="what the row adds to the prepaid funds")
    balance: MoneyOut
    funds: MoneyOut


class BalanceOut(Out):
    customer: CustomerRef
    currency: str
    balance: MoneyOut = Field(
        description="what the customer owes: invoices - credit notes - payments - advances; negative is a credit"
    )
    funds: MoneyOut = Field(description="prepaid funds: advances - payments made from them")
    overdraft: MoneyOut = Field(description="how far below zero the lab lets the funds go")
    available: MoneyOut = Field(description="what orders can still be paid from the funds with")
    invoiced: MoneyOut
    credited: MoneyOut
    received: MoneyOut
    advances: MoneyOut
    paid_from_funds: MoneyOut
    ledger: list[LedgerRowOut]


class LedgerParams(Schema):
    start: Day | None = Field(None, description="the ledger's first day (YYYY-MM-DD)")
    end: Day | None = Field(None, description="its last day")


class AdvanceIn(In):
    amount: Money = Field(description="more than zero, in the customer's currency and its minor units")
    received_on: Day | None = Field(None, description="the day the money came in, not in the future; default today")
    method: str = Field("", max_length=50)
    reference: str = Field("", max_length=100)


class AdvanceOut(Out):
    id: int
    amount: MoneyOut
    currency: str
    received_on: dt.date
    method: str
    reference: str
    recorded_at: dt.datetime
    voided_at: dt.datetime | None
    void_reason: str


class CancelIn(In):
    reason: str = Field("", max_length=500)


class PendingOrderOut(Out):
    number: str
    display_number: str
    status: str
    patient: str
    total: MoneyOut
    amount_paid: MoneyOut
    amount_due: MoneyOut
    invoice_number: str | None = None


class PendingOut(Out):
    customer: CustomerRef
    currency: str
    total: MoneyOut
    orders: list[PendingOrderOut]


class MarkPaidIn(In):
    orders: list[str] = Field(min_length=1, max_length=pending.MAX_ORDERS, description="order numbers")
    method: str = Field("", max_length=50)
    reference: str = Field("", max_length=100)


class PaidOut(Out):
    order: str
    payment: int
    amount: MoneyOut
    status: str = Field(description="the order's status after the payment (a delivered order paid in full completes)")


class MarkPaidOut(Out):
    payments: list[PaidOut]
    total: MoneyOut


class StatementOut(Out):
    customer: CustomerRef
    month: str
    start: dt.date
    end: dt.date
    currency: str
    opening_balance: MoneyOut
    invoiced: MoneyOut
    credited: MoneyOut
    received: MoneyOut
    closing_balance: MoneyOut
    opening_funds: MoneyOut
    closing_funds: MoneyOut
    rows: list[LedgerRowOut]


def _customer(c) -> dict:
    return {"id": c.pk, "name": c.name}


def _row(r: balances.LedgerRow) -> dict:
    return {
        "day": r.day,
        "kind": r.kind,
        "label": r.label,
        "reference": r.reference,
        "description": r.description,
        "amount": r.amount,
        "funds_change": r.funds_change,
        "balance": r.balance,
        "funds": r.funds,
    }


def _documented(media_type: str, what: str) -> dict:
    body = {"type": "string", "format": "binary"} if media_type == "application/pdf" else {"type": "string"}
    return {"responses": {200: {"description": what, "content": {media_type: {"schema": body}}}}}


@router.get("/labs/{slug}/customers/{customer_id}/balance", response={200: BalanceOut, **MONEY_READ_ERRORS})
def customer_balance(request: HttpRequest, slug: LabSlug, customer_id: PathId, params: Query[LedgerParams]):
    customer = balances.customer_for(request.user, slug, customer_id)
    b = balances.balance_of(customer)
    rows = balances.ledger(customer, params.start, params.end).rows
    return {
        "customer": _customer(customer),
        "currency": b.currency,
        "balance": b.account,
        "funds": b.funds,
        "overdraft": b.overdraft,
        "available": b.available,
        "invoiced": b.invoiced,
        "credited": b.credited,
        "received": b.received,
        "advances": b.advances,
        "paid_from_funds": b.paid_from_funds,
        "ledger": [_row(r) for r in rows],
    }


@router.post("/labs/{slug}/customers/{customer_id}/balance/advances", response={201: AdvanceOut, **WRITE_ERRORS})
def add_advance(request: HttpRequest, slug: LabSlug, customer_id: PathId, data: AdvanceIn):
    advance = balances.add_advance(
        request.user,
        slug,
        customer_id,
        amount=data.amount,
        received_on=data.received_on,
        method=data.method,
        reference=data.reference,
    )
    return Status(201, advance)


@router.post(
    "/labs/{slug}/customers/{customer_id}/balance/advances/{advance_id}/cancel",
    response={200: AdvanceOut, **WRITE_ERRORS},
)
def cancel_advance(
    request: HttpRequest, slug: LabSlug, customer_id: PathId, advance_id: PathId, data: CancelIn | None = None
) -> Advance:
    return balances.cancel_advance(request.user, slug, customer_id, advance_id, reason=data.reason if data else "")


@router.get("/labs/{slug}/pending", response={200: list[PendingOut], **MONEY_READ_ERRORS})
def list_pending(request: HttpRequest, slug: LabSlug):
    return [
        {
            "customer": _customer(g.customer),
            "currency": g.currency,
            "total": g.total,
            "orders": [
                {
                    "number": o.number,
                    "display_number": o.display_number,
                    "status": o.status,
                    "patient": o.patient.name if o.patient else "",
                    "total": o.total,
                    "amount_paid": o.amount_paid,
                    "amount_due": o.amount_due,
                    "invoice_number": o.invoice_number or None,
                }
                for o in g.orders
            ],
        }
        for g in pending.pending(request.user, slug)
    ]


@router.post("/labs/{slug}/pending/mark-paid", response={201: MarkPaidOut, **WRITE_ERRORS})
def mark_paid(request: HttpRequest, slug: LabSlug, data: MarkPaidIn):
    paid = pending.mark_all_paid(request.user, slug, data.orders, method=data.method, reference=data.reference)
    return Status(
        201,
        {
            "payments": [
                {"order": p.order.number, "payment": p.pk, "amount": p.amount, "status": p.order.status} for p in paid
            ],
            "total": sum((p.amount for p in paid), Decimal("0")),
        },
    )


# The file variants first: "{month}" alone would also match "2026-03.pdf".
@router.get(
    "/labs/{slug}/customers/{customer_id}/statements/{month}.pdf",
    response={**MONEY_READ_ERRORS, 503: ErrorOut},
    openapi_extra=_documented("application/pdf", "the statement"),
)
def statement_as_pdf(request: HttpRequest, slug: LabSlug, customer_id: PathId, month: MonthPath):
    return statement_pdf(statements.statement(request.user, slug, customer_id, month))


@router.get(
    "/labs/{slug}/customers/{customer_id}/statements/{month}.csv",
    response=MONEY_READ_ERRORS,
    openapi_extra=_documented("text/csv", "the statement, one row per entry"),
)
def statement_as_csv(request: HttpRequest, slug: LabSlug, customer_id: PathId, month: MonthPath):
    s = statements.statement(request.user, slug, customer_id, month)
    response = HttpResponse(statements.statement_csv(s), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{s.filename}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/labs/{slug}/customers/{customer_id}/statements/{month}", response={200: StatementOut, **MONEY_READ_ERRORS}
)
def statement_json(request: HttpRequest, slug: LabSlug, customer_id: PathId, month: MonthPath):
    s = statements.statement(request.user, slug, customer_id, month)
    return {
        "customer": _customer(s.customer),
        "month": str(s.month),
        "start": s.month.start,
        "end": s.month.end,
        "currency": s.currency,
        "opening_balance": s.opening,
        "invoiced": s.invoiced,
        "credited": s.credited,
        "received": s.received,
        "closing_balance": s.closing,
        "opening_funds": s.ledger.opening_funds,
        "closing_funds": s.ledger.closing_funds,
        "rows": [_row(r) for r in s.rows],
    }
