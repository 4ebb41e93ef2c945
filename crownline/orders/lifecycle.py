"""The order life cycle as data: statuses, actions, who may do what, and the guards.

Pure Python on purpose (no Django import): the whole contract of
`shared/spec/order-lifecycle.md` can be read, tested exhaustively and drawn as a
diagram without a database. The service functions in `services.py` ask this module
what is allowed and what comes next; nothing else decides a status.
"""

from __future__ import annotations

import functools
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
    # The case (issue 13): files, copies, remakes, markers, the customer, outsourcing. Each has
    # its own route and button, so none is listed in `allowed_actions` (see CASE_ACTIONS).
    ATTACH_FILE = "attach-file"
    DELETE_FILE = "delete-file"
    COPY = "copy"
    REMAKE = "remake"
    CHANGE_CUSTOMER = "change-customer"
    HOLD = "hold"
    RELEASE = "release"
    SEND_FOR_FITTING = "send-for-fitting"
    RETURN_FROM_FITTING = "return-from-fitting"
    OUTSOURCE = "outsource"


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
    # The case (issue 13).
    FILE_ADDED = "file-added"
    FILE_REMOVED = "file-removed"
    COPIED_FROM = "copied-from"  # on the new order: which order it copies
    REMAKE_OF = "remake-of"  # on the remake: its original, reason and who pays
    REMAKE_CREATED = "remake-created"  # on the original: a remake of it was made
    CHANGE_CUSTOMER = "change-customer"
    HOLD = "hold"
    RELEASE = "release"
    SEND_FOR_FITTING = "send-for-fitting"
    RETURN_FROM_FITTING = "return-from-fitting"
    DUE_DATE_SET = "due-date-set"  # the system set the due date from the work schedule
    OUTSOURCE = "outsource"  # on the sender's order: sent (some lines) to a partner lab
    RECEIVED_FROM_PARTNER = "received-from-partner"  # on the partner's new order
    PARTNER_STATUS = "partner-status"  # on the sender's order: the partner's order moved

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
        return self not in WORK_PLAN_EVENTS and self not in _NOT_VERSIONED


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
    EventKind.FILE_ADDED: "File added", EventKind.FILE_REMOVED: "File removed",
    EventKind.COPIED_FROM: "Copied from another order", EventKind.REMAKE_OF: "Remake of another order",
    EventKind.REMAKE_CREATED: "Remake created", EventKind.CHANGE_CUSTOMER: "Customer changed",
    EventKind.HOLD: "Put on hold", EventKind.RELEASE: "Released from hold",
    EventKind.SEND_FOR_FITTING: "Sent for fitting", EventKind.RETURN_FROM_FITTING: "Back from fitting",
    EventKind.DUE_DATE_SET: "Due date set from the work schedule",
    EventKind.OUTSOURCE: "Sent to a partner lab", EventKind.RECEIVED_FROM_PARTNER: "Received from a partner lab",
    EventKind.PARTNER_STATUS: "Partner lab's order moved",
}
WORK_PLAN_EVENTS = frozenset({
    EventKind.PLAN_WORK, EventKind.ADD_TASK, EventKind.EDIT_TASK, EventKind.REMOVE_TASK,
    EventKind.MARK_TASK_DONE, EventKind.UNMARK_TASK_DONE,
})
# Events that leave the order itself as it was (no version bump, see `changes_order`): a
# comment, a file, a remake made from it, news of the partner's order.
_NOT_VERSIONED = frozenset({
    EventKind.COMMENT, EventKind.FILE_ADDED, EventKind.FILE_REMOVED, EventKind.REMAKE_CREATED,
    EventKind.PARTNER_STATUS,
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
    # ---- the case (issue 13) ----
    # Dentists attach files to their own orders from Draft on, the lab to any order of its lab.
    Action.ATTACH_FILE: {ADMIN: ALL_STATUSES, TECH: ALL_STATUSES, CUSTOMER: ALL_STATUSES - {S.CANCELLED}},
    # Who may delete which file (its uploader, the lab) is a guard of the files service.
    Action.DELETE_FILE: {ADMIN: ALL_STATUSES, TECH: ALL_STATUSES, CUSTOMER: ALL_STATUSES - {S.CANCELLED}},
    # A copy is a new Draft of the same customer: whoever may create that customer's orders.
    Action.COPY: {ADMIN: ALL_STATUSES, CUSTOMER: ALL_STATUSES},
    # A remake answers a case that reached the dentist (or was made and found wrong).
    Action.REMAKE: {
        ADMIN: frozenset({S.PRODUCED, S.SHIPPED, S.DELIVERED, S.COMPLETED}),
        CUSTOMER: frozenset({S.SHIPPED, S.DELIVERED, S.COMPLETED}),
    },
    # Not once invoiced or paid (guards of the service).
    Action.CHANGE_CUSTOMER: {ADMIN: ALL_STATUSES - {S.CANCELLED}},
    # Markers on work in the lab: hold stops the queues, a fitting sends the try-in out and back.
    Action.HOLD: {ADMIN: frozenset({S.PUBLISHED, S.PRODUCTION, S.PRODUCED}),
                  TECH: frozenset({S.PUBLISHED, S.PRODUCTION, S.PRODUCED})},
    Action.RELEASE: {ADMIN: ALL_STATUSES, TECH: ALL_STATUSES},
    Action.SEND_FOR_FITTING: {ADMIN: frozenset({S.PUBLISHED, S.PRODUCTION}),
                              TECH: frozenset({S.PUBLISHED, S.PRODUCTION})},
    Action.RETURN_FROM_FITTING: {ADMIN: ALL_STATUSES - {S.DRAFT}, TECH: ALL_STATUSES - {S.DRAFT}},
    Action.OUTSOURCE: {ADMIN: frozenset({S.PUBLISHED, S.PRODUCTION})},
}
# Actions taken from the billing pages, not from the order: left out of `allowed_actions`.
BOOKKEEPING = frozenset({Action.INVOICE, Action.DISCOUNT})
# The case's actions have routes of their own (files, copy, remakes, markers, outsourcing):
# left out of `allowed_actions`, which lists the life cycle's buttons; `is_allowed` decides them.
CASE_ACTIONS = frozenset({
    Action.ATTACH_FILE, Action.DELETE_FILE, Action.COPY, Action.REMAKE, Action.CHANGE_CUSTOMER, Action.HOLD,
    Action.RELEASE, Action.SEND_FOR_FITTING, Action.RETURN_FROM_FITTING, Action.OUTSOURCE,
})
_NOT_LISTED = BOOKKEEPING | CASE_ACTIONS

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
        if is_allowed(status, role, a) and (has_payment or a is not Action.CANCEL_PAYMENT) and a not in _NOT_LISTED
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
