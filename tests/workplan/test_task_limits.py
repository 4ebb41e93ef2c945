"""An order's work plan has a documented size (CROWNLINE_MAX_TASKS_PER_ORDER): past it, 409 naming
the rule, and nothing is saved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import DataError, IntegrityError, transaction

from crownline.errors import InvalidInput
from crownline.workplan import services as workplan
from crownline.workplan.models import Task
from tests.workplan.helpers import history, url


@pytest.fixture
def limit(settings):
    settings.CROWNLINE_MAX_TASKS_PER_ORDER = 4
    return 4


def test_a_task_past_the_limit_is_refused_naming_the_rule(api, cast, order_in, limit):
    order = order_in("published")  # three tasks planned from the service
    assert api(cast.tech_a).post(url(order, "/tasks"), {"name": "Polish"}).status_code == 201
    before = history(order)
    response = api(cast.tech_a).post(url(order, "/tasks"), {"name": "Polish again"})
    assert response.status_code == 409
    body = response.json()
    assert body["rule"] == "max-tasks-per-order" and body["limit"] == limit
    assert "CROWNLINE_MAX_TASKS_PER_ORDER" in body["detail"]
    assert Task.objects.filter(order=order).count() == limit and history(order) == before


def test_an_automatic_plan_that_does_not_fit_is_refused_whole(api, cast, order_in, settings):
    settings.CROWNLINE_MAX_TASKS_PER_ORDER = 2
    order = order_in("published", plan=False)
    before = history(order)
    response = api(cast.admin_a).post(url(order, "/work-plan/auto"))
    assert response.status_code == 409 and response.json()["rule"] == "max-tasks-per-order"
    assert not Task.objects.filter(order=order).exists() and history(order) == before


def test_publishing_still_works_when_the_labs_plan_would_not_fit(api, cast, order_in, settings):
    settings.CROWNLINE_MAX_TASKS_PER_ORDER = 2
    cast.lab_a.plan_work_on_publish = True
    cast.lab_a.save()
    order = order_in("draft")
    response = api(cast.dentist_a1).post(url(order, "/actions/publish"))
    assert response.status_code == 200 and response.json()["status"] == "published"
    assert not Task.objects.filter(order=order).exists()  # a half plan would look complete: none


def test_the_add_task_dialog_says_why(client, cast, order_in, settings):
    settings.CROWNLINE_MAX_TASKS_PER_ORDER = 3
    order = order_in("published")
    client.force_login(cast.tech_a)
    response = client.post(f"/orders/{order.number}/tasks/add/", {"version": order.version, "name": "Polish"})
    assert response.status_code == 409
    assert "at most 3 tasks" in response.content.decode()
    assert Task.objects.filter(order=order).count() == 3


@pytest.mark.parametrize("pay", [Decimal("-1"), Decimal("10000000000")])
def test_the_database_refuses_a_task_pay_outside_the_money_range(cast, order_in, pay):
    order = order_in("published")
    task = Task.objects.create(order=order, position=1, name="Design")

    # PostgreSQL's numeric(12, 2) refuses the wide value itself (DataError); SQLite needs the constraint.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Task.objects.filter(pk=task.pk).update(pay=pay)


@pytest.mark.parametrize("pay", [Decimal("NaN"), Decimal("10000000000"), Decimal("-0.01"), Decimal("1.005")])
def test_the_service_refuses_a_task_pay_the_column_cannot_hold(cast, order_in, pay):
    # The doors' schema and form refuse these first; the service holds any other caller to it too.
    order = order_in("published")
    task = Task.objects.create(order=order, position=1, name="Design")
    before = history(order)

    with pytest.raises(InvalidInput) as refused:
        workplan.edit_task(cast.admin_a, order.number, task.pk, workplan.TaskInput(pay=pay))

    assert refused.value.field == "pay"
    assert history(order) == before and Task.objects.get(pk=task.pk).pay == 0
