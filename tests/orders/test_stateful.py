"""Random sequences of actions by random people on one or two orders, checked after every step.

The machine drives the service functions (the only writers) and checks the invariants a lab
relies on: the history replays to the status, produced work stays done, money adds up, and a
refused action leaves everything as it was.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from decimal import Decimal
from typing import Any

from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from crownline.errors import DomainError
from crownline.orders import drafting, payments, services
from crownline.orders.drafting import LineInput, OrderInput
from crownline.orders.lifecycle import PRODUCED_OR_LATER, EventKind, Status
from crownline.orders.models import Order, OrderEvent, OrderLine, Payment, TrackingNumber
from crownline.workplan import services as workplan
from crownline.workplan.models import Task
from crownline.workplan.services import TaskInput
from tests.factories import PATH, ServiceFactory, make_order

ACTORS = ["admin", "technician", "owner", "other dentist"]
WHO = st.sampled_from(ACTORS)
# Where an order starts: any status, reached through the services; "cancelled from X" cancels it in X.
STARTS = st.sampled_from(
    [*PATH, *(f"cancelled from {s}" for s in ("draft", "published", "production", "produced"))]
)
AMOUNTS = st.one_of(
    st.sampled_from(["default", "due", "over", "half", "zero"]),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("400"), places=2),
)
PICK = st.integers(min_value=0, max_value=9)  # an index into the order's tasks or payments
MISSING = 10**9  # the id of a task or payment that does not exist

MACHINE_SETTINGS = settings(
    max_examples=80,
    stateful_step_count=25,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def snapshot(pks: list[int]) -> dict[str, Any]:
    """Everything an action could touch on these orders, in a fixed number of queries."""
    return {
        "orders": list(Order.objects.filter(pk__in=pks).order_by("pk").values()),
        "events": list(OrderEvent.objects.filter(order__in=pks).order_by("id").values_list("id", flat=True)),
        "payments": list(
            Payment.objects.filter(order__in=pks).order_by("id").values_list("id", "amount", "voided_at")
        ),
        "tasks": list(
            Task.objects.filter(order__in=pks).order_by("id")
            .values_list("id", "name", "position", "done", "assignee_id", "pay")
        ),
        "lines": list(
            OrderLine.objects.filter(order__in=pks).order_by("id").values_list("id", "service_id", "quantity")
        ),
        "tracking": list(TrackingNumber.objects.filter(order__in=pks).order_by("id").values_list("id", "number")),
    }


class OrderMachine(RuleBasedStateMachine):
    orders = Bundle("orders")

    def __init__(self, cast, seen: Counter) -> None:
        super().__init__()
        self.cast = cast
        self.seen = seen
        self.people = {
            "admin": cast.admin_a, "technician": cast.tech_a, "owner": cast.dentist_a1,
            "other dentist": cast.dentist_a2,
        }
        self.numbers: list[str] = []
        self.pks: list[int] = []
        # Every example runs in its own savepoint, rolled back in `teardown`: each starts from
        # the same cast and no orders, on SQLite and PostgreSQL alike.
        self._example = transaction.atomic()
        self._example.__enter__()
        self.second_service = ServiceFactory(lab=cast.lab_a, templates=["Scan"], price=Decimal("55.50"))

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._example.__exit__(None, None, None)

    # ---- orders -------------------------------------------------------------------

    def _new_order(self, start: str, paid: bool, plan: bool) -> str:
        status, _, cancelled_from = start.partition(" from ")
        target = cancelled_from or status
        plan = plan or target not in ("draft", "published", "production")
        order = make_order(
            self.cast.admin_a, self.cast.customer_a1, status=target, service=self.cast.service_a, paid=paid, plan=plan
        )
        if cancelled_from:
            services.cancel_order(self.cast.admin_a, order.number, reason="start cancelled")
        self.numbers.append(order.number)
        self.pks.append(order.pk)
        return order.number

    @initialize(target=orders, start=STARTS, paid=st.booleans(), plan=st.booleans())
    def first_order(self, start, paid, plan):
        return self._new_order(start, paid, plan)

    @precondition(lambda self: len(self.numbers) < 2)
    @rule(target=orders, start=STARTS, paid=st.booleans(), plan=st.booleans())
    def second_order(self, start, paid, plan):
        return self._new_order(start, paid, plan)

    # ---- doing things ----------------------------------------------------------------

    def attempt(self, name: str, call) -> None:
        """Run one action; if it is refused, nothing at all may have changed."""
        before = snapshot(self.pks)
        try:
            call()
        except DomainError:
            self.seen[f"refused {name}"] += 1
            after = snapshot(self.pks)
            assert after == before, f"a refused {name} changed something"
        else:
            self.seen[f"did {name}"] += 1

    def _order(self, number: str) -> Order:
        return Order.objects.get(number=number)

    def _task_id(self, number: str, pick: int) -> int:
        ids = list(self._order(number).tasks.order_by("id").values_list("id", flat=True))
        return ids[pick % len(ids)] if ids else MISSING

    @rule(order=orders)
    def advance(self, order):
        """The next step of the happy path, by someone allowed to take it: keeps the walk moving."""
        current = self._order(order)
        admin, tech = self.cast.admin_a, self.cast.tech_a
        open_tasks = list(current.tasks.filter(done=False).values_list("id", flat=True))
        status = Status(current.status)
        if status is Status.DRAFT:
            name, call = "publish", lambda: services.publish_order(admin, order)
        elif status is Status.PUBLISHED:
            today = current.lab.local_date()
            name, call = "start-production", lambda: services.start_production(tech, order, production_date=today)
        elif status is Status.PRODUCTION and open_tasks:
            name, call = "mark-task", lambda: workplan.set_task_done(tech, order, open_tasks[0], True)
        elif status is Status.PRODUCTION and not current.tasks.exists():
            name, call = "add-task", lambda: workplan.add_task(tech, order, TaskInput(name="Polish"))
        elif status is Status.PRODUCTION:
            name, call = "produce", lambda: services.produce_order(tech, order)
        elif status is Status.PRODUCED:
            name, call = "ship", lambda: services.ship_order(tech, order, tracking_number="1Z999AA1")
        elif status is Status.SHIPPED:
            name, call = "deliver", lambda: services.deliver_order(self.cast.dentist_a1, order)
        elif status is Status.DELIVERED:
            name, call = "record-payment", lambda: payments.record_payment(admin, order)
        elif status is Status.COMPLETED:
            payment = current.payments.filter(voided_at=None).values_list("id", flat=True).last()
            name, call = "cancel-payment", lambda: payments.cancel_payment(admin, order, payment, reason="bounced")
        else:
            name, call = "reopen", lambda: services.reopen_order(admin, order)
        self.attempt(name, call)

    @rule(order=orders, who=WHO)
    def publish(self, order, who):
        self.attempt("publish", lambda: services.publish_order(self.people[who], order))

    @rule(order=orders, who=WHO)
    def takedown(self, order, who):
        self.attempt("takedown", lambda: services.takedown_order(self.people[who], order, reason="to edit"))

    @rule(order=orders, who=WHO)
    def produce(self, order, who):
        self.attempt("produce", lambda: services.produce_order(self.people[who], order))

    @rule(order=orders, who=WHO, number=st.sampled_from(["1Z999AA1", "  JD0146 ", ""]))
    def ship(self, order, who, number):
        self.attempt("ship", lambda: services.ship_order(self.people[who], order, tracking_number=number))

    @rule(order=orders, who=WHO, number=st.sampled_from(["1Z999AA2", "X" * 65]))
    def update_tracking(self, order, who, number):
        self.attempt(
            "update-tracking", lambda: services.update_tracking(self.people[who], order, tracking_number=number)
        )

    @rule(order=orders, who=WHO, days=st.integers(-1, 1))
    def deliver(self, order, who, days):
        day = self._order(order).lab.local_date() + dt.timedelta(days=days)
        self.attempt("deliver", lambda: services.deliver_order(self.people[who], order, delivered_on=day))

    @rule(order=orders, who=WHO, reason=st.sampled_from(["changed plans", ""]))
    def cancel(self, order, who, reason):
        self.attempt("cancel", lambda: services.cancel_order(self.people[who], order, reason=reason))

    @rule(order=orders, who=WHO)
    def reopen(self, order, who):
        self.attempt("reopen", lambda: services.reopen_order(self.people[who], order))

    @rule(order=orders, who=WHO, days=st.integers(-2, 1))
    def start_production(self, order, who, days):
        day = self._order(order).lab.local_date() + dt.timedelta(days=days)
        self.attempt(
            "start-production",
            lambda: services.start_production(self.people[who], order, production_date=day),
        )

    @rule(order=orders, who=WHO, amount=AMOUNTS)
    def record_payment(self, order, who, amount):
        due = self._order(order).amount_due
        value = {
            "default": None, "due": due, "over": due + Decimal("0.01"), "half": (due / 2).quantize(Decimal("0.01")),
            "zero": Decimal("0"),
        }.get(amount, amount)
        self.attempt(
            "record-payment",
            lambda: payments.record_payment(self.people[who], order, amount=value, method="cash"),
        )

    @rule(order=orders, who=WHO, pick=PICK)
    def cancel_payment(self, order, who, pick):
        ids = list(self._order(order).payments.order_by("id").values_list("id", flat=True))
        payment_id = ids[pick % len(ids)] if ids else MISSING
        self.attempt(
            "cancel-payment",
            lambda: payments.cancel_payment(self.people[who], order, payment_id, reason="bounced"),
        )

    @rule(order=orders, who=WHO, pick=PICK, done=st.booleans())
    def mark_task(self, order, who, pick, done):
        task_id = self._task_id(order, pick)
        self.attempt(
            "mark-task" if done else "unmark-task",
            lambda: workplan.set_task_done(self.people[who], order, task_id, done),
        )

    @rule(order=orders, who=WHO, name=st.sampled_from(["Polish", " ", "Glaze"]))
    def add_task(self, order, who, name):
        self.attempt("add-task", lambda: workplan.add_task(self.people[who], order, TaskInput(name=name)))

    @rule(order=orders, who=WHO, pick=PICK)
    def remove_task(self, order, who, pick):
        task_id = self._task_id(order, pick)
        self.attempt("remove-task", lambda: workplan.remove_task(self.people[who], order, task_id))

    @rule(order=orders, who=WHO)
    def plan_work(self, order, who):
        self.attempt("plan-work", lambda: workplan.plan_automatically(self.people[who], order))

    @rule(
        order=orders, who=WHO,
        edit=st.sampled_from(["notes", "add line", "drop line", "quantity", "no patient"]),
        quantity=st.integers(1, 3),
    )
    def edit(self, order, who, edit, quantity):
        current = self._order(order)
        kept = [LineInput(service=ln.service_id, quantity=ln.quantity, id=ln.id) for ln in current.lines.all()]
        data = {
            "notes": OrderInput(notes=f"take care {quantity}", given={"notes"}),
            "add line": OrderInput(lines=[*kept, LineInput(service=self.second_service.pk, quantity=quantity)]),
            "drop line": OrderInput(lines=kept[:-1]),
            "quantity": OrderInput(lines=[LineInput(service=ln.service, quantity=quantity, id=ln.id) for ln in kept]),
            "no patient": OrderInput(patient=None, given={"patient"}),
        }[edit]
        self.attempt(f"edit {edit}", lambda: drafting.edit_order(self.people[who], order, data))

    # ---- what must always hold -------------------------------------------------------

    @invariant()
    def every_order_is_consistent(self):
        for number in self.numbers:
            order = self._order(number)
            events = list(order.events.order_by("id").values_list("action", "from_status", "to_status"))
            tasks = list(order.tasks.values_list("name", "done"))
            live_payments = list(order.payments.filter(voided_at=None).values_list("amount", flat=True))
            history_replays_to_the_status(order, events)
            produced_work_stays_done(order, tasks)
            money_adds_up(order, live_payments)


def history_replays_to_the_status(order: Order, events: list[tuple[str, str, str]]) -> None:
    """(a) Start from the 'create' event; each event starts where the previous one ended."""
    assert events[0] == ("create", "", Status.DRAFT)
    assert all(action != "create" for action, _, _ in events[1:])
    for earlier, later in itertools.pairwise(events):
        assert later[1] == earlier[2], f"{later[0]} does not start where {earlier[0]} ended"
    assert events[-1][2] == order.status
    # Every change to the order bumps the version once and writes one event; creation is
    # version 1. Comments and work-plan events write an event and leave the version.
    assert order.version == len([e for e in events if EventKind(e[0]).changes_order])
    if order.status == Status.CANCELLED:
        last_cancel = [e for e in events if e[0] == "cancel"][-1]
        assert order.cancelled_from == last_cancel[1]
    else:
        assert order.cancelled_from == ""


def produced_work_stays_done(order: Order, tasks: list[tuple[str, bool]]) -> None:
    """(b) Produced or later, or cancelled from there: the plan has tasks and all are done."""
    over = order.status in PRODUCED_OR_LATER or (
        order.status == Status.CANCELLED and order.cancelled_from in PRODUCED_OR_LATER
    )
    if over:
        assert tasks, f"a {order.status} order (cancelled from {order.cancelled_from!r}) has no tasks"
        open_tasks = [name for name, done in tasks if not done]
        assert not open_tasks, f"a {order.status} order ({order.cancelled_from!r}) has open tasks: {open_tasks}"


def money_adds_up(order: Order, live_payments: list[Decimal]) -> None:
    """(c) amount_paid is the sum of the payments not voided; Completed means delivered and paid in full."""
    assert order.amount_paid == sum(live_payments, Decimal("0"))
    assert order.amount_paid <= order.total, "more was paid than the order costs"
    if order.status == Status.COMPLETED:
        assert order.delivered_on is not None
        assert order.amount_paid >= order.total
    if order.status == Status.DELIVERED:
        assert order.amount_paid < order.total, "a delivered order paid in full should be completed"



def test_random_sequences_of_actions_keep_every_order_consistent(cast):
    seen: Counter = Counter()
    run_state_machine_as_test(lambda: OrderMachine(cast, seen), settings=MACHINE_SETTINGS)

    # The walk must reach the interesting places, or the invariants above proved little.
    for name in ["publish", "takedown", "start-production", "produce", "ship", "deliver", "cancel", "reopen",
                 "record-payment", "cancel-payment", "mark-task", "add-task", "remove-task"]:
        assert seen[f"did {name}"], f"the machine never managed to {name}: {sorted(seen.items())}"
        assert seen[f"refused {name}"], f"the machine never saw {name} refused: {sorted(seen.items())}"

