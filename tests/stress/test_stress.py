"""16 threads, 2,000 random actions, 20 orders, real row locks: nothing lost, nothing doubled.

PostgreSQL only: SQLite serialises every writer, so there is nothing to race there.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection, connections

from crownline.errors import DomainError
from crownline.orders import drafting, payments, services
from crownline.orders.drafting import OrderInput
from crownline.orders.models import Order, OrderEvent, Payment
from crownline.workplan import services as workplan
from crownline.workplan.models import Task
from tests.factories import make_order
from tests.invariants import assert_order_whole

THREADS = 16
ACTIONS = 2_000
ORDERS = 20
IDEMPOTENT = frozenset({"mark-task-done", "unmark-task-done"})
STATUSES = ["draft", "published", "production", "produced", "shipped", "delivered", "completed", "cancelled"]


def _actions(cast, order_numbers: list[str], rng: random.Random):
    """One random (name, callable) pair: an action with plausible input by a plausible actor."""
    n = rng.choice(order_numbers)
    actor = rng.choice([cast.admin_a, cast.tech_a, cast.dentist_a1])
    today = cast.lab_a.local_date()

    def a_task() -> int:
        ids = list(Task.objects.filter(order__number=n).values_list("id", flat=True)) or [0]
        return rng.choice(ids)

    def a_payment() -> int:
        ids = list(Payment.objects.filter(order__number=n, voided_at=None).values_list("id", flat=True)) or [0]
        return rng.choice(ids)

    choices = [
        ("publish", lambda: services.publish_order(actor, n)),
        ("takedown", lambda: services.takedown_order(actor, n)),
        ("start-production", lambda: services.start_production(actor, n, production_date=today)),
        ("produce", lambda: services.produce_order(actor, n)),
        ("ship", lambda: services.ship_order(actor, n, tracking_number=f"TRK{rng.randrange(10**6)}")),
        ("update-tracking", lambda: services.update_tracking(actor, n, tracking_number=f"U{rng.randrange(10**6)}")),
        ("deliver", lambda: services.deliver_order(actor, n)),
        ("cancel", lambda: services.cancel_order(actor, n, reason="stress")),
        ("reopen", lambda: services.reopen_order(actor, n)),
        ("record-payment", lambda: payments.record_payment(
            actor, n, amount=Decimal(rng.choice(["10.00", "25.50", "100.00", "500.00"])))),
        ("cancel-payment", lambda: payments.cancel_payment(actor, n, a_payment(), reason="stress")),
        ("mark-task-done", lambda: workplan.set_task_done(actor, n, a_task(), True)),
        ("unmark-task-done", lambda: workplan.set_task_done(actor, n, a_task(), False)),
        ("add-task", lambda: workplan.add_task(actor, n, workplan.TaskInput(name="Extra step"))),
        ("edit", lambda: drafting.edit_order(actor, n, OrderInput(notes="busy", given={"notes"}))),
    ]
    return rng.choice(choices)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_sixteen_threads_doing_two_thousand_random_actions_lose_and_double_nothing(cast):
    numbers = [
        make_order(cast.admin_a, cast.customer_a1, status=STATUSES[i % len(STATUSES)], service=cast.service_a).number
        for i in range(ORDERS)
    ]
    events_before = Counter(OrderEvent.objects.values_list("action", flat=True))
    succeeded: Counter = Counter()
    unexpected: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        local: Counter = Counter()
        try:
            start.wait()
            for _ in range(ACTIONS // THREADS):
                name, act = _actions(cast, numbers, rng)
                try:
                    act()
                except DomainError:
                    continue
                local[name] += 1
        except BaseException as exc:  # a 500, a deadlock, a lost connection: all are failures
            with lock:
                unexpected.append(exc)
        finally:
            with lock:
                succeeded.update(local)
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert not any(t.is_alive() for t in threads), "a worker hung: deadlock?"
    assert unexpected == []
    assert sum(succeeded.values()) > 100, succeeded  # the mix must really act, not only be refused

    connection.close()
    events_after = Counter(OrderEvent.objects.values_list("action", flat=True))
    events_new = events_after - events_before
    for name, count in succeeded.items():
        if name in IDEMPOTENT:
            # Marking a task that is already done succeeds without a new event (double clicks).
            assert 0 < events_new[name] <= count, f"{name}: {count} successes, {events_new[name]} events"
        else:
            assert events_new[name] == count, f"{name}: {count} successes but {events_new[name]} events"

    for order in Order.objects.filter(number__in=numbers):
        assert_order_whole(order)
