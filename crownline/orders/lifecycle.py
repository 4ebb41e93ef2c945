"""The order life cycle as data: statuses, actions, who may do what, and the guards.

Pure Python on purpose (no Django import): the whole contract of
`shared/spec/order-lifecycle.md` can be read, tested exhaustively and drawn as a
diagram without a database. The service functions in `services.py` ask this module
what is allowed and what comes next; nothing else decides a status.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from crownline.roles import Role


class Status(StrEnum):
    DRAFT = "draft"  # created by the customer (or the lab on their behalf), not yet published
    PUBLISHED = "published"  # published to the lab: work can start
    PRODUCTION = "production"  # the lab sent the order to production
    PRODUCED = "produced"  # production is over
    SHIPPED = "shipped"  # sent to the customer with a tracking number
    DELIVERED = "delivered"  # the customer received it
    COMPLETED = "completed"  # received and fully paid
    CANCELLED = "cancelled"  # cancelled by the lab (or withdrawn by the customer before production)


class Action(StrEnum):
    """Every action a person can take on an order; the values are the API's names."""

    # Actions that move the order between statuses.
    PUBLISH = "publish"
    TAKEDOWN = "takedown"
    START_PRODUCTION = "start-production"
    PRODUCE = "produce"
    SHIP = "ship"
    DELIVER = "deliver"
    CANCEL = "cancel"
    REOPEN = "reopen"
    # Money: may move Delivered <-> Completed as a consequence.
    RECORD_PAYMENT = "record-payment"
    CANCEL_PAYMENT = "cancel-payment"
    # Actions that never change the status.
    UPDATE_TRACKING = "update-tracking"
    EDIT = "edit"
    PLAN_WORK = "plan-work"
    EDIT_TASKS = "edit-tasks"
    MARK_TASK = "mark-task"
    PRINT = "print"
    VIEW_PAYMENT_INSTRUCTIONS = "view-payment-instructions"
    COMMENT = "comment"
    # Billing (crownline.billing): an invoice or a credit note names the order. Not a button of
    # the order page, so never listed in `allowed_actions` (see BOOKKEEPING).
    INVOICE = "invoice"
    # The lab admin's discount on one order (percentage or amount), until it is invoiced.
    DISCOUNT = "discount"


# The actions a person takes on the order itself: the order page's buttons, and
# `POST /orders/{number}/actions/<name>` in the API.
ORDER_ACTIONS: tuple[Action, ...] = (
    Action.PUBLISH, Action.TAKEDOWN, Action.START_PRODUCTION, Action.PRODUCE, Action.SHIP,
    Action.UPDATE_TRACKING, Action.DELIVER, Action.CANCEL, Action.REOPEN,
)


class EventKind(StrEnum):
    """Every kind of entry in an order's history; the values are stored in `OrderEvent.action`.

    An action a person takes writes the event of the same name; `create` and `complete` are
    written by the system, the work-plan kinds by the task services.
    """

    CREATE = "create"
    PUBLISH = "publish"
    TAKEDOWN = "takedown"
    START_PRODUCTION = "start-production"
    PRODUCE = "produce"
    SHIP = "ship"
    UPDATE_TRACKING = "update-tracking"
    DELIVER = "deliver"
    COMPLETE = "complete"
    CANCEL = "cancel"
    REOPEN = "reopen"
    RECORD_PAYMENT = "record-payment"
    CANCEL_PAYMENT = "cancel-payment"
    EDIT = "edit"
    COMMENT = "comment"
    PLAN_WORK = "plan-work"
    ADD_TASK = "add-task"
    EDIT_TASK = "edit-task"
    REMOVE_TASK = "remove-task"
    MARK_TASK_DONE = "mark-task-done"
    UNMARK_TASK_DONE = "unmark-task-done"
    INVOICE = "invoice"
    CREDIT = "credit"
    DISCOUNT = "discount"

    @property
    def label(self) -> str:
        return _EVENT_LABELS[self]

    @property
    def is_work_plan(self) -> bool:
        return self in WORK_PLAN_EVENTS

    @property
    def changes_order(self) -> bool:
        """Whether the event changes the order itself (its fields, lines, money or status) and
        so bumps its version, the token behind ETag / If-Match and every form's "version".

        A comment or a work-plan change does not: a colleague ticking a task must not make
        someone's open edit or Ship dialog fail as stale. Those writes still lock the order
        row, so they queue behind (and ahead of) every other change to the order, and Produce
        still checks the tasks under that lock.
        """
        return self not in WORK_PLAN_EVENTS and self is not EventKind.COMMENT


