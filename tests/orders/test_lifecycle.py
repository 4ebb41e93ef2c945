"""The pure life-cycle module, without a database: the spec's tables, cell by cell."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from crownline.orders import guards
from crownline.orders import lifecycle as lc
from crownline.orders.lifecycle import Action, Status
from crownline.roles import Role

S, A = Status, Action
ADMIN, TECH, CUSTOMER = Role.ADMIN, Role.TECHNICIAN, Role.CUSTOMER

# The spec's transition table, written out by hand so that a mistake in lifecycle.py is
# caught here instead of being copied: (action, role) -> statuses where it is allowed.
EXPECTED: dict[tuple[Action, Role], set[Status]] = {
    (A.PUBLISH, CUSTOMER): {S.DRAFT},
    (A.PUBLISH, ADMIN): {S.DRAFT},
    (A.TAKEDOWN, CUSTOMER): {S.PUBLISHED},
    (A.TAKEDOWN, ADMIN): {S.PUBLISHED},
    (A.START_PRODUCTION, ADMIN): {S.PUBLISHED},
    (A.START_PRODUCTION, TECH): {S.PUBLISHED},
    (A.PRODUCE, ADMIN): {S.PRODUCTION},
    (A.PRODUCE, TECH): {S.PRODUCTION},
    (A.SHIP, ADMIN): {S.PRODUCED},
    (A.SHIP, TECH): {S.PRODUCED},
    (A.UPDATE_TRACKING, ADMIN): {S.SHIPPED, S.DELIVERED, S.COMPLETED},
    (A.UPDATE_TRACKING, TECH): {S.SHIPPED, S.DELIVERED, S.COMPLETED},
    (A.DELIVER, ADMIN): {S.SHIPPED},
    (A.DELIVER, TECH): {S.SHIPPED},
    (A.DELIVER, CUSTOMER): {S.SHIPPED},
    (A.RECORD_PAYMENT, ADMIN): {S.PUBLISHED, S.PRODUCTION, S.PRODUCED, S.SHIPPED, S.DELIVERED, S.COMPLETED},
    (A.CANCEL_PAYMENT, ADMIN): set(S),
    (A.CANCEL, CUSTOMER): {S.DRAFT, S.PUBLISHED},
    (A.CANCEL, ADMIN): {S.DRAFT, S.PUBLISHED, S.PRODUCTION, S.PRODUCED},
    (A.REOPEN, ADMIN): {S.CANCELLED},
    (A.EDIT, CUSTOMER): {S.DRAFT},
    (A.EDIT, ADMIN): {S.DRAFT, S.PUBLISHED, S.PRODUCTION},
    (A.PLAN_WORK, ADMIN): set(S),
    (A.PLAN_WORK, TECH): set(S),
    (A.EDIT_TASKS, ADMIN): set(S),
    (A.EDIT_TASKS, TECH): set(S),
    (A.MARK_TASK, ADMIN): {S.PUBLISHED, S.PRODUCTION},
    (A.MARK_TASK, TECH): {S.PUBLISHED, S.PRODUCTION},
    (A.PRINT, ADMIN): set(S),
    (A.PRINT, TECH): set(S),
    (A.PRINT, CUSTOMER): set(S),
    (A.VIEW_PAYMENT_INSTRUCTIONS, ADMIN): set(S) - {S.CANCELLED},
    (A.VIEW_PAYMENT_INSTRUCTIONS, TECH): set(S) - {S.CANCELLED},
    (A.VIEW_PAYMENT_INSTRUCTIONS, CUSTOMER): set(S) - {S.CANCELLED},
    (A.COMMENT, ADMIN): set(S),
    (A.COMMENT, TECH): set(S),
    (A.COMMENT, CUSTOMER): set(S),
    (A.DISCOUNT, ADMIN): set(S) - {S.COMPLETED, S.CANCELLED},
    (A.INVOICE, ADMIN): set(S) - {S.DRAFT, S.CANCELLED},
    # The case (issue 13).
    (A.ATTACH_FILE, ADMIN): set(S),
    (A.ATTACH_FILE, TECH): set(S),
    (A.ATTACH_FILE, CUSTOMER): set(S) - {S.CANCELLED},
    (A.DELETE_FILE, ADMIN): set(S),
    (A.DELETE_FILE, TECH): set(S),
    (A.DELETE_FILE, CUSTOMER): set(S) - {S.CANCELLED},
    (A.COPY, ADMIN): set(S),
    (A.COPY, CUSTOMER): set(S),
    (A.REMAKE, ADMIN): {S.PRODUCED, S.SHIPPED, S.DELIVERED, S.COMPLETED},
    (A.REMAKE, CUSTOMER): {S.SHIPPED, S.DELIVERED, S.COMPLETED},
    (A.CHANGE_CUSTOMER, ADMIN): set(S) - {S.CANCELLED},
    (A.HOLD, ADMIN): {S.PUBLISHED, S.PRODUCTION, S.PRODUCED},
    (A.HOLD, TECH): {S.PUBLISHED, S.PRODUCTION, S.PRODUCED},
    (A.RELEASE, ADMIN): set(S),
    (A.RELEASE, TECH): set(S),
    (A.SEND_FOR_FITTING, ADMIN): {S.PUBLISHED, S.PRODUCTION},
    (A.SEND_FOR_FITTING, TECH): {S.PUBLISHED, S.PRODUCTION},
    (A.RETURN_FROM_FITTING, ADMIN): set(S) - {S.DRAFT},
    (A.RETURN_FROM_FITTING, TECH): set(S) - {S.DRAFT},
    (A.OUTSOURCE, ADMIN): {S.PUBLISHED, S.PRODUCTION},
}

EXPECTED_NEXT = {
    (S.DRAFT, A.PUBLISH): S.PUBLISHED,
    (S.PUBLISHED, A.TAKEDOWN): S.DRAFT,
    (S.PUBLISHED, A.START_PRODUCTION): S.PRODUCTION,
    (S.PRODUCTION, A.PRODUCE): S.PRODUCED,
    (S.PRODUCED, A.SHIP): S.SHIPPED,
    (S.SHIPPED, A.DELIVER): S.DELIVERED,
    **{(s, A.CANCEL): S.CANCELLED for s in (S.DRAFT, S.PUBLISHED, S.PRODUCTION, S.PRODUCED)},
}


@pytest.mark.parametrize(("status", "action", "role"), list(itertools.product(Status, Action, Role)))
def test_every_status_action_and_role_is_allowed_exactly_as_the_spec_says(status, action, role):
    expected = status in EXPECTED.get((action, role), set())
    assert lc.is_allowed(status, role, action) is expected
    # Invoicing and discounts are taken from the billing forms, the case's actions from their own
    # routes and buttons, not from the order's action list.
    listed = expected and action not in lc.BOOKKEEPING | lc.CASE_ACTIONS
    assert (action in lc.allowed_actions(status, role)) is listed


@pytest.mark.parametrize(("action", "role"), list(itertools.product(Action, Role)))
def test_a_role_that_may_never_take_an_action_is_told_so_rather_than_told_the_status_is_wrong(action, role):
    assert lc.may_ever(role, action) is bool(EXPECTED.get((action, role)))


MONEY = (A.RECORD_PAYMENT, A.CANCEL_PAYMENT, A.DISCOUNT)


# Reopen depends on where the order was cancelled from, money on the amount paid: tested below.
@pytest.mark.parametrize(
    ("status", "action"), [(s, a) for s in Status for a in Action if a is not A.REOPEN and a not in MONEY]
)
def test_every_action_leads_where_the_spec_says(status, action):
    assert lc.next_status(status, action) is EXPECTED_NEXT.get((status, action), status)


@pytest.mark.parametrize(
    ("status", "action", "paid"), [(s, a, p) for s in Status for a in MONEY for p in (True, False)]
)
def test_after_money_changed_hands_the_amount_paid_decides(status, action, paid):
    assert lc.next_status(status, action, paid_in_full=paid) is lc.after_payment(status, paid_in_full=paid)
    assert lc.next_status(status, lc.EventKind(action.value), paid_in_full=paid) is lc.after_payment(
        status, paid_in_full=paid
    )


@pytest.mark.parametrize("action", MONEY)
def test_a_money_action_without_the_amount_paid_is_a_programming_error(action):
    with pytest.raises(ValueError, match="paid in full"):
        lc.next_status(S.DELIVERED, action)


def test_every_action_writes_an_event_of_its_own_name():
    assert {a.value for a in lc.ORDER_ACTIONS} | {A.RECORD_PAYMENT.value, A.CANCEL_PAYMENT.value} <= {
        k.value for k in lc.EventKind
    }


@pytest.mark.parametrize("kind", list(lc.EventKind))
def test_only_comments_files_and_work_plan_events_leave_the_version_alone(kind):
    keeps = kind is lc.EventKind.COMMENT or kind.value in {
        "plan-work", "add-task", "edit-task", "remove-task", "mark-task-done", "unmark-task-done",
        # The case: a file, a remake made from the order, news of the partner lab's order.
        "file-added", "file-removed", "remake-created", "partner-status",
    }
    assert kind.changes_order is not keeps
    assert kind.label  # every kind reads as words in the history


@pytest.mark.parametrize("origin", [S.DRAFT, S.PUBLISHED, S.PRODUCTION, S.PRODUCED])
def test_reopen_goes_back_to_the_status_the_order_was_cancelled_from(origin):
    assert lc.next_status(S.CANCELLED, A.REOPEN, cancelled_from=origin) is origin


def test_reopen_without_a_remembered_status_is_a_programming_error():
    with pytest.raises(ValueError, match="cancelled from"):
        lc.next_status(S.CANCELLED, A.REOPEN)


@pytest.mark.parametrize(
    ("status", "paid", "expected"),
    [
        (S.DELIVERED, True, S.COMPLETED),
        (S.DELIVERED, False, S.DELIVERED),
        (S.COMPLETED, False, S.DELIVERED),
        (S.COMPLETED, True, S.COMPLETED),
        (S.SHIPPED, True, S.SHIPPED),
        (S.PUBLISHED, True, S.PUBLISHED),
    ],
)
def test_only_delivered_and_completed_move_with_money(status, paid, expected):
    assert lc.after_payment(status, paid_in_full=paid) is expected


def test_publishing_needs_a_line_and_a_patient():
    assert guards.check_publishable(line_count=0, has_patient=True).field == "lines"
    assert guards.check_publishable(line_count=2, has_patient=False).field == "patient"
    assert guards.check_publishable(line_count=1, has_patient=True) is None


def test_producing_names_the_unfinished_tasks():
    refusal = guards.check_producible(["Milling", "Glaze"], 4)
    assert "Milling" in refusal.message and "Glaze" in refusal.message
    assert "empty" in guards.check_producible([], 0).message
    assert guards.check_producible([], 3) is None


def test_the_production_date_may_be_neither_in_the_future_nor_before_publishing():
    today, published = dt.date(2026, 5, 10), dt.date(2026, 5, 8)
    assert guards.check_production_date(dt.date(2026, 5, 11), today=today, published_on=published).field == (
        "production_date"
    )
    assert guards.check_production_date(dt.date(2026, 5, 7), today=today, published_on=published) is not None
    assert guards.check_production_date(dt.date(2026, 5, 8), today=today, published_on=published) is None
    assert guards.check_production_date(today, today=today, published_on=published) is None


@pytest.mark.parametrize(
    ("raw", "ok"),
    [("  1Z999AA10123456784 ", True), ("", False), ("   ", False), ("x" * 64, True), ("x" * 65, False),
     ("AB\tC", False), ("AB\nC", False), ("ÄBC-Ω 12", True), ("AB\x00C", False), ("ABC-123/45", True)],
)
def test_tracking_numbers_are_trimmed_and_have_1_to_64_printable_characters(raw, ok):
    value, refusal = guards.clean_tracking_number(raw)
    assert (refusal is None) is ok
    assert value == raw.strip()


def test_a_payment_is_positive_and_at_most_what_is_due():
    assert guards.check_payment_amount(Decimal("0"), due=Decimal("10")).field == "amount"
    assert guards.check_payment_amount(Decimal("10.01"), due=Decimal("10")).field == "amount"
    assert guards.check_payment_amount(Decimal("10.00"), due=Decimal("10")) is None


def test_a_produced_order_keeps_at_least_one_task():
    assert guards.check_task_removal(S.SHIPPED, tasks_left=0) is not None
    assert guards.check_task_removal(S.SHIPPED, tasks_left=1) is None
    assert guards.check_task_removal(S.PRODUCTION, tasks_left=0) is None


def test_the_diagram_draws_every_transition_of_the_table():
    diagram = lc.mermaid()
    assert diagram.startswith("stateDiagram-v2")
    for (src, action), dst in EXPECTED_NEXT.items():
        assert f"{src} --> {dst}: {action}" in diagram
    for origin in (S.DRAFT, S.PUBLISHED, S.PRODUCTION, S.PRODUCED):
        assert f"cancelled --> {origin}: reopen" in diagram
    assert "delivered --> completed" in diagram and "completed --> delivered" in diagram


def test_the_lifecycle_module_imports_nothing_from_django():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(lc))
    imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)] + [
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    ]
    assert not [m for m in imported if m and m.startswith("django")]
