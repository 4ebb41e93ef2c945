"""The lab admin's discount on one order: percent or amount, spread over tax rates, shown to the
admin and the customer, refused to everyone else and once an invoice bills the order."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from crownline.orders import payments
from crownline.orders.models import Order, OrderEvent
from tests.factories import ServiceFactory, make_order
from tests.orders.helpers import assert_refused, snapshot


@pytest.fixture
def order(cast):
    """A published order of two lines, 100.00 at 0 % and 50.00 at 20 % tax."""
    crown = ServiceFactory(lab=cast.lab_a, name="Crown", price=Decimal("100.00"))
    inlay = ServiceFactory(lab=cast.lab_a, name="Inlay", price=Decimal("50.00"), tax_rate=Decimal("20"))
    order = make_order(cast.admin_a, cast.customer_a1, status="published", service=crown)
    order.lines.create(position=2, service=inlay, unit_price=inlay.price, list_price=inlay.price,
                       tax_rate=Decimal("20"))
    from crownline.orders.totals import money_fields, totals_of

    Order.objects.filter(pk=order.pk).update(**money_fields(totals_of(order, order.lines.all())))
    return Order.objects.get(pk=order.pk)


def test_a_lab_admin_gives_ten_percent_and_the_tax_follows_the_discounted_lines(cast, api, order):
    assert order.total == Decimal("160.00")  # 100 + 50 + 20 % of 50

    response = api(cast.admin_a).post(f"/orders/{order.number}/discount", {"kind": "percent", "value": "10"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["subtotal"] == "150.00"
    assert body["discount"] == {"kind": "percent", "value": "10.00", "amount": "15.00"}
    # 15.00 is spread 10.00 / 5.00 over the two rates: tax is 20 % of 45.00.
    assert body["tax_amount"] == "9.00"
    assert body["total"] == "144.00"
    assert OrderEvent.objects.filter(order=order, action="discount").count() == 1


def test_an_amount_discount_is_taken_off_and_removing_it_restores_the_total(cast, api, order):
    admin = api(cast.admin_a)
    # 30.00 off 150.00 is 20.00 off the 0 % line and 10.00 off the 20 % one: 120.00 + 8.00 tax.
    assert admin.post(f"/orders/{order.number}/discount", {"kind": "amount", "value": "30"}).json()["total"] == "128.00"

    response = admin.delete(f"/orders/{order.number}/discount")

    assert response.status_code == 200
    assert response.json()["discount"] is None
    assert response.json()["total"] == "160.00"


def test_the_dentist_sees_the_discount_and_the_technician_sees_no_money(cast, api, order):
    api(cast.admin_a).post(f"/orders/{order.number}/discount", {"kind": "amount", "value": "10"})

    assert api(cast.dentist_a1).get(f"/orders/{order.number}").json()["discount"]["amount"] == "10.00"
    seen_by_tech = api(cast.tech_a).get(f"/orders/{order.number}").json()
    assert seen_by_tech["discount"] is None and seen_by_tech["total"] is None and seen_by_tech["subtotal"] is None


@pytest.mark.parametrize("actor", ["tech_a", "dentist_a1"])
def test_only_the_lab_admin_gives_a_discount(cast, api, order, actor):
    before = snapshot(order)

    response = api(getattr(cast, actor)).post(f"/orders/{order.number}/discount", {"kind": "percent", "value": "10"})

    assert response.status_code == 403
    assert snapshot(order) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [({"kind": "percent", "value": "100.5"}, "value"), ({"kind": "percent", "value": "0"}, "value"),
     ({"kind": "percent", "value": "12.345"}, "value"), ({"kind": "amount", "value": "1.005"}, "value"),
     ({"kind": "gift", "value": "1"}, "kind")],
)
def test_a_discount_that_makes_no_sense_is_refused_and_changes_nothing(cast, api, order, body, field):
    before = snapshot(order)

    response = api(cast.admin_a).post(f"/orders/{order.number}/discount", body)

    assert_refused(response, 422, field)
    assert snapshot(order) == before


def test_a_discount_below_what_was_paid_is_refused(cast, api, order):
    payments.record_payment(cast.admin_a, order.number, amount=Decimal("150"))

    response = api(cast.admin_a).post(f"/orders/{order.number}/discount", {"kind": "amount", "value": "20"})

    assert_refused(response, 422, "value")
    assert Order.objects.get(pk=order.pk).total == Decimal("160.00")


def test_a_discount_that_leaves_a_delivered_order_paid_in_full_completes_it(cast, api):
    order = make_order(cast.admin_a, cast.customer_a1, status="delivered", service=cast.service_a)
    payments.record_payment(cast.admin_a, order.number, amount=order.total - Decimal("5"))

    response = api(cast.admin_a).post(f"/orders/{order.number}/discount", {"kind": "amount", "value": "5"})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "completed"


def test_an_invoiced_order_keeps_its_discount_until_a_credit_note(cast, api, order):
    Order.objects.filter(pk=order.pk).update(invoice_number="LAB-A-2026-0001")

    response = api(cast.admin_a).post(f"/orders/{order.number}/discount", {"kind": "percent", "value": "10"})

    assert response.status_code == 409
    assert "credit note" in response.json()["detail"]
    assert Order.objects.get(pk=order.pk).discount_kind == ""


def test_the_order_page_gives_a_discount_and_shows_the_price_breakdown(cast, order):
    page = Client()
    page.force_login(cast.admin_a)

    response = page.post(f"/orders/{order.number}/actions/discount/",
                         {"version": order.version, "kind": "percent", "value": "10"})

    assert response.status_code == 302
    html = page.get(f"/orders/{order.number}/").content.decode()
    assert "Discount (10 %)" in html and "\N{MINUS SIGN}15.00 EUR" in html
    assert 'id="tax">9.00 EUR' in html and 'id="total">144.00 EUR' in html


def test_a_technician_posting_the_discount_form_is_refused(cast, order):
    page = Client()
    page.force_login(cast.tech_a)

    response = page.post(f"/orders/{order.number}/actions/discount/",
                         {"version": order.version, "kind": "amount", "value": "99"})

    assert response.status_code == 403
    assert Order.objects.get(pk=order.pk).discount_kind == ""