_EVENT_LABELS: dict[EventKind, str] = {
    EventKind.CREATE: "Created", EventKind.PUBLISH: "Published", EventKind.TAKEDOWN: "Taken down",
    EventKind.START_PRODUCTION: "In production", EventKind.PRODUCE: "Produced", EventKind.SHIP: "Shipped",
    EventKind.UPDATE_TRACKING: "Tracking number updated", EventKind.DELIVER: "Delivered",
    EventKind.COMPLETE: "Completed (paid in full)", EventKind.CANCEL: "Cancelled", EventKind.REOPEN: "Reopened",
    EventKind.RECORD_PAYMENT: "Payment recorded", EventKind.CANCEL_PAYMENT: "Payment cancelled",
    EventKind.EDIT: "Order edited", EventKind.COMMENT: "Comment added", EventKind.PLAN_WORK: "Work plan created",
    EventKind.ADD_TASK: "Task added", EventKind.EDIT_TASK: "Task edited", EventKind.REMOVE_TASK: "Task removed",
    EventKind.MARK_TASK_DONE: "Task done", EventKind.UNMARK_TASK_DONE: "Task reopened",
    EventKind.INVOICE: "Invoiced", EventKind.CREDIT: "Credit note issued", EventKind.DISCOUNT: "Discount changed",
}
WORK_PLAN_EVENTS = frozenset({
    EventKind.PLAN_WORK, EventKind.ADD_TASK, EventKind.EDIT_TASK, EventKind.REMOVE_TASK,
    EventKind.MARK_TASK_DONE, EventKind.UNMARK_TASK_DONE,
})
# Events after which the status depends on the money on the order (`after_payment`).
# A discount lowers the total: a delivered order it leaves paid in full completes.
_MONEY_EVENTS = frozenset({EventKind.RECORD_PAYMENT, EventKind.CANCEL_PAYMENT, EventKind.COMPLETE, EventKind.DISCOUNT})

ALL_STATUSES = frozenset(Status)
ADMIN, TECH, CUSTOMER = Role.ADMIN, Role.TECHNICIAN, Role.CUSTOMER
S = Status

# (status, action) -> next status, for the actions whose target is fixed.
# REOPEN goes back to where the order was cancelled from; money actions are in `after_payment`.
TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (S.DRAFT, Action.PUBLISH): S.PUBLISHED,
    (S.PUBLISHED, Action.TAKEDOWN): S.DRAFT,
    (S.PUBLISHED, Action.START_PRODUCTION): S.PRODUCTION,
    (S.PRODUCTION, Action.PRODUCE): S.PRODUCED,
    (S.PRODUCED, Action.SHIP): S.SHIPPED,
    (S.SHIPPED, Action.DELIVER): S.DELIVERED,
    (S.DRAFT, Action.CANCEL): S.CANCELLED,
    (S.PUBLISHED, Action.CANCEL): S.CANCELLED,
    (S.PRODUCTION, Action.CANCEL): S.CANCELLED,
    (S.PRODUCED, Action.CANCEL): S.CANCELLED,
}

_PAYABLE = frozenset({S.PUBLISHED, S.PRODUCTION, S.PRODUCED, S.SHIPPED, S.DELIVERED, S.COMPLETED})
_PLANNABLE = ALL_STATUSES

