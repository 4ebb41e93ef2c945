"""What an order's version (its ETag, every form's "version") means: the order itself changed.

Its fields, lines, money or status bump it; a comment or a work-plan change does not, so a
colleague's comment or ticked task never makes someone's open edit or Ship dialog stale.
Those writes still lock the order row and write their event.
"""

from __future__ import annotations

from decimal import Decimal

from crownline.orders import payments
from crownline.workplan import services as workplan
from crownline.workplan.models import Task
from tests.orders.helpers import assert_refused, new_events, reload, snapshot


def ship(client, order, **headers):
    return client.post(f"/orders/{order.number}/actions/ship", {"tracking_number": "1Z"}, **headers)


def test_an_action_with_a_stale_etag_is_refused_with_412(cast, api, order_in):
    order = order_in("produced")
    stale = order.etag
    payments.record_payment(cast.admin_a, order.number, amount=Decimal("1.00"))  # a change to the order
    before = snapshot(order)

    response = ship(api(cast.tech_a), order, HTTP_IF_MATCH=stale)

    body = assert_refused(response, 412)
    assert body["version"] == before.version
    assert snapshot(order) == before


def test_a_colleagues_comment_and_new_task_do_not_make_an_open_ship_dialog_stale(cast, api, order_in):
    order = order_in("produced")
    seen = order.etag
    api(cast.dentist_a1).post(f"/orders/{order.number}/comments", {"body": "where is it?"})
    api(cast.admin_a).post(f"/orders/{order.number}/tasks", {"name": "Polish again"})
    assert reload(order).etag == seen

    response = ship(api(cast.tech_a), order, HTTP_IF_MATCH=seen)

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "shipped"
    assert response.json()["version"] == order.version + 1


def test_a_ticked_task_does_not_make_an_open_edit_stale(cast, api, order_in):
    order = order_in("published")
    seen = order.etag
    task = Task.objects.filter(order=order).first()
    before = snapshot(order)

    assert api(cast.tech_a).post(f"/orders/{order.number}/tasks/{task.pk}/done").status_code == 200
    response = api(cast.admin_a).patch(f"/orders/{order.number}", {"notes": "rush"}, HTTP_IF_MATCH=seen)

    assert response.status_code == 200, response.content
    assert new_events(order, before) == [
        ("mark-task-done", "published", "published"), ("edit", "published", "published")
    ]
    assert reload(order).version == before.version + 1


def test_comments_and_work_plan_changes_write_their_event_and_keep_the_version(cast, order_in):
    order = order_in("published")
    task = Task.objects.filter(order=order).first()
    before = snapshot(order)

    workplan.set_task_done(cast.tech_a, order.number, task.pk, True)
    workplan.edit_task(cast.admin_a, order.number, task.pk, workplan.TaskInput(pay=Decimal("3.00")))
    workplan.add_task(cast.tech_a, order.number, workplan.TaskInput(name="Check fit"))

    after = snapshot(order)
    assert after.version == before.version
    assert after.events == before.events + 3
    assert reload(order).updated_at == order.updated_at


def test_every_change_to_the_order_itself_bumps_the_version_once(cast, api, order_in):
    order = order_in("published")
    client = api(cast.admin_a)
    before = snapshot(order)

    client.patch(f"/orders/{order.number}", {"notes": "a"}, HTTP_IF_MATCH=order.etag)
    client.post(f"/orders/{order.number}/payments", {"amount": "5.00"})
    client.post(f"/orders/{order.number}/actions/takedown")

    assert snapshot(order).version == before.version + 3
