"""The pure arithmetic of an order's money (crownline.pricing.arithmetic), without a database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crownline.numbers import minor_units, money_text, round_money
from crownline.pricing.arithmetic import DiscountKind, PricedLine, PriceRule, apply_rule, convert, order_totals

D = Decimal


@pytest.mark.parametrize(("currency", "places"), [("EUR", 2), ("JPY", 0), ("KWD", 3), ("CHF", 2), ("BHD", 3)])
def test_each_currency_rounds_to_its_own_minor_units_from_the_cldr_data(currency, places):
    assert minor_units(currency) == places
    assert round_money(D("10.0005"), currency) == D("10.0005").quantize(D(1).scaleb(-places), "ROUND_HALF_UP")


def test_a_half_rounds_up_never_to_even():
    assert round_money(D("0.125"), "EUR") == D("0.13")
    assert round_money(D("2.5"), "JPY") == D("3")


def test_the_three_pricebook_rules():
    assert apply_rule(D("100.00"), PriceRule.PERCENT_OFF, D("12.5"), "EUR") == D("87.50")
    assert apply_rule(D("100.00"), PriceRule.AMOUNT_OFF, D("30"), "EUR") == D("70.00")
    assert apply_rule(D("10.00"), PriceRule.AMOUNT_OFF, D("30"), "EUR") == D("0")  # never below zero
    assert apply_rule(D("100.00"), PriceRule.FIXED_PRICE, D("64.99"), "EUR") == D("64.99")
    assert apply_rule(D("15400"), PriceRule.PERCENT_OFF, D("3.3"), "JPY") == D("14892")


def test_a_price_converted_at_a_rate_is_rounded_in_the_target_currency():
    assert convert(D("100.00"), D("0.9431"), "CHF") == D("94.31")
    assert convert(D("100.00"), D("161.37"), "JPY") == D("16137")
    assert convert(D("100.00"), D("0.33441"), "KWD") == D("33.441")
    assert convert(D("100.00"), None, "EUR") == D("100.00")


def test_an_order_discount_is_spread_over_the_tax_rates_and_tax_is_taken_after_it():
    lines = [PricedLine(D("100"), D("100.00"), 1, D("0")), PricedLine(D("50"), D("50.00"), 1, D("20"))]

    totals = order_totals(lines, "EUR", kind=DiscountKind.AMOUNT, value=D("30"))

    assert [(r.rate, r.discount, r.net, r.tax) for r in totals.rates] == [
        (D("0"), D("20.00"), D("80.00"), D("0.00")), (D("20"), D("10.00"), D("40.00"), D("8.00"))]
    assert (totals.subtotal, totals.discount, totals.tax, totals.total) == (D("150.00"), D("30.00"), D("8.00"),
                                                                             D("128.00"))


def test_money_is_written_exactly_with_at_least_two_decimals():
    assert [money_text(D(v)) for v in ("10.000", "1.005", "1000", "0.125", "-3")] == [
        "10.00", "1.005", "1000.00", "0.125", "-3.00"]


CURRENCIES = st.sampled_from(["EUR", "JPY", "KWD"])


@st.composite
def orders(draw):
    currency = draw(CURRENCIES)
    step = D(1).scaleb(-minor_units(currency))
    lines = [
        PricedLine(price, price, draw(st.integers(1, 5)), draw(st.sampled_from([D("0"), D("7.7"), D("19")])))
        for price in draw(st.lists(st.integers(0, 10**7).map(lambda n: n * step), min_size=1, max_size=6))
    ]
    kind = draw(st.sampled_from([None, DiscountKind.PERCENT, DiscountKind.AMOUNT]))
    value = draw(st.decimals(min_value=0, max_value=100, places=2)) if kind else D("0")
    return currency, lines, kind, value


@given(orders())
def test_the_shares_of_a_discount_add_up_to_it_exactly_and_every_figure_is_in_minor_units(order):
    currency, lines, kind, value = order

    totals = order_totals(lines, currency, kind=kind, value=value)

    assert sum((r.discount for r in totals.rates), D(0)) == totals.discount <= totals.subtotal
    assert all(r.discount >= 0 and r.net >= 0 for r in totals.rates)
    assert totals.total == totals.subtotal - totals.discount + totals.tax
    for figure in (totals.subtotal, totals.discount, totals.tax, totals.total, *(r.tax for r in totals.rates)):
        assert figure == round_money(figure, currency)
