"""The life-cycle actions, one endpoint each: POST /orders/{number}/actions/{action}."""

from __future__ import annotations

import datetime as dt

import pytest

from crownline.orders.models import Order
from crownline.workplan.models import Task
from tests.orders.helpers import assert_refused, draft, last_event, new_events, reload, snapshot


def act(client, order, action: str, body=None, **headers):
    return client.post(f"/orders/{order.number}/actions/{action}", body, **headers)


def days(n: int, lab) -> str:
    return (lab.local_date() + dt.timedelta(days=n)).isoformat()


# ---- publish and takedown ------------------------------------------------------------


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
    assert response.json()["version"] == before.version + 2


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


# ---- start production ---------------------------------------------------------------


def test_a_technician_starts_production_today(cast, api, order_in):
    order = order_in("published")
    before = snapshot(order)
    today = cast.lab_a.local_date().isoformat()

    response = act(api(cast.tech_a), order, "start-production", {"production_date": today})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["production_date"], body["version"]) == ("production", today, before.version + 1)
    fresh = reload(order)
    assert (fresh.status, fresh.production_date.isoformat()) == ("production", today)
    assert new_events(order, before) == [("start-production", "published", "production")]
    assert last_event(order).data == {"production_date": today}
    assert last_event(order).actor_role == "technician"


def test_a_technician_cannot_start_production_tomorrow(cast, api, order_in):
    order = order_in("published")
    before = snapshot(order)

    response = act(api(cast.tech_a), order, "start-production", {"production_date": days(1, cast.lab_a)})

    assert_refused(response, 422, "production_date")
    assert "future" in response.json()["detail"]
    assert snapshot(order) == before


def test_a_technician_cannot_start_production_before_the_order_was_published(cast, api, order_in):
    order = order_in("published")
    before = snapshot(order)

    response = act(api(cast.tech_a), order, "start-production", {"production_date": days(-1, cast.lab_a)})

    assert_refused(response, 422, "production_date")
    assert "published" in response.json()["detail"]
    assert snapshot(order) == before


def test_a_technician_gets_422_starting_production_without_a_date(cast, api, order_in):
    order = order_in("published")
    before = snapshot(order)

    response = act(api(cast.tech_a), order, "start-production", {})

    assert_refused(response, 422, "production_date")
    assert snapshot(order) == before


def test_a_technician_gets_422_for_a_production_date_that_is_not_a_date(cast, api, order_in):
    order = order_in("published")
    before = snapshot(order)

    response = act(api(cast.tech_a), order, "start-production", {"production_date": "yesterday"})

    assert_refused(response, 422, "production_date")
    assert snapshot(order) == before


def test_a_technician_gets_400_for_a_body_that_is_not_json(cast, api, order_in):
    order = order_in("published")
    before = snapshot(order)
    client = api(cast.tech_a)

    response = client.client.post(
        f"/api/v1/orders/{order.number}/actions/start-production", '{"production_date": ',
        content_type="application/json", **client.headers,
    )

    assert_refused(response, 400)
    assert snapshot(order) == before


def test_a_dentist_cannot_start_production(cast, api, order_in):
    order = order_in("published")
    before = snapshot(order)

    response = act(api(cast.dentist_a1), order, "start-production", {"production_date": days(0, cast.lab_a)})

    assert_refused(response, 403)
    assert snapshot(order) == before


# ---- produce ------------------------------------------------------------------------


def test_a_technician_marks_an_order_produced_once_every_task_is_done(cast, api, order_in):
    order = order_in("production")
    Task.objects.filter(order=order).update(done=True)
    before = snapshot(order)

    response = act(api(cast.tech_a), order, "produce")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "produced"
    assert reload(order).status == "produced"
    assert new_events(order, before) == [("produce", "production", "produced")]


def test_a_technician_cannot_produce_with_open_tasks_and_is_told_which(cast, api, order_in):
    order = order_in("production")
    Task.objects.filter(order=order, name="Model").update(done=True)
    before = snapshot(order)

    response = act(api(cast.tech_a), order, "produce")

    body = assert_refused(response, 409)
    assert "Design, Finish" in body["detail"]
    assert snapshot(order) == before


