"""Billing API: invoices and credit notes.

The lab's admin lists, issues and credits invoices; a customer reads their own (and their
PDFs); a technician is refused (403) and everyone else finds nothing (404).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import StrictBool

from crownline.billing import credits, invoices
from crownline.billing.models import Invoice
from crownline.documents.invoices import invoice_pdf
from crownline.errors import InvalidInput
from crownline.schemas import NOT_BLANK, READ_ERRORS, WRITE_ERRORS, Day, ErrorOut, Id, In, LabSlug, Money, MoneyOut, Out

router = Router(tags=["invoices"])

# An invoice's number in a URL: "LAB-A-2026-0001". Anything else is refused before a query runs.
InvoiceNumber = Annotated[str, Path(pattern=r"^[-A-Za-z0-9_]+$", max_length=80)]
OrderNumber = Annotated[str, Field(pattern=r"^#?[0-9A-Fa-f]{10}$", description="an order's number")]
PDF_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 503: ErrorOut}


class Party(Out):
    id: int
    name: str


class InvoiceLineOut(Out):
    position: int
    order: str | None = Field(description="the order's number, for an order's line")
    description: str
    quantity: int
    unit_price: MoneyOut
    net: MoneyOut
    tax_rate: Decimal = Field(description="percent")


class RateOut(Out):
    rate: Decimal = Field(description="percent")
    net: MoneyOut
    tax: MoneyOut
    gross: MoneyOut


class InvoiceSummaryOut(Out):
    number: str
    kind: Literal["invoice", "credit_note"]
    lab: str
    customer: Party
    issued_on: dt.date
    due_on: dt.date
    currency: str
    net: MoneyOut
    tax: MoneyOut
    gross: MoneyOut
    credited: MoneyOut | None = Field(description="an invoice's credit notes, gross; null for a credit note")
    status: Literal["open", "partly_credited", "credited"] | None = Field(description="null for a credit note")
    credits: str | None = Field(description="a credit note's invoice")
    reason: str
    pdf_url: str


class InvoiceOut(InvoiceSummaryOut):
    orders: list[str]
    lines: list[InvoiceLineOut]
    rates: list[RateOut]
    credit_notes: list[str]


class InvoicePage(Out):
    items: list[InvoiceSummaryOut]
    count: int
    limit: int
    offset: int


class Created(Out):
    invoices: list[InvoiceOut]


class InvoiceFilters(Schema):
    customer: Id | None = None
    kind: Literal["invoice", "credit_note"] | None = None
    status: Literal["open", "partly_credited", "credited"] | None = Field(None, description="invoices only")
    issued_from: Day | None = Field(None, alias="from", description="issued on or after, YYYY-MM-DD")
    issued_to: Day | None = Field(None, alias="to", description="issued on or before, YYYY-MM-DD")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class InvoiceCreateIn(In):
    orders: list[OrderNumber] | None = Field(None, min_length=1, max_length=invoices.MAX_ORDERS)
    last_month: StrictBool | None = Field(
        None, description="true: one invoice per customer for last month's delivered, uninvoiced orders"
    )
    issued_on: Day | None = Field(None, description="the invoice's date (default: the lab's today)")


class CreditNoteIn(In):
    reason: str = Field(min_length=1, max_length=credits.REASON_MAX, json_schema_extra=NOT_BLANK)
    orders: list[OrderNumber] | None = Field(
        None, min_length=1, max_length=invoices.MAX_ORDERS, description="credit these orders in full"
    )
    amount: Money | None = Field(None, description="credit this amount (gross), spread over the tax rates")


def _summary(invoice: Invoice, credited: Decimal) -> dict:
    return {
        "number": invoice.number,
        "kind": invoice.kind,
        "lab": invoice.lab.slug,
        "customer": {"id": invoice.customer_id, "name": invoice.customer.name},
        "issued_on": invoice.issued_on,
        "due_on": invoice.due_on,
        "currency": invoice.currency,
        "net": invoice.net,
        "tax": invoice.tax,
        "gross": invoice.gross,
        "credited": None if invoice.is_credit_note else credited,
        "status": invoices.status_of(invoice, credited),
        "credits": invoice.credits.number if invoice.credits_id else None,
        "reason": invoice.reason,
        "pdf_url": f"/api/v1/invoices/{invoice.number}/invoice.pdf",
    }


def invoice_out(invoice: Invoice) -> dict:
    notes = list(invoice.credit_notes.values_list("number", "gross"))
    credited = sum((g for _, g in notes), Decimal("0"))
    orders = [f"{p['number']}" for p in invoice.snapshot.get("orders", [])]
    return {
        **_summary(invoice, credited),
        "orders": orders
        or sorted({str(n) for n in invoice.lines.exclude(order=None).values_list("order__number", flat=True)}),
        "lines": [
            {
                "position": ln.position,
                "order": ln.order.number if ln.order_id else None,
                "description": ln.description,
                "quantity": ln.quantity,
                "unit_price": ln.unit_price,
                "net": ln.net,
                "tax_rate": ln.tax_rate,
            }
            for ln in invoice.lines.select_related("order")
        ],
        "rates": [
            {
                "rate": Decimal(r["rate"]),
                "net": Decimal(r["net"]),
                "tax": Decimal(r["tax"]),
                "gross": Decimal(r["gross"]),
            }
            for r in invoice.snapshot["rates"]
        ],
        "credit_notes": [n for n, _ in notes],
    }


@router.get("/labs/{slug}/invoices", response={200: InvoicePage, 403: ErrorOut, **READ_ERRORS})
def list_invoices(request: HttpRequest, slug: LabSlug, filters: Query[InvoiceFilters]):
    _, qs = invoices.visible_invoices(
        request.user,
        slug,
        invoices.Filters(
            customer=filters.customer,
            kind=filters.kind,
            status=filters.status,
            issued_from=filters.issued_from,
            issued_to=filters.issued_to,
        ),
    )
    page = list(qs.select_related("lab")[filters.offset : filters.offset + filters.limit])
    return {
        "items": [_summary(i, i.credited) for i in page],
        "count": qs.count(),
        "limit": filters.limit,
        "offset": filters.offset,
    }


@router.post("/labs/{slug}/invoices", response={200: Created, 201: Created, **WRITE_ERRORS})
def create_invoices(request: HttpRequest, slug: LabSlug, data: InvoiceCreateIn):
    """`{"orders": [...]}`: one invoice for these orders of one customer (several orders: delivered or
    completed; one order: from published on). `{"last_month": true}`: one invoice per customer for
    last month's delivered orders (200 with no invoice when there is nothing to bill)."""
    if data.last_month and data.orders is not None:
        raise InvalidInput("last_month", "name the orders or ask for last month's, not both")
    if data.last_month:
        if data.issued_on is not None:
            raise InvalidInput("issued_on", "last month's invoices are dated today")
        made = invoices.invoice_last_month(request.user, slug)
    elif data.orders is not None:
        made = [invoices.create_invoice(request.user, slug, data.orders, issued_on=data.issued_on)]
    else:
        raise InvalidInput("orders", 'name the orders to invoice, or send "last_month": true')
    return Status(201 if made else 200, {"invoices": [invoice_out(i) for i in made]})


@router.get("/invoices/{number}", response={200: InvoiceOut, 403: ErrorOut, **READ_ERRORS})
def get_invoice(request: HttpRequest, number: InvoiceNumber):
    invoice, _ = invoices.get_invoice_for(request.user, number)
    return invoice_out(invoice)


@router.get(
    "/invoices/{number}/invoice.pdf",
    response=PDF_ERRORS,
    openapi_extra={
        "responses": {
            200: {
                "description": "the invoice or credit note as issued",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def get_invoice_pdf(request: HttpRequest, number: InvoiceNumber):
    return invoice_pdf(request.user, number)


@router.post("/invoices/{number}/credit-notes", response={201: InvoiceOut, **WRITE_ERRORS})
def create_credit_note(request: HttpRequest, number: InvoiceNumber, data: CreditNoteIn):
    """Credit the invoice: in full (neither `orders` nor `amount`), whole orders, or an amount."""
    note = credits.create_credit_note(request.user, number, reason=data.reason, orders=data.orders, amount=data.amount)
    return Status(201, invoice_out(note))
