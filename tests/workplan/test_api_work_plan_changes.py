"""The work-plan endpoints of an order: every change writes one event (and keeps the version); tenancy; If-Match."""

from __future__ import annotations

import pytest

from crownline.orders.models import Order
from crownline.workplan.models import Task
from tests.workplan.helpers import history, last_event, plan, url

# ---- every change: one event, the same version; tenancy; If-Match ---------------------------------

# name -> (method, path under the order, body); "{task}" is the plan's first task.
CHANGES = {
    "plan": ("post", "/work-plan/auto", None, "plan-work"),
    "add": ("post", "/tasks", {"name": "Polish"}, "add-task"),
    "rename": ("patch", "/tasks/{task}", {"name": "Die"}, "edit-task"),
    "assign": ("patch", "/tasks/{task}", {"assignee": "tech"}, "edit-task"),
    "move": ("patch", "/tasks/{task}", {"position": 3}, "edit-task"),
    "pay": ("patch", "/tasks/{task}", {"pay": "3.00"}, "edit-task"),
    "remove": ("delete", "/tasks/{task}", None, "remove-task"),
    "mark": ("post", "/tasks/{task}/done", None, "mark-task-done"),
}


def _call(client, cast, order: Order, change: str, **headers: str):
    method, path, body, _ = CHANGES[change]
    task = Task.objects.filter(order=order).order_by("position").first()
    path = url(order, path.format(task=task.pk if task else 0))
    if body and body.get("assignee") == "tech":
        body = {"assignee": cast.tech_a.pk}
    if method in ("post", "patch"):
        return getattr(client, method)(path, body, **headers)
    return client.delete(path, **headers)


def _order_for(order_in, change: str) -> Order:
    # "Create automatically" needs a line without tasks; the rest need a plan.
    return order_in("production", plan=change != "plan")


@pytest.mark.parametrize("change", list(CHANGES))
def test_every_work_plan_change_writes_exactly_one_event_and_keeps_the_version(cast, api, order_in, change):
    order = _order_for(order_in, change)
    before = history(order)

    response = _call(api(cast.admin_a), cast, order, change)

    assert response.status_code in (200, 201, 204), response.content
    assert history(order) == (before[0], before[1] + 1)  # one event; the order itself is unchanged
    event = last_event(order)
    assert (event.action, event.actor, event.actor_role) == (CHANGES[change][3], cast.admin_a, "lab_admin")
    assert (event.from_status, event.to_status) == ("production", "production")


@pytest.mark.parametrize("actor", ["admin_b", "dentist_b"])
@pytest.mark.parametrize("change", list(CHANGES))
def test_people_of_another_lab_get_404_for_every_work_plan_change(cast, api, order_in, change, actor):
    order = _order_for(order_in, change)
    before, before_plan = history(order), plan(order)

    response = _call(api(getattr(cast, actor)), cast, order, change)

    assert response.status_code == 404
    assert history(order) == before
    assert plan(order) == before_plan


@pytest.mark.parametrize("change", list(CHANGES))
def test_the_dentist_who_owns_the_order_cannot_change_its_work_plan(cast, api, order_in, change):
    order = _order_for(order_in, change)
    before, before_plan = history(order), plan(order)

    response = _call(api(cast.dentist_a1), cast, order, change)

    assert response.status_code == 403
    assert history(order) == before
    assert plan(order) == before_plan


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_stale_if_match_is_refused_with_412_and_changes_nothing(cast, api, order_in, change):
    order = _order_for(order_in, change)
    stale = f'"{order.number}-{order.version - 1}"'
    before, before_plan = history(order), plan(order)

    response = _call(api(cast.tech_a if change != "pay" else cast.admin_a), cast, order, change,
                     HTTP_IF_MATCH=stale)

    assert response.status_code == 412
    assert response.json()["version"] == order.version
    assert history(order) == before
    assert plan(order) == before_plan


@pytest.mark.parametrize("change", list(CHANGES))
def test_the_current_if_match_is_accepted(cast, api, order_in, change):
    order = _order_for(order_in, change)
    before = history(order)

    response = _call(api(cast.admin_a), cast, order, change, HTTP_IF_MATCH=order.etag)

    assert response.status_code in (200, 201, 204), response.content
    assert history(order)[1] == before[1] + 1


def test_an_if_match_of_another_order_is_refused_with_412(cast, api, order_in):
    order, other = order_in("production"), order_in("production")
    before = history(order)

    response = api(cast.tech_a).post(url(order, "/tasks"), {"name": "Polish"}, HTTP_IF_MATCH=other.etag)

    assert response.status_code == 412
    assert history(order) == before
    assert len(plan(order)) == 3

