"""The markers in the order lists (API and page): filters and badges, with a fixed query count."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crownline.orders import markers
from crownline.orders.models import Order
from crownline.tenancy.models import Lab


def numbers(answer) -> set[str]:
    assert answer.status_code == 200, answer.content
    return {o["number"] for o in answer.json()["items"]}


def test_the_lists_filter_on_hold_at_fitting_remake_and_late(cast, api, order_in):
    held, fitting, plain, late = (order_in("production") for _ in range(4))
    markers.hold_order(cast.admin_a, held.number, reason="Waiting for the scan")
    markers.send_for_fitting(cast.tech_a, fitting.number)
    Order.objects.filter(pk=late.pk).update(due_date=cast.lab_a.local_date() - dt.timedelta(days=1))
    client = api(cast.admin_a)

    assert numbers(client.get("/orders", {"on_hold": "true"})) == {held.number}
    assert held.number not in numbers(client.get("/orders", {"on_hold": "false"}))
    assert numbers(client.get("/orders", {"at_fitting": "true"})) == {fitting.number}
    assert numbers(client.get("/orders", {"late": "true"})) == {late.number}
    assert numbers(client.get("/orders", {"remake": "true"})) == set()
    assert plain.number in numbers(client.get("/orders", {"late": "false", "on_hold": "false"}))
    assert client.get("/orders", {"on_hold": "maybe"}).status_code == 422


def test_the_api_judges_late_on_the_labs_own_today_not_the_servers(cast, api, order_in):
    """The lab's date differs from the server's (UTC) for this whole test: 14 hours ahead in the
    afternoon (UTC), 12 hours behind in the morning. A case due yesterday, in the lab, is late;
    one due today is not, whichever day it is in UTC."""
    zone = "Etc/GMT-14" if timezone.now().hour >= 12 else "Etc/GMT+12"
    Lab.objects.filter(pk=cast.lab_a.pk).update(time_zone=zone)
    cast.lab_a.refresh_from_db()
    lab_today = cast.lab_a.local_date()
    assert lab_today != timezone.now().date()
    yesterday, today = order_in("production"), order_in("production")
    Order.objects.filter(pk=yesterday.pk).update(due_date=lab_today - dt.timedelta(days=1))
    Order.objects.filter(pk=today.pk).update(due_date=lab_today)
    assert numbers(api(cast.admin_a).get("/orders", {"late": "true"})) == {yesterday.number}


def test_an_order_due_on_the_appointment_day_is_at_risk(cast, api, order_in):
    order = order_in("published")
    today = cast.lab_a.local_date()
    Order.objects.filter(pk=order.pk).update(
        appointment_date=today + dt.timedelta(days=5), due_date=today + dt.timedelta(days=5)
    )
    assert numbers(api(cast.admin_a).get("/orders", {"late": "true"})) == {order.number}
    Order.objects.filter(pk=order.pk).update(due_date=today + dt.timedelta(days=3))
    assert numbers(api(cast.admin_a).get("/orders", {"late": "true"})) == set()


def test_the_dentist_filters_their_own_orders_only(cast, api, order_in):
    mine = order_in("production")
    markers.hold_order(cast.admin_a, mine.number, reason="Shade")
    assert numbers(api(cast.dentist_a1).get("/orders", {"on_hold": "true"})) == {mine.number}
    assert numbers(api(cast.dentist_a2).get("/orders", {"on_hold": "true"})) == set()


def test_the_orders_page_shows_the_badges_and_filters(cast, order_in):
    held, fitting, late = (order_in("production") for _ in range(3))
    markers.hold_order(cast.admin_a, held.number, reason="Waiting")
    markers.send_for_fitting(cast.tech_a, fitting.number)
    Order.objects.filter(pk=late.pk).update(due_date=cast.lab_a.local_date() - dt.timedelta(days=1))
    page = Client()
    page.force_login(cast.tech_a)

    shown = page.get("/orders/").content.decode()
    assert ">On hold</span>" in shown and ">At fitting</span>" in shown and ">Late</span>" in shown
    only_held = page.get("/orders/", {"on_hold": "1"})
    assert [o.number for o, _ in only_held.context["rows"]] == [held.number]
    assert page.get("/orders/", {"on_hold": "nonsense"}).status_code == 200  # ignored, as the other filters


def test_the_marker_filters_keep_the_list_query_count(cast, api, order_in):
    """The filters are column tests on the order row: no query more than the plain list, but for
    `late`, which first reads the labs' time zones (one small query) to judge on each lab's today."""
    for _ in range(3):
        markers.hold_order(cast.admin_a, order_in("production").number, reason="Waiting")
    client = api(cast.admin_a)
    assert client.get("/labs").status_code == 200  # the caller in the shared cache, as the budgets do

    plain = _queries(client, {})
    filtered = _queries(client, {"on_hold": "true", "at_fitting": "false", "remake": "false"})
    with_late = _queries(client, {"on_hold": "true", "late": "false", "at_fitting": "false", "remake": "false"})

    assert plain == filtered
    assert with_late == plain + 1


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as seen:
        assert client.get("/orders", params).status_code == 200
    return len(seen)
