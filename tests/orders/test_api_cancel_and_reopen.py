"""Cancelling an order (the lab must give a reason; a dentist may withdraw a published order)
and reopening a cancelled order where it stood."""

from __future__ import annotations

import pytest

from crownline.workplan.models import Task
from tests.orders.helpers import act, assert_refused, last_event, new_events, reload, snapshot


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
