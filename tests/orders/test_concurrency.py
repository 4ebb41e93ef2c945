"""Real threads racing on one order: the row lock and the version check let exactly one win.

PostgreSQL only (SQLite has no row locks and serialises writers itself); each thread has its
own database connection, closed when the thread ends.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from crownline.errors import Conflict, InvalidInput
from crownline.orders import payments
from crownline.orders.models import Order
from crownline.workplan import services as workplan
from tests import races
from tests.factories import ServiceFactory, make_order

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

THREADS = 8



def race(work: Callable[[int], Any]) -> list[tuple[str, Any]]:
    """Run `work(i)` in THREADS threads released together; ("ok", result) or ("refused", error) each."""
    results, alive = races.race(work, THREADS)
    assert not alive, "a thread is still waiting"
    crashed = [r for r in results if r[0] not in ("ok", "refused")]
    assert not crashed, crashed
    return results


def own_user(user):
    """A separate user object per thread: the lab roles are cached on the object."""
    return get_user_model().objects.get(pk=user.pk)


def test_eight_technicians_starting_production_at_once_start_it_once(cast, api, order_in):
    order = order_in("published")
    events_before = order.events.count()
    clients = [api(cast.tech_a if i % 2 else cast.admin_a) for i in range(THREADS)]
    body = {"production_date": cast.lab_a.local_date().isoformat()}

    results = race(lambda i: clients[i].post(f"/orders/{order.number}/actions/start-production", body))

    codes = sorted(response.status_code for _, response in results)
    assert codes == [200] + [409] * (THREADS - 1), [r.content for _, r in results]
    for _, response in results:
        if response.status_code == 409:
            assert response.json()["detail"]
    after = Order.objects.get(pk=order.pk)
    assert after.status == "production"
    assert after.version == order.version + 1
    assert after.events.filter(action="start-production").count() == 1
    assert after.events.count() == events_before + 1


def test_eight_payments_of_the_full_amount_at_once_record_one(cast, order_in):
    order = order_in("delivered")
    admins = [own_user(cast.admin_a) for _ in range(THREADS)]

    results = race(lambda i: payments.record_payment(admins[i], order.number, amount=order.total, method="card"))

    assert [kind for kind, _ in results].count("ok") == 1
    for kind, outcome in results:
        if kind == "refused":
            # Behind the lock the order is already paid: nothing is due any more.
            assert isinstance(outcome, InvalidInput | Conflict), outcome
            if isinstance(outcome, InvalidInput):
                assert outcome.field == "amount"
    after = Order.objects.get(pk=order.pk)
    assert after.payments.count() == 1
    assert after.amount_paid == after.total == order.total > Decimal("0")
    assert after.status == "completed"
    assert after.events.filter(action="record-payment").count() == 1
    assert after.version == order.version + 1


def test_marking_different_tasks_at_once_loses_no_update(cast):
    service = ServiceFactory(lab=cast.lab_a, templates=[f"Step {i}" for i in range(1, THREADS + 1)])
    order = make_order(cast.admin_a, cast.customer_a1, status="production", service=service)
    task_ids = list(order.tasks.order_by("id").values_list("id", flat=True))
    assert len(task_ids) == THREADS
    technicians = [own_user(cast.tech_a) for _ in range(THREADS)]

    results = race(lambda i: workplan.set_task_done(technicians[i], order.number, task_ids[i], True))

    assert [kind for kind, _ in results] == ["ok"] * THREADS, results
    after = Order.objects.get(pk=order.pk)
    assert list(after.tasks.values_list("done", flat=True)) == [True] * THREADS
    # Ticking tasks is not a change to the order: no colleague's open form goes stale.
    assert after.version == order.version
    marks = list(after.events.filter(action="mark-task-done").values_list("data", flat=True))
    assert sorted(m["task"] for m in marks) == task_ids
    assert after.status == "production"
