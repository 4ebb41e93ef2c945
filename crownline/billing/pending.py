"""The Pending page's data and its "Mark all as paid": orders still to be paid, per customer.

An order is pending when it was published (not a draft), is not cancelled and still has an
amount due. "Mark all as paid" records one payment per order for what it owes, all in one
transaction: one order that cannot be paid refuses the lot (naming it), so a bookkeeper never
has to find out which half went through. The orders are locked in primary-key order, as every
code path that locks several rows does, so two such requests cannot deadlock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import F, QuerySet

from crownline.customers.access import admin_lab
from crownline.customers.models import Customer
from crownline.errors import DomainError, InvalidInput
from crownline.orders.access import normalise_number
from crownline.orders.lifecycle import Status
from crownline.orders.models import Order, Payment
from crownline.orders.payments import record_payment
from crownline.tenancy.models import Lab

# The most orders one "Mark all as paid" pays: one customer's month, with room to spare.
MAX_ORDERS = 500
NOT_PENDING = (Status.DRAFT, Status.CANCELLED)


@dataclass
class CustomerPending:
    customer: Customer
    currency: str
    orders: list[Order] = field(default_factory=list)
    total: Decimal = Decimal("0")


def pending_orders(lab: Lab) -> QuerySet[Order]:
    return (
        Order.objects.filter(lab=lab, total__gt=F("amount_paid"))
        .exclude(status__in=[s.value for s in NOT_PENDING])
        .select_related("customer", "patient")
        .order_by("customer__name", "customer_id", "currency", "created_at", "id")
    )


def pending(user, lab_slug: str, *, customer_id: int | None = None) -> list[CustomerPending]:
    """Per customer (and currency), by name: the orders still to be paid, and their total."""
    lab = admin_lab(user, lab_slug)
    qs = pending_orders(lab)
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    groups: dict[tuple[int, str], CustomerPending] = {}
    for order in qs:
        group = groups.setdefault((order.customer_id, order.currency), CustomerPending(order.customer, order.currency))
        group.orders.append(order)
        group.total += order.amount_due
    return list(groups.values())


def mark_all_paid(user, lab_slug: str, numbers: list[str], *, method: str = "", reference: str = "") -> list[Payment]:
    """Pay each named order what it owes, all or nothing; the refusal names `orders[i]`."""
    lab = admin_lab(user, lab_slug)
    if not numbers:
        raise InvalidInput("orders", "name at least one order")
    if len(numbers) > MAX_ORDERS:
        raise InvalidInput("orders", f"at most {MAX_ORDERS} orders at once")
    wanted: dict[str, int] = {}
    for i, raw in enumerate(numbers):
        try:
            number = normalise_number(raw) if isinstance(raw, str) else ""
        except DomainError:
            number = ""
        if not number:
            raise InvalidInput(f"orders[{i}]", f"{str(raw)[:40]!r} is not an order number")
        if number in wanted:
            raise InvalidInput(f"orders[{i}]", f"the order #{number} is named twice")
        wanted[number] = i
    with transaction.atomic():
        # Lock them all first, in primary-key order; each payment then re-reads its order under
        # the lock it already holds.
        locked = list(
            Order.objects.filter(lab=lab, number__in=list(wanted)).select_for_update(of=("self",)).order_by("pk")
        )
        found = {order.number for order in locked}
        for number, i in wanted.items():
            if number not in found:
                raise InvalidInput(f"orders[{i}]", f"no order #{number} in this lab")
        # One answer, one total: a sum of euros and francs is no amount (pay each currency apart).
        currency = next(o.currency for o in locked if o.number == next(iter(wanted)))
        for order in sorted(locked, key=lambda o: wanted[o.number]):
            if order.currency != currency:
                raise InvalidInput(
                    f"orders[{wanted[order.number]}]",
                    f"order {order.display_number} is in {order.currency}, the first in {currency}: "
                    "mark the orders of one currency as paid at once",
                )
        payments = []
        for order in locked:
            i = wanted[order.number]
            if order.status in NOT_PENDING or order.amount_due <= 0:
                why = f"it is {order.status}" if order.status in NOT_PENDING else "nothing is due"
                raise InvalidInput(f"orders[{i}]", f"order {order.display_number} is not to be paid: {why}")
            try:
                payments.append(record_payment(user, order.number, method=method, reference=reference))
            except InvalidInput as exc:
                if exc.field in ("method", "reference"):
                    raise
                raise InvalidInput(f"orders[{i}]", f"order {order.display_number}: {exc.message}") from exc
            except DomainError as exc:
                raise InvalidInput(f"orders[{i}]", f"order {order.display_number}: {exc.detail}") from exc
        return payments
