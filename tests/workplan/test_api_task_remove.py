"""The work-plan endpoints of an order: removing a task."""

from __future__ import annotations

import pytest

from crownline.orders.models import Order
from crownline.workplan.models import Task
from tests.factories import ServiceFactory
from tests.workplan.helpers import LATE, history, last_event, plan, tasks_of, url

# ---- removing a task ------------------------------------------------------------------------


def test_removing_a_service_line_takes_its_open_tasks_and_the_plan_closes_up(cast, api, order_in):
    scan = ServiceFactory(lab=cast.lab_a, name="Night guard", templates=["Scan", "Print"])
    order = order_in("published", plan=False)
    first = order.lines.get()
    edited = api(cast.admin_a).patch(
        url(order), {"lines": [{"id": first.pk, "service": cast.service_a.pk}, {"service": scan.pk}]},
        HTTP_IF_MATCH=Order.objects.get(pk=order.pk).etag,
    )
    assert edited.status_code == 200, edited.content
    assert api(cast.tech_a).post(url(order, "/work-plan/auto")).status_code == 200
    second = order.lines.exclude(pk=first.pk).get()

    edited = api(cast.admin_a).patch(
        url(order), {"lines": [{"id": second.pk, "service": scan.pk}]},
        HTTP_IF_MATCH=Order.objects.get(pk=order.pk).etag,
    )

    assert edited.status_code == 200, edited.content
    assert plan(order) == [(1, "Scan"), (2, "Print")]
    listed = api(cast.tech_a).get(url(order, "/tasks")).json()
    assert [(t["position"], t["name"]) for t in listed] == [(1, "Scan"), (2, "Print")]
    added = api(cast.tech_a).post(url(order, "/tasks"), {"name": "Polish"})
    assert added.json()["position"] == 3


def test_a_technician_removes_a_task_and_the_rest_close_up(cast, api, order_in):
    order = order_in("published")
    task = tasks_of(order)[0]
    before = history(order)

    response = api(cast.tech_a).delete(url(order, f"/tasks/{task.pk}"))

    assert response.status_code == 204
    assert not Task.objects.filter(pk=task.pk).exists()
    assert plan(order) == [(1, "Design"), (2, "Finish")]
    assert history(order) == (before[0], before[1] + 1)  # one event; the order itself is unchanged
    event = last_event(order)
    assert (event.action, event.data) == ("remove-task", {"task": task.pk, "name": "Model"})


def test_the_last_task_of_a_published_order_can_be_removed(cast, api, order_in):
    order = order_in("published")
    for task in tasks_of(order):
        assert api(cast.tech_a).delete(url(order, f"/tasks/{task.pk}")).status_code == 204

    assert plan(order) == []


@pytest.mark.parametrize("status", LATE)
def test_removing_the_last_task_of_an_order_produced_or_later_is_refused(cast, api, order_in, status):
    order = order_in(status)
    *others, last = tasks_of(order)
    for task in others:  # removing done work is allowed while a task remains
        assert api(cast.tech_a).delete(url(order, f"/tasks/{task.pk}")).status_code == 204
    before = history(order)

    response = api(cast.tech_a).delete(url(order, f"/tasks/{last.pk}"))

    assert response.status_code == 409
    assert status in response.json()["detail"]
    assert plan(order) == [(1, "Finish")]
    assert Task.objects.get(pk=last.pk).done
    assert history(order) == before
    assert Order.objects.get(pk=order.pk).status == status