def test_a_technician_cannot_produce_an_order_without_a_work_plan(cast, api, order_in):
    order = order_in("production", plan=False)
    before = snapshot(order)

    response = act(api(cast.tech_a), order, "produce")

    body = assert_refused(response, 409)
    assert "empty" in body["detail"]
    assert snapshot(order) == before


# ---- ship and update tracking ---------------------------------------------------------


def test_a_technician_ships_with_a_trimmed_tracking_number(cast, api, order_in):
    order = order_in("produced")
    before = snapshot(order)

    response = act(api(cast.tech_a), order, "ship", {"tracking_number": "  1Z999AA1  ", "carrier": " UPS "})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["tracking_number"], body["carrier"]) == ("shipped", "1Z999AA1", "UPS")
    fresh = reload(order)
    assert (fresh.status, fresh.tracking_number, fresh.version) == ("shipped", "1Z999AA1", before.version + 1)
    assert list(fresh.tracking_numbers.values_list("number", "carrier")) == [("1Z999AA1", "UPS")]
    assert new_events(order, before) == [("ship", "produced", "shipped")]
    assert last_event(order).data == {"tracking_number": "1Z999AA1", "carrier": "UPS", "previous": ""}


def test_a_technician_ships_with_a_64_character_tracking_number(cast, api, order_in):
    order = order_in("produced")

    response = act(api(cast.tech_a), order, "ship", {"tracking_number": "X" * 64})

    assert response.status_code == 200, response.content
    assert reload(order).tracking_number == "X" * 64


@pytest.mark.parametrize(
    "tracking_number",
    ["", "   ", "X" * 65, "ABC\t123", "ABC\n123"],
    ids=["empty", "whitespace-only", "65-characters", "tab", "newline"],
)
def test_a_technician_cannot_ship_with_a_bad_tracking_number(cast, api, order_in, tracking_number):
    order = order_in("produced")
    before = snapshot(order)

    response = act(api(cast.tech_a), order, "ship", {"tracking_number": tracking_number, "carrier": "UPS"})

    assert_refused(response, 422, "tracking_number")
    assert snapshot(order) == before


def test_a_technician_gets_422_shipping_without_a_tracking_number(cast, api, order_in):
    order = order_in("produced")
    before = snapshot(order)

    response = act(api(cast.tech_a), order, "ship", {"carrier": "UPS"})

    assert_refused(response, 422, "tracking_number")
    assert snapshot(order) == before


def test_a_technician_gets_422_shipping_with_no_body_at_all(cast, api, order_in):
    order = order_in("produced")
    before = snapshot(order)

    response = act(api(cast.tech_a), order, "ship")

    assert response.status_code == 422, response.content
    assert snapshot(order) == before


def test_a_technician_cannot_ship_an_order_still_in_production(cast, api, order_in):
    order = order_in("production")
    before = snapshot(order)

    response = act(api(cast.tech_a), order, "ship", {"tracking_number": "1Z"})

    body = assert_refused(response, 409)
    assert body["status"] == "production"
    assert body["allowed_actions"] == ["produce", "plan-work", "edit-tasks", "mark-task", "print",
                                       "view-payment-instructions", "comment"]
    assert "production" in body["detail"]
    assert snapshot(order) == before


def test_a_lab_admin_updates_the_tracking_number_and_the_old_one_is_kept(cast, api, order_in):
    order = order_in("delivered")
    before = snapshot(order)

    response = act(api(cast.admin_a), order, "update-tracking", {"tracking_number": "NEW-42", "carrier": "DHL"})

    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["tracking_number"]) == ("delivered", "NEW-42")
    fresh = reload(order)
    assert (fresh.status, fresh.tracking_number, fresh.carrier) == ("delivered", "NEW-42", "DHL")
    assert fresh.version == before.version + 1
    assert list(fresh.tracking_numbers.values_list("number", flat=True)) == ["1Z999AA10123456784", "NEW-42"]
    assert new_events(order, before) == [("update-tracking", "delivered", "delivered")]
    assert last_event(order).data["previous"] == "1Z999AA10123456784"