# action -> role -> statuses in which that role may take it.
PERMISSIONS: dict[Action, dict[Role, frozenset[Status]]] = {
    Action.PUBLISH: {CUSTOMER: frozenset({S.DRAFT}), ADMIN: frozenset({S.DRAFT})},
    Action.TAKEDOWN: {CUSTOMER: frozenset({S.PUBLISHED}), ADMIN: frozenset({S.PUBLISHED})},
    Action.START_PRODUCTION: {ADMIN: frozenset({S.PUBLISHED}), TECH: frozenset({S.PUBLISHED})},
    Action.PRODUCE: {ADMIN: frozenset({S.PRODUCTION}), TECH: frozenset({S.PRODUCTION})},
    Action.SHIP: {ADMIN: frozenset({S.PRODUCED}), TECH: frozenset({S.PRODUCED})},
    Action.UPDATE_TRACKING: {
        ADMIN: frozenset({S.SHIPPED, S.DELIVERED, S.COMPLETED}),
        TECH: frozenset({S.SHIPPED, S.DELIVERED, S.COMPLETED}),
    },
    Action.DELIVER: {
        ADMIN: frozenset({S.SHIPPED}),
        TECH: frozenset({S.SHIPPED}),
        CUSTOMER: frozenset({S.SHIPPED}),
    },
    Action.RECORD_PAYMENT: {ADMIN: _PAYABLE},
    # "Any status with a payment": whether a payment exists is a guard, not a status rule.
    Action.CANCEL_PAYMENT: {ADMIN: ALL_STATUSES},
    Action.CANCEL: {
        CUSTOMER: frozenset({S.DRAFT, S.PUBLISHED}),
        ADMIN: frozenset({S.DRAFT, S.PUBLISHED, S.PRODUCTION, S.PRODUCED}),
    },
    Action.REOPEN: {ADMIN: frozenset({S.CANCELLED})},
    Action.EDIT: {CUSTOMER: frozenset({S.DRAFT}), ADMIN: frozenset({S.DRAFT, S.PUBLISHED, S.PRODUCTION})},
    Action.PLAN_WORK: {ADMIN: _PLANNABLE, TECH: _PLANNABLE},
    Action.EDIT_TASKS: {ADMIN: _PLANNABLE, TECH: _PLANNABLE},
    Action.MARK_TASK: {ADMIN: frozenset({S.PUBLISHED, S.PRODUCTION}), TECH: frozenset({S.PUBLISHED, S.PRODUCTION})},
    Action.PRINT: {ADMIN: ALL_STATUSES, TECH: ALL_STATUSES, CUSTOMER: ALL_STATUSES},
    Action.VIEW_PAYMENT_INSTRUCTIONS: {
        role: ALL_STATUSES - {S.CANCELLED} for role in (ADMIN, TECH, CUSTOMER)
    },
    Action.COMMENT: {ADMIN: ALL_STATUSES, TECH: ALL_STATUSES, CUSTOMER: ALL_STATUSES},
    # Invoiced from Published on (one order may be billed ahead of delivery); credited in any
    # status it can be in while invoiced (cancelling waits for the credit note).
    Action.INVOICE: {ADMIN: ALL_STATUSES - {S.DRAFT, S.CANCELLED}},
    # Until the order is paid in full or cancelled; and not while an invoice bills it (a guard).
    Action.DISCOUNT: {ADMIN: ALL_STATUSES - {S.COMPLETED, S.CANCELLED}},
}
# Actions taken from the billing pages, not from the order: left out of `allowed_actions`.
BOOKKEEPING = frozenset({Action.INVOICE, Action.DISCOUNT})

# Statuses at or after "produced": the Produce precondition must keep holding there.
PRODUCED_OR_LATER = frozenset({S.PRODUCED, S.SHIPPED, S.DELIVERED, S.COMPLETED})
TRACKING_MAX_LENGTH = 64


def may_ever(role: Role, action: Action) -> bool:
    """Whether the role may take this action in at least one status (else 403, not 409)."""
    return bool(PERMISSIONS[action].get(role))


def is_allowed(status: Status, role: Role, action: Action) -> bool:
    return status in PERMISSIONS[action].get(role, frozenset())


def allowed_actions(status: Status, role: Role, *, has_payment: bool = True) -> list[Action]:
    """The actions this role may take now, in the order of the `Action` enum.

    `has_payment=False` leaves out cancelling a payment, which needs one to cancel.
    """
    return list(_allowed_actions(status, role, has_payment))


@functools.cache
def _allowed_actions(status: Status, role: Role, has_payment: bool) -> tuple[Action, ...]:
    # Every order of every answer lists its allowed actions: a page of 100 asked the table
    # 2,000 times. The table never changes while the process runs, so each answer is kept.
    return tuple(
        a for a in Action
        if is_allowed(status, role, a) and (has_payment or a is not Action.CANCEL_PAYMENT) and a not in BOOKKEEPING
    )


def next_status(
    status: Status, what: Action | EventKind, *, cancelled_from: Status | None = None,
    paid_in_full: bool | None = None,
) -> Status:
    """Where an action (or the event it writes) leaves the order.

    The transition table for the actions that move it; reopen goes back to where the order
    was cancelled from; after money changed hands, `after_payment` decides (pass
    `paid_in_full`); every other action keeps the status.
    """
    if what == Action.REOPEN:
        if cancelled_from is None:
            raise ValueError("a cancelled order always remembers where it was cancelled from")
        return cancelled_from
    if what in _MONEY_EVENTS:
        if paid_in_full is None:
            raise ValueError(f"{what} needs to know whether the order is paid in full")
        return after_payment(status, paid_in_full=paid_in_full)
    action = Action._value2member_map_.get(str(what))
    return TRANSITIONS.get((status, action), status) if isinstance(action, Action) else status


