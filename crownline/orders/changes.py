"""The machinery every change to an order goes through: lock, version check, event, refusal.

`acting` opens the transaction of one action: it loads the order through the access
helper with a row lock, checks the caller's expected version and whether their role may
take the action in the order's status. `commit` then records the change and its
`OrderEvent`, taking the new status from the life cycle's transition table: no service
names a target status itself. When the action's code is done, `acting` writes what
was committed in as few round trips as the database allows (`_write`): one version-checked
UPDATE of the order and one INSERT of its events, chained into a single statement on
PostgreSQL, still in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet, sql
from django.utils import timezone

from crownline.errors import Conflict, InvalidInput, PreconditionFailed
from crownline.orders import lifecycle, signals
from crownline.orders.access import authorize, get_order_for
from crownline.orders.guards import Refusal
from crownline.orders.lifecycle import Action, EventKind, Status
from crownline.orders.models import Order, OrderEvent
from crownline.roles import LabRole

Shape = Callable[[QuerySet[Order]], QuerySet[Order]]


@dataclass
class Change:
    """An order loaded for one action, locked, with the caller's role in its lab.

    `commit` applies each change to `order` at once (what the action's code and the answer
    read) and keeps it in `fields` and `events` until `acting` writes them.
    """

    order: Order
    standing: LabRole
    user: Any
    fields: dict[str, Any] = field(default_factory=dict)
    events: list[OrderEvent] = field(default_factory=list)
    loaded_version: int = 0

    def __post_init__(self) -> None:
        self.loaded_version = self.order.version

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


def with_parties(qs: QuerySet[Order]) -> QuerySet[Order]:
    """Customer and patient (a join, not locked): what the order's answer names."""
    return qs.select_related("customer", "patient")


@contextmanager
def acting(
    user, number: str, action: Action, *, expected_version: int | None = None, shape: Shape = with_parties
) -> Iterator[Change]:
    """Open the transaction of one action on one order, locked and authorized.

    `shape` adds to the locking query what the action and its answer read (see
    `OrderQuerySet.answered`), so nothing needs loading after the write. The changes the
    action `commit`s are written when its block ends without an error.
    """
    with transaction.atomic():
        order, standing = get_order_for(user, number, for_update=True, shape=shape)
        if expected_version is not None and expected_version != order.version:
            raise PreconditionFailed(
                f"The order changed since you loaded it (now version {order.version}); reload it.",
                version=order.version,
            )
        authorize(order, standing, action)
        change = Change(order, standing, user)
        from_status = change.status
        yield change
        _write(change)
        if change.status is not from_status:
            signals.status_moved.send(sender=Order, change=change, from_status=from_status)


def commit(
    change: Change, kind: EventKind, *, data: dict[str, Any] | None = None, paid_in_full: bool | None = None,
    **fields: Any,
) -> OrderEvent:
    """Record the event of `kind` and, when the event changes the order, the order's new
    fields, status and version; call inside `acting`, which writes them when the action ends
    (the returned event has its id from then on).

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
        for name, value in fields.items():
            setattr(order, name, value)
        change.fields |= fields
    elif fields or new_status is not from_status:
        raise ValueError(f"a {kind} event does not change the order")
    event = OrderEvent(
        order=order,
        actor=change.user,
        actor_role=change.standing.role.value,
        action=kind.value,
        from_status=from_status.value,
        to_status=new_status.value,
        data=data or {},
    )
    change.events.append(event)
    return event


_STALE = "The order was changed by someone else at the same time; reload it."


def _write(change: Change) -> None:
    """Save what the action committed: the order's fields with a version check, then its events.

    The row is locked on PostgreSQL; the version check is what protects SQLite and any
    code path that forgot the lock: a stale writer updates nothing and is refused.
    """
    if not change.fields:
        if change.events:
            OrderEvent.objects.bulk_create(change.events)
        return
    order = change.order
    if connection.vendor == "postgresql" and change.events:
        _update_with_events(change)
        return
    updated = Order.objects.filter(pk=order.pk, version=change.loaded_version).update(**change.fields)
    if updated != 1:
        raise Conflict(_STALE)
    if change.events:
        OrderEvent.objects.bulk_create(change.events)


def _update_with_events(change: Change) -> None:
    """PostgreSQL: the version-checked UPDATE and the events' INSERT as one statement.

    `WITH changed AS (UPDATE … RETURNING id) INSERT INTO orders_orderevent … WHERE EXISTS
    (SELECT FROM changed)`: a stale version updates no row, so no event is written either,
    and the statement returns no ids. SQLite has no data-modifying WITH: there it is two
    statements (`_write`).
    """
    update = Order.objects.filter(pk=change.order.pk, version=change.loaded_version).query.chain(sql.UpdateQuery)
    update.add_update_values(change.fields)
    update_sql, update_params = update.get_compiler(connection=connection).as_sql()

    columns = [f for f in OrderEvent._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    # Every value is cast to its column's type: a VALUES list alone would read a NULL or a
    # string literal as text, which PostgreSQL does not turn into bigint or a timestamp.
    row = "(" + ", ".join(f"CAST(%s AS {f.db_type(connection)})" for f in columns) + ")"
    params: list[Any] = list(update_params)
    for event in change.events:
        params += [f.get_db_prep_save(f.pre_save(event, True), connection) for f in columns]
    table, pk = quote(OrderEvent._meta.db_table), quote(OrderEvent._meta.pk.column)
    names = ", ".join(quote(f.column) for f in columns)
    rows = ", ".join([row] * len(change.events))
    # Only quoted names and placeholders go into the text; every value is a parameter.
    order_pk = f"{quote(Order._meta.db_table)}.{quote(Order._meta.pk.column)}"
    statement = (
        f"WITH changed AS ({update_sql} RETURNING {order_pk}) "  # noqa: S608
        f"INSERT INTO {table} ({names}) SELECT * FROM (VALUES {rows}) AS event "
        f"WHERE EXISTS (SELECT 1 FROM changed) RETURNING {table}.{pk}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        ids = [event_id for (event_id,) in cursor.fetchall()]
    if len(ids) != len(change.events):
        raise Conflict(_STALE)
    for event, event_id in zip(change.events, ids, strict=True):
        event.pk = event_id
        event._state.adding, event._state.db = False, connection.alias


def record_creation(order: Order, user, standing: LabRole, data: dict[str, Any]) -> None:
    OrderEvent.objects.create(
        order=order, actor=user, actor_role=standing.role.value, action=EventKind.CREATE.value, from_status="",
        to_status=order.status, data=data,
    )