def test_a_technician_cannot_update_tracking_to_a_blank_number(cast, api, order_in):
    order = order_in("shipped")
    before = snapshot(order)

    response = act(api(cast.tech_a), order, "update-tracking", {"tracking_number": " \t "})

    assert_refused(response, 422, "tracking_number")
    assert snapshot(order) == before


def test_a_technician_cannot_update_tracking_before_shipping(cast, api, order_in):
    order = order_in("produced")
    before = snapshot(order)

    response = act(api(cast.tech_a), order, "update-tracking", {"tracking_number": "1Z"})

    body = assert_refused(response, 409)
    assert body["status"] == "produced"
    assert "ship" in body["allowed_actions"]
    assert snapshot(order) == before


# ---- deliver --------------------------------------------------------------------------


def test_a_dentist_confirms_delivery_of_their_order_today(cast, api, order_in):
    order = order_in("shipped")
    before = snapshot(order)

    response = act(api(cast.dentist_a1), order, "deliver")

    assert response.status_code == 200, response.content
    today = cast.lab_a.local_date().isoformat()
    assert (response.json()["status"], response.json()["delivered_on"]) == ("delivered", today)
    assert reload(order).status == "delivered"
    assert new_events(order, before) == [("deliver", "shipped", "delivered")]
    assert last_event(order).data == {"delivered_on": today}


def test_a_technician_records_an_earlier_delivery_date(cast, api, order_in):
    order = order_in("shipped")
    yesterday = days(-1, cast.lab_a)

    response = act(api(cast.tech_a), order, "deliver", {"delivered_on": yesterday})

    assert response.status_code == 200, response.content
    assert reload(order).delivered_on.isoformat() == yesterday


def test_delivering_an_order_paid_in_full_completes_it_in_two_events(cast, api, order_in):
    order = order_in("shipped", paid=True)
    before = snapshot(order)

    response = act(api(cast.dentist_a1), order, "deliver")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "completed"
    assert response.json()["version"] == before.version + 2
    assert reload(order).status == "completed"
    assert new_events(order, before) == [("deliver", "shipped", "delivered"), ("complete", "delivered", "completed")]


def test_a_dentist_cannot_confirm_a_delivery_date_in_the_future(cast, api, order_in):
    order = order_in("shipped")
    before = snapshot(order)

    response = act(api(cast.dentist_a1), order, "deliver", {"delivered_on": days(1, cast.lab_a)})

    assert_refused(response, 422, "delivered_on")
    assert snapshot(order) == before


# ---- cancel and reopen ----------------------------------------------------------------


def test_a_lab_admin_cancels_an_order_in_production_with_a_reason(cast, api, order_in):
    order = order_in("production")
    before = snapshot(order)

    response = act(api(cast.admin_a), order, "cancel", {"reason": "patient moved away"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["cancelled_from"]) == ("cancelled", "production")
    assert body["allowed_actions"] == ["reopen", "plan-work", "edit-tasks", "print", "comment"]
    fresh = reload(order)
    assert (fresh.status, fresh.cancelled_from, fresh.version) == ("cancelled", "production", before.version + 1)
    assert new_events(order, before) == [("cancel", "production", "cancelled")]
    assert last_event(order).data == {"reason": "patient moved away"}
    assert fresh.lines.count() == 1 and Task.objects.filter(order=order).count() == 3  # nothing is deleted


@pytest.mark.parametrize(
    "body", [None, {}, {"reason": ""}, {"reason": "   "}], ids=["no-body", "empty", "blank", "spaces"]
)
def test_the_lab_cannot_cancel_without_a_reason(cast, api, order_in, body):
    order = order_in("published")
    before = snapshot(order)

    response = act(api(cast.admin_a), order, "cancel", body)

    assert_refused(response, 422, "reason")
    assert snapshot(order) == before


def test_a_dentist_withdraws_their_published_order_without_a_reason(cast, api, order_in):
    order = order_in("published")
    before = snapshot(order)

    response = act(api(cast.dentist_a1), order, "cancel")

    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["cancelled_from"]) == ("cancelled", "published")
    assert new_events(order, before) == [("cancel", "published", "cancelled")]


