"""The work-plan panel and "My tasks": plan, add, edit, mark done (htmx), pay for admins only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crownline.orders.models import Order
from crownline.workplan.models import Task

pytestmark = pytest.mark.django_db


def post(client, order, path, *, follow=False, headers=None, **data):
    data.setdefault("version", Order.objects.get(pk=order.pk).version)
    return client.post(f"/orders/{order.number}/{path}", data, follow=follow, headers=headers)


def test_create_automatically_plans_one_task_per_template(cast, order_in, browser_as):
    order = order_in("published", plan=False)
    response = post(browser_as(cast.tech_a), order, "work-plan/auto/")
    assert response.status_code == 302
    assert list(order.tasks.values_list("name", flat=True)) == ["Model", "Design", "Finish"]


def test_the_panel_shows_progress(cast, order_in, browser_as):
    order = order_in("published")
    first = order.tasks.first()
    client = browser_as(cast.tech_a)
    post(client, order, f"tasks/{first.pk}/done/", done="1")
    assert "1 of 3 done" in client.get(f"/orders/{order.number}/").content.decode()


def test_marking_a_task_with_htmx_returns_the_page_to_swap(cast, order_in, browser_as):
    order = order_in("production")
    task = order.tasks.first()
    response = post(browser_as(cast.tech_a), order, f"tasks/{task.pk}/done/", done="1", follow=True,
                    headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "1 of 3 done" in response.content.decode()
    task.refresh_from_db()
    assert task.done


def test_a_refused_htmx_request_still_answers_200_with_the_reason(cast, order_in, browser_as):
    order = order_in("produced")
    task = order.tasks.first()
    response = browser_as(cast.tech_a).post(
        f"/orders/{order.number}/tasks/{task.pk}/done/", {"version": order.version, "done": "0"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Cannot mark task: the order is produced." in response.content.decode()
    task.refresh_from_db()
    assert task.done


def test_a_customer_cannot_touch_the_work_plan(cast, order_in, browser_as):
    order = order_in("published")
    task = order.tasks.first()
    client = browser_as(cast.dentist_a1)
    assert post(client, order, f"tasks/{task.pk}/done/", done="1").status_code == 403
    assert post(client, order, "tasks/add/", name="Sneaky").status_code == 403
    task.refresh_from_db()
    assert not task.done
    assert not order.tasks.filter(name="Sneaky").exists()


def test_add_task_with_assignee_and_pay_as_admin(cast, order_in, browser_as):
    order = order_in("published")
    response = post(browser_as(cast.admin_a), order, "tasks/add/", name="Polish", assignee=str(cast.tech_a.pk),
                    pay="12.50")
    assert response.status_code == 302
    task = order.tasks.get(name="Polish")
    assert (task.assignee, task.pay) == (cast.tech_a, Decimal("12.50"))


def test_a_technician_cannot_set_pay(cast, order_in, browser_as):
    order = order_in("published")
    response = post(browser_as(cast.tech_a), order, "tasks/add/", name="Polish", pay="99")
    assert response.status_code == 403
    assert "Only a lab admin sets task pay." in response.content.decode()
    assert not order.tasks.filter(name="Polish").exists()


def test_a_task_without_a_name_reopens_the_dialog_with_the_error(cast, order_in, browser_as):
    order = order_in("published")
    response = post(browser_as(cast.tech_a), order, "tasks/add/", name="")
    assert response.status_code == 422
    assert 'id="dlg-add-task" aria-labelledby="dlg-add-task-title" data-autoopen' in response.content.decode()


def test_edit_move_and_remove_a_task(cast, order_in, browser_as):
    order = order_in("published")
    client = browser_as(cast.tech_a)
    model, design, _ = order.tasks.all()
    assert post(client, order, f"tasks/{design.pk}/edit/", name="Design (CAD)", assignee=str(cast.tech_a.pk),
                move="up").status_code == 302
    assert list(order.tasks.values_list("name", flat=True)) == ["Design (CAD)", "Model", "Finish"]
    assert Task.objects.get(pk=design.pk).assignee == cast.tech_a
    assert post(client, order, f"tasks/{model.pk}/edit/", name="Model", remove="1").status_code == 302
    assert list(order.tasks.values_list("name", flat=True)) == ["Design (CAD)", "Finish"]


def test_my_tasks_lists_my_open_tasks_and_marks_them_done(cast, order_in, browser_as):
    order = order_in("production")
    mine, other, _ = order.tasks.all()
    Task.objects.filter(pk=mine.pk).update(assignee=cast.tech_a)
    Task.objects.filter(pk=other.pk).update(assignee=cast.admin_a)
    client = browser_as(cast.tech_a)
    html = client.get("/tasks/mine/").content.decode()
    assert f"Mark {mine.name} done" in html
    assert f"Mark {other.name} done" not in html
    response = post(client, order, f"tasks/{mine.pk}/done/", done="1", next="mine")
    assert response["Location"] == "/tasks/mine/"
    assert Task.objects.get(pk=mine.pk).done
    assert f"Mark {mine.name} done" not in client.get("/tasks/mine/").content.decode()
