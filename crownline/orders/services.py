"""The only code that changes an order's status: one function per life-cycle action.

Each action runs in one transaction (`changes.acting`): load the order through the access
helper with a row lock, check the caller may act, save with a version check, and write
the `OrderEvent` in the same transaction (`changes.commit`, which takes the new status
from the life cycle's transition table).

The locking query also loads what the API answers with (`OrderQuerySet.answered`: lines and
task counts) and what the action's guards read, so an action costs three round trips at most
(lock and read, update, event; on PostgreSQL the update and the event are one statement).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from crownline.catalog.models import Service
from crownline.errors import InvalidInput
from crownline.orders import guards, lifecycle
from crownline.orders.changes import Change, acting, commit, refuse
from crownline.orders.choices import DueDateSource
from crownline.orders.lifecycle import Action, EventKind
from crownline.orders.models import Order, OrderEvent, OrderQuerySet, TrackingNumber
from crownline.orders.signals import order_published
from crownline.schedule.due_dates import ServiceDays, due_date_for

ANSWERED = OrderQuerySet.answered

# ---- the status-changing actions ------------------------------------------------------


def publish_order(user, number: str, *, expected_version: int | None = None) -> Order:
    with acting(user, number, Action.PUBLISH, expected_version=expected_version, shape=ANSWERED) as change:
        order = change.order
        refuse(guards.check_publishable(line_count=len(order.lines.all()), has_patient=order.patient_id is not None))
        now = timezone.now()
        commit(change, EventKind.PUBLISH, published_at=now)
        _default_due_date(change, now)
        # The work plan plans the tasks here when the lab asks for it (workplan.receivers).
        order_published.send(sender=Order, change=change)
    return order


def _default_due_date(change: Change, now: dt.datetime) -> None:
    """The due date from the work schedule, for an order nobody gave one: the largest
    production days of its services, or worked back from the patient's appointment (a due
    date a person entered stays: source "manual"). Recorded as its own event, which says how."""
    order = change.order
    if order.due_date_source == DueDateSource.MANUAL or (order.due_date and not order.due_date_source):
        return
    service_ids = {line.service_id for line in order.lines.all()}
    days = [ServiceDays(name, n) for name, n in Service.objects.filter(id__in=service_ids)
            .values_list("name", "production_days").order_by("name")]
    if order.appointment_date is None and all(s.days is None for s in days):
        return
    due = due_date_for(order.lab, days, appointment=order.appointment_date, moment=now)
    if due.due_date is None:
        return
    commit(
        change, EventKind.DUE_DATE_SET, data={"due_date": due.due_date.isoformat(), "explanation": due.note},
        due_date=due.due_date, due_date_source=due.source, due_date_note=due.note,
    )


def takedown_order(user, number: str, *, reason: str = "", expected_version: int | None = None) -> Order:
    with acting(user, number, Action.TAKEDOWN, expected_version=expected_version, shape=ANSWERED) as change:
        refuse(guards.check_not_invoiced(change.order.invoice_number))
        commit(change, EventKind.TAKEDOWN, data={"reason": reason})
    return change.order


def start_production(
    user, number: str, *, production_date: dt.date, expected_version: int | None = None
) -> Order:
    with acting(user, number, Action.START_PRODUCTION, expected_version=expected_version, shape=ANSWERED) as change:
        published = change.order.published_at
        refuse(
            guards.check_production_date(
                production_date,
                today=change.lab_today(),
                published_on=change.order.lab.local_date(published) if published else None,
            )
        )
        commit(
            change,
            EventKind.START_PRODUCTION,
            data={"production_date": production_date.isoformat()},
            production_date=production_date,
        )
    return change.order


def produce_order(user, number: str, *, expected_version: int | None = None) -> Order:
    with acting(user, number, Action.PRODUCE, expected_version=expected_version, shape=ANSWERED) as change:
        order = change.order
        # The counts came with the locked row; the open tasks' names only for the refusal.
        open_names = [] if order.tasks_done == order.tasks_total else list(
            order.tasks.filter(done=False).values_list("name", flat=True)
        )
        refuse(guards.check_producible(open_names, order.tasks_total))
        commit(change, EventKind.PRODUCE)
    return change.order


def _tracking(change: Change, kind: EventKind, tracking_number: str, carrier: str, **fields: Any) -> None:
    value, refusal = guards.clean_tracking_number(tracking_number)
    refuse(refusal)
    carrier = carrier.strip()
    if len(carrier) > 100:
        raise InvalidInput("carrier", "a carrier name has at most 100 characters")
    TrackingNumber.objects.create(order=change.order, number=value, carrier=carrier, created_by=change.user)
    previous = change.order.tracking_number
    commit(
        change,
        kind,
        data={"tracking_number": value, "carrier": carrier, "previous": previous},
        tracking_number=value,
        carrier=carrier,
        **fields,
    )


def ship_order(
    user, number: str, *, tracking_number: str, carrier: str = "", expected_version: int | None = None
) -> Order:
    with acting(user, number, Action.SHIP, expected_version=expected_version, shape=ANSWERED) as change:
        _tracking(change, EventKind.SHIP, tracking_number, carrier)
    return change.order


def update_tracking(
    user, number: str, *, tracking_number: str, carrier: str = "", expected_version: int | None = None
) -> Order:
    with acting(user, number, Action.UPDATE_TRACKING, expected_version=expected_version, shape=ANSWERED) as change:
        _tracking(change, EventKind.UPDATE_TRACKING, tracking_number, carrier)
    return change.order


def deliver_order(
    user, number: str, *, delivered_on: dt.date | None = None, expected_version: int | None = None
) -> Order:
    with acting(user, number, Action.DELIVER, expected_version=expected_version, shape=_with_last_shipping) as change:
        delivered_on = delivered_on or change.lab_today()
        refuse(guards.check_delivery_date(delivered_on, today=change.lab_today(), shipped_on=_shipped_on(change)))
        commit(
            change,
            EventKind.DELIVER,
            data={"delivered_on": delivered_on.isoformat()},
            delivered_on=delivered_on,
        )
        complete_if_paid(change)
    return change.order


def _with_last_shipping(qs: QuerySet[Order]) -> QuerySet[Order]:
    """The answer, and the time of the order's latest Ship: the order row keeps no shipping
    date, its history does (a reopened order may have been shipped twice)."""
    ships = OrderEvent.objects.filter(order=OuterRef("pk"), action=EventKind.SHIP.value).order_by("-id")
    return ANSWERED(qs).annotate(last_shipped_at=Subquery(ships.values("created_at")[:1]))


def _shipped_on(change: Change) -> dt.date | None:
    """The day (in the lab's time zone) of the order's latest Ship."""
    shipped_at = change.order.last_shipped_at
    return change.order.lab.local_date(shipped_at) if shipped_at else None


def complete_if_paid(change: Change) -> None:
    """A Delivered order that is paid in full goes on to Completed, as its own event."""
    order = change.order
    paid_in_full = order.amount_paid >= order.total
    if lifecycle.after_payment(change.status, paid_in_full=paid_in_full) is not change.status:
        commit(change, EventKind.COMPLETE, paid_in_full=paid_in_full)


def cancel_order(user, number: str, *, reason: str = "", expected_version: int | None = None) -> Order:
    reason = reason.strip()
    if len(reason) > 500:
        raise InvalidInput("reason", "a reason has at most 500 characters")
    with acting(user, number, Action.CANCEL, expected_version=expected_version, shape=ANSWERED) as change:
        if change.standing.is_staff and not reason:
            raise InvalidInput("reason", "the lab gives a reason when it cancels an order")
        refuse(guards.check_not_invoiced(change.order.invoice_number))
        commit(
            change,
            EventKind.CANCEL,
            data={"reason": reason},
            cancelled_from=change.order.status,
        )
    return change.order


def reopen_order(user, number: str, *, expected_version: int | None = None) -> Order:
    with acting(user, number, Action.REOPEN, expected_version=expected_version, shape=ANSWERED) as change:
        commit(change, EventKind.REOPEN, cancelled_from="")
    return change.order