def test_a_dentist_cannot_cancel_an_order_in_production(cast, api, order_in):
    order = order_in("production")
    before = snapshot(order)

    response = act(api(cast.dentist_a1), order, "cancel", {"reason": "changed my mind"})

    body = assert_refused(response, 409)
    assert body["status"] == "production"
    assert "cancel" not in body["allowed_actions"]
    assert snapshot(order) == before


def test_a_lab_admin_cannot_cancel_a_shipped_order(cast, api, order_in):
    order = order_in("shipped")
    before = snapshot(order)

    response = act(api(cast.admin_a), order, "cancel", {"reason": "lost"})

    body = assert_refused(response, 409)
    assert body["status"] == "shipped"
    assert snapshot(order) == before


def test_a_lab_admin_reopens_a_cancelled_order_where_it_stood(cast, api, order_in):
    order = order_in("production")
    act(api(cast.admin_a), order, "cancel", {"reason": "on hold"})
    before = snapshot(order)

    response = act(api(cast.admin_a), order, "reopen")

    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["cancelled_from"]) == ("production", None)
    fresh = reload(order)
    assert (fresh.status, fresh.cancelled_from, fresh.version) == ("production", "", before.version + 1)
    assert new_events(order, before) == [("reopen", "cancelled", "production")]


def test_a_dentist_cannot_reopen_their_withdrawn_order(cast, api, order_in):
    order = order_in("cancelled")
    before = snapshot(order)

    response = act(api(cast.dentist_a1), order, "reopen")

    assert_refused(response, 403)
    assert snapshot(order) == before


def test_a_technician_cannot_cancel_an_order(cast, api, order_in):
    order = order_in("published")
    before = snapshot(order)

    response = act(api(cast.tech_a), order, "cancel", {"reason": "no"})

    assert_refused(response, 403)
    assert snapshot(order) == before


# ---- unknown actions and If-Match ---------------------------------------------------


@pytest.mark.parametrize("action", ["frobnicate", "complete", "record-payment", "PUBLISH"])
def test_a_lab_admin_gets_404_for_an_unknown_action_listing_the_known_ones(cast, api, order_in, action):
    order = order_in("published")
    before = snapshot(order)

    response = act(api(cast.admin_a), order, action, {"reason": "x"})

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert action in detail
    for known in ["publish", "takedown", "start-production", "produce", "ship", "update-tracking", "deliver",
                  "cancel", "reopen"]:
        assert known in detail
    assert snapshot(order) == before


def test_an_action_with_the_current_etag_goes_through(cast, api, order_in):
    order = order_in("produced")

    response = act(api(cast.tech_a), order, "ship", {"tracking_number": "1Z"}, HTTP_IF_MATCH=order.etag)

    assert response.status_code == 200, response.content
    assert reload(order).status == "shipped"


def test_a_weak_etag_is_accepted_too(cast, api, order_in):
    order = order_in("produced")

    response = act(api(cast.tech_a), order, "ship", {"tracking_number": "1Z"}, HTTP_IF_MATCH="W/" + order.etag)

    assert response.status_code == 200, response.content


def test_an_action_with_a_stale_etag_is_refused_with_412(cast, api, order_in):
    order = order_in("produced")
    stale = order.etag
    api(cast.dentist_a1).post(f"/orders/{order.number}/comments", {"body": "where is it?"})
    before = snapshot(order)

    response = act(api(cast.tech_a), order, "ship", {"tracking_number": "1Z"}, HTTP_IF_MATCH=stale)

    body = assert_refused(response, 412)
    assert body["version"] == before.version
    assert snapshot(order) == before