def after_payment(status: Status, *, paid_in_full: bool) -> Status:
    """The status once payments changed: only Delivered <-> Completed depends on money."""
    if status is S.DELIVERED and paid_in_full:
        return S.COMPLETED
    if status is S.COMPLETED and not paid_in_full:
        return S.DELIVERED
    return status


# ---- guards over plain values; each returns the reason it refuses, or None -------------


@dataclass(frozen=True)
class Refusal:
    """Why a guard refused: a message for people and the field it concerns, if any."""

    message: str
    field: str | None = None


def check_publishable(*, line_count: int, has_patient: bool) -> Refusal | None:
    if line_count == 0:
        return Refusal("an order needs at least one service line before it is published", "lines")
    if not has_patient:
        return Refusal("an order needs a patient before it is published", "patient")
    return None


def check_producible(open_task_names: Iterable[str], task_count: int) -> Refusal | None:
    if task_count == 0:
        return Refusal("the work plan is empty: plan the work and mark the tasks done first")
    names = list(open_task_names)
    if names:
        return Refusal("mark the remaining tasks done first: " + ", ".join(names))
    return None


def check_production_date(value: dt.date, *, today: dt.date, published_on: dt.date | None) -> Refusal | None:
    if value > today:
        return Refusal(f"the production date {value} is in the future (today is {today})", "production_date")
    if published_on is not None and value < published_on:
        return Refusal(
            f"the production date {value} is before the order was published ({published_on})", "production_date"
        )
    return None


def clean_tracking_number(raw: str) -> tuple[str, Refusal | None]:
    value = raw.strip()
    if not value:
        return value, Refusal("a tracking number is required", "tracking_number")
    if len(value) > TRACKING_MAX_LENGTH:
        return value, Refusal(f"a tracking number has at most {TRACKING_MAX_LENGTH} characters", "tracking_number")
    if not value.isprintable():
        return value, Refusal("a tracking number has printable characters only", "tracking_number")
    return value, None


def check_delivery_date(value: dt.date, *, today: dt.date, shipped_on: dt.date | None) -> Refusal | None:
    """A parcel arrives between the day it was sent and today (both in the lab's time zone)."""
    if value > today:
        return Refusal(f"the delivery date {value} is in the future (today is {today})", "delivered_on")
    if shipped_on is not None and value < shipped_on:
        return Refusal(f"the delivery date {value} is before the order was shipped ({shipped_on})", "delivered_on")
    return None


def check_payment_amount(amount: Decimal, *, due: Decimal) -> Refusal | None:
    if amount <= 0:
        return Refusal("a payment amount is greater than zero", "amount")
    if amount > due:
        return Refusal(f"the amount {amount} is more than what is due ({due})", "amount")
    return None


def check_not_invoiced(invoice_number: str) -> Refusal | None:
    """An invoiced order keeps its content and stays open: the invoice is corrected first."""
    if invoice_number:
        return Refusal(f"the order is billed by invoice {invoice_number}: issue a credit note for invoice "
                       f"{invoice_number} first")
    return None


def production_is_over(status: Status, *, cancelled_from: str = "") -> bool:
    """Produced or later, or cancelled from there: reopening brings such an order back past Produce."""
    return status in PRODUCED_OR_LATER or (status is S.CANCELLED and cancelled_from in PRODUCED_OR_LATER)


def check_task_removal(status: Status, *, tasks_left: int, cancelled_from: str = "") -> Refusal | None:
    """Removing a task must not undo a Produce that already happened: the plan keeps a task."""
    if production_is_over(status, cancelled_from=cancelled_from) and tasks_left == 0:
        return Refusal(f"the order is {status}: its work plan keeps at least one task")
    return None


def mermaid() -> str:
    """The life cycle as a Mermaid state diagram, for the README."""
    lines = ["stateDiagram-v2", "    [*] --> draft"]
    for (src, action), dst in TRANSITIONS.items():
        lines.append(f"    {src} --> {dst}: {action}")
    lines.append(f"    {S.DELIVERED} --> {S.COMPLETED}: {Action.RECORD_PAYMENT} (paid in full)")
    lines.append(f"    {S.COMPLETED} --> {S.DELIVERED}: {Action.CANCEL_PAYMENT}")
    for (src, action), dst in TRANSITIONS.items():
        if action is Action.CANCEL:
            lines.append(f"    {dst} --> {src}: {Action.REOPEN} (back to where it was)")
    lines.append(f"    {S.COMPLETED} --> [*]")
    return "\n".join(lines)
