"""Creating an order, POST /orders: a dentist for themselves, the lab for a customer, and what is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from crownline.orders.models import Order
from tests.orders.helpers import assert_refused


def test_a_dentist_creates_a_draft_for_themselves(cast, api):
    due = (cast.lab_a.local_date() + dt.timedelta(days=10)).isoformat()
    response = api(cast.dentist_a1).post(
        "/orders",
        {"patient_name": "Max Mustermann", "due_date": due, "notes": "rush",
         "lines": [{"service": cast.service_a.pk, "quantity": 2, "teeth": [21, 11], "shade": "A2"}]},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["version"] == 1
    assert body["customer"]["id"] == cast.customer_a1.pk
    assert body["patient"]["name"] == "Max Mustermann"
    assert body["lines"][0]["teeth"] == [11, 21]
    assert Decimal(body["lines"][0]["line_total"]) == Decimal("200.00")
    assert Decimal(body["total"]) == Decimal("200.00")
    assert body["allowed_actions"][:2] == ["publish", "cancel"]
    assert response["ETag"] == f'"{body["number"]}-1"'
    order = Order.objects.get(number=body["number"])
    assert (order.status, order.version, order.lab, order.created_by) == ("draft", 1, cast.lab_a, cast.dentist_a1)
    assert [(e.action, e.from_status, e.to_status) for e in order.events.all()] == [("create", "", "draft")]


def test_a_lab_admin_creates_an_order_for_a_customer_at_a_price_of_their_own(cast, api):
    response = api(cast.admin_a).post(
        "/orders",
        {"customer": cast.customer_a2.pk, "patient_name": "P-17",
         "lines": [{"service": cast.service_a.pk, "unit_price": "80.50"}]},
    )

    assert response.status_code == 201, response.content
    order = Order.objects.get(number=response.json()["number"])
    assert order.customer == cast.customer_a2
    assert order.total == Decimal("80.50")
    assert order.events.get().actor_role == "lab_admin"


def test_a_technician_cannot_create_an_order(cast, api):
    response = api(cast.tech_a).post(
        "/orders", {"customer": cast.customer_a1.pk, "lines": [{"service": cast.service_a.pk}]}
    )

    assert_refused(response, 403)
    assert Order.objects.count() == 0


def test_a_dentist_cannot_order_for_another_dentist(cast, api):
    response = api(cast.dentist_a1).post(
        "/orders", {"customer": cast.customer_a2.pk, "lines": [{"service": cast.service_a.pk}]}
    )

    assert_refused(response, 422, "customer")
    assert Order.objects.count() == 0


def test_a_dentist_cannot_set_a_price(cast, api):
    response = api(cast.dentist_a1).post("/orders", {"lines": [{"service": cast.service_a.pk, "unit_price": "1"}]})

    assert_refused(response, 422, "lines[0].unit_price")
    assert Order.objects.count() == 0


def test_a_lab_admin_cannot_order_a_service_of_another_lab(cast, api):
    response = api(cast.admin_a).post(
        "/orders", {"customer": cast.customer_a1.pk, "lines": [{"service": cast.service_b.pk}]}
    )

    assert_refused(response, 422, "lines[0].service")
    assert Order.objects.count() == 0


def test_a_lab_admin_cannot_order_for_a_customer_of_another_lab(cast, api):
    response = api(cast.admin_a).post(
        "/orders", {"customer": cast.customer_b.pk, "lines": [{"service": cast.service_a.pk}]}
    )

    assert_refused(response, 422, "customer")
    assert Order.objects.count() == 0


def test_a_dentist_cannot_create_an_order_due_in_the_past(cast, api):
    yesterday = (cast.lab_a.local_date() - dt.timedelta(days=1)).isoformat()
    response = api(cast.dentist_a1).post(
        "/orders", {"due_date": yesterday, "lines": [{"service": cast.service_a.pk}]}
    )

    assert_refused(response, 422, "due_date")
    assert Order.objects.count() == 0


def test_a_dentist_gets_422_for_a_line_without_a_service(cast, api):
    response = api(cast.dentist_a1).post("/orders", {"lines": [{"quantity": 1}]})

    assert_refused(response, 422, "lines.0.service")
    assert Order.objects.count() == 0


def test_a_dentist_gets_422_for_an_unknown_tooth(cast, api):
    response = api(cast.dentist_a1).post("/orders", {"lines": [{"service": cast.service_a.pk, "teeth": [19]}]})

    assert_refused(response, 422, "lines[0].teeth")
    assert Order.objects.count() == 0


def test_a_dentist_gets_400_for_a_body_that_is_not_json(cast, api):
    client = api(cast.dentist_a1)
    response = client.client.post("/api/v1/orders", "{not json", content_type="application/json", **client.headers)

    assert_refused(response, 400)
    assert Order.objects.count() == 0
