"""The machinery every change to an order goes through: lock, version check, event, refusal.

`acting` opens the transaction of one action: it loads the order through the access
helper with a row lock, checks the caller's expected version and whether their role may
take the action in the order's status. `commit` then saves the order and appends its
`OrderEvent` in the same transaction, taking the new status from the life cycle's
transition table: no service names a target status itself.
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

from crownline.errors import Conflict, InvalidInput, PreconditionFailed
from crownline.orders import lifecycle
from crownline.orders.access import authorize, get_order_for
from crownline.orders.lifecycle import Action, EventKind, Refusal, Status
from crownline.orders.models import Order, OrderEvent
from crownline.roles import LabRole


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
    change: Change, kind: EventKind, *, data: dict[str, Any] | None = None, paid_in_full: bool | None = None,
    **fields: Any,
) -> OrderEvent:
    """Append the event of `kind` and, when the event changes the order, save the order with a
    version check; call inside `acting`.

    The new status comes from `lifecycle.next_status` (pass `paid_in_full` for the money
    events). A comment or a work-plan change leaves the order row and its version alone
    (`EventKind.changes_order`); the row lock taken by `acting` still orders it among the
    other changes.
    """
    order = change.order
    from_status = Status(order.status)
    new_status = lifecycle.next_status(
        from_status, kind, cancelled_from=Status(order.cancelled_from) if order.cancelled_from else None,
        paid_in_full=paid_in_full,
    )
    if kind.changes_order:
        fields |= {"status": new_status.value, "version": order.version + 1, "updated_at": timezone.now()}
        # The row is locked on PostgreSQL; the version check is what protects SQLite and any
        # code path that forgot the lock: a stale writer updates nothing and is refused.
        updated = Order.objects.filter(pk=order.pk, version=order.version).update(**fields)
        if updated != 1:
            raise Conflict("The order was changed by someone else at the same time; reload it.")
        for name, value in fields.items():
            setattr(order, name, value)
    elif fields or new_status is not from_status:
        raise ValueError(f"a {kind} event does not change the order")
    return OrderEvent.objects.create(
        order=order,
        actor=change.user,
        actor_role=change.standing.role.value,
        action=kind.value,
        from_status=from_status.value,
        to_status=new_status.value,
        data=data or {},
    )


def record_creation(order: Order, user, standing: LabRole, data: dict[str, Any]) -> None:
    OrderEvent.objects.create(
        order=order, actor=user, actor_role=standing.role.value, action=EventKind.CREATE.value, from_status="",
        to_status=order.status, data=data,
    )
