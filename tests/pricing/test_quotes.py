"""Pricing an order's lines: the customer's pricebook (their own, else their clinic's), each
rule, currencies at the lab's rate with each currency's minor units, tax per line, and an order
that keeps its prices whatever happens to the pricebook later."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crownline.customers.models import Clinic
from crownline.errors import InvalidInput
from crownline.orders import drafting
from crownline.orders.drafting import LineInput, OrderInput
from crownline.orders.models import Order
from crownline.pricing import services as pricing
from tests.pricing.helpers import bills_in, customer_in, order_for, pricebook, prices_of, rate, service

D = Decimal


@pytest.fixture
def clinic(cast):
    return Clinic.objects.create(lab=cast.lab_a, name="Smile Clinic")


def test_a_customer_of_a_clinic_is_priced_from_the_clinics_pricebook_with_each_rule(cast, clinic):
    crown, bridge, guard = service(cast.lab_a, "180.00"), service(cast.lab_a, "160.00"), service(cast.lab_a, "95.00")
    pricebook(
        cast.admin_a,
        cast.lab_a,
        "Gold",
        [(crown, "percent_off", "10"), (bridge, "amount_off", "25"), (guard, "fixed_price", "80")],
        clinics=[clinic],
    )
    dentist = customer_in(cast.lab_a, clinic=clinic)

    order = order_for(cast.admin_a, dentist, crown, bridge, guard)

    assert prices_of(order) == [
        (D("180"), D("162"), "Gold: 10 % off"),
        (D("160"), D("135"), "Gold: 25.00 EUR off"),
        (D("95"), D("80"), "Gold: price 80.00 EUR"),
    ]
    assert (order.list_total, order.subtotal, order.total) == (D("435"), D("377"), D("377"))


def test_a_customers_own_pricebook_wins_over_their_clinics(cast, clinic):
    crown = service(cast.lab_a, "180.00")
    pricebook(cast.admin_a, cast.lab_a, "Clinic prices", [(crown, "percent_off", "10")], clinics=[clinic])
    dentist = customer_in(cast.lab_a, clinic=clinic)
    pricebook(cast.admin_a, cast.lab_a, "Dr. Billed's", [(crown, "percent_off", "20")], customers=[dentist])

    assert prices_of(order_for(cast.admin_a, dentist, crown)) == [(D("180"), D("144"), "Dr. Billed's: 20 % off")]


def test_a_service_the_pricebook_does_not_name_keeps_its_list_price(cast, clinic):
    crown, guard = service(cast.lab_a, "180.00"), service(cast.lab_a, "95.00")
    pricebook(cast.admin_a, cast.lab_a, "Gold", [(crown, "percent_off", "10")], clinics=[clinic])

    order = order_for(cast.admin_a, customer_in(cast.lab_a, clinic=clinic), guard)

    assert prices_of(order) == [(D("95"), D("95"), "")]


def test_an_amount_off_never_takes_a_price_below_zero(cast):
    guard = service(cast.lab_a, "95.00")
    dentist = customer_in(cast.lab_a)
    pricebook(cast.admin_a, cast.lab_a, "Free guards", [(guard, "amount_off", "120")], customers=[dentist])

    assert prices_of(order_for(cast.admin_a, dentist, guard))[0][1] == 0


def test_the_order_keeps_its_prices_when_the_pricebook_changes_or_is_deleted(cast, clinic):
    crown = service(cast.lab_a, "180.00")
    book = pricebook(cast.admin_a, cast.lab_a, "Gold", [(crown, "percent_off", "10")], clinics=[clinic])
    dentist = customer_in(cast.lab_a, clinic=clinic)
    order = order_for(cast.admin_a, dentist, crown)
    line = order.lines.get()

    pricing.update_pricebook(
        cast.admin_a,
        "lab-a",
        book.pk,
        pricing.PricebookInput(prices=[pricing.PriceInput(crown.pk, "percent_off", D("50"))]),
    )
    assert Order.objects.get(pk=order.pk).lines.get().unit_price == D("162")

    # Editing the order without touching the line keeps its price; a new line takes today's.
    drafting.edit_order(
        cast.admin_a,
        order.number,
        OrderInput(
            lines=[LineInput(service=crown.pk, id=line.pk, quantity=2), LineInput(service=crown.pk)], given={"lines"}
        ),
    )
    assert prices_of(Order.objects.get(pk=order.pk)) == [
        (D("180"), D("162"), "Gold: 10 % off"),
        (D("180"), D("90"), "Gold: 50 % off"),
    ]

    pricing.delete_pricebook(cast.admin_a, "lab-a", book.pk)
    fresh = Order.objects.get(pk=order.pk)
    assert [ln.unit_price for ln in fresh.lines.order_by("position")] == [D("162"), D("90")]
    assert fresh.total == D("414")


def test_each_line_takes_its_services_tax_rate_or_the_labs_default(cast):
    cast.lab_a.default_tax_rate = D("19")
    cast.lab_a.save()
    crown = service(cast.lab_a, "100.00")  # the lab's 19 %
    reduced = service(cast.lab_a, "50.00", tax_rate="7")
    exempt = service(cast.lab_a, "30.00", tax_rate="0")

    order = order_for(cast.admin_a, customer_in(cast.lab_a), crown, reduced, exempt)

    assert [ln.tax_rate for ln in order.lines.order_by("position")] == [D("19"), D("7"), D("0")]
    assert (order.subtotal, order.tax_amount, order.total) == (D("180"), D("22.50"), D("202.50"))


def test_a_line_keeps_its_tax_rate_when_the_service_changes_later(cast):
    crown = service(cast.lab_a, "100.00", tax_rate="19")
    order = order_for(cast.admin_a, customer_in(cast.lab_a), crown)
    crown.tax_rate = D("7.7")
    crown.save()

    line = order.lines.get()
    drafting.edit_order(
        cast.admin_a,
        order.number,
        OrderInput(lines=[LineInput(service=crown.pk, id=line.pk, quantity=3)], given={"lines"}),
    )

    fresh = Order.objects.get(pk=order.pk)
    assert fresh.lines.get().tax_rate == D("19")
    assert (fresh.subtotal, fresh.tax_amount, fresh.total) == (D("300"), D("57"), D("357"))


def test_a_customer_billed_in_chf_is_priced_at_the_latest_rate_and_the_order_keeps_it(cast):
    bills_in(cast.lab_a, "CHF")
    rate(cast.lab_a, "CHF", "0.9500", days_ago=10)
    rate(cast.lab_a, "CHF", "0.9318", days_ago=1)
    crown = service(cast.lab_a, "100.00")
    dentist = customer_in(cast.lab_a, "CHF")
    pricebook(cast.admin_a, cast.lab_a, "Swiss", [(crown, "amount_off", "5")], customers=[dentist])

    order = order_for(cast.admin_a, dentist, crown)

    assert (order.currency, order.exchange_rate) == ("CHF", D("0.9318"))
    # 100 EUR = 93.18 CHF; 5 EUR off = 4.659 -> 4.66 CHF off.
    assert prices_of(order) == [(D("93.18"), D("88.52"), "Swiss: 5.00 EUR off")]

    rate(cast.lab_a, "CHF", "2.0000", days_ago=0)  # a new rate does not reprice the order's new lines
    drafting.edit_order(
        cast.admin_a,
        order.number,
        OrderInput(
            lines=[LineInput(service=crown.pk, id=order.lines.get().pk), LineInput(service=crown.pk)], given={"lines"}
        ),
    )
    assert [p[1] for p in prices_of(Order.objects.get(pk=order.pk))] == [D("88.52"), D("88.52")]


def test_a_rate_of_a_later_day_is_not_used_yet(cast):
    bills_in(cast.lab_a, "CHF")
    rate(cast.lab_a, "CHF", "0.9318", days_ago=-1)  # tomorrow's

    with pytest.raises(InvalidInput) as refused:
        order_for(cast.admin_a, customer_in(cast.lab_a, "CHF"), service(cast.lab_a, "100.00"))

    assert refused.value.field == "customer"
    assert "no CHF exchange rate" in refused.value.message


def test_a_customer_billed_in_jpy_gets_whole_yen(cast):
    bills_in(cast.lab_a, "JPY")
    rate(cast.lab_a, "JPY", "159.73")
    crown = service(cast.lab_a, "123.45", tax_rate="10")
    dentist = customer_in(cast.lab_a, "JPY")
    pricebook(cast.admin_a, cast.lab_a, "Tokyo", [(crown, "percent_off", "10")], customers=[dentist])

    order = order_for(cast.admin_a, dentist, crown, quantity=3)

    # 123.45 * 159.73 = 19718.6685 -> 19719 JPY; 10 % off: 17747.1 -> 17747; tax 10 % of 53241 = 5324.1 -> 5324.
    assert prices_of(order) == [(D("19719"), D("17747"), "Tokyo: 10 % off")]
    assert (order.subtotal, order.tax_amount, order.total) == (D("53241"), D("5324"), D("58565"))
    assert all(v == v.to_integral_value() for v in (order.subtotal, order.tax_amount, order.total))


def test_a_customer_billed_in_kwd_gets_three_decimals(cast):
    bills_in(cast.lab_a, "KWD")
    rate(cast.lab_a, "KWD", "0.3254")
    crown = service(cast.lab_a, "123.45", tax_rate="19")
    dentist = customer_in(cast.lab_a, "KWD")
    pricebook(cast.admin_a, cast.lab_a, "Gulf", [(crown, "fixed_price", "111.11")], customers=[dentist])

    order = order_for(cast.admin_a, dentist, crown)

    # 123.45 * 0.3254 = 40.17063 -> 40.171; 111.11 EUR = 36.155194 -> 36.155 KWD; 19 % = 6.86945 -> 6.869.
    assert prices_of(order) == [(D("40.171"), D("36.155"), "Gulf: price 111.11 EUR")]
    assert (order.tax_amount, order.total) == (D("6.869"), D("43.024"))


def test_an_order_for_a_customer_billed_in_a_currency_without_a_rate_is_refused_on_the_customer(cast, api):
    bills_in(cast.lab_a, "CHF")
    dentist = customer_in(cast.lab_a, "CHF")

    response = api(cast.admin_a).post(
        "/orders",
        {"lab": "lab-a", "customer": dentist.pk, "patient_name": "A", "lines": [{"service": cast.service_a.pk}]},
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "customer"
    assert not Order.objects.filter(customer=dentist).exists()


def test_a_price_the_admin_gives_overrides_the_pricebook(cast, api):
    dentist = customer_in(cast.lab_a)
    pricebook(cast.admin_a, cast.lab_a, "Gold", [(cast.service_a, "percent_off", "10")], customers=[dentist])

    order = order_for(cast.admin_a, dentist, cast.service_a, unit_price="70.00")

    assert prices_of(order) == [(D("100"), D("70"), "price set by the lab")]


def test_a_given_price_has_the_minor_units_of_the_orders_currency(cast, api):
    bills_in(cast.lab_a, "JPY")
    rate(cast.lab_a, "JPY", "159.73")
    dentist = customer_in(cast.lab_a, "JPY")

    response = api(cast.admin_a).post(
        "/orders",
        {
            "lab": "lab-a",
            "customer": dentist.pk,
            "patient_name": "A",
            "lines": [{"service": cast.service_a.pk, "unit_price": "10.50"}],
        },
    )

    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "field": "lines[0].unit_price",
        "message": "an amount in JPY is a whole number",
    }


def test_a_dentist_ordering_is_priced_from_their_pricebook_too(cast, api):
    pricebook(cast.admin_a, cast.lab_a, "Gold", [(cast.service_a, "percent_off", "15")], customers=[cast.customer_a1])

    response = api(cast.dentist_a1).post(
        "/orders", {"lab": "lab-a", "patient_name": "A", "lines": [{"service": cast.service_a.pk}]}
    )

    assert response.status_code == 201, response.content
    line = response.json()["lines"][0]
    assert (line["list_price"], line["unit_price"], line["price_note"]) == ("100.00", "85.00", "Gold: 15 % off")
