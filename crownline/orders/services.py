"""The only code that changes an order's status: one function per life-cycle action.

Each action runs in one transaction: load the order through the access helper with a
row lock, ask `lifecycle` whether the caller may act and where the order goes, save
with a version check, and write the `OrderEvent` in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from crownline.errors import Conflict, Forbidden, InvalidInput, PreconditionFailed
from crownline.orders import lifecycle
from crownline.orders.access import get_order_for
from crownline.orders.lifecycle import Action, Refusal, Status
from crownline.orders.models import Order, OrderEvent, TrackingNumber
from crownline.tenancy.access import LabRole


@dataclass
class Change:
    """An order loaded for one action, locked, with the caller's role in its lab."""

    order: Order
    standing: LabRole
    user: Any

    @property
    def status(self) -> Status:
        return Status(self.order.status)

    def lab_today(self) -> dt.date:
        return self.order.lab.local_date()


def authorize(order: Order, standing: LabRole, action: Action) -> None:
    """403 when the role may never take the action; 409 when the status does not allow it now."""
    if not lifecycle.may_ever(standing.role, action):
        raise Forbidden(f"A {standing.role.value.replace('_', ' ')} may not {action.value.replace('-', ' ')}.")
    status = Status(order.status)
    if not lifecycle.is_allowed(status, standing.role, action):
        allowed = [a.value for a in lifecycle.allowed_actions(status, standing.role)]
        raise Conflict(
            f"Cannot {action.value.replace('-', ' ')}: the order is {status.value}. "
            f"Allowed now: {', '.join(allowed) or 'nothing'}.",
            status=status.value,
            allowed_actions=allowed,
        )


def refuse(refusal: Refusal | None) -> None:
    """Turn a lifecycle guard's refusal into an error: input problems name their field."""
    if refusal is None:
        return
    if refusal.field:
        raise InvalidInput(refusal.field, refusal.message)
    raise Conflict(refusal.message)


def _with_parties(qs: QuerySet[Order]) -> QuerySet[Order]:
    return qs.select_related("customer", "patient")


@contextmanager
def acting(user, number: str, action: Action, *, expected_version: int | None = None) -> Iterator[Change]:
    """Open the transaction of one action on one order, locked and authorized."""
    with transaction.atomic():
        # Customer and patient come along (a join, not locked) for the answer the API renders.
        order, standing = get_order_for(user, number, for_update=True, shape=_with_parties)
        if expected_version is not None and expected_version != order.version:
            raise PreconditionFailed(
                f"The order changed since you loaded it (now version {order.version}); reload it.",
                version=order.version,
            )
        authorize(order, standing, action)
        yield Change(order, standing, user)


def commit(
    change: Change,
    action: str,
    *,
    to_status: Status | None = None,
    data: dict[str, Any] | None = None,
    **fields: Any,
) -> OrderEvent:
    """Save the order with a version check and append its event; call inside `acting`."""
    order = change.order
    from_status = order.status
    new_status = (to_status or Status(from_status)).value
    fields |= {"status": new_status, "version": order.version + 1, "updated_at": timezone.now()}
    # The row is locked on PostgreSQL; the version check is what protects SQLite and any
    # code path that forgot the lock: a stale writer updates nothing and is refused.
    updated = Order.objects.filter(pk=order.pk, version=order.version).update(**fields)
    if updated != 1:
        raise Conflict("The order was changed by someone else at the same time; reload it.")
    for name, value in fields.items():
        setattr(order, name, value)
    return OrderEvent.objects.create(
        order=order,
        actor=change.user,
        actor_role=change.standing.role.value,
        action=action,
        from_status=from_status,
        to_status=new_status,
        data=data or {},
    )


def record_creation(order: Order, user, role: str, data: dict[str, Any]) -> None:
    OrderEvent.objects.create(
        order=order, actor=user, actor_role=role, action=lifecycle.EVENT_CREATE, from_status="",
        to_status=order.status, data=data,
    )


# ---- the status-changing actions ------------------------------------------------------


def publish_order(user, number: str, *, expected_version: int | None = None) -> Order:
    from crownline.workplan.services import plan_missing_tasks

    with acting(user, number, Action.PUBLISH, expected_version=expected_version) as change:
        order = change.order
        refuse(lifecycle.check_publishable(line_count=order.lines.count(), has_patient=order.patient_id is not None))
        commit(change, Action.PUBLISH, to_status=Status.PUBLISHED, published_at=timezone.now())
        if order.lab.plan_work_on_publish and not order.tasks.exists():
            plan_missing_tasks(change)
    return order


