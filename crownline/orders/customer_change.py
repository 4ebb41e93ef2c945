"""Changing an order's customer (DSO's "Change Customer"): the lab admin fixes an order entered
for the wrong dentist, before it is invoiced.

Refused while an invoice bills the order (a credit note comes first) and while it has a
payment that is not cancelled: money received from one customer must not move to another.
The new customer is one of the lab's, billed in the order's currency (the lines keep the
currency and rate the order was created at). Their pricebook re-prices the lines (a price the
lab set by hand, or a remake the lab pays, keeps its price) and the totals follow, with the
order's own discount. All of it is one change: one CHANGE_CUSTOMER entry, one new version.

The patient belongs to a customer: the new customer's patient of the same name if there is
one; else the patient record moves along when this order is its only one, and is re-created
under the new customer when the old customer has other orders for it (their records stay).
"""

from __future__ import annotations

from decimal import Decimal

from crownline.customers.models import Customer, Patient
from crownline.errors import Conflict, InvalidInput
from crownline.numbers import ID_MAX, MONEY_MAX
from crownline.orders import guards
from crownline.orders.changes import acting, commit, refuse, with_parties
from crownline.orders.drafting import LINE_TOO_LARGE, PRICE_SET_BY_LAB
from crownline.orders.lifecycle import Action, EventKind
from crownline.orders.models import Order, OrderLine, lines_with_services
from crownline.orders.remakes import PAID_BY_LAB
from crownline.orders.totals import money_fields, totals_of
from crownline.pricing import quotes

# Prices nobody's pricebook gave: they stay whoever the customer is.
KEPT_PRICES = frozenset({PRICE_SET_BY_LAB, PAID_BY_LAB})


def _new_customer(order: Order, customer_id: int) -> Customer:
    found = None
    if 1 <= customer_id <= ID_MAX:
        found = Customer.objects.filter(lab_id=order.lab_id, id=customer_id).first()
    if found is None:
        raise InvalidInput("customer", f"no customer {customer_id} in this lab")
    found.lab = order.lab
    if found.pk == order.customer_id:
        raise InvalidInput("customer", f"{found.name} is already the order's customer")
    if found.partner_lab_id is not None:
        raise InvalidInput("customer", f"{found.name} is a partner lab: its orders arrive when it sends them")
    if found.currency != order.currency:
        raise InvalidInput(
            "customer",
            f"{found.name} is billed in {found.currency} and the order is in {order.currency}: "
            "a customer billed in another currency needs a new order",
        )
    return found


def _patient_for(order: Order, customer: Customer) -> Patient | None:
    patient = order.patient
    if patient is None:
        return None
    same = Patient.objects.filter(customer=customer, name=patient.name).order_by("id").first()
    if same is not None:
        return same
    if not Order.objects.filter(patient=patient).exclude(pk=order.pk).exists():
        Patient.objects.filter(pk=patient.pk).update(customer=customer)
        patient.customer = customer
        return patient
    return Patient.objects.create(lab=order.lab, customer=customer, name=patient.name)


def _reprice(order: Order, customer: Customer) -> list[OrderLine]:
    """The order's lines at the new customer's prices (same currency, the order's own rate)."""
    lines = list(order.lines.all())
    lab = order.lab
    rate = order.exchange_rate
    if order.currency != lab.currency and rate is None:
        rate = quotes.rate_for(lab, order.currency, field="customer", customer=customer)
    repriced = [line for line in lines if line.price_note not in KEPT_PRICES]
    prices = quotes.quote(
        lab,
        [line.service for line in repriced],
        currency=order.currency,
        rate=None if order.currency == lab.currency else rate,
        pricebook=quotes.pricebook_of(customer),
    )
    for i, line in enumerate(repriced):
        q = prices[line.service_id]
        line.list_price, line.unit_price, line.price_note, line.tax_rate = (
            q.list_price,
            q.unit_price,
            q.price_note,
            q.tax_rate,
        )
        if line.line_total > MONEY_MAX or line.list_price * line.quantity > MONEY_MAX:
            raise InvalidInput("customer", f"{LINE_TOO_LARGE} (line {i + 1})")
    OrderLine.objects.bulk_update(repriced, ["list_price", "unit_price", "price_note", "tax_rate"])
    return lines


def _with_lines(qs):
    return with_parties(qs).prefetch_related(lines_with_services())


def change_customer(user, number: str, *, customer: int, expected_version: int | None = None) -> Order:
    """Move the order to another customer of its lab (lab admin); returns the order."""
    with acting(user, number, Action.CHANGE_CUSTOMER, expected_version=expected_version, shape=_with_lines) as change:
        order = change.order
        refuse(guards.check_not_invoiced(order.invoice_number))
        if order.outsourced_from_id is not None:
            raise Conflict("the order came from a partner lab: it keeps that lab as its customer")
        received = order.payments.filter(voided_at=None).count()
        if received:
            raise Conflict(
                f"the order has {received} payment(s) from {order.customer.name}: money received from one "
                "customer must not move to another; cancel the payments first"
            )
        new = _new_customer(order, customer)
        previous = order.customer.name
        patient = _patient_for(order, new)
        money = money_fields(totals_of(order, _reprice(order, new)), field="customer")
        if money["total"] < order.amount_paid or order.amount_paid > Decimal("0"):
            raise Conflict("the order has money paid on it: cancel the payments first")
        commit(
            change,
            EventKind.CHANGE_CUSTOMER,
            data={"previous": previous, "customer": new.name},
            customer=new,
            patient=patient,
            **money,
        )
    return order
