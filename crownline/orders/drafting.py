"""Creating and editing an order's content: customer, patient, service lines, dates, notes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from crownline.catalog.models import Service
from crownline.customers.access import lab_roles
from crownline.customers.models import Customer, Patient
from crownline.errors import Forbidden, InvalidInput
from crownline.numbers import ID_MAX, MONEY_MAX, money_problem
from crownline.orders.changes import Change, acting, commit, record_creation, refuse
from crownline.orders.choices import DueDateSource
from crownline.orders.guards import check_not_invoiced
from crownline.orders.lifecycle import Action, EventKind, Status
from crownline.orders.models import Order, OrderLine
from crownline.orders.signals import lines_removed
from crownline.orders.totals import ORDER_TOO_LARGE, money_fields, totals_of
from crownline.pricing import quotes
from crownline.pricing.quotes import Quote
from crownline.roles import LabRole, Role
from crownline.tenancy.models import Lab

MAX_LINES = 50
MAX_QUANTITY = 100
PRICE_SET_BY_LAB = "price set by the lab"
LINE_TOO_LARGE = f"a line's total is at most {MONEY_MAX}: lower the quantity"
SHADE_MAX = 20
# FDI two-digit notation: quadrants 1-4 hold teeth 1-8, primary quadrants 5-8 hold 1-5.
VALID_TEETH = frozenset(
    [q * 10 + t for q in (1, 2, 3, 4) for t in range(1, 9)] + [q * 10 + t for q in (5, 6, 7, 8) for t in range(1, 6)]
)


@dataclass
class LineInput:
    service: int
    quantity: int = 1
    teeth: list[int] = field(default_factory=list)
    shade: str = ""
    unit_price: Decimal | None = None
    id: int | None = None


@dataclass
class OrderInput:
    """What a caller may set on an order; None means "not given" for edits."""

    customer: int | None = None
    patient: int | None = None
    patient_name: str | None = None
    due_date: dt.date | None = None
    notes: str | None = None
    lines: list[LineInput] | None = None
    given: set[str] = field(default_factory=set)
    # The patient's appointment: without a due date of its own, the order is due in time for it
    # (crownline.schedule.due_dates, at publish).
    appointment_date: dt.date | None = None


def _lab_for_new_order(user, lab_slug: str | None) -> tuple[Lab, LabRole]:
    roles = lab_roles(user)
    if lab_slug:
        lab = Lab.objects.filter(slug=lab_slug, id__in=list(roles)).first()
        if lab is None:
            raise InvalidInput("lab", f"you do not work with a lab called {lab_slug!r}")
    elif len(roles) == 1:
        lab = Lab.objects.get(id=next(iter(roles)))
    elif not roles:
        raise Forbidden("You do not belong to any lab.")
    else:
        raise InvalidInput("lab", "you work with several labs: say which one the order is for")
    return lab, roles[lab.id]


def _customer(lab: Lab, standing: LabRole, customer_id: int | None) -> Customer:
    if standing.role is Role.CUSTOMER:
        own = sorted(standing.customer_ids)
        if customer_id is not None and customer_id not in standing.customer_ids:
            raise InvalidInput("customer", "a dentist orders for themselves only")
        return Customer.objects.get(id=customer_id or own[0])
    if customer_id is None:
        raise InvalidInput("customer", "say which customer the order is for")
    customer = Customer.objects.filter(lab=lab, id=customer_id).first()
    if customer is None:
        raise InvalidInput("customer", f"no customer {customer_id} in this lab")
    return customer


def _patient(customer: Customer, data: OrderInput) -> Patient | None:
    if data.patient is not None:
        patient = Patient.objects.filter(customer=customer, id=data.patient).first()
        if patient is None:
            raise InvalidInput("patient", f"no patient {data.patient} for this customer")
        return patient
    if data.patient_name is not None:
        name = data.patient_name.strip()
        if not name or len(name) > 200:
            raise InvalidInput("patient_name", "a patient name has 1 to 200 characters")
        patient, _ = Patient.objects.get_or_create(lab=customer.lab, customer=customer, name=name)
        return patient
    return None


def _check_text(data: OrderInput) -> None:
    if data.notes is not None and len(data.notes) > 4000:
        raise InvalidInput("notes", "notes have at most 4000 characters")


def _check_due_date(value: dt.date | None, today: dt.date, field: str = "due_date") -> None:
    what = "the due date" if field == "due_date" else "the appointment"
    if value is not None and value < today:
        raise InvalidInput(field, f"{what} {value} is in the past (today is {today})")
    # Years ahead is a typing mistake (2062 for 2026), and the working-day arithmetic would
    # walk every day up to it.
    if value is not None and value > today + dt.timedelta(days=3 * 365):
        raise InvalidInput(field, f"{what} {value} is more than three years ahead")


def _due_source(due_date: dt.date | None) -> dict[str, Any]:
    """A due date a person entered is kept at publish (source "manual"); none: the schedule's."""
    return {"due_date_source": DueDateSource.MANUAL if due_date else DueDateSource.NONE, "due_date_note": ""}


