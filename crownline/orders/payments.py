"""Money on an order: recording and cancelling payments, and the payment instructions.

Amounts are Decimal end to end. `Order.amount_paid` is kept in step with the payments
inside the same locked transaction, so "paid in full" is one comparison on one row.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from crownline.errors import Conflict, Forbidden, InvalidInput, NotFound
from crownline.numbers import money_problem, round_money
from crownline.orders import guards
from crownline.orders.access import authorize, get_order_for
from crownline.orders.changes import acting, commit, refuse
from crownline.orders.lifecycle import Action, EventKind
from crownline.orders.models import Order, Payment

TEXT_LIMITS = {"method": 50, "reference": 100, "reason": 500}


def bounded_text(field: str, value: str) -> str:
    """A payment's (or an advance's) method, reference or reason, trimmed and within its limit."""
    value = value.strip()
    if len(value) > TEXT_LIMITS[field]:
        raise InvalidInput(field, f"at most {TEXT_LIMITS[field]} characters")
    return value


def record_payment(
    user,
    number: str,
    *,
    amount: Decimal | None = None,
    method: str = "",
    reference: str = "",
    expected_version: int | None = None,
    from_balance: bool = False,
) -> Payment:
    """Record money received for the order (or, with `from_balance`, taken from the customer's
    prepaid funds: call `crownline.billing.balances.pay_from_balance`, which checks the funds
    under the customer's row lock first)."""
    method, reference = bounded_text("method", method), bounded_text("reference", reference)
    # The answer is the payment, so the locking query loads the order alone (no parties): lock
    # and read, the payment's insert, the order's update with the event (one statement on
    # PostgreSQL, two on SQLite). `payment.order` is the order as written, new version included.
    with acting(user, number, Action.RECORD_PAYMENT, expected_version=expected_version, shape=_alone) as change:
        order = change.order
        due = order.amount_due
        if amount is None:
            amount = due
        if problem := money_problem(amount, currency=order.currency):
            raise InvalidInput("amount", problem)
        refuse(guards.check_payment_amount(amount, due=due))
        # "1e1" or "10" from a client is 10.00: the response and the event show money as stored,
        # in the currency's minor units.
        amount = round_money(amount, order.currency)
        payment = Payment.objects.create(
            order=order, amount=amount, method=method, reference=reference, recorded_by=user,
            from_balance=from_balance,
        )
        paid = order.amount_paid + amount
        data = {"payment": payment.pk, "amount": str(amount), "method": method, "reference": reference}
        if from_balance:
            data["from_balance"] = True
        commit(change, EventKind.RECORD_PAYMENT, paid_in_full=paid >= order.total, data=data, amount_paid=paid)
    return payment


def _alone(qs: QuerySet[Order]) -> QuerySet[Order]:
    return qs


def cancel_payment(
    user, number: str, payment_id: int, *, reason: str = "", expected_version: int | None = None
) -> Payment:
    reason = bounded_text("reason", reason)
    with acting(user, number, Action.CANCEL_PAYMENT, expected_version=expected_version, shape=_alone) as change:
        order = change.order
        payment = Payment.objects.filter(order=order, pk=payment_id).first()
        if payment is None:
            raise NotFound("No such payment on this order.")
        if payment.voided_at is not None:
            raise Conflict("This payment was already cancelled.")
        payment.voided_at = timezone.now()
        payment.voided_by = user
        payment.void_reason = reason
        payment.save(update_fields=["voided_at", "voided_by", "void_reason"])
        paid = order.amount_paid - payment.amount
        commit(
            change,
            EventKind.CANCEL_PAYMENT,
            paid_in_full=paid >= order.total,
            data={"payment": payment.pk, "amount": str(round_money(payment.amount, order.currency)), "reason": reason}
            | ({"from_balance": True} if payment.from_balance else {}),
            amount_paid=paid,
        )
    return payment


@dataclass(frozen=True)
class PaymentInstructions:
    text: str
    payment_reference: str
    amount_due: Decimal
    currency: str


def payment_instructions(user, number: str) -> PaymentInstructions:
    order, standing = get_order_for(user, number)
    authorize(order, standing, Action.VIEW_PAYMENT_INSTRUCTIONS)
    return PaymentInstructions(
        text=order.lab.payment_instructions,
        payment_reference=order.display_number,
        amount_due=order.amount_due,
        currency=order.currency,
    )


def payments_for(user, number: str) -> QuerySet[Payment]:
    """The order's payments, voided ones included: for the lab admin and the paying customer."""
    order, standing = get_order_for(user, number)
    if not standing.role.sees_money:
        raise Forbidden("A technician does not see payments.")
    return order.payments.all()
