"""Who may move a task to whom: a technician their own and unassigned tasks, the lab admin any.

Taking a colleague's task would also make its pay "their own" in every answer, so it is refused
(403, with the reason) and nothing changes: no assignee, no history entry.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from crownline.workplan import services as workplan
from crownline.workplan.models import Task
from tests.factories import MembershipFactory
from tests.workplan.helpers import history, url

PAY = Decimal("47.31")


@pytest.fixture
def colleague(cast):
    return MembershipFactory(lab=cast.lab_a, role="technician", user__username="tech-2").user


def _task(cast, order, owner):
    """A task with pay, assigned to `owner` (None: unassigned)."""
    return workplan.add_task(
        cast.admin_a, order.number,
        workplan.TaskInput(name="Final check", assignee=owner.pk if owner else None, pay=PAY),
    )


# (who acts, whose task it is, to whom it goes) -> answer
CASES = [
    ("tech_a", "colleague", "tech_a", 403),
    ("tech_a", "colleague", None, 403),
    ("tech_a", "colleague", "admin_a", 403),
    ("tech_a", None, "tech_a", 200),
    ("tech_a", None, "colleague", 200),
    ("tech_a", "tech_a", "colleague", 200),
    ("tech_a", "tech_a", None, 200),
    ("admin_a", "colleague", "tech_a", 200),
    ("admin_a", "tech_a", "colleague", 200),
]


@pytest.mark.parametrize(("actor", "owner", "target", "expected"), CASES)
def test_who_may_reassign_which_task(api, cast, order_in, colleague, actor, owner, target, expected):
    people = {"tech_a": cast.tech_a, "admin_a": cast.admin_a, "colleague": colleague, None: None}
    order = order_in("published")
    task = _task(cast, order, people[owner])
    before = history(order)
    target_id = people[target].pk if people[target] else None
    response = api(people[actor]).patch(url(order, f"/tasks/{task.pk}"), {"assignee": target_id})
    assert response.status_code == expected, response.content
    stored = Task.objects.get(pk=task.pk).assignee_id
    if expected == 403:
        assert "colleague" in response.json()["detail"]
        assert stored == people[owner].pk and history(order) == before
    else:
        assert stored == target_id
        # The answer shows pay only when the task is the caller's (or the caller is the admin).
        sees = actor == "admin_a" or target == actor
        assert (response.json()["pay"] is not None) is sees


def test_a_technician_may_still_rename_a_colleagues_task_keeping_its_assignee(api, cast, order_in, colleague):
    order = order_in("published")
    task = _task(cast, order, colleague)
    response = api(cast.tech_a).patch(url(order, f"/tasks/{task.pk}"), {"name": "Final check, twice",
                                                                       "assignee": colleague.pk})
    assert response.status_code == 200
    assert response.json()["pay"] is None and response.json()["name"] == "Final check, twice"


def test_the_work_plan_panel_refuses_it_too_and_shows_why(client, cast, order_in, colleague):
    order = order_in("published")
    task = _task(cast, order, colleague)
    client.force_login(cast.tech_a)
    response = client.post(f"/orders/{order.number}/tasks/{task.pk}/edit/", {
        "version": order.version, "name": task.name, "assignee": cast.tech_a.pk,
    })
    assert response.status_code == 403
    assert "colleague" in response.content.decode()
    assert str(PAY) not in response.content.decode()
    assert Task.objects.get(pk=task.pk).assignee == colleague
