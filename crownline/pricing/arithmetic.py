"""The arithmetic of an order's money: pricebook rules, the order's discount, tax per rate.

Pure Python (no Django), like the life cycle: the same functions price a line when it is
written, total an order, and are driven by the hypothesis tests. Every amount is a Decimal
rounded half up to the currency's minor units (`numbers.round_money`), never a float.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from crownline.numbers import money_step, round_money

ZERO = Decimal("0")
HUNDRED = Decimal("100")


class PriceRule(StrEnum):
    """DSO's three kinds of pricebook entry for a service."""

    PERCENT_OFF = "percent_off"  # value: percent off the list price
    AMOUNT_OFF = "amount_off"  # value: an amount off the list price (never below zero)
    FIXED_PRICE = "fixed_price"  # value: the price itself

    @property
    def label(self) -> str:
        return {"percent_off": "% off", "amount_off": "off", "fixed_price": "price"}[self.value]


class DiscountKind(StrEnum):
    """An order's own discount, applied by the lab admin on top of the line prices."""

    PERCENT = "percent"
    AMOUNT = "amount"


DISCOUNT_KINDS = [(k.value, k.value) for k in DiscountKind]


def convert(amount: Decimal, rate: Decimal | None, currency: str) -> Decimal:
    """An amount of the lab's currency in `currency` at `rate` (None: the same currency)."""
    return round_money(amount if rate is None else amount * rate, currency)


def apply_rule(list_price: Decimal, rule: PriceRule, value: Decimal, currency: str) -> Decimal:
    """The price of a service under a pricebook entry; `value` is already in `currency`."""
    if rule is PriceRule.PERCENT_OFF:
        return round_money(list_price * (HUNDRED - value) / HUNDRED, currency)
    if rule is PriceRule.AMOUNT_OFF:
        return max(round_money(list_price - value, currency), ZERO)
    return round_money(value, currency)


def rule_problem(rule: PriceRule, value: Decimal) -> str | None:
    if rule is PriceRule.PERCENT_OFF and not (ZERO <= value <= HUNDRED):
        return "a percentage off is from 0 to 100"
    if value < 0:
        return "an amount is zero or more"
    return None


@dataclass(frozen=True)
class PricedLine:
    list_price: Decimal
    unit_price: Decimal
    quantity: int
    tax_rate: Decimal

    @property
    def net(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class RateShare:
    """The part of an order (or invoice) taxed at one rate."""

    rate: Decimal
    gross_lines: Decimal  # the lines' net before the order discount
    discount: Decimal
    net: Decimal
    tax: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax


@dataclass(frozen=True)
class Totals:
    list_total: Decimal
    subtotal: Decimal
    discount: Decimal
    tax: Decimal
    total: Decimal
    rates: list[RateShare] = field(default_factory=list)

    @property
    def net(self) -> Decimal:
        return self.subtotal - self.discount


def discount_amount(subtotal: Decimal, kind: DiscountKind | None, value: Decimal, currency: str) -> Decimal:
    if kind is None or subtotal <= 0:
        return ZERO
    if kind is DiscountKind.PERCENT:
        return min(round_money(subtotal * value / HUNDRED, currency), subtotal)
    return min(round_money(value, currency), subtotal)


def discount_problem(kind: DiscountKind, value: Decimal) -> str | None:
    if value <= 0:
        return "a discount is more than zero"
    if kind is DiscountKind.PERCENT and value > HUNDRED:
        return "a percentage discount is at most 100"
    return None


def _allocate(total: Decimal, weights: list[Decimal], currency: str) -> list[Decimal]:
    """Split `total` over `weights` in proportion, exactly, in whole minor units (largest
    remainder): the shares add up to `total` to the cent, whatever the rounding."""
    step = money_step(currency)
    whole = sum(weights, ZERO)
    if whole == 0 or total == 0:
        return [ZERO for _ in weights]
    units = int(total / step)
    exact = [Decimal(units) * w / whole for w in weights]
    floors = [int(e) for e in exact]
    left = units - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (exact[i] - floors[i], -i), reverse=True)
    for i in order[:left]:
        floors[i] += 1
    return [Decimal(f) * step for f in floors]


def order_totals(
    lines: list[PricedLine], currency: str, *, kind: DiscountKind | None = None, value: Decimal = ZERO
) -> Totals:
    """List total, lines, the order discount spread over the tax rates in proportion, tax per
    rate (rounded once per rate), and the gross total a customer pays."""
    list_total = sum((ln.list_price * ln.quantity for ln in lines), ZERO)
    subtotal = sum((ln.net for ln in lines), ZERO)
    discount = discount_amount(subtotal, kind, value, currency)
    by_rate: dict[Decimal, Decimal] = {}
    for ln in lines:
        by_rate[ln.tax_rate] = by_rate.get(ln.tax_rate, ZERO) + ln.net
    rates = sorted(by_rate)
    shares = _allocate(discount, [by_rate[r] for r in rates], currency)
    parts = []
    for rate, share in zip(rates, shares, strict=True):
        net = by_rate[rate] - share
        parts.append(RateShare(rate, by_rate[rate], share, net, round_money(net * rate / HUNDRED, currency)))
    tax = sum((p.tax for p in parts), ZERO)
    return Totals(list_total, subtotal, discount, tax, subtotal - discount + tax, parts)


def merge_rates(groups: list[list[RateShare]]) -> list[RateShare]:
    """Several orders' rate shares as one invoice's: summed per rate, each order's tax as it
    was rounded on the order, so the invoice's gross is the sum of its orders' totals."""
    merged: dict[Decimal, list[Decimal]] = {}
    for group in groups:
        for p in group:
            acc = merged.setdefault(p.rate, [ZERO, ZERO, ZERO, ZERO])
            acc[0] += p.gross_lines
            acc[1] += p.discount
            acc[2] += p.net
            acc[3] += p.tax
    return [RateShare(r, *merged[r]) for r in sorted(merged)]
