"""Properties of a quote, over random prices, rates, rules and currencies: every amount is
exact in the currency's minor units, a discount never raises a price or takes it below zero,
and nothing past the money columns is ever written (a 422, never a 500)."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crownline.numbers import MONEY_MAX, money_step
from crownline.orders.models import Order
from crownline.pricing import quotes
from crownline.pricing.arithmetic import PriceRule
from crownline.pricing.models import Pricebook, PricebookPrice
from tests.pricing.helpers import bills_in, customer_in, order_for, rate, service

CURRENCIES = ["EUR", "CHF", "JPY", "KWD"]
prices = st.decimals(min_value=0, max_value=Decimal("99999.99"), places=2)
rates = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("500"), places=4)
rules = st.sampled_from(list(PriceRule))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(price=prices, fx=rates, rule=rules, value=prices, currency=st.sampled_from(CURRENCIES))
def test_every_quote_is_exact_in_the_currencys_minor_units(cast, price, fx, rule, value, currency):
    lab = cast.lab_a
    if rule is PriceRule.PERCENT_OFF:
        value = min(value, Decimal(100))
    book = Pricebook.objects.create(lab=lab, name=f"P {uuid.uuid4().hex}")
    crown = service(lab, str(price))
    PricebookPrice.objects.create(pricebook=book, service=crown, rule=rule.value, value=value)

    quote = quotes.quote(lab, [crown], currency=currency, rate=None if currency == "EUR" else fx, pricebook=book)[
        crown.pk
    ]

    step = money_step(currency)
    assert quote.list_price % step == 0 and quote.unit_price % step == 0
    assert quote.unit_price >= 0
    if rule is not PriceRule.FIXED_PRICE:
        assert quote.unit_price <= quote.list_price


@pytest.mark.parametrize("currency", ["JPY", "KWD"])
def test_a_price_that_converts_past_the_money_columns_is_refused_not_a_crash(cast, api, currency):
    bills_in(cast.lab_a, currency)
    rate(cast.lab_a, currency, "9999999")
    dearest = service(cast.lab_a, str(MONEY_MAX.quantize(Decimal("0.01")) - 1))
    dentist = customer_in(cast.lab_a, currency)

    response = api(cast.admin_a).post(
        "/orders", {"lab": "lab-a", "customer": dentist.pk, "patient_name": "A", "lines": [{"service": dearest.pk}]}
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].startswith("lines")
    assert not Order.objects.filter(customer=dentist).exists()


def test_the_order_total_is_the_sum_of_its_lines_and_their_tax(cast):
    bills_in(cast.lab_a, "KWD")
    rate(cast.lab_a, "KWD", "0.3254")
    services = [service(cast.lab_a, p, tax_rate=t) for p, t in (("99.99", "19"), ("0.01", "7"), ("12.34", "0"))]

    order = order_for(cast.admin_a, customer_in(cast.lab_a, "KWD"), *services, quantity=3)

    lines = list(order.lines.all())
    assert order.subtotal == sum(ln.line_total for ln in lines)
    assert order.total == order.subtotal + order.tax_amount
    assert all(v % Decimal("0.001") == 0 for v in (order.subtotal, order.tax_amount, order.total))
