"""Getting the work to the dentist: ship and update-tracking (the old tracking number is kept),
then deliver (which also completes an order that is paid in full)."""

from __future__ import annotations

import pytest

from tests.orders.helpers import (
    act,
    assert_refused,
    days,
    last_event,
    new_events,
    reload,
    shipped_days_ago,
    snapshot,
)

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
    shipped_days_ago(order, 3)
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
