"""Issuing invoices: one order, several delivered orders of one customer, or last month's.

An invoice is written once, in the transaction that locks its orders (in primary-key order),
takes the next number (`numbering`) and marks each order invoiced through the orders' own
change machinery (`orders.invoicing`): the invoice, its number and the orders' history commit
together or not at all. Nothing updates an issued invoice; corrections are credit notes
(`credits`). Who sees which invoice is decided here once (`get_invoice_for`, `visible_invoices`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from crownline.billing import numbering, snapshots
from crownline.billing.models import DocumentKind, Invoice, InvoiceLine
from crownline.customers.access import admin_lab, lab_roles, lab_standing
from crownline.customers.models import Customer
from crownline.errors import Conflict, Forbidden, InvalidInput, NotFound
from crownline.numbers import MONEY_MAX
from crownline.orders import invoicing
from crownline.orders.access import visible_orders
from crownline.orders.lifecycle import Status
from crownline.orders.models import Order, lines_with_services
from crownline.orders.totals import totals_of
from crownline.pricing.arithmetic import merge_rates
from crownline.roles import LabRole, Role
from crownline.tenancy.models import Lab

MAX_ORDERS = 200
# Several orders are invoiced together once the work is handed over; a single order may be
# billed ahead of delivery, from Published on (a lab asking for payment before it starts).
TOGETHER = frozenset({Status.DELIVERED, Status.COMPLETED})
NOT_INVOICEABLE = frozenset({Status.DRAFT, Status.CANCELLED})
ZERO = Decimal("0")
_INVOICE_NUMBER = re.compile(r"[-A-Za-z0-9_]{1,80}")
_ORDER_NUMBER = re.compile(r"[0-9A-F]{10}")


# ---- who sees which invoice ----------------------------------------------------------------


def get_invoice_for(user, number: str, *, for_update: bool = False) -> tuple[Invoice, LabRole]:
    """The invoice (or credit note) as the caller may see it: the lab's admin, and the customer
    it bills; a technician of the lab is refused (403), anyone else does not find it (404)."""
    if not _INVOICE_NUMBER.fullmatch(number.strip()):
        raise NotFound("No such invoice.")  # and no query: PostgreSQL refuses a NUL in a parameter
    roles = lab_roles(user)
    qs = Invoice.objects.filter(number=number.strip().upper(), lab_id__in=list(roles)).select_related(
        "lab", "customer", "credits"
    )
    if for_update:
        qs = qs.select_for_update(of=("self",))
    invoice = qs.first()
    standing = roles.get(invoice.lab_id) if invoice else None
    if invoice is None or standing is None:
        raise NotFound("No such invoice.")
    if standing.role is Role.CUSTOMER and invoice.customer_id not in standing.customer_ids:
        raise NotFound("No such invoice.")
    if not standing.role.sees_money:
        raise Forbidden("A technician does not see invoices.")
    return invoice, standing


def credited_sum() -> Coalesce:
    """Per invoice row: the gross of its credit notes (0 when none)."""
    credited = (
        Invoice.objects.filter(credits=OuterRef("pk")).order_by().values("credits").annotate(s=Sum("gross")).values("s")
    )
    money = DecimalField(max_digits=13, decimal_places=3)
    return Coalesce(Subquery(credited, output_field=money), Value(ZERO), output_field=money)


class InvoiceStatus:
    OPEN = "open"  # not credited
    PARTLY_CREDITED = "partly_credited"
    CREDITED = "credited"  # credited in full
    ALL = (OPEN, PARTLY_CREDITED, CREDITED)


def status_of(invoice: Invoice, credited: Decimal) -> str | None:
    if invoice.is_credit_note:
        return None
    if credited <= 0:
        return InvoiceStatus.OPEN
    return InvoiceStatus.CREDITED if credited >= invoice.gross else InvoiceStatus.PARTLY_CREDITED


@dataclass(frozen=True)
class Filters:
    customer: int | None = None
    kind: str | None = None
    status: str | None = None
    issued_from: dt.date | None = None
    issued_to: dt.date | None = None


def visible_invoices(user, slug: str, filters: Filters = Filters()) -> tuple[Lab, QuerySet[Invoice]]:
    """The lab's invoices and credit notes, newest first: all for its admin, their own for a
    customer; refused to a technician (403) and to anyone outside the lab (404)."""
    lab, standing = lab_standing(user, slug)
    if not standing.role.sees_money:
        raise Forbidden("A technician does not see invoices.")
    qs = Invoice.objects.filter(lab=lab).select_related("customer", "credits").defer("pdf", "snapshot")
    if standing.role is Role.CUSTOMER:
        qs = qs.filter(customer_id__in=standing.customer_ids)
    qs = qs.annotate(credited=credited_sum())
    if filters.customer is not None:
        qs = qs.filter(customer_id=filters.customer)
    if filters.kind:
        if filters.kind not in DocumentKind.values:
            raise InvalidInput("kind", f"a kind is one of {', '.join(DocumentKind.values)}")
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        if filters.status not in InvoiceStatus.ALL:
            raise InvalidInput("status", f"a status is one of {', '.join(InvoiceStatus.ALL)}")
        invoices = Q(kind=DocumentKind.INVOICE)
        qs = qs.filter(
            invoices
            & {
                InvoiceStatus.OPEN: Q(credited__lte=0),
                InvoiceStatus.PARTLY_CREDITED: Q(credited__gt=0, credited__lt=F("gross")),
                InvoiceStatus.CREDITED: Q(credited__gt=0, credited__gte=F("gross")),
            }[filters.status]
        )
    if filters.issued_from and filters.issued_to and filters.issued_from > filters.issued_to:
        raise InvalidInput("from", "the first day is on or before the last one")
    if filters.issued_from:
        qs = qs.filter(issued_on__gte=filters.issued_from)
    if filters.issued_to:
        qs = qs.filter(issued_on__lte=filters.issued_to)
    return lab, qs.order_by("-issued_on", "-id")


# ---- issuing -------------------------------------------------------------------------------


def _locked_orders(user, lab: Lab, numbers: Iterable[str]) -> list[Order]:
    wanted = []
    for raw in numbers:
        text = str(raw).strip().lstrip("#").upper()
        if not _ORDER_NUMBER.fullmatch(text):
            raise InvalidInput("orders", f"{str(raw)[:20]!r} is not an order number")
        if text not in wanted:
            wanted.append(text)
    if not wanted:
        raise InvalidInput("orders", "name at least one order")
    if len(wanted) > MAX_ORDERS:
        raise InvalidInput("orders", f"an invoice bills at most {MAX_ORDERS} orders")
    orders = list(
        visible_orders(user, lab_id=lab.id)
        .filter(number__in=wanted)
        .select_for_update(of=("self",))
        .select_related("customer", "patient")
        .prefetch_related(lines_with_services())
        .order_by("pk")
    )
    found = {o.number for o in orders}
    missing = [n for n in wanted if n not in found]
    if missing:
        raise InvalidInput("orders", f"no order #{missing[0]} in this lab")
    return orders


def _check_orders(orders: list[Order]) -> None:
    customers = {o.customer_id for o in orders}
    if len(customers) > 1:
        raise InvalidInput("orders", "an invoice bills the orders of one customer")
    for order in orders:
        status = Status(order.status)
        if order.invoice_number:
            raise Conflict(f"Order {order.display_number} is already billed by invoice {order.invoice_number}.")
        if status in NOT_INVOICEABLE:
            raise Conflict(f"Order {order.display_number} is {status.value}: it cannot be invoiced.")
        if len(orders) > 1 and status not in TOGETHER:
            raise Conflict(
                f"Order {order.display_number} is {status.value}: several orders are invoiced together once "
                "delivered or completed (a single order may be invoiced on its own from published on)."
            )
    currencies = {o.currency for o in orders}
    if len(currencies) > 1:
        raise InvalidInput("orders", f"the orders are in different currencies ({', '.join(sorted(currencies))})")


def _issue_date(lab: Lab, issued_on: dt.date | None) -> dt.date:
    today = lab.local_date()
    if issued_on is None:
        return today
    if issued_on > today:
        raise InvalidInput("issued_on", f"an invoice is not dated in the future (today is {today})")
    return issued_on


def check_date_order(lab: Lab, kind: str, year: int, issued_on: dt.date) -> None:
    """Numbers follow dates: a document is not dated before the last one of its sequence
    (checked under the sequence's lock)."""
    last = (
        Invoice.objects.filter(lab=lab, kind=kind, year=year)
        .order_by("-sequence")
        .values_list("issued_on", flat=True)
        .first()
    )
    if last is not None and issued_on < last:
        raise InvalidInput(
            "issued_on",
            f"the last {DocumentKind(kind).label.lower()} is dated {last}: a later number cannot carry an earlier date",
        )


def _issue(user, lab: Lab, customer: Customer, orders: list[Order], issued_on: dt.date) -> Invoice:
    """Write one invoice for these locked, checked orders (inside the caller's transaction)."""
    currency = orders[0].currency
    lines: list[snapshots.DraftLine] = []
    groups = []
    parts = []
    for order in orders:
        totals = totals_of(order, order.lines.all())
        if totals.total != order.total:
            raise Conflict(
                f"Order {order.display_number}'s total ({order.total}) does not match its lines "
                f"({totals.total}); save the order again before invoicing it."
            )
        lines += snapshots.order_lines(lab, order, totals)
        groups.append(totals.rates)
        parts.append(snapshots.order_part(order, totals))
    rates = merge_rates(groups)
    net = sum((r.net for r in rates), ZERO)
    tax = sum((r.tax for r in rates), ZERO)
    gross = net + tax
    if gross != sum((o.total for o in orders), ZERO):  # merge_rates keeps each order's rounding
        raise Conflict("The orders' totals do not add up; nothing was invoiced.")
    if gross > MONEY_MAX:
        raise InvalidInput("orders", f"an invoice's total is at most {MONEY_MAX}: invoice fewer orders at once")
    year = issued_on.year
    sequence = numbering.take_next(lab, DocumentKind.INVOICE, year)
    check_date_order(lab, DocumentKind.INVOICE, year, issued_on)
    number = numbering.document_number(lab, DocumentKind.INVOICE, year, sequence)
    due_on = issued_on + dt.timedelta(days=customer.payment_terms_days)
    snapshot = snapshots.document(
        kind=DocumentKind.INVOICE.value,
        number=number,
        issued_on=issued_on,
        due_on=due_on,
        currency=currency,
        lab=lab,
        customer=customer,
        lines=lines,
        rates=rates,
        orders=parts,
    )
    invoice = Invoice.objects.create(
        lab=lab,
        customer=customer,
        kind=DocumentKind.INVOICE,
        number=number,
        year=year,
        sequence=sequence,
        issued_on=issued_on,
        due_on=due_on,
        currency=currency,
        net=net,
        tax=tax,
        gross=gross,
        snapshot=snapshot,
        created_by=user,
    )
    write_lines(invoice, lines)
    for order in orders:
        invoicing.mark_invoiced(user, order.number, number)
    return invoice


def write_lines(invoice: Invoice, lines: list[snapshots.DraftLine]) -> None:
    InvoiceLine.objects.bulk_create(
        [
            InvoiceLine(
                invoice=invoice,
                position=i,
                order=line.order,
                description=line.description,
                quantity=line.quantity,
                unit_price=line.unit_price,
                net=line.net,
                tax_rate=line.tax_rate,
            )
            for i, line in enumerate(lines, start=1)
        ]
    )


def create_invoice(user, lab_slug: str, orders: list[str], issued_on: dt.date | None = None) -> Invoice:
    """One invoice for these orders of one customer (lab admin only)."""
    lab = admin_lab(user, lab_slug)
    day = _issue_date(lab, issued_on)
    with transaction.atomic():
        locked = _locked_orders(user, lab, orders)
        _check_orders(locked)
        return _issue(user, lab, locked[0].customer, locked, day)


def last_month(lab: Lab) -> tuple[dt.date, dt.date]:
    """The first and last day of the previous calendar month, in the lab's time zone."""
    first_this = lab.local_date().replace(day=1)
    last_prev = first_this - dt.timedelta(days=1)
    return last_prev.replace(day=1), last_prev


def invoice_last_month(user, lab_slug: str) -> list[Invoice]:
    """One invoice per customer for their delivered or completed, uninvoiced orders delivered
    last month; all of them in one transaction (all or nothing)."""
    lab = admin_lab(user, lab_slug)
    first, last = last_month(lab)
    today = lab.local_date()
    with transaction.atomic():
        orders = list(
            visible_orders(user, lab_id=lab.id)
            .filter(
                status__in=[s.value for s in TOGETHER],
                invoice_number="",
                delivered_on__gte=first,
                delivered_on__lte=last,
            )
            .select_for_update(of=("self",))
            .select_related("customer", "patient")
            .prefetch_related(lines_with_services())
            .order_by("pk")
        )
        by_customer: dict[int, list[Order]] = {}
        for order in orders:
            by_customer.setdefault(order.customer_id, []).append(order)
        issued = []
        for group in sorted(by_customer.values(), key=lambda g: (g[0].customer.name, g[0].customer_id)):
            for currency in sorted({o.currency for o in group}):
                same = [o for o in group if o.currency == currency]
                issued.append(_issue(user, lab, same[0].customer, same, today))
    return issued


def invoiceable_orders(user, lab_slug: str, customer_id: int | None = None) -> QuerySet[Order]:
    """Delivered or completed orders not billed yet (the create page's choice), oldest first."""
    lab = admin_lab(user, lab_slug)
    qs = visible_orders(user, lab_id=lab.id).filter(status__in=[s.value for s in TOGETHER], invoice_number="")
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    return qs.select_related("customer", "patient").order_by("delivered_on", "pk")


# ---- the stored PDF ------------------------------------------------------------------------


def store_pdf(invoice: Invoice, data: bytes) -> bytes:
    """Keep the document's PDF the first time it is drawn; later downloads serve these bytes.
    Two first downloads at once: the first stored wins, and both answer with its bytes."""
    Invoice.objects.filter(pk=invoice.pk, pdf__isnull=True).update(pdf=data)
    stored = Invoice.objects.filter(pk=invoice.pk).values_list("pdf", flat=True).get()
    return bytes(stored)
