"""The markers on an order: "on hold" and "sent for fitting" (issue 13).

Holding is a marker, not a status: a held order keeps its status and its life-cycle buttons
(the lab may still cancel it, or ship what is ready), but it leaves the work queues and My
tasks until it is released, and the lists and the order page flag it. A fitting (a try-in)
sends the case to the dentist and back; the order keeps the latest out and back dates, the
history every earlier try-in.
"""

from __future__ import annotations

import datetime as dt

from crownline.errors import Conflict, InvalidInput
from crownline.orders.changes import acting, commit
from crownline.orders.lifecycle import Action, EventKind
from crownline.orders.models import Order, OrderQuerySet
from crownline.orders.presenting import at_fitting

ANSWERED = OrderQuerySet.answered
REASON_MAX = 500
NOTE_MAX = 500


def _text(value: str, field: str, *, required: bool, limit: int) -> str:
    value = value.strip()
    if required and not value:
        raise InvalidInput(field, f"a {field} is required")
    if len(value) > limit:
        raise InvalidInput(field, f"a {field} has at most {limit} characters")
    if not all(ch.isprintable() or ch in "\n\t" for ch in value):
        raise InvalidInput(field, f"a {field} has printable characters only")
    return value


def hold_order(user, number: str, *, reason: str, expected_version: int | None = None) -> Order:
    reason = _text(reason, "reason", required=True, limit=REASON_MAX)
    with acting(user, number, Action.HOLD, expected_version=expected_version, shape=ANSWERED) as change:
        if change.order.on_hold:
            raise Conflict(f"the order is on hold already ({change.order.hold_reason})")
        commit(change, EventKind.HOLD, data={"reason": reason}, on_hold=True, hold_reason=reason)
    return change.order


def release_order(user, number: str, *, reason: str = "", expected_version: int | None = None) -> Order:
    reason = _text(reason, "reason", required=False, limit=REASON_MAX)
    with acting(user, number, Action.RELEASE, expected_version=expected_version, shape=ANSWERED) as change:
        if not change.order.on_hold:
            raise Conflict("the order is not on hold")
        commit(change, EventKind.RELEASE, data={"reason": reason}, on_hold=False, hold_reason="")
    return change.order


def _check_day(value: dt.date, field: str, *, today: dt.date, not_before: dt.date | None, what: str) -> None:
    if value > today:
        raise InvalidInput(field, f"the date {value} is in the future (today is {today})")
    if not_before is not None and value < not_before:
        raise InvalidInput(field, f"the date {value} is before {what} ({not_before})")


def send_for_fitting(
    user, number: str, *, sent_on: dt.date | None = None, note: str = "", expected_version: int | None = None
) -> Order:
    note = _text(note, "note", required=False, limit=NOTE_MAX)
    with acting(user, number, Action.SEND_FOR_FITTING, expected_version=expected_version, shape=ANSWERED) as change:
        order = change.order
        if at_fitting(order):
            raise Conflict(f"the case is out for fitting already (sent on {order.fitting_sent_on})")
        today = change.lab_today()
        sent_on = sent_on or today
        published = order.lab.local_date(order.published_at) if order.published_at else None
        # A new try-in goes out after the last one came back.
        floor = max(d for d in (published, order.fitting_back_on) if d) if published or order.fitting_back_on else None
        _check_day(sent_on, "sent_on", today=today, not_before=floor, what="the order was published or last back")
        commit(
            change,
            EventKind.SEND_FOR_FITTING,
            data={"sent_on": sent_on.isoformat(), "note": note},
            fitting_sent_on=sent_on,
            fitting_back_on=None,
        )
    return change.order


def return_from_fitting(
    user, number: str, *, back_on: dt.date | None = None, note: str = "", expected_version: int | None = None
) -> Order:
    note = _text(note, "note", required=False, limit=NOTE_MAX)
    with acting(user, number, Action.RETURN_FROM_FITTING, expected_version=expected_version, shape=ANSWERED) as change:
        order = change.order
        if not at_fitting(order):
            raise Conflict("the case is not out for fitting")
        today = change.lab_today()
        back_on = back_on or today
        _check_day(back_on, "back_on", today=today, not_before=order.fitting_sent_on, what="it was sent")
        commit(
            change,
            EventKind.RETURN_FROM_FITTING,
            data={"back_on": back_on.isoformat(), "note": note},
            fitting_back_on=back_on,
        )
    return change.order
