"""An order's history as one reader may see it: the one rule for the API, the pages and the print.

Which events a reader sees:
- lab staff (admin, technician) see every event;
- a customer does not see the work plan's events (planning, adding, editing, removing and
  ticking tasks: they name the lab's technicians and their pay), nor that the lab wrote
  itself an internal comment.

Which fields of an event's data a reader sees, from an allow-list per kind (nothing the
list does not name is ever shown, so a new key written tomorrow stays private until it
is listed here):
- money (amounts, payment methods and references) only to a role that `sees_money`: the lab
  admin and the customer, never a technician;
- task pay only to a role that `sees_pay` (the lab admin); a technician sees their own pay
  on the task list, where the assignee is known, not in the history;
- assignees only to a role that `sees_internal` (staff; customers do not see these events
  anyway).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from crownline.orders.lifecycle import EventKind, Status
from crownline.orders.models import OrderEvent
from crownline.roles import Role

K = EventKind
# The data each kind may show, in the order it is written.
FIELDS: dict[EventKind, tuple[str, ...]] = {
    K.CREATE: ("customer", "lines"),
    K.TAKEDOWN: ("reason",),
    K.START_PRODUCTION: ("production_date",),
    K.SHIP: ("tracking_number", "carrier", "previous"),
    K.UPDATE_TRACKING: ("tracking_number", "carrier", "previous"),
    K.DELIVER: ("delivered_on",),
    K.CANCEL: ("reason",),
    K.RECORD_PAYMENT: ("payment", "amount", "method", "reference"),
    K.CANCEL_PAYMENT: ("payment", "amount", "reason"),
    K.EDIT: ("patient", "due_date", "notes", "lines"),
    K.COMMENT: ("comment", "internal"),
    K.PLAN_WORK: ("tasks",),
    K.ADD_TASK: ("task", "name"),
    K.EDIT_TASK: ("task", "name", "assignee", "pay", "position"),
    K.REMOVE_TASK: ("task", "name"),
    K.MARK_TASK_DONE: ("task", "name"),
    K.UNMARK_TASK_DONE: ("task", "name"),
    K.DISCOUNT: ("kind", "value", "amount", "total"),
    K.INVOICE: ("invoice",),
    K.CREDIT: ("invoice", "credit_note"),
    # The case (issue 13). Order numbers name the other order; `lab` a partner lab's name.
    K.FILE_ADDED: ("file", "name", "shared"),
    K.FILE_REMOVED: ("file", "name"),
    K.COPIED_FROM: ("order", "files"),
    K.REMAKE_OF: ("order", "reason", "payer", "note"),
    K.REMAKE_CREATED: ("order", "reason", "payer"),
    K.CHANGE_CUSTOMER: ("previous", "customer"),
    K.HOLD: ("reason",),
    K.RELEASE: ("reason",),
    K.SEND_FOR_FITTING: ("sent_on", "note"),
    K.RETURN_FROM_FITTING: ("back_on", "note"),
    K.DUE_DATE_SET: ("due_date", "explanation"),
    K.OUTSOURCE: ("lab", "order", "lines", "files"),
    K.RECEIVED_FROM_PARTNER: ("lab", "order", "lines", "files"),
    K.PARTNER_STATUS: ("lab", "order", "status"),
}
# Outsourcing is the lab's own business: a customer never reads that their case went out.
LAB_ONLY_EVENTS = frozenset({K.OUTSOURCE, K.PARTNER_STATUS})
# What a technician never reads in the history: money, and which invoice bills the order.
MONEY_FIELDS = frozenset({"amount", "method", "reference", "value", "total", "invoice", "credit_note"})
PAY_FIELDS = frozenset({"pay"})
INTERNAL_FIELDS = frozenset({"assignee"})
# Events whose name does not say that they moved the order: the page shows the new status.
_SIDE_MOVES = frozenset({K.RECORD_PAYMENT, K.CANCEL_PAYMENT, K.REOPEN})


@dataclass(frozen=True)
class Entry:
    """One line of the history, already cut to what its reader may see."""

    id: int
    kind: EventKind
    from_status: str
    to_status: str
    actor: str | None
    actor_role: str
    data: dict[str, Any]
    created_at: dt.datetime

    @property
    def action(self) -> str:
        return self.kind.value

    @property
    def label(self) -> str:
        return self.kind.label

    @property
    def detail(self) -> str:
        return _detail(self.kind, self.data)

    @property
    def moved_to(self) -> str:
        """The new status, when the event's name does not say it (money, reopen)."""
        moved = self.from_status and self.from_status != self.to_status
        return Status(self.to_status).name.title() if moved and self.kind in _SIDE_MOVES else ""


