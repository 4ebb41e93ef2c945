"""Money never breaks the lab: every amount and total is checked against its column's range.

Before, a dentist who ordered 100 of an expensive service got an order whose total the money
columns (12 digits, 2 decimals) cannot hold: SQLite stored it, and then every order list of
the lab answered 500. Now the total is refused (422 naming the field) before anything is
written, and a database check constraint backs the services up.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

import pytest
from django.db import DataError, IntegrityError, transaction
from django.test import Client

from crownline.catalog import services as catalog
from crownline.errors import InvalidInput
from crownline.numbers import MONEY, MONEY_MAX, largest, money_problem
from crownline.orders.models import Order, OrderLine, Payment
from tests.factories import ServiceFactory
from tests.orders.helpers import assert_refused, reload, snapshot

EXPENSIVE = Decimal("999999999.99")  # 100 of them are 99,999,999,999: past the columns' 9,999,999,999.999
LARGEST_EUROS = MONEY_MAX.quantize(Decimal("0.01"), rounding=ROUND_DOWN)  # 9,999,999,999.99: EUR has 2 places


def test_the_bound_is_derived_from_the_columns():
    assert MONEY_MAX == largest(**MONEY) == Decimal("9999999999.999")
    assert largest(max_digits=5, decimal_places=2) == Decimal("999.99")
    assert money_problem(MONEY_MAX) is None
    assert money_problem(MONEY_MAX + Decimal("0.001")) == f"an amount is from 0 to {MONEY_MAX}"
    # The columns hold three places (KWD); each currency allows its own minor units.
    assert money_problem(Decimal("1.0005")) == "an amount has at most 3 decimal places"
    assert money_problem(Decimal("1.005"), currency="EUR") == "an amount in EUR has at most 2 decimal places"
    assert money_problem(Decimal("1.005"), currency="KWD") is None
    assert money_problem(Decimal("1.5"), currency="JPY") == "an amount in JPY is a whole number"
    assert money_problem(Decimal("NaN")) == "an amount is a number"


def test_a_dentist_cannot_order_more_than_the_money_columns_hold_and_the_list_still_works(cast, api):
    service = ServiceFactory(lab=cast.lab_a, price=EXPENSIVE)

    response = api(cast.dentist_a1).post("/orders", {"lines": [{"service": service.pk, "quantity": 100}]})

    assert_refused(response, 422, "lines[0].quantity")
    assert Order.objects.count() == 0 and OrderLine.objects.count() == 0
    assert api(cast.dentist_a1).get("/orders").status_code == 200
    assert api(cast.admin_a).get("/orders").status_code == 200


def test_an_order_whose_lines_fit_but_whose_total_does_not_is_refused(cast, api):
    service = ServiceFactory(lab=cast.lab_a, price=EXPENSIVE)
    lines = [{"service": service.pk, "quantity": 10, "teeth": [11 + i]} for i in range(2)]

    response = api(cast.dentist_a1).post("/orders", {"lines": lines})

    body = assert_refused(response, 422, "lines")
    assert str(MONEY_MAX) in body["detail"]
    assert Order.objects.count() == 0


def test_a_lab_admin_cannot_edit_an_order_past_the_bound_and_nothing_of_the_edit_is_saved(cast, api, order_in):
    order = order_in("draft")
    line = order.lines.get()
    before = snapshot(order)

    response = api(cast.admin_a).patch(
        f"/orders/{order.number}",
        {"notes": "more", "lines": [{"id": line.pk, "service": cast.service_a.pk, "quantity": 2,
                                     "unit_price": str(LARGEST_EUROS)}]},
        HTTP_IF_MATCH=order.etag,
    )

    assert_refused(response, 422, "lines[0].quantity")
    assert snapshot(order) == before
    fresh = reload(order)
    assert (fresh.total, fresh.notes) == (order.total, order.notes)
    assert fresh.lines.get().unit_price == line.unit_price


def test_a_kept_line_with_a_high_price_counts_at_its_own_price(cast, api, order_in):
    # The lab set this line's price earlier; a later edit that only raises the quantity is
    # checked against that price, not the service's lower one.
    order = order_in("draft")
    line = order.lines.get()
    OrderLine.objects.filter(pk=line.pk).update(unit_price=Decimal("5000000000.00"))
    before = snapshot(order)

    response = api(cast.admin_a).patch(
        f"/orders/{order.number}", {"lines": [{"id": line.pk, "service": cast.service_a.pk, "quantity": 2}]},
        HTTP_IF_MATCH=reload(order).etag,
    )

    assert_refused(response, 422, "lines[0].quantity")
    assert snapshot(order) == before
    assert reload(order).lines.get().quantity == 1


@pytest.mark.parametrize("price", ["10000000000", "10000000000.00", 1e10, "-0.01", "1e2", " 5", "0x10", "1.005"])
def test_the_api_refuses_a_price_the_column_cannot_hold_or_the_schema_does_not_allow(cast, api, price):
    response = api(cast.admin_a).post("/labs/lab-a/services", {"name": "Gold crown", "price": price})

    assert_refused(response, 422, "price")
    assert not cast.lab_a.services.filter(name="Gold crown").exists()


def test_the_largest_price_the_column_holds_is_accepted(cast, api):
    response = api(cast.admin_a).post("/labs/lab-a/services", {"name": "Gold crown", "price": str(LARGEST_EUROS)})

    assert response.status_code == 201, response.content
    assert response.json()["price"] == str(LARGEST_EUROS)


def test_the_catalogue_service_refuses_an_out_of_range_price_for_every_door(cast):
    with pytest.raises(InvalidInput) as refused:
        catalog.save_service(cast.admin_a, "lab-a", fields={"name": "Gold", "price": MONEY_MAX * 2})
    assert refused.value.field == "price"
    with pytest.raises(InvalidInput) as refused:
        catalog.save_service(
            cast.admin_a, "lab-a", fields={"name": "Gold", "price": Decimal("1")},
            templates=[catalog.TemplateInput("Cast", MONEY_MAX * 2)],
        )
    assert refused.value.field == "task_templates[0].default_pay"
    assert not cast.lab_a.services.filter(name="Gold").exists()


@pytest.mark.parametrize("amount", ["1e2", "10000000000", "0.001"])
def test_a_payment_the_schema_does_not_allow_is_refused(cast, api, order_in, amount):
    order = order_in("published")

    response = api(cast.admin_a).post(f"/orders/{order.number}/payments", {"amount": amount})

    assert_refused(response, 422, "amount")
    assert Payment.objects.count() == 0


@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        (Order, "total", MONEY_MAX + Decimal("0.001")),
        (Order, "amount_paid", Decimal("-1")),
        (OrderLine, "unit_price", Decimal("10000000000")),
        (OrderLine, "quantity", 0),
        (Payment, "amount", Decimal("0")),
    ],
)
def test_the_database_refuses_money_outside_the_columns_range(cast, order_in, model, field, value):
    order = order_in("published", paid=True)
    row = {Order: order, OrderLine: order.lines.first(), Payment: order.payments.first()}[model]

    # PostgreSQL's numeric(12, 2) refuses a wider value itself (DataError); SQLite stores anything
    # in a decimal column and needs the check constraint (IntegrityError).
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{field: value})


@pytest.mark.parametrize(
    ("pay", "message"),
    [("NaN", "an amount is a number"), ("1e20", "an amount is from 0 to"), ("-1", "an amount is from 0 to"),
     ("1.0005", "an amount has at most 3 decimal places")],
)
def test_the_service_page_refuses_a_task_pay_the_column_cannot_hold(cast, pay, message):
    page = Client(raise_request_exception=False)
    page.force_login(cast.admin_a)

    response = page.post("/lab/services/new/", {"name": "Gold", "price": "100", "templates": f"Cast | {pay}"})

    assert response.status_code == 422
    assert f"line 1: {message}" in response.content.decode()
    assert not cast.lab_a.services.filter(name="Gold").exists()
