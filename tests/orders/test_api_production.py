"""Production through the action endpoint: start-production (with the checks on its date)
and produce (only once every task of the work plan is done)."""

from __future__ import annotations

import datetime as dt

import pytest

from crownline.workplan.models import Task
from tests.orders.helpers import act, assert_refused, days, last_event, new_events, reload, snapshot

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


@pytest.mark.parametrize("value", ["yesterday", 0, 2.3653501475043826e-85])
def test_a_technician_gets_422_for_a_production_date_that_is_not_a_date(cast, api, order_in, value):
    # A number is not a day: pydantic alone would read it as a Unix time (0 is 1970-01-01).
    order = order_in("published")
    before = snapshot(order)

    response = act(api(cast.tech_a), order, "start-production", {"production_date": value})

    assert_refused(response, 422, "production_date")
    assert snapshot(order) == before


def test_a_technician_gets_422_for_today_written_as_a_unix_time(cast, api, order_in):
    order = order_in("published")
    before = snapshot(order)
    midnight = dt.datetime.combine(cast.lab_a.local_date(), dt.time(0), tzinfo=dt.UTC)

    response = act(api(cast.tech_a), order, "start-production", {"production_date": int(midnight.timestamp())})

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
