"""Markers on an order: on hold and sent for fitting, through the API and the page, with actors."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from crownline.orders import markers
from crownline.orders.models import Order
from crownline.workplan.models import Task


def fresh(order) -> Order:
    return Order.objects.get(pk=order.pk)


def test_the_lab_admin_puts_an_order_on_hold_with_a_reason_and_the_dentist_reads_it(cast, api, order_in):
    order = order_in("production")

    held = api(cast.admin_a).post(f"/orders/{order.number}/hold", {"reason": "Waiting for the bite registration"})

    assert held.status_code == 200, held.content
    body = held.json()
    assert body["markers"]["on_hold"] and body["markers"]["hold_reason"] == "Waiting for the bite registration"
    assert body["status"] == "production" and body["version"] == order.version + 1
    seen = api(cast.dentist_a1).get(f"/orders/{order.number}").json()
    assert seen["markers"]["hold_reason"] == "Waiting for the bite registration"
    events = api(cast.dentist_a1).get(f"/orders/{order.number}/events").json()
    assert events[-1]["label"] == "Put on hold" and "bite registration" in events[-1]["detail"]


def test_holding_a_held_order_is_a_conflict_and_releasing_an_unheld_one_too(cast, api, order_in):
    order = order_in("published")
    client = api(cast.tech_a)
    assert client.post(f"/orders/{order.number}/hold", {"reason": "Shade unclear"}).status_code == 200

    again = client.post(f"/orders/{order.number}/hold", {"reason": "Again"})
    assert again.status_code == 409 and "on hold already" in again.json()["detail"]
    assert client.delete(f"/orders/{order.number}/hold").status_code == 200
    not_held = client.delete(f"/orders/{order.number}/hold")
    assert not_held.status_code == 409 and "not on hold" in not_held.json()["detail"]
    assert not fresh(order).on_hold and fresh(order).hold_reason == ""


def test_a_hold_needs_a_reason_of_at_most_500_characters(cast, api, order_in):
    order = order_in("published")
    client = api(cast.admin_a)
    for body in ({"reason": "   "}, {"reason": "x" * 501}, {}):
        refused = client.post(f"/orders/{order.number}/hold", body)
        assert refused.status_code == 422, body
        assert refused.json()["errors"][0]["field"].endswith("reason")
    assert fresh(order).version == order.version and not fresh(order).on_hold


def test_the_dentist_may_not_hold_nor_release_and_another_lab_does_not_see_the_order(cast, api, order_in):
    order = order_in("production")
    assert api(cast.dentist_a1).post(f"/orders/{order.number}/hold", {"reason": "Mine"}).status_code == 403
    assert api(cast.admin_b).post(f"/orders/{order.number}/hold", {"reason": "Theirs"}).status_code == 404
    assert api(cast.dentist_a2).post(f"/orders/{order.number}/hold", {"reason": "Not mine"}).status_code == 404
    assert not fresh(order).on_hold


def test_a_draft_or_a_shipped_order_is_not_put_on_hold(cast, api, order_in):
    for status in ("draft", "shipped"):
        order = order_in(status)
        assert api(cast.admin_a).post(f"/orders/{order.number}/hold", {"reason": "x"}).status_code == 409


def test_a_held_order_keeps_its_life_cycle_buttons(cast, api, order_in):
    """Holding is a marker, not a status: the lab may still move the order (and sees it is held)."""
    order = order_in("published")
    markers.hold_order(cast.admin_a, order.number, reason="Waiting for the scan")
    today = cast.lab_a.local_date().isoformat()

    moved = api(cast.tech_a).post(f"/orders/{order.number}/actions/start-production", {"production_date": today})

    assert moved.status_code == 200 and moved.json()["markers"]["on_hold"]


def test_the_technician_sends_the_case_for_fitting_and_records_it_back(cast, api, order_in):
    order = order_in("production")
    client = api(cast.tech_a)
    today = cast.lab_a.local_date()

    sent = client.post(f"/orders/{order.number}/fitting", {"note": "Try-in of the framework"})
    assert sent.status_code == 200, sent.content
    assert sent.json()["markers"] | {} == {
        "on_hold": False,
        "hold_reason": "",
        "at_fitting": True,
        "fitting_sent_on": today.isoformat(),
        "fitting_back_on": None,
    }
    assert client.post(f"/orders/{order.number}/fitting", {}).status_code == 409  # out already

    back = client.post(f"/orders/{order.number}/fitting/return", {"back_on": today.isoformat()})
    assert back.status_code == 200
    assert back.json()["markers"]["at_fitting"] is False and back.json()["markers"]["fitting_back_on"] == str(today)
    assert client.post(f"/orders/{order.number}/fitting/return", {}).status_code == 409  # not out
    kinds = list(fresh(order).events.values_list("action", flat=True))
    assert kinds[-2:] == ["send-for-fitting", "return-from-fitting"]


def test_fitting_dates_are_not_in_the_future_nor_back_before_sent(cast, api, order_in):
    order = order_in("production")
    client = api(cast.admin_a)
    today = cast.lab_a.local_date()
    future = client.post(f"/orders/{order.number}/fitting", {"sent_on": str(today + dt.timedelta(days=1))})
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "sent_on"
    assert client.post(f"/orders/{order.number}/fitting", {"sent_on": "2026-13-45"}).status_code == 422
    assert client.post(f"/orders/{order.number}/fitting", {"sent_on": 20261201}).status_code == 422
    assert client.post(f"/orders/{order.number}/fitting", {}).status_code == 200
    early = client.post(f"/orders/{order.number}/fitting/return", {"back_on": str(today - dt.timedelta(days=1))})
    assert early.status_code == 422 and early.json()["errors"][0]["field"] == "back_on"
    assert fresh(order).fitting_back_on is None


def test_a_stale_if_match_is_refused(cast, api, order_in):
    order = order_in("production")
    stale = api(cast.admin_a).post(
        f"/orders/{order.number}/hold", {"reason": "x"}, HTTP_IF_MATCH=f'"{order.number}-{order.version - 1}"'
    )
    assert stale.status_code == 412 and not fresh(order).on_hold


def test_my_tasks_leaves_out_the_tasks_of_held_orders_until_released(cast, order_in):
    order = order_in("production")
    Task.objects.filter(order=order).update(assignee=cast.tech_a)
    page = Client()
    page.force_login(cast.tech_a)
    assert order.number in page.get("/tasks/mine/").content.decode()

    markers.hold_order(cast.admin_a, order.number, reason="Waiting for the dentist")
    held = page.get("/tasks/mine/").content.decode()
    assert order.number not in held and "of orders on hold" in held

    markers.release_order(cast.admin_a, order.number)
    assert order.number in page.get("/tasks/mine/").content.decode()


def test_the_order_page_holds_and_releases_with_the_forms_version(cast, order_in):
    order = order_in("production")
    page = Client()
    page.force_login(cast.tech_a)
    shown = page.get(f"/orders/{order.number}/").content.decode()
    assert "Put on hold" in shown and "Send for fitting" in shown

    missing = page.post(f"/orders/{order.number}/hold/", {"version": order.version, "reason": ""})
    assert missing.status_code == 422 and not fresh(order).on_hold
    done = page.post(f"/orders/{order.number}/hold/", {"version": order.version, "reason": "Scan unclear"})
    assert done.status_code == 302 and fresh(order).on_hold
    stale = page.post(f"/orders/{order.number}/release/", {"version": order.version})
    assert stale.status_code == 412 and fresh(order).on_hold
    shown = page.get(f"/orders/{order.number}/").content.decode()
    assert 'id="marker-hold"' in shown and "Release hold" in shown and "Scan unclear" in shown
    released = page.post(f"/orders/{order.number}/release/", {"version": fresh(order).version})
    assert released.status_code == 302 and not fresh(order).on_hold


def test_the_dentist_sees_the_markers_on_the_page_but_no_marker_buttons(cast, order_in):
    order = order_in("production")
    markers.send_for_fitting(cast.tech_a, order.number)
    page = Client()
    page.force_login(cast.dentist_a1)
    shown = page.get(f"/orders/{order.number}/").content.decode()
    assert 'id="marker-fitting"' in shown and "Put on hold" not in shown and "Back from fitting" not in shown
    assert page.post(f"/orders/{order.number}/fitting/return/", {"version": fresh(order).version}).status_code == 403
