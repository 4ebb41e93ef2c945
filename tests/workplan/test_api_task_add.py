"""The work-plan endpoints of an order: adding a task."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crownline.orders.models import Order
from crownline.tenancy.models import Membership
from crownline.workplan.models import Task
from tests.workplan.helpers import EARLY, LATE, history, last_event, plan, url

# ---- adding a task -------------------------------------------------------------------------


def test_a_technician_adds_a_manual_task_at_the_end_of_the_plan(cast, api, order_in):
    order = order_in("published")
    before = history(order)

    response = api(cast.tech_a).post(url(order, "/tasks"), {"name": "  Check the bite  "})

    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["position"], body["line"], body["done"]) == ("Check the bite", 4, None, False)
    assert (body["assignee"], body["pay"]) == (None, None)
    task = Task.objects.get(pk=body["id"])
    assert (task.order_id, task.name, task.position, task.pay, task.line_id) == (
        order.pk, "Check the bite", 4, Decimal("0"), None)
    assert history(order) == (before[0], before[1] + 1)  # one event; the order itself is unchanged
    event = last_event(order)
    assert (event.action, event.actor, event.data) == ("add-task", cast.tech_a, {"task": task.pk,
                                                                                 "name": "Check the bite"})


def test_a_technician_adds_a_task_at_a_chosen_position_and_the_others_move_down(cast, api, order_in):
    order = order_in("published")

    response = api(cast.tech_a).post(url(order, "/tasks"), {"name": "Disinfect", "position": 1})

    assert response.status_code == 201
    assert response.json()["position"] == 1
    assert plan(order) == [(1, "Disinfect"), (2, "Model"), (3, "Design"), (4, "Finish")]


@pytest.mark.parametrize(
    "body", [{}, {"name": ""}, {"name": "   "}, {"name": "x" * 201}, {"name": None}],
    ids=["missing", "empty", "blank", "too-long", "null"],
)
def test_a_task_needs_a_name_of_1_to_200_characters(cast, api, order_in, body):
    order = order_in("published")
    before = history(order)

    response = api(cast.tech_a).post(url(order, "/tasks"), body)

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["name"]
    assert len(plan(order)) == 3
    assert history(order) == before


def test_a_task_name_of_200_characters_is_accepted(cast, api, order_in):
    order = order_in("published")

    response = api(cast.tech_a).post(url(order, "/tasks"), {"name": "x" * 200})

    assert response.status_code == 201
    assert Task.objects.get(pk=response.json()["id"]).name == "x" * 200


@pytest.mark.parametrize("who", ["dentist_a1", "admin_b", "inactive technician", "nobody"])
def test_a_task_can_only_be_assigned_to_an_active_member_of_the_lab(cast, api, order_in, who):
    order = order_in("published")
    if who == "inactive technician":
        Membership.objects.filter(user=cast.tech_a, lab=cast.lab_a).update(is_active=False)
        assignee = cast.tech_a.pk
    elif who == "nobody":
        assignee = 987654
    else:
        assignee = getattr(cast, who).pk
    before = history(order)

    response = api(cast.admin_a).post(url(order, "/tasks"), {"name": "Polish", "assignee": assignee})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "assignee"
    assert len(plan(order)) == 3
    assert history(order) == before


def test_the_lab_admin_adds_a_task_assigned_to_a_technician_with_pay(cast, api, order_in):
    order = order_in("production")

    response = api(cast.admin_a).post(
        url(order, "/tasks"), {"name": "Polish", "assignee": cast.tech_a.pk, "pay": "7.25"}
    )

    assert response.status_code == 201
    body = response.json()
    assert body["assignee"] == {"id": cast.tech_a.pk, "username": "tech-a", "name": cast.tech_a.get_full_name()}
    assert Decimal(body["pay"]) == Decimal("7.25")
    task = Task.objects.get(pk=body["id"])
    assert (task.assignee, task.pay) == (cast.tech_a, Decimal("7.25"))


@pytest.mark.parametrize("pay", ["5.00", "0"])
def test_a_technician_cannot_set_task_pay(cast, api, order_in, pay):
    order = order_in("published")
    before = history(order)

    response = api(cast.tech_a).post(url(order, "/tasks"), {"name": "Polish", "pay": pay})

    assert response.status_code == 403
    assert len(plan(order)) == 3
    assert history(order) == before


@pytest.mark.parametrize("pay", ["-1", "1.234", "abc"])
def test_task_pay_is_zero_or_more_with_two_decimals(cast, api, order_in, pay):
    order = order_in("published")

    response = api(cast.admin_a).post(url(order, "/tasks"), {"name": "Polish", "pay": pay})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "pay"
    assert len(plan(order)) == 3


@pytest.mark.parametrize("status", LATE)
def test_tasks_added_in_produced_or_later_are_recorded_done(cast, api, order_in, status):
    order = order_in(status)

    response = api(cast.tech_a).post(url(order, "/tasks"), {"name": "Remake the contact point"})

    assert response.status_code == 201
    body = response.json()
    assert (body["done"], body["done_by"]) == (True, "tech-a")
    assert body["done_at"] is not None
    task = Task.objects.get(pk=body["id"])
    assert task.done and task.done_by == cast.tech_a and task.done_at is not None
    assert Order.objects.get(pk=order.pk).status == status


@pytest.mark.parametrize("status", ["draft", *EARLY, "cancelled"])
def test_tasks_added_before_production_is_over_are_open(cast, api, order_in, status):
    order = order_in(status)

    response = api(cast.tech_a).post(url(order, "/tasks"), {"name": "Remake the contact point"})

    assert response.status_code == 201
    assert response.json()["done"] is False
    assert not Task.objects.get(pk=response.json()["id"]).done


def test_a_customer_cannot_add_a_task(cast, api, order_in):
    order = order_in("published")

    response = api(cast.dentist_a1).post(url(order, "/tasks"), {"name": "Make it white"})

    assert response.status_code == 403
    assert len(plan(order)) == 3