def takedown_order(user, number: str, *, reason: str = "", expected_version: int | None = None) -> Order:
    with acting(user, number, Action.TAKEDOWN, expected_version=expected_version) as change:
        commit(change, Action.TAKEDOWN, to_status=Status.DRAFT, data={"reason": reason})
    return change.order


def start_production(
    user, number: str, *, production_date: dt.date, expected_version: int | None = None
) -> Order:
    with acting(user, number, Action.START_PRODUCTION, expected_version=expected_version) as change:
        published = change.order.published_at
        refuse(
            lifecycle.check_production_date(
                production_date,
                today=change.lab_today(),
                published_on=change.order.lab.local_date(published) if published else None,
            )
        )
        commit(
            change,
            Action.START_PRODUCTION,
            to_status=Status.PRODUCTION,
            data={"production_date": production_date.isoformat()},
            production_date=production_date,
        )
    return change.order


def produce_order(user, number: str, *, expected_version: int | None = None) -> Order:
    with acting(user, number, Action.PRODUCE, expected_version=expected_version) as change:
        tasks = list(change.order.tasks.values_list("name", "done"))
        refuse(lifecycle.check_producible([name for name, done in tasks if not done], len(tasks)))
        commit(change, Action.PRODUCE, to_status=Status.PRODUCED)
    return change.order


def _tracking(change: Change, action: Action, tracking_number: str, carrier: str, **fields: Any) -> None:
    value, refusal = lifecycle.clean_tracking_number(tracking_number)
    refuse(refusal)
    carrier = carrier.strip()
    if len(carrier) > 100:
        raise InvalidInput("carrier", "a carrier name has at most 100 characters")
    TrackingNumber.objects.create(order=change.order, number=value, carrier=carrier, created_by=change.user)
    previous = change.order.tracking_number
    commit(
        change,
        action,
        to_status=lifecycle.next_status(change.status, action),
        data={"tracking_number": value, "carrier": carrier, "previous": previous},
        tracking_number=value,
        carrier=carrier,
        **fields,
    )


def ship_order(
    user, number: str, *, tracking_number: str, carrier: str = "", expected_version: int | None = None
) -> Order:
    with acting(user, number, Action.SHIP, expected_version=expected_version) as change:
        _tracking(change, Action.SHIP, tracking_number, carrier)
    return change.order


def update_tracking(
    user, number: str, *, tracking_number: str, carrier: str = "", expected_version: int | None = None
) -> Order:
    with acting(user, number, Action.UPDATE_TRACKING, expected_version=expected_version) as change:
        _tracking(change, Action.UPDATE_TRACKING, tracking_number, carrier)
    return change.order


def deliver_order(
    user, number: str, *, delivered_on: dt.date | None = None, expected_version: int | None = None
) -> Order:
    with acting(user, number, Action.DELIVER, expected_version=expected_version) as change:
        delivered_on = delivered_on or change.lab_today()
        refuse(lifecycle.check_delivery_date(delivered_on, today=change.lab_today()))
        commit(
            change,
            Action.DELIVER,
            to_status=Status.DELIVERED,
            data={"delivered_on": delivered_on.isoformat()},
            delivered_on=delivered_on,
        )
        complete_if_paid(change)
    return change.order


def complete_if_paid(change: Change) -> None:
    """A Delivered order that is paid in full goes on to Completed, as its own event."""
    order = change.order
    target = lifecycle.after_payment(change.status, paid_in_full=order.amount_paid >= order.total)
    if target is not change.status:
        commit(change, lifecycle.EVENT_COMPLETE, to_status=target)


def cancel_order(user, number: str, *, reason: str = "", expected_version: int | None = None) -> Order:
    reason = reason.strip()
    if len(reason) > 500:
        raise InvalidInput("reason", "a reason has at most 500 characters")
    with acting(user, number, Action.CANCEL, expected_version=expected_version) as change:
        if change.standing.is_staff and not reason:
            raise InvalidInput("reason", "the lab gives a reason when it cancels an order")
        commit(
            change,
            Action.CANCEL,
            to_status=Status.CANCELLED,
            data={"reason": reason},
            cancelled_from=change.order.status,
        )
    return change.order


def reopen_order(user, number: str, *, expected_version: int | None = None) -> Order:
    with acting(user, number, Action.REOPEN, expected_version=expected_version) as change:
        back_to = lifecycle.next_status(
            change.status, Action.REOPEN, cancelled_from=Status(change.order.cancelled_from)
        )
        commit(change, Action.REOPEN, to_status=back_to, cancelled_from="")
    return change.order
