"""The work-plan endpoints of an order: editing a task (rename, assign, move, pay)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crownline.workplan.models import Task
from tests.workplan.helpers import history, last_event, plan, tasks_of, url

# ---- editing a task ------------------------------------------------------------------------


def test_a_technician_renames_a_task(cast, api, order_in):
    order = order_in("published")
    task = tasks_of(order)[1]
    before = history(order)

    response = api(cast.tech_a).patch(url(order, f"/tasks/{task.pk}"), {"name": "CAD design"})

    assert response.status_code == 200
    assert (response.json()["name"], response.json()["position"]) == ("CAD design", 2)
    assert plan(order) == [(1, "Model"), (2, "CAD design"), (3, "Finish")]
    assert history(order) == (before[0], before[1] + 1)  # one event; the order itself is unchanged
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

