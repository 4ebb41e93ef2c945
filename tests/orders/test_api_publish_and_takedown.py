"""Publishing a draft and taking a published order back down:
POST /orders/{number}/actions/publish and /orders/{number}/actions/takedown."""

from __future__ import annotations

from crownline.orders.models import Order
from crownline.workplan.models import Task
from tests.orders.helpers import act, assert_refused, draft, last_event, new_events, reload, snapshot


def test_a_dentist_publishes_their_draft(cast, api, order_in):
    order = order_in("draft")
    before = snapshot(order)

    response = act(api(cast.dentist_a1), order, "publish")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "published"
    assert body["version"] == before.version + 1
    assert body["published_at"] is not None
    assert body["allowed_actions"] == ["takedown", "cancel", "print", "view-payment-instructions", "comment"]
    assert response["ETag"] == f'"{order.number}-{before.version + 1}"'
    fresh = reload(order)
    assert (fresh.status, fresh.version) == ("published", before.version + 1)
    assert fresh.published_at is not None
    assert new_events(order, before) == [("publish", "draft", "published")]
    assert last_event(order).actor == cast.dentist_a1


def test_publishing_plans_the_work_when_the_lab_asks_for_it(cast, api, order_in):
    cast.lab_a.plan_work_on_publish = True
    cast.lab_a.save()
    order = order_in("draft")
    before = snapshot(order)

    response = act(api(cast.admin_a), order, "publish")

    assert response.status_code == 200, response.content
    assert response.json()["tasks_total"] == 3
    assert list(Task.objects.filter(order=order).values_list("name", flat=True)) == ["Model", "Design", "Finish"]
    assert new_events(order, before) == [("publish", "draft", "published"), ("plan-work", "published", "published")]
    # Planning the work does not bump the version (it is not a change to the order itself).
    assert response.json()["version"] == before.version + 1


def test_a_dentist_cannot_publish_a_draft_without_lines(cast, api):
    order = draft(cast.customer_a1, by=cast.dentist_a1, lines=0, service=cast.service_a)
    before = snapshot(order)

    response = act(api(cast.dentist_a1), order, "publish")

    assert_refused(response, 422, "lines")
    assert snapshot(order) == before


def test_a_lab_admin_cannot_publish_a_draft_without_a_patient(cast, api):
    client = api(cast.admin_a)
    number = client.post(
        "/orders", {"customer": cast.customer_a1.pk, "lines": [{"service": cast.service_a.pk}]}
    ).json()["number"]
    order = Order.objects.get(number=number)
    before = snapshot(order)

    response = act(client, order, "publish")

    assert_refused(response, 422, "patient")
    assert snapshot(order) == before


def test_a_dentist_takes_their_order_down_with_a_reason(cast, api, order_in):
    order = order_in("published")
    before = snapshot(order)

    response = act(api(cast.dentist_a1), order, "takedown", {"reason": "wrong shade"})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "draft"
    assert reload(order).status == "draft"
    assert new_events(order, before) == [("takedown", "published", "draft")]
    assert last_event(order).data == {"reason": "wrong shade"}


def test_a_lab_admin_takes_an_order_down_without_a_body(cast, api, order_in):
    order = order_in("published")

    response = act(api(cast.admin_a), order, "takedown")

    assert response.status_code == 200, response.content
    assert reload(order).status == "draft"
    assert last_event(order).data == {"reason": ""}


def test_a_dentist_cannot_take_down_an_order_in_production(cast, api, order_in):
    order = order_in("production")
    before = snapshot(order)

    response = act(api(cast.dentist_a1), order, "takedown")

    body = assert_refused(response, 409)
    assert body["status"] == "production"
    assert body["allowed_actions"] == ["print", "view-payment-instructions", "comment"]
    assert snapshot(order) == before
