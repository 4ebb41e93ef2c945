"""The order history as people read it: one line per event, filtered for the reader's role.

Event data is rendered field by field from an allow-list, never dumped: task pay and
internal comments stay with the lab, payment amounts stay away from technicians.
"""

from __future__ import annotations

from dataclasses import dataclass

from crownline.orders.lifecycle import Role
from crownline.orders.models import OrderEvent
from crownline.tenancy.access import LabRole

LABELS = {
    "create": "Created", "publish": "Published", "takedown": "Taken down", "start-production": "In production",
    "produce": "Produced", "ship": "Shipped", "update-tracking": "Tracking number updated",
    "deliver": "Delivered", "complete": "Completed (paid in full)", "cancel": "Cancelled", "reopen": "Reopened",
    "record-payment": "Payment recorded", "cancel-payment": "Payment cancelled", "edit": "Order edited",
    "comment": "Comment added", "plan-work": "Work plan created", "add-task": "Task added",
    "edit-task": "Task edited", "remove-task": "Task removed", "mark-task-done": "Task done",
    "unmark-task-done": "Task reopened",
}
WORK_PLAN_EVENTS = frozenset(
    {"plan-work", "add-task", "edit-task", "remove-task", "mark-task-done", "unmark-task-done"}
)
STATUS_SIDE_EFFECTS = frozenset({"record-payment", "cancel-payment", "reopen"})


@dataclass(frozen=True)
class Entry:
    label: str
    detail: str
    actor: str
    event: OrderEvent

    @property
    def moved_to(self) -> str:
        """The new status when an event whose name does not say it changed the status (money, reopen)."""
        e = self.event
        moved = e.from_status and e.from_status != e.to_status
        return e.to_status.title() if moved and e.action in STATUS_SIDE_EFFECTS else ""


def _detail(event: OrderEvent, role: Role) -> str:
    d = event.data
    action = event.action
    if action == "start-production":
        return f"production date {d.get('production_date', '')}"
    if action in ("ship", "update-tracking"):
        carrier = f" ({d['carrier']})" if d.get("carrier") else ""
        return f"tracking number {d.get('tracking_number', '')}{carrier}"
    if action == "deliver":
        return f"delivered on {d.get('delivered_on', '')}"
    if action in ("cancel", "takedown", "cancel-payment") and d.get("reason"):
        reason = f"reason: {d['reason']}"
        if action == "cancel-payment" and role is not Role.TECHNICIAN:
            return f"{d.get('amount', '')}, {reason}"
        return reason
    if action == "record-payment" and role is not Role.TECHNICIAN:
        method = f" by {d['method']}" if d.get("method") else ""
        return f"{d.get('amount', '')}{method}"
    if action in WORK_PLAN_EVENTS:
        if action == "plan-work":
            return f"{d.get('tasks', 0)} tasks"
        return str(d.get("name", ""))
    return ""


def timeline(events, standing: LabRole) -> list[Entry]:
    """Newest first."""
    entries = []
    for event in events:
        if not standing.is_staff:
            if event.action in WORK_PLAN_EVENTS:
                continue
            if event.action == "comment" and event.data.get("internal"):
                continue
        actor = event.actor.get_username() if event.actor else "system"
        entries.append(Entry(LABELS.get(event.action, event.action), _detail(event, standing.role), actor, event))
    entries.reverse()
    return entries
