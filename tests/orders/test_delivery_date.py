"""A delivery happens between the day the order was shipped and today, in the lab's time zone.

Before, `deliver` accepted any past date, even 1900-01-01 for an order shipped this week.
The rule lives in `guards.check_delivery_date`, which the service asks for both doors.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from crownline.errors import InvalidInput
from crownline.orders import services
from crownline.orders.guards import check_delivery_date
from tests.orders.helpers import act, assert_refused, days, reload, shipped_days_ago, snapshot

TODAY = dt.date(2026, 11, 28)


@pytest.mark.parametrize(
    ("value", "refused"),
    [(TODAY, False), (TODAY - dt.timedelta(days=2), False), (TODAY - dt.timedelta(days=3), True),
     (dt.date(1900, 1, 1), True), (TODAY + dt.timedelta(days=1), True)],
)
def test_the_rule_takes_dates_from_shipping_to_today(value, refused):
    refusal = check_delivery_date(value, today=TODAY, shipped_on=TODAY - dt.timedelta(days=2))
    assert (refusal is not None) == refused
    if refusal is not None:
        assert refusal.field == "delivered_on"


@pytest.mark.parametrize("delivered_on", ["1900-01-01", "before-shipping"])
def test_a_dentist_cannot_confirm_a_delivery_before_the_order_was_shipped(cast, api, order_in, delivered_on):
    order = order_in("shipped")
    shipped_days_ago(order, 2)
    if delivered_on == "before-shipping":
        delivered_on = days(-3, cast.lab_a)
    before = snapshot(order)

    response = act(api(cast.dentist_a1), order, "deliver", {"delivered_on": delivered_on})

    body = assert_refused(response, 422, "delivered_on")
    assert "before the order was shipped" in body["detail"]
    assert snapshot(order) == before


def test_the_day_of_shipping_is_a_valid_delivery_date(cast, api, order_in):
    order = order_in("shipped")
    shipped_days_ago(order, 2)

    response = act(api(cast.admin_a), order, "deliver", {"delivered_on": days(-2, cast.lab_a)})

    assert response.status_code == 200, response.content
    assert reload(order).delivered_on.isoformat() == days(-2, cast.lab_a)


def test_the_service_refuses_it_for_the_page_door_too(cast, order_in):
    order = order_in("shipped")
    before = snapshot(order)

    with pytest.raises(InvalidInput) as refused:
        services.deliver_order(cast.admin_a, order.number, delivered_on=dt.date(1900, 1, 1))

    assert refused.value.field == "delivered_on"
    assert snapshot(order) == before


def test_the_order_page_refuses_it_too(cast, order_in):
    # The page's Deliver button sends no date (today); a hand-made form that does is refused.
    order = order_in("shipped")
    before = snapshot(order)
    page = Client()
    page.force_login(cast.admin_a)

    response = page.post(
        f"/orders/{order.number}/actions/deliver/", {"delivered_on": "1900-01-01", "version": reload(order).version}
    )

    assert response.status_code == 422
    assert snapshot(order) == before
