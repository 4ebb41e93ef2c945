"""The work-plan endpoints of an order: marking a task done and not done."""

from __future__ import annotations

import pytest

from crownline.orders.models import Order
from crownline.workplan.models import Task
from tests.workplan.helpers import EARLY, LATE, history, last_event, tasks_of, url

# ---- marking tasks done ---------------------------------------------------------------------


@pytest.mark.parametrize("status", EARLY)
def test_a_technician_marks_a_task_done_and_not_done(cast, api, order_in, status):
    order = order_in(status)
    task = tasks_of(order)[1]
    before = history(order)

    marked = api(cast.tech_a).post(url(order, f"/tasks/{task.pk}/done"))

    assert marked.status_code == 200
    assert (marked.json()["done"], marked.json()["done_by"]) == (True, "tech-a")
    assert marked.json()["done_at"] is not None
    stored = Task.objects.get(pk=task.pk)
    assert (stored.done, stored.done_by, stored.done_at is not None) == (True, cast.tech_a, True)
    assert history(order) == (before[0], before[1] + 1)  # one event; the order itself is unchanged
    assert (last_event(order).action, last_event(order).data) == ("mark-task-done", {"task": task.pk,
                                                                                     "name": "Design"})

    unmarked = api(cast.tech_a).delete(url(order, f"/tasks/{task.pk}/done"))

    assert unmarked.status_code == 200
    assert (unmarked.json()["done"], unmarked.json()["done_by"], unmarked.json()["done_at"]) == (False, None, None)
    stored = Task.objects.get(pk=task.pk)
    assert (stored.done, stored.done_by, stored.done_at) == (False, None, None)
    assert history(order) == (before[0], before[1] + 2)
    assert last_event(order).action == "unmark-task-done"
    assert Order.objects.get(pk=order.pk).status == status


def test_marking_a_task_done_twice_writes_one_event(cast, api, order_in):
    order = order_in("production")
    task = tasks_of(order)[0]
    before = history(order)

    first = api(cast.tech_a).post(url(order, f"/tasks/{task.pk}/done"))
    second = api(cast.admin_a).post(url(order, f"/tasks/{task.pk}/done"))

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["done_by"] == "tech-a"
    assert Task.objects.get(pk=task.pk).done_by == cast.tech_a
    assert history(order) == (before[0], before[1] + 1)  # one event; the order itself is unchanged


def test_un_marking_an_open_task_writes_no_event(cast, api, order_in):
    order = order_in("production")
    task = tasks_of(order)[0]
    before = history(order)

    response = api(cast.tech_a).delete(url(order, f"/tasks/{task.pk}/done"))

    assert response.status_code == 200
    assert response.json()["done"] is False
    assert history(order) == before


@pytest.mark.parametrize("status", LATE)
def test_un_marking_a_task_of_an_order_produced_or_later_is_refused(cast, api, order_in, status):
    order = order_in(status)
    task = tasks_of(order)[0]
    before = history(order)

    response = api(cast.tech_a).delete(url(order, f"/tasks/{task.pk}/done"))

    assert response.status_code == 409
    assert response.json()["status"] == status
    assert "mark-task" not in response.json()["allowed_actions"]
    assert Task.objects.get(pk=task.pk).done
    assert history(order) == before


@pytest.mark.parametrize("status", ["draft", "cancelled"])
def test_tasks_cannot_be_marked_done_outside_published_and_production(cast, api, order_in, status):
    order = order_in(status, plan=False)
    assert api(cast.tech_a).post(url(order, "/work-plan/auto")).status_code == 200
    task = tasks_of(order)[0]
    before = history(order)

    response = api(cast.tech_a).post(url(order, f"/tasks/{task.pk}/done"))

    assert response.status_code == 409
    assert response.json()["status"] == status
    assert not Task.objects.get(pk=task.pk).done
    assert history(order) == before


@pytest.mark.parametrize("method", ["post", "delete"])
def test_a_customer_cannot_mark_tasks(cast, api, order_in, method):
    order = order_in("production")
    task = tasks_of(order)[0]
    Task.objects.filter(pk=task.pk).update(done=True)
    before = history(order)

    response = getattr(api(cast.dentist_a1), method)(url(order, f"/tasks/{task.pk}/done"))

    assert response.status_code == 403
    assert Task.objects.get(pk=task.pk).done
    assert history(order) == before