def _clean_lines(lab: Lab, role: Role, lines: list[LineInput], currency: str) -> list[tuple[LineInput, Service]]:
    if len(lines) > MAX_LINES:
        raise InvalidInput("lines", f"an order has at most {MAX_LINES} lines")
    # An id no column holds matches nothing (SQLite raises OverflowError for it in an IN list).
    ids = [ln.service for ln in lines if 1 <= ln.service <= ID_MAX]
    services = {s.id: s for s in Service.objects.filter(lab=lab, is_active=True, id__in=ids)}
    cleaned = []
    for i, line in enumerate(lines):
        where = f"lines[{i}]"
        service = services.get(line.service)
        if service is None:
            raise InvalidInput(f"{where}.service", f"no active service {line.service} in this lab's catalogue")
        if not 1 <= line.quantity <= MAX_QUANTITY:
            raise InvalidInput(f"{where}.quantity", f"a quantity is from 1 to {MAX_QUANTITY}")
        bad = [t for t in line.teeth if t not in VALID_TEETH]
        if bad:
            raise InvalidInput(f"{where}.teeth", f"not FDI tooth numbers: {bad}")
        if len(set(line.teeth)) != len(line.teeth):
            raise InvalidInput(f"{where}.teeth", "a tooth is listed twice")
        if len(line.shade.strip()) > SHADE_MAX:
            raise InvalidInput(f"{where}.shade", f"a shade has at most {SHADE_MAX} characters")
        if line.unit_price is not None:
            if not role.sets_prices:
                raise InvalidInput(f"{where}.unit_price", "prices are set by the lab")
            if problem := money_problem(line.unit_price, currency=currency):
                raise InvalidInput(f"{where}.unit_price", problem)
        cleaned.append((line, service))
    return cleaned


def _check_totals(cleaned: list[tuple[LineInput, Service]], prices: dict[int, Quote]) -> None:
    """Every line total and the order total fit the money columns, checked before anything is
    written: a total too large used to be saved, then broke the lab's whole order list. A kept
    line given without a price keeps its own, so `_write_lines` checks the exact totals again."""
    total = Decimal("0")
    for i, (line, service) in enumerate(cleaned):
        line_total = (line.unit_price if line.unit_price is not None else prices[service.pk].unit_price) * line.quantity
        if line_total > MONEY_MAX:
            raise InvalidInput(f"lines[{i}].quantity", LINE_TOO_LARGE)
        total += line_total
    if total > MONEY_MAX:
        raise InvalidInput("lines", ORDER_TOO_LARGE)


def _write_lines(change: Change, cleaned: list[tuple[LineInput, Service]], prices: dict[int, Quote]) -> list[OrderLine]:
    """Replace the order's lines; a line given with its id keeps its planned tasks and its price
    (a new line, or a kept one given another service, is priced from `prices`)."""
    order = change.order
    existing = {line.id: line for line in order.lines.all()}
    keep_ids = {li.id for li, _ in cleaned if li.id is not None}
    unknown = keep_ids - set(existing)
    if unknown:
        raise InvalidInput("lines", f"no line {sorted(unknown)} on this order")
    removed = [lid for lid in existing if lid not in keep_ids]
    if removed:
        # The work plan drops the removed lines' unfinished tasks (workplan.receivers).
        lines_removed.send(sender=Order, change=change, line_ids=removed)
    OrderLine.objects.filter(id__in=removed).delete()
    written = []
    total = Decimal("0")
    for position, (li, service) in enumerate(cleaned, start=1):
        line = existing.get(li.id) if li.id is not None else None
        if line is None:
            line = OrderLine(order=order)
        if line.pk is None or line.service_id != service.id:
            q = prices[service.pk]
            line.list_price, line.unit_price, line.price_note, line.tax_rate = (
                q.list_price, q.unit_price, q.price_note, q.tax_rate)
            if li.unit_price is not None and li.unit_price != q.unit_price:
                line.unit_price, line.price_note = li.unit_price, PRICE_SET_BY_LAB
        elif li.unit_price is not None and li.unit_price != line.unit_price:
            line.unit_price, line.price_note = li.unit_price, PRICE_SET_BY_LAB
        line.service = service
        line.position = position
        line.quantity = li.quantity
        line.teeth = sorted(li.teeth)
        line.shade = li.shade.strip()
        if line.line_total > MONEY_MAX or line.list_price * line.quantity > MONEY_MAX:
            raise InvalidInput(f"lines[{position - 1}].quantity", LINE_TOO_LARGE)
        line.save()
        total += line.line_total
        written.append(line)
    if total > MONEY_MAX:
        # Reached only by kept lines whose old price is above the service's: the transaction
        # is rolled back, so nothing of this edit is saved.
        raise InvalidInput("lines", ORDER_TOO_LARGE)
    return written


