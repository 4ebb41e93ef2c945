"""The work-plan endpoints of an order: list, plan automatically, add, edit, reorder, remove, mark done."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crownline.orders import payments
from crownline.orders import services as order_services
from crownline.orders.models import Order, OrderEvent
from crownline.tenancy.models import Membership
from crownline.workplan import services as workplan
from crownline.workplan.models import Task
from tests.factories import ServiceFactory, make_order

LATE = ["produced", "shipped", "delivered", "completed"]
EARLY = ["published", "production"]


def url(order: Order, suffix: str = "") -> str:
    return f"/orders/{order.number}{suffix}"


def history(order: Order) -> tuple[int, int]:
    """The order's stored version and its number of events."""
    return Order.objects.get(pk=order.pk).version, OrderEvent.objects.filter(order_id=order.pk).count()


def plan(order: Order) -> list[tuple[int, str]]:
    """The stored work plan as (position, name), in order."""
    return list(Task.objects.filter(order=order).order_by("position", "id").values_list("position", "name"))


def tasks_of(order: Order) -> list[Task]:
    return list(Task.objects.filter(order=order).order_by("position", "id"))


def last_event(order: Order) -> OrderEvent:
    return OrderEvent.objects.filter(order_id=order.pk).order_by("-id").first()


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
    assert history(order) == (before[0] + 1, before[1] + 1)
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
    assert history(order) == (before[0] + 1, before[1] + 1)
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


# ---- editing a task ------------------------------------------------------------------------


def test_a_technician_renames_a_task(cast, api, order_in):
    order = order_in("published")
    task = tasks_of(order)[1]
    before = history(order)

    response = api(cast.tech_a).patch(url(order, f"/tasks/{task.pk}"), {"name": "CAD design"})

    assert response.status_code == 200
    assert (response.json()["name"], response.json()["position"]) == ("CAD design", 2)
    assert plan(order) == [(1, "Model"), (2, "CAD design"), (3, "Finish")]
    assert history(order) == (before[0] + 1, before[1] + 1)
    assert last_event(order).data == {"task": task.pk, "name": "CAD design"}


def test_renaming_a_task_to_an_empty_name_is_refused(cast, api, order_in):
    order = order_in("published")
    task = tasks_of(order)[1]

    response = api(cast.tech_a).patch(url(order, f"/tasks/{task.pk}"), {"name": "  "})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"
    assert Task.objects.get(pk=task.pk).name == "Design"


def test_a_technician_assigns_a_task_and_unassigns_it_with_null(cast, api, order_in):
    order = order_in("published")
    task = tasks_of(order)[0]

    assigned = api(cast.tech_a).patch(url(order, f"/tasks/{task.pk}"), {"assignee": cast.tech_a.pk})

    assert assigned.status_code == 200
    assert assigned.json()["assignee"]["username"] == "tech-a"
    assert Decimal(assigned.json()["pay"]) == Decimal("10.00")  # now theirs, so they see its pay
    assert Task.objects.get(pk=task.pk).assignee == cast.tech_a

    renamed = api(cast.tech_a).patch(url(order, f"/tasks/{task.pk}"), {"name": "Model and die"})
    assert renamed.json()["assignee"]["username"] == "tech-a"  # a missing key leaves the assignee

    unassigned = api(cast.tech_a).patch(url(order, f"/tasks/{task.pk}"), {"assignee": None})

    assert unassigned.status_code == 200
    assert (unassigned.json()["assignee"], unassigned.json()["pay"]) == (None, None)
    assert Task.objects.get(pk=task.pk).assignee is None
    assert last_event(order).data == {"task": task.pk, "assignee": None}


def test_assigning_a_task_to_a_dentist_is_refused(cast, api, order_in):
    order = order_in("published")
    task = tasks_of(order)[0]

    response = api(cast.admin_a).patch(url(order, f"/tasks/{task.pk}"), {"assignee": cast.dentist_a1.pk})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "assignee"
    assert Task.objects.get(pk=task.pk).assignee is None


