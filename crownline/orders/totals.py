"""An order's money fields from its lines and its discount: the one place both the line
editor (`drafting`) and the discount (`discounts`) compute them, with the pure arithmetic of
`crownline.pricing.arithmetic`."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from crownline.errors import InvalidInput
from crownline.numbers import MONEY_MAX
from crownline.orders.models import Order, OrderLine
from crownline.pricing.arithmetic import DiscountKind, PricedLine, Totals, order_totals

ORDER_TOO_LARGE = f"an order's total is at most {MONEY_MAX}: split it into several orders"


def priced(lines: Iterable[OrderLine]) -> list[PricedLine]:
    return [PricedLine(ln.list_price, ln.unit_price, ln.quantity, ln.tax_rate) for ln in lines]


def totals_of(order: Order, lines: Iterable[OrderLine], *, kind: str | None = None,
              value: Decimal | None = None) -> Totals:
    """The order's totals with its own discount, or with the one given (`kind` "" removes it)."""
    kind = order.discount_kind if kind is None else kind
    value = order.discount_value if value is None else value
    return order_totals(priced(lines), order.currency, kind=DiscountKind(kind) if kind else None, value=value)


def money_fields(totals: Totals, *, field: str = "lines") -> dict[str, Decimal]:
    """The order columns of these totals, refused (422 on `field`) past what a column holds."""
    if max(totals.total, totals.list_total) > MONEY_MAX:
        raise InvalidInput(field, ORDER_TOO_LARGE)
    return {
        "list_total": totals.list_total,
        "subtotal": totals.subtotal,
        "discount_amount": totals.discount,
        "tax_amount": totals.tax,
        "total": totals.total,
    }
