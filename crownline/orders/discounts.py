"""The lab admin's discount on one order: a percentage or an amount off the lines' total,
spread over the tax rates in proportion (`pricing.arithmetic.order_totals`).

Set, changed or removed while no invoice bills the order (the invoice keeps what it billed;
a credit note comes first). The new total never drops below what was already paid, and a
delivered order that the discount leaves paid in full completes, as a payment would.
"""

from __future__ import annotations

from decimal import Decimal

from crownline.errors import InvalidInput
from crownline.numbers import money_problem
from crownline.orders import guards
from crownline.orders.changes import acting, commit, refuse
from crownline.orders.lifecycle import Action, EventKind
from crownline.orders.models import Order, OrderQuerySet
from crownline.orders.totals import money_fields, totals_of
from crownline.pricing.arithmetic import DiscountKind, discount_problem

PERCENT_STEP = Decimal("0.01")


def _clean(kind: str | None, value: Decimal | None, currency: str) -> tuple[str, Decimal]:
    if not kind:
        return "", Decimal("0")
    try:
        parsed = DiscountKind(kind)
    except ValueError:
        raise InvalidInput("kind", "a discount is a percent or an amount") from None
    if value is None:
        raise InvalidInput("value", "say how much the discount is")
    if problem := money_problem(value, currency=None if parsed is DiscountKind.PERCENT else currency):
        raise InvalidInput("value", problem)
    if parsed is DiscountKind.PERCENT and value != value.quantize(PERCENT_STEP):
        raise InvalidInput("value", "a percentage has at most 2 decimal places")
    if problem := discount_problem(parsed, value):
        raise InvalidInput("value", problem)
    return parsed.value, value


def set_discount(
    user, number: str, *, kind: str | None = None, value: Decimal | None = None, expected_version: int | None = None
) -> Order:
    """Apply `kind` ("percent" or "amount") of `value` to the order; an empty kind removes it."""
    # The answer is the order: lock it with its lines and task counts (`answered`).
    with acting(
        user, number, Action.DISCOUNT, expected_version=expected_version, shape=OrderQuerySet.answered
    ) as change:
        order = change.order
        refuse(guards.check_not_invoiced(order.invoice_number))
        kind, value = _clean(kind, value, order.currency)
        if kind == order.discount_kind and value == order.discount_value:
            raise InvalidInput("value", "the order already has this discount")
        fields = money_fields(totals_of(order, order.lines.all(), kind=kind, value=value), field="value")
        if fields["total"] < order.amount_paid:
            raise InvalidInput("value", f"the new total {fields['total']} is less than what was already paid")
        commit(
            change,
            EventKind.DISCOUNT,
            paid_in_full=order.amount_paid >= fields["total"] and fields["total"] > 0,
            data={
                "kind": kind,
                "value": str(value),
                "amount": str(fields["discount_amount"]),
                "total": str(fields["total"]),
            },
            discount_kind=kind,
            discount_value=value,
            **fields,
        )
    return order