def create_order(user, data: OrderInput, *, lab_slug: str | None = None) -> Order:
    lab, standing = _lab_for_new_order(user, lab_slug)
    if standing.role is Role.TECHNICIAN:
        raise Forbidden("A technician may not create orders.")
    _check_text(data)
    with transaction.atomic():
        customer = _customer(lab, standing, data.customer)
        customer.lab = lab
        patient = _patient(customer, data)
        # The customer's currency, at the rate of the day the order is created, for every line
        # it will ever have (a customer billed in another currency needs a recorded rate).
        currency = customer.currency
        rate = quotes.rate_for(lab, currency, field="customer", customer=customer)
        cleaned = _clean_lines(lab, standing.role, data.lines or [], currency)
        prices = quotes.quote(lab, [s for _, s in cleaned], currency=currency, rate=rate,
                              pricebook=quotes.pricebook_of(customer))
        _check_totals(cleaned, prices)
        order = Order.objects.create(
            lab=lab,
            customer=customer,
            patient=patient,
            currency=currency,
            exchange_rate=rate,
            due_date=data.due_date,
            appointment_date=data.appointment_date,
            notes=data.notes or "",
            created_by=user,
            **_due_source(data.due_date),
        )
        change = Change(order, standing, user)
        _check_due_date(data.due_date, change.lab_today())
        _check_due_date(data.appointment_date, change.lab_today(), "appointment_date")
        lines = _write_lines(change, cleaned, prices)
        fields = money_fields(totals_of(order, lines))
        Order.objects.filter(pk=order.pk).update(**fields)
        for name, value in fields.items():
            setattr(order, name, value)
        record_creation(order, user, standing, {"customer": customer.pk, "lines": len(cleaned)})
    return order


def _order_prices(order: Order, cleaned: list[tuple[LineInput, Service]]) -> dict[int, Quote]:
    """Quotes for lines added to an existing order: its own currency and the rate it was
    created at, the customer's pricebook of today."""
    lab = order.lab
    rate = order.exchange_rate
    if order.currency != lab.currency and rate is None:
        rate = quotes.rate_for(lab, order.currency, field="lines")
    return quotes.quote(lab, [s for _, s in cleaned], currency=order.currency,
                        rate=None if order.currency == lab.currency else rate,
                        pricebook=quotes.pricebook_of(order.customer))


def edit_order(user, number: str, data: OrderInput, *, expected_version: int | None = None) -> Order:
    _check_text(data)
    with acting(user, number, Action.EDIT, expected_version=expected_version) as change:
        order = change.order
        fields: dict[str, Any] = {}
        changed: dict[str, Any] = {}
        if "patient" in data.given or "patient_name" in data.given:
            patient = _patient(order.customer, data)
            if patient is None and Status(order.status) is not Status.DRAFT:
                raise InvalidInput("patient", "a published order keeps a patient")
            fields["patient"] = patient
            changed["patient"] = patient.pk if patient else None
        if "due_date" in data.given:
            if data.due_date != order.due_date:
                _check_due_date(data.due_date, change.lab_today())
                fields |= _due_source(data.due_date)  # unchanged, it keeps how it was set
            fields["due_date"] = data.due_date
            changed["due_date"] = data.due_date.isoformat() if data.due_date else None
        if "appointment_date" in data.given:
            if data.appointment_date != order.appointment_date:
                _check_due_date(data.appointment_date, change.lab_today(), "appointment_date")
            fields["appointment_date"] = data.appointment_date
            changed["appointment_date"] = data.appointment_date.isoformat() if data.appointment_date else None
        if "notes" in data.given:
            fields["notes"] = data.notes or ""
            changed["notes"] = True
        if data.lines is not None:
            refuse(check_not_invoiced(order.invoice_number))
            cleaned = _clean_lines(order.lab, change.standing.role, data.lines, order.currency)
            if not cleaned and Status(order.status) is not Status.DRAFT:
                raise InvalidInput("lines", "a published order keeps at least one line")
            prices = _order_prices(order, cleaned)
            _check_totals(cleaned, prices)
            money = money_fields(totals_of(order, _write_lines(change, cleaned, prices)))
            if money["total"] < order.amount_paid:
                raise InvalidInput("lines", f"the new total {money['total']} is less than what was already paid")
            fields.update(money)
            changed["lines"] = len(cleaned)
        if not changed:
            raise InvalidInput("body", "nothing to change")
        commit(change, EventKind.EDIT, data=changed, **fields)
    return order
