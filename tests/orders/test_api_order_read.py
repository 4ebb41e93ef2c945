"""Reading one order, GET /orders/{number}: its fields, its ETag and the actions the caller may take."""

from __future__ import annotations

from decimal import Decimal

from tests.orders.helpers import assert_refused


def test_a_lab_admin_reads_an_order_with_its_etag(cast, api, order_in):
    order = order_in("production")

    response = api(cast.admin_a).get(f"/orders/{order.number}")

    assert response.status_code == 200
    body = response.json()
    assert body["number"] == order.number
    assert body["display_number"] == f"#{order.number}"
    assert body["lab"] == "lab-a"
    assert body["status"] == "production"
    assert body["version"] == order.version
    assert body["production_date"] == cast.lab_a.local_date().isoformat()
    assert (body["tasks_total"], body["tasks_done"]) == (3, 0)
    assert Decimal(body["total"]) == Decimal(body["amount_due"]) == Decimal("100.00")
    assert body["allowed_actions"] == ["produce", "cancel", "record-payment", "edit",
                                       "plan-work", "edit-tasks", "mark-task", "print", "view-payment-instructions",
                                       "comment"]
    assert response["ETag"] == f'"{order.number}-{order.version}"'


def test_a_dentist_reads_their_order_by_its_number_in_lower_case(cast, api, order_in):
    order = order_in("published")

    response = api(cast.dentist_a1).get(f"/orders/{order.number.lower()}")

    assert response.status_code == 200
    assert response.json()["number"] == order.number


def test_anyone_gets_404_for_a_number_that_does_not_exist(cast, api):
    assert_refused(api(cast.admin_a).get("/orders/0123456789"), 404)
    assert_refused(api(cast.admin_a).get("/orders/not-a-number"), 404)
