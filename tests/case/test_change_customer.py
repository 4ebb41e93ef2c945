"""Changing an order's customer (issue 13): the lab admin, before invoicing and payments, to a
customer of the lab in the same currency; the lines re-priced, the patient along, one entry."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crownline.customers.models import Patient
from crownline.errors import NotFound
from crownline.orders import drafting, payments
from crownline.orders.customer_change import change_customer
from crownline.orders.drafting import LineInput, OrderInput
from crownline.orders.models import Order
from crownline.pricing import services as pricing
from crownline.pricing.services import PricebookInput, PriceInput
from tests.factories import CustomerFactory, make_order

pytestmark = pytest.mark.django_db


def _change(api, user, order, customer, **headers):
    return api(user).post(f"/orders/{order.number}/change-customer", {"customer": customer}, **headers)


def test_lab_admin_moves_an_order_to_another_customer_repriced(cast, api, order_in):
    order = order_in("published")
    pricing.create_pricebook(
        cast.admin_a,
        "lab-a",
        PricebookInput(
            name="Silver",
            customers=[cast.customer_a2.pk],
            prices=[PriceInput(service=cast.service_a.pk, rule="percent_off", value=Decimal("20"))],
        ),
    )
    response = _change(api, cast.admin_a, order, cast.customer_a2.pk, HTTP_IF_MATCH=order.etag)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["customer"]["id"] == cast.customer_a2.pk
    assert body["lines"][0]["unit_price"] == "80.00"
    assert body["total"] == "80.00"
    assert body["version"] == order.version + 1
    moved = Order.objects.get(pk=order.pk)
    event = moved.events.get(action="change-customer")
    assert event.data == {"previous": cast.customer_a1.name, "customer": cast.customer_a2.name}
    # The patient had no other order: its record moved along.
    assert moved.patient.customer_id == cast.customer_a2.pk
    # The old customer no longer sees it, the new one does.
    assert api(cast.dentist_a1).get(f"/orders/{order.number}").status_code == 404
    assert api(cast.dentist_a2).get(f"/orders/{order.number}").status_code == 200


def test_a_patient_with_other_orders_is_recreated_for_the_new_customer(cast, api, order_in):
    order = order_in("draft")
    other = order_in("draft")
    Order.objects.filter(pk=other.pk).update(patient=order.patient)
    assert _change(api, cast.admin_a, order, cast.customer_a2.pk).status_code == 200
    moved = Order.objects.get(pk=order.pk)
    assert moved.patient_id != order.patient_id
    assert (moved.patient.name, moved.patient.customer_id) == (order.patient.name, cast.customer_a2.pk)
    assert Patient.objects.get(pk=order.patient_id).customer_id == cast.customer_a1.pk


def test_a_payment_not_cancelled_blocks_the_change(cast, api, order_in):
    order = order_in("delivered")
    payments.record_payment(cast.admin_a, order.number, amount=Decimal("10"))
    order.refresh_from_db()
    response = _change(api, cast.admin_a, order, cast.customer_a2.pk)
    assert response.status_code == 409
    assert "money received from one customer must not move to another" in response.json()["detail"]
    assert Order.objects.get(pk=order.pk).customer_id == cast.customer_a1.pk
    assert not Order.objects.get(pk=order.pk).events.filter(action="change-customer").exists()


def test_a_cancelled_payment_no_longer_blocks_it(cast, api, order_in):
    order = order_in("delivered")
    payment = payments.record_payment(cast.admin_a, order.number, amount=Decimal("10"))
    payments.cancel_payment(cast.admin_a, order.number, payment.pk, reason="wrong customer")
    assert _change(api, cast.admin_a, Order.objects.get(pk=order.pk), cast.customer_a2.pk).status_code == 200


def test_an_invoiced_order_is_refused(cast, api, order_in):
    order = order_in("delivered")
    Order.objects.filter(pk=order.pk).update(invoice_number="LAB-A-2026-0001")
    response = _change(api, cast.admin_a, order, cast.customer_a2.pk)
    assert response.status_code == 409
    assert "credit note" in response.json()["detail"]
    assert Order.objects.get(pk=order.pk).customer_id == cast.customer_a1.pk


def test_other_currency_other_lab_and_same_customer_are_refused_naming_the_field(cast, api, order_in):
    order = order_in("published")
    cast.lab_a.payment_currencies = "CHF"
    cast.lab_a.save(update_fields=["payment_currencies"])
    swiss = CustomerFactory(lab=cast.lab_a, billing_currency="CHF")
    for customer in (swiss.pk, cast.customer_b.pk, cast.customer_a1.pk, 10**30, 999999):
        response = _change(api, cast.admin_a, order, customer)
        assert response.status_code == 422, customer
        assert response.json()["errors"][0]["field"] == "customer"
    assert "CHF" in _change(api, cast.admin_a, order, swiss.pk).json()["detail"]
    current = Order.objects.get(pk=order.pk)
    assert (current.customer_id, current.version) == (cast.customer_a1.pk, order.version)


def test_only_the_lab_admin_changes_the_customer(cast, api, order_in):
    order = order_in("published")
    assert _change(api, cast.tech_a, order, cast.customer_a2.pk).status_code == 403
    assert _change(api, cast.dentist_a1, order, cast.customer_a2.pk).status_code == 403
    for who in ("dentist_a2", "admin_b", "dentist_b"):
        assert _change(api, getattr(cast, who), order, cast.customer_a2.pk).status_code == 404
    assert _change(api, cast.admin_a, order_in("cancelled"), cast.customer_a2.pk).status_code == 409
    assert Order.objects.get(pk=order.pk).customer_id == cast.customer_a1.pk


def test_a_stale_version_is_refused(cast, api, order_in):
    order = order_in("published")
    response = _change(api, cast.admin_a, order, cast.customer_a2.pk, HTTP_IF_MATCH=f'"{order.number}-99"')
    assert response.status_code == 412
    assert Order.objects.get(pk=order.pk).customer_id == cast.customer_a1.pk


def test_a_price_the_lab_set_by_hand_stays(cast, api):
    order = drafting.create_order(
        cast.admin_a,
        OrderInput(
            customer=cast.customer_a1.pk,
            patient_name="P",
            lines=[LineInput(service=cast.service_a.pk, unit_price=Decimal("70.00"))],
        ),
        lab_slug="lab-a",
    )
    body = _change(api, cast.admin_a, order, cast.customer_a2.pk).json()
    assert body["lines"][0]["unit_price"] == "70.00"


def test_lab_a_admin_does_not_find_lab_bs_order_to_move(cast):
    order = make_order(cast.admin_b, cast.customer_b, status="published", service=cast.service_b)
    other = CustomerFactory(lab=cast.lab_b)
    with pytest.raises(NotFound):
        change_customer(cast.admin_a, order.number, customer=other.pk)
    assert order.events.filter(action="change-customer").count() == 0
