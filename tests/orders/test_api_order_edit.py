"""Editing an order, PATCH /orders/{number}: guarded by If-Match, and who may edit which order when."""

from __future__ import annotations

from decimal import Decimal

from tests.orders.helpers import assert_refused, last_event, reload, snapshot


def test_a_dentist_edits_their_draft_with_the_etag(cast, api, order_in):
    order = order_in("draft")
    before = snapshot(order)
    etag = api(cast.dentist_a1).get(f"/orders/{order.number}")["ETag"]

    response = api(cast.dentist_a1).patch(
        f"/orders/{order.number}",
        {"notes": "please hurry", "lines": [{"service": cast.service_a.pk, "quantity": 3, "teeth": [36]}]},
        HTTP_IF_MATCH=etag,
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["notes"] == "please hurry"
    assert [(ln["quantity"], ln["teeth"]) for ln in body["lines"]] == [(3, [36])]
    assert body["version"] == before.version + 1
    assert response["ETag"] == f'"{order.number}-{before.version + 1}"'
    fresh = reload(order)
    assert (fresh.notes, fresh.total, fresh.version, fresh.status) == (
        "please hurry", Decimal("300.00"), before.version + 1, "draft"
    )
    event = last_event(order)
    assert (event.action, event.from_status, event.to_status) == ("edit", "draft", "draft")
    assert event.data == {"notes": True, "lines": 1}
    assert snapshot(order).events == before.events + 1


def test_a_lab_admin_edits_a_published_order_keeping_a_line_by_its_id(cast, api, order_in):
    order = order_in("published")
    line = order.lines.get()

    response = api(cast.admin_a).patch(
        f"/orders/{order.number}",
        {"lines": [{"id": line.pk, "service": cast.service_a.pk, "quantity": 2, "teeth": [11]}]},
        HTTP_IF_MATCH=order.etag,
    )

    assert response.status_code == 200, response.content
    assert response.json()["lines"][0]["id"] == line.pk
    assert response.json()["tasks_total"] == 3  # the kept line keeps its planned tasks
    assert reload(order).total == Decimal("200.00")


def test_a_lab_admin_cannot_edit_without_if_match(cast, api, order_in):
    order = order_in("published")
    before = snapshot(order)

    response = api(cast.admin_a).patch(f"/orders/{order.number}", {"notes": "x"})

    assert_refused(response, 428)
    assert "If-Match" in response.json()["detail"]
    assert snapshot(order) == before
    assert reload(order).notes == ""


def test_a_lab_admin_cannot_edit_with_a_stale_etag(cast, api, order_in):
    order = order_in("published")
    stale = order.etag
    api(cast.admin_a).patch(f"/orders/{order.number}", {"due_date": None}, HTTP_IF_MATCH=stale)  # moves it on
    before = snapshot(order)

    response = api(cast.admin_a).patch(f"/orders/{order.number}", {"notes": "x"}, HTTP_IF_MATCH=stale)

    body = assert_refused(response, 412)
    assert body["version"] == before.version
    assert snapshot(order) == before
    assert reload(order).notes == ""


def test_a_lab_admin_cannot_edit_with_the_etag_of_another_order(cast, api, order_in):
    order, other = order_in("published"), order_in("published")
    before = snapshot(order)

    response = api(cast.admin_a).patch(f"/orders/{order.number}", {"notes": "x"}, HTTP_IF_MATCH=other.etag)

    assert_refused(response, 412)
    assert snapshot(order) == before


def test_a_lab_admin_gets_422_for_an_edit_that_changes_nothing(cast, api, order_in):
    order = order_in("published")
    before = snapshot(order)

    response = api(cast.admin_a).patch(f"/orders/{order.number}", {}, HTTP_IF_MATCH=order.etag)

    assert_refused(response, 422, "body")
    assert snapshot(order) == before


def test_a_lab_admin_cannot_remove_every_line_of_a_published_order(cast, api, order_in):
    order = order_in("published")
    before = snapshot(order)

    response = api(cast.admin_a).patch(f"/orders/{order.number}", {"lines": []}, HTTP_IF_MATCH=order.etag)

    assert_refused(response, 422, "lines")
    assert snapshot(order) == before
    assert reload(order).lines.count() == 1


def test_a_lab_admin_gets_422_for_a_quantity_over_the_limit(cast, api, order_in):
    order = order_in("draft")
    before = snapshot(order)

    response = api(cast.admin_a).patch(
        f"/orders/{order.number}", {"lines": [{"service": cast.service_a.pk, "quantity": 101}]},
        HTTP_IF_MATCH=order.etag,
    )

    assert_refused(response, 422, "lines.0.quantity")
    assert snapshot(order) == before


def test_a_dentist_cannot_edit_a_published_order(cast, api, order_in):
    order = order_in("published")
    before = snapshot(order)

    response = api(cast.dentist_a1).patch(f"/orders/{order.number}", {"notes": "x"}, HTTP_IF_MATCH=order.etag)

    body = assert_refused(response, 409)
    assert body["status"] == "published"
    assert "edit" not in body["allowed_actions"]
    assert snapshot(order) == before


def test_a_technician_cannot_edit_an_order(cast, api, order_in):
    order = order_in("published")
    before = snapshot(order)

    response = api(cast.tech_a).patch(f"/orders/{order.number}", {"notes": "x"}, HTTP_IF_MATCH=order.etag)

    assert_refused(response, 403)
    assert snapshot(order) == before


def test_a_lab_admin_gets_400_for_an_edit_that_is_not_json(cast, api, order_in):
    order = order_in("draft")
    before = snapshot(order)
    client = api(cast.admin_a)

    response = client.client.patch(
        f"/api/v1/orders/{order.number}", "{", content_type="application/json",
        HTTP_IF_MATCH=order.etag, **client.headers,
    )

    assert_refused(response, 400)
    assert snapshot(order) == before