def sees(event: OrderEvent, role: Role) -> bool:
    """Whether a reader of this role sees the event at all."""
    kind = EventKind(event.action)
    if role.sees_internal:
        return True
    if kind.is_work_plan or kind in LAB_ONLY_EVENTS:
        return False
    if kind in (K.FILE_ADDED, K.FILE_REMOVED) and not event.data.get("shared"):
        return False  # a file internal to the lab
    return not (kind is K.COMMENT and event.data.get("internal"))


def shown_fields(kind: EventKind, role: Role) -> tuple[str, ...]:
    hidden = set()
    if not role.sees_money:
        hidden |= MONEY_FIELDS
    if not role.sees_pay:
        hidden |= PAY_FIELDS
    if not role.sees_internal:
        hidden |= INTERNAL_FIELDS
        if kind is K.CHANGE_CUSTOMER:
            hidden.add("previous")  # the new customer does not learn who the order was entered for
    return tuple(name for name in FIELDS.get(kind, ()) if name not in hidden)


def history(events: Iterable[OrderEvent], role: Role) -> list[Entry]:
    """The events a reader of this role sees, oldest first, each with the fields they may see.

    Expects the events with their actors (`select_related("actor")`)."""
    entries = []
    for event in events:
        if not sees(event, role):
            continue
        kind = EventKind(event.action)
        data = {name: event.data[name] for name in shown_fields(kind, role) if name in event.data}
        entries.append(Entry(
            id=event.id, kind=kind, from_status=event.from_status, to_status=event.to_status,
            actor=event.actor.get_username() if event.actor else None, actor_role=event.actor_role,
            data=data, created_at=event.created_at,
        ))
    return entries


def history_of(order, role: Role) -> list[Entry]:
    return history(order.events.select_related("actor"), role)


def _detail(kind: EventKind, d: dict[str, Any]) -> str:
    """The event's data as one short phrase; only fields already cut to the reader are used."""
    if kind is K.START_PRODUCTION:
        return f"production date {d.get('production_date', '')}"
    if kind in (K.SHIP, K.UPDATE_TRACKING):
        carrier = f" ({d['carrier']})" if d.get("carrier") else ""
        return f"tracking number {d.get('tracking_number', '')}{carrier}"
    if kind is K.DELIVER:
        return f"delivered on {d.get('delivered_on', '')}"
    if kind is K.RECORD_PAYMENT:
        method = f" by {d['method']}" if d.get("method") else ""
        return f"{d['amount']}{method}" if "amount" in d else ""
    parts = []
    if kind is K.CANCEL_PAYMENT and "amount" in d:
        parts.append(str(d["amount"]))
    if kind in (K.CANCEL, K.TAKEDOWN, K.CANCEL_PAYMENT) and d.get("reason"):
        parts.append(f"reason: {d['reason']}")
    if kind in _CASE_DETAILS:
        parts.append(_CASE_DETAILS[kind](d))
    if kind is K.PLAN_WORK:
        parts.append(f"{d.get('tasks', 0)} tasks")
    elif kind.is_work_plan:
        parts.append(str(d.get("name", "")))
    return ", ".join(p for p in parts if p)


def _order_ref(d: dict[str, Any]) -> str:
    return f"#{d['order']}" if d.get("order") else ""


# One short phrase per case event (issue 13), from the fields the reader may see.
_CASE_DETAILS = {
    K.FILE_ADDED: lambda d: str(d.get("name", "")),
    K.FILE_REMOVED: lambda d: str(d.get("name", "")),
    K.COPIED_FROM: _order_ref,
    K.REMAKE_OF: lambda d: ", ".join(p for p in (_order_ref(d), str(d.get("reason", "")),
                                                 f"paid by {d['payer']}" if d.get("payer") else "") if p),
    K.REMAKE_CREATED: lambda d: ", ".join(p for p in (_order_ref(d), str(d.get("reason", ""))) if p),
    K.CHANGE_CUSTOMER: lambda d: f"from {d.get('previous', '')} to {d.get('customer', '')}",
    K.HOLD: lambda d: f"reason: {d['reason']}" if d.get("reason") else "",
    K.RELEASE: lambda d: f"reason: {d['reason']}" if d.get("reason") else "",
    K.SEND_FOR_FITTING: lambda d: f"sent on {d.get('sent_on', '')}",
    K.RETURN_FROM_FITTING: lambda d: f"back on {d.get('back_on', '')}",
    K.DUE_DATE_SET: lambda d: ", ".join(str(p) for p in (d.get("due_date"), d.get("explanation")) if p),
    K.OUTSOURCE: lambda d: ", ".join(p for p in (str(d.get("lab", "")), _order_ref(d)) if p),
    K.RECEIVED_FROM_PARTNER: lambda d: ", ".join(p for p in (str(d.get("lab", "")), _order_ref(d)) if p),
    K.PARTNER_STATUS: lambda d: ", ".join(p for p in (str(d.get("lab", "")), str(d.get("status", ""))) if p),
}
