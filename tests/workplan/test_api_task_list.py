"""The work-plan endpoints of an order: listing the tasks, and who sees pay and assignees."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crownline.workplan.models import Task
from tests.workplan.helpers import tasks_of, url

# ---- reading the plan ------------------------------------------------------------------


def test_the_lab_admin_lists_the_tasks_in_plan_order_with_their_pay(cast, api, order_in):
    order = order_in("published")

    response = api(cast.admin_a).get(url(order, "/tasks"))

    assert response.status_code == 200
    body = response.json()
    assert [(t["position"], t["name"]) for t in body] == [(1, "Model"), (2, "Design"), (3, "Finish")]
    assert [Decimal(t["pay"]) for t in body] == [Decimal("10.00")] * 3
    assert {t["line"] for t in body} == {order.lines.get().pk}
    assert [t["id"] for t in body] == [t.pk for t in tasks_of(order)]


def test_a_dentist_lists_their_own_order_s_tasks_without_pay_or_people(cast, api, order_in):
    order = order_in("production")
    first = tasks_of(order)[0]
    api(cast.admin_a).patch(url(order, f"/tasks/{first.pk}"), {"assignee": cast.tech_a.pk})
    api(cast.tech_a).post(url(order, f"/tasks/{first.pk}/done"))

    body = api(cast.dentist_a1).get(url(order, "/tasks")).json()

    assert [t["name"] for t in body] == ["Model", "Design", "Finish"]
    assert all(t["pay"] is None and t["assignee"] is None and t["done_by"] is None for t in body)
    assert body[0]["done"] is True


@pytest.mark.parametrize("actor", ["admin_b", "dentist_b", "dentist_a2"])
def test_someone_who_cannot_see_the_order_gets_404_for_its_tasks(cast, api, order_in, actor):
    order = order_in("published")

    response = api(getattr(cast, actor)).get(url(order, "/tasks"))

    assert response.status_code == 404


def test_an_anonymous_caller_is_asked_to_sign_in_for_tasks(cast, api, order_in):
    order = order_in("published")

    assert api().get(url(order, "/tasks")).status_code == 401


# ---- pay visibility ----------------------------------------------------------------------


def test_the_lab_admin_sees_the_pay_of_every_task(cast, api, order_in):
    order = order_in("published")
    first, second, _ = tasks_of(order)
    Task.objects.filter(pk=first.pk).update(assignee=cast.tech_a, pay=Decimal("12.50"))
    Task.objects.filter(pk=second.pk).update(assignee=cast.admin_a)

    body = api(cast.admin_a).get(url(order, "/tasks")).json()

    assert [Decimal(t["pay"]) for t in body] == [Decimal("12.50"), Decimal("10.00"), Decimal("10.00")]
    assert body[0]["assignee"]["username"] == "tech-a"
    assert body[1]["assignee"]["username"] == "admin-a"
    assert body[2]["assignee"] is None


def test_a_technician_sees_pay_only_on_the_tasks_assigned_to_them(cast, api, order_in):
    order = order_in("published")
    first, second, _ = tasks_of(order)
    Task.objects.filter(pk=first.pk).update(assignee=cast.tech_a, pay=Decimal("12.50"))
    Task.objects.filter(pk=second.pk).update(assignee=cast.admin_a)

    body = api(cast.tech_a).get(url(order, "/tasks")).json()

    assert [t["pay"] for t in body][1:] == [None, None]
    assert Decimal(body[0]["pay"]) == Decimal("12.50")
    assert [t["assignee"]["username"] if t["assignee"] else None for t in body] == ["tech-a", "admin-a", None]


def test_a_customer_never_sees_pay_or_assignees(cast, api, order_in):
    order = order_in("published")
    Task.objects.filter(order=order).update(assignee=cast.tech_a, pay=Decimal("33.00"))

    response = api(cast.dentist_a1).get(url(order, "/tasks"))

    assert response.status_code == 200
    assert all(t["pay"] is None and t["assignee"] is None for t in response.json())
    assert "33.00" not in response.content.decode()
    assert "tech-a" not in response.content.decode()