@pytest.mark.parametrize(
    ("index", "position", "expected"),
    [
        (2, 1, ["Finish", "Model", "Design"]),
        (0, 3, ["Design", "Finish", "Model"]),
        (0, 2, ["Design", "Model", "Finish"]),
        (0, 99, ["Design", "Finish", "Model"]),
    ],
    ids=["last-to-first", "first-to-last", "first-to-second", "beyond-the-end"],
)
def test_a_technician_moves_a_task_and_the_others_are_renumbered_densely(cast, api, order_in, index, position,
                                                                          expected):
    order = order_in("published")
    task = tasks_of(order)[index]

    response = api(cast.tech_a).patch(url(order, f"/tasks/{task.pk}"), {"position": position})

    assert response.status_code == 200
    assert response.json()["position"] == expected.index(task.name) + 1
    assert plan(order) == list(enumerate(expected, start=1))
    listed = api(cast.tech_a).get(url(order, "/tasks")).json()
    assert [(t["position"], t["name"]) for t in listed] == list(enumerate(expected, start=1))


def test_the_lab_admin_sets_the_pay_of_a_task(cast, api, order_in):
    order = order_in("production")
    task = tasks_of(order)[0]

    response = api(cast.admin_a).patch(url(order, f"/tasks/{task.pk}"), {"pay": "18.40"})

    assert response.status_code == 200
    assert Decimal(response.json()["pay"]) == Decimal("18.40")
    assert Task.objects.get(pk=task.pk).pay == Decimal("18.40")
    assert last_event(order).data == {"task": task.pk, "pay": "18.40"}


def test_a_technician_cannot_change_the_pay_of_their_own_task(cast, api, order_in):
    order = order_in("production")
    task = tasks_of(order)[0]
    Task.objects.filter(pk=task.pk).update(assignee=cast.tech_a)
    before = history(order)

    response = api(cast.tech_a).patch(url(order, f"/tasks/{task.pk}"), {"pay": "99.00", "name": "Model!"})

    assert response.status_code == 403
    stored = Task.objects.get(pk=task.pk)
    assert (stored.pay, stored.name) == (Decimal("10.00"), "Model")
    assert history(order) == before


def test_an_edit_that_changes_nothing_is_refused(cast, api, order_in):
    order = order_in("published")
    task = tasks_of(order)[0]
    before = history(order)

    response = api(cast.tech_a).patch(url(order, f"/tasks/{task.pk}"), {})

    assert response.status_code == 422
    assert history(order) == before


def test_a_task_of_another_order_is_not_found(cast, api, order_in):
    order, other = order_in("published"), order_in("published")
    foreign = tasks_of(other)[0]

    assert api(cast.tech_a).patch(url(order, f"/tasks/{foreign.pk}"), {"name": "Mine"}).status_code == 404
    assert api(cast.tech_a).delete(url(order, f"/tasks/{foreign.pk}")).status_code == 404
    assert api(cast.tech_a).post(url(order, f"/tasks/{foreign.pk}/done")).status_code == 404
    assert Task.objects.get(pk=foreign.pk).name == "Model"
    assert not Task.objects.get(pk=foreign.pk).done


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
    assert history(order) == (before[0] + 1, before[1] + 1)
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
    assert history(order) == (before[0] + 1, before[1] + 1)
    assert (last_event(order).action, last_event(order).data) == ("mark-task-done", {"task": task.pk,
                                                                                     "name": "Design"})

    unmarked = api(cast.tech_a).delete(url(order, f"/tasks/{task.pk}/done"))

    assert unmarked.status_code == 200
    assert (unmarked.json()["done"], unmarked.json()["done_by"], unmarked.json()["done_at"]) == (False, None, None)
    stored = Task.objects.get(pk=task.pk)
    assert (stored.done, stored.done_by, stored.done_at) == (False, None, None)
    assert history(order) == (before[0] + 2, before[1] + 2)
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
    assert history(order) == (before[0] + 1, before[1] + 1)


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


# ---- every change: one version, one event; tenancy; If-Match ---------------------------------

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
def test_every_work_plan_change_bumps_the_version_and_writes_exactly_one_event(cast, api, order_in, change):
    order = _order_for(order_in, change)
    before = history(order)

    response = _call(api(cast.admin_a), cast, order, change)

    assert response.status_code in (200, 201, 204), response.content
    assert history(order) == (before[0] + 1, before[1] + 1)
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
    assert history(order)[0] == before[0] + 1


def test_an_if_match_of_another_order_is_refused_with_412(cast, api, order_in):
    order, other = order_in("production"), order_in("production")
    before = history(order)

    response = api(cast.tech_a).post(url(order, "/tasks"), {"name": "Polish"}, HTTP_IF_MATCH=other.etag)

    assert response.status_code == 412
    assert history(order) == before
    assert len(plan(order)) == 3
