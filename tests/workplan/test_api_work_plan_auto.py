"""The work-plan endpoints of an order: planning the work automatically from the services' templates."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crownline.orders import payments
from crownline.orders import services as order_services
from crownline.orders.models import Order
from crownline.workplan import services as workplan
from tests.factories import ServiceFactory, make_order
from tests.workplan.helpers import LATE, history, last_event, plan, tasks_of, url


def unplanned_order(cast, status: str) -> Order:
    """An order of dentist A1 in `status` whose service line has no planned tasks.

    It got through Produce with one manual task, so a later "create automatically"
    has a whole line to plan.
    """
    admin = cast.admin_a
    order = make_order(admin, cast.customer_a1, status="production", service=cast.service_a, plan=False)
    n = order.number
    manual = workplan.add_task(admin, n, workplan.TaskInput(name="Check the model"))
    workplan.set_task_done(admin, n, manual.pk, True)
    order_services.produce_order(admin, n)
    if status in ("shipped", "delivered", "completed"):
        order_services.ship_order(admin, n, tracking_number="1Z999AA10123456784")
    if status in ("delivered", "completed"):
        order_services.deliver_order(admin, n)
    if status == "completed":
        payments.record_payment(admin, n)
    order = Order.objects.get(pk=order.pk)
    assert order.status == status
    return order


# ---- create automatically ----------------------------------------------------------------


def test_a_technician_plans_one_task_per_template_for_each_line_in_order(cast, api):
    scan = ServiceFactory(lab=cast.lab_a, name="Night guard", templates=["Scan", "Print"])
    created = api(cast.admin_a).post("/orders", {
        "customer": cast.customer_a1.pk, "patient_name": "Maria Lopez",
        "lines": [{"service": cast.service_a.pk, "teeth": [11]}, {"service": scan.pk}],
    })
    assert created.status_code == 201, created.content
    number = created.json()["number"]
    assert api(cast.admin_a).post(f"/orders/{number}/actions/publish").status_code == 200
    order = Order.objects.get(number=number)
    first_line, second_line = order.lines.order_by("position")
    before = history(order)

    response = api(cast.tech_a).post(url(order, "/work-plan/auto"))

    assert response.status_code == 200
    expected = [(1, "Model", first_line.pk), (2, "Design", first_line.pk), (3, "Finish", first_line.pk),
                (4, "Scan", second_line.pk), (5, "Print", second_line.pk)]
    assert [(t["position"], t["name"], t["line"]) for t in response.json()] == expected
    assert [(t.position, t.name, t.line_id) for t in tasks_of(order)] == expected
    assert all(t.pay == Decimal("10.00") and not t.done and t.template_id for t in tasks_of(order))
    assert history(order) == (before[0], before[1] + 1)  # one event; the order itself is unchanged
    event = last_event(order)
    assert (event.action, event.actor, event.data) == ("plan-work", cast.tech_a, {"tasks": 5})
    assert Order.objects.get(pk=order.pk).status == "published"


def test_planning_again_plans_only_the_lines_that_have_no_tasks_yet(cast, api, order_in):
    order = order_in("published")
    kept_ids = [t.pk for t in tasks_of(order)]
    scan = ServiceFactory(lab=cast.lab_a, name="Night guard", templates=["Scan", "Print"])
    line = order.lines.get()
    edited = api(cast.admin_a).patch(
        url(order), {"lines": [{"id": line.pk, "service": cast.service_a.pk}, {"service": scan.pk}]},
        HTTP_IF_MATCH=Order.objects.get(pk=order.pk).etag,
    )
    assert edited.status_code == 200, edited.content

    response = api(cast.tech_a).post(url(order, "/work-plan/auto"))

    assert response.status_code == 200
    assert plan(order) == [(1, "Model"), (2, "Design"), (3, "Finish"), (4, "Scan"), (5, "Print")]
    assert [t.pk for t in tasks_of(order)][:3] == kept_ids
    assert last_event(order).data == {"tasks": 2}


def test_planning_a_fully_planned_order_adds_nothing_and_writes_no_event(cast, api, order_in):
    order = order_in("production")
    before_plan, before = plan(order), history(order)

    response = api(cast.tech_a).post(url(order, "/work-plan/auto"))

    assert response.status_code == 200
    assert [t["name"] for t in response.json()] == ["Model", "Design", "Finish"]
    assert plan(order) == before_plan
    assert history(order) == before


def test_planned_tasks_follow_the_manual_tasks_already_on_the_plan(cast, api, order_in):
    order = order_in("published", plan=False)
    assert api(cast.tech_a).post(url(order, "/tasks"), {"name": "Check the impression"}).status_code == 201

    response = api(cast.tech_a).post(url(order, "/work-plan/auto"))

    assert response.status_code == 200
    assert plan(order) == [(1, "Check the impression"), (2, "Model"), (3, "Design"), (4, "Finish")]


@pytest.mark.parametrize("status", LATE)
def test_tasks_planned_in_produced_or_later_are_recorded_done_by_the_planner(cast, api, status):
    order = unplanned_order(cast, status)

    response = api(cast.tech_a).post(url(order, "/work-plan/auto"))

    assert response.status_code == 200
    planned = [t for t in response.json() if t["line"] is not None]
    assert [t["name"] for t in planned] == ["Model", "Design", "Finish"]
    assert all(t["done"] and t["done_by"] == "tech-a" and t["done_at"] for t in planned)
    stored = [t for t in tasks_of(order) if t.line_id is not None]
    assert len(stored) == 3
    assert all(t.done and t.done_by == cast.tech_a and t.done_at for t in stored)
    assert Order.objects.get(pk=order.pk).status == status


@pytest.mark.parametrize("status", ["draft", "published", "production", "cancelled"])
def test_tasks_planned_before_production_is_over_start_open(cast, api, order_in, status):
    order = order_in(status, plan=False)

    response = api(cast.admin_a).post(url(order, "/work-plan/auto"))

    assert response.status_code == 200
    assert plan(order) == [(1, "Model"), (2, "Design"), (3, "Finish")]
    assert not any(t.done or t.done_by_id or t.done_at for t in tasks_of(order))
    assert Order.objects.get(pk=order.pk).status == status


@pytest.mark.parametrize("actor", ["dentist_a1", "dentist_a2"])
def test_a_customer_cannot_plan_work(cast, api, order_in, actor):
    order = order_in("published", plan=False)
    before = history(order)

    response = api(getattr(cast, actor)).post(url(order, "/work-plan/auto"))

    # Dentist A1 owns the order and is refused; dentist A2 may not even know it exists.
    assert response.status_code == (403 if actor == "dentist_a1" else 404)
    assert plan(order) == []
    assert history(order) == before

