"""A customer's money with the lab: the account balance, the prepaid funds, and their ledger.

Nothing here is stored: both figures are summed from the rows every time, in the customer's
currency (rows in another currency, left from before a change of billing currency, are not
summed into it):

- the account balance (what the customer owes; negative is a credit) = invoices - credit notes
  - payments received (not cancelled, not paid from the funds) - advances (not cancelled);
- the prepaid funds (what orders can be paid from) = advances (not cancelled) - payments from
  the funds (not cancelled). They may go down to -`lab.balance_overdraft`, never further.

A payment from the funds moves the funds, not the account balance: the advance it spends was
already counted as money received.

Writes that could take the funds below the limit (paying an order from them, cancelling an
advance) lock the customer's row first, so two of them for one customer run one after the
other and the second sees what the first took. An order is locked after its customer, never
before (`pay_from_balance`), so the two locks are always taken in the same order.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

# The ledger lives beside this module (size); it is part of what `balances` offers.
from crownline.billing.balances_ledger import Entry, Ledger, LedgerRow, ledger  # noqa: F401
from crownline.billing.models import Advance, DocumentKind, Invoice
from crownline.customers.access import admin_lab, lab_standing
from crownline.customers.models import Customer
from crownline.errors import Conflict, Forbidden, InvalidInput, NotFound
from crownline.numbers import money_problem, money_text, round_money
from crownline.orders.access import authorize, get_order_for
from crownline.orders.lifecycle import Action
from crownline.orders.models import Order, Payment
from crownline.orders.payments import bounded_text, record_payment
from crownline.roles import Role
from crownline.tenancy.models import Lab

ZERO = Decimal("0")


@dataclass(frozen=True)
class Balance:
    customer: Customer
    currency: str
    invoiced: Decimal
    credited: Decimal
    received: Decimal  # payments received, not from the funds
    advances: Decimal
    paid_from_funds: Decimal
    overdraft: Decimal  # how far below zero the lab lets the funds go

    @property
    def account(self) -> Decimal:
        """What the customer owes (negative: what the lab owes them)."""
        return self.invoiced - self.credited - self.received - self.advances

    @property
    def funds(self) -> Decimal:
        return self.advances - self.paid_from_funds

    @property
    def available(self) -> Decimal:
        """What an order can still be paid from the funds with."""
        return max(self.funds + self.overdraft, ZERO)


def _sum(qs, field: str = "amount") -> Decimal:
    return qs.aggregate(total=Sum(field))["total"] or ZERO


def balance_of(customer: Customer) -> Balance:
    """The customer's account balance and funds, summed from the rows (five small queries)."""
    currency = customer.currency
    invoices = Invoice.objects.filter(customer=customer, currency=currency)
    payments = Payment.objects.filter(order__customer=customer, order__currency=currency, voided_at=None)
    return Balance(
        customer=customer,
        currency=currency,
        invoiced=_sum(invoices.filter(kind=DocumentKind.INVOICE), "gross"),
        credited=_sum(invoices.filter(kind=DocumentKind.CREDIT_NOTE), "gross"),
        received=_sum(payments.filter(from_balance=False)),
        advances=_sum(Advance.objects.filter(customer=customer, currency=currency, voided_at=None)),
        paid_from_funds=_sum(payments.filter(from_balance=True)),
        overdraft=customer.lab.balance_overdraft,
    )


def balances_of_lab(lab: Lab) -> list[Balance]:
    """Every customer's balance in the lab, by name: grouped sums, not five queries a customer."""
    customers = list(Customer.objects.filter(lab=lab).select_related("lab").order_by("name", "id"))
    sums: dict[str, dict[tuple[int, str], Decimal]] = defaultdict(dict)

    def collect(name: str, rows: Iterable[tuple[int, str, Decimal]]) -> None:
        for customer_id, currency, total in rows:
            sums[name][(customer_id, currency)] = total or ZERO

    invoices = Invoice.objects.filter(lab=lab).values_list("customer_id", "currency")
    for kind in DocumentKind:
        collect(kind.value, invoices.filter(kind=kind).annotate(t=Sum("gross")).order_by())
    payments = Payment.objects.filter(order__lab=lab, voided_at=None).values_list(
        "order__customer_id", "order__currency"
    )
    collect("received", payments.filter(from_balance=False).annotate(t=Sum("amount")).order_by())
    collect("from_funds", payments.filter(from_balance=True).annotate(t=Sum("amount")).order_by())
    advances = Advance.objects.filter(lab=lab, voided_at=None).values_list("customer_id", "currency")
    collect("advances", advances.annotate(t=Sum("amount")).order_by())
    result = []
    for customer in customers:
        key = (customer.pk, customer.currency)
        result.append(
            Balance(
                customer=customer,
                currency=customer.currency,
                invoiced=sums[DocumentKind.INVOICE.value].get(key, ZERO),
                credited=sums[DocumentKind.CREDIT_NOTE.value].get(key, ZERO),
                received=sums["received"].get(key, ZERO),
                advances=sums["advances"].get(key, ZERO),
                paid_from_funds=sums["from_funds"].get(key, ZERO),
                overdraft=lab.balance_overdraft,
            )
        )
    return result


# ---- who sees which customer's money ---------------------------------------------------


def customer_for(user, lab_slug: str, customer_id: int, *, for_update: bool = False) -> Customer:
    """A customer's money as the caller may see it: the lab admin any customer of the lab, a
    dentist their own customer record only (any other is 404); a technician sees no money (403)."""
    lab, standing = lab_standing(user, lab_slug)
    if standing.role is Role.TECHNICIAN:
        raise Forbidden("A technician does not see customers' money.")
    if standing.role is Role.CUSTOMER and customer_id not in standing.customer_ids:
        raise NotFound("No such customer.")
    qs = Customer.objects.filter(lab=lab, pk=customer_id).select_related("lab")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    customer = qs.first()
    if customer is None:
        raise NotFound("No such customer.")
    return customer


def _admin_customer(user, lab_slug: str, customer_id: int, *, for_update: bool = False) -> Customer:
    admin_lab(user, lab_slug)  # 404 for another lab, 403 for its technicians and dentists
    return customer_for(user, lab_slug, customer_id, for_update=for_update)


# ---- advances ---------------------------------------------------------------------------


def add_advance(
    user,
    lab_slug: str,
    customer_id: int,
    *,
    amount: Decimal,
    received_on: dt.date | None = None,
    method: str = "",
    reference: str = "",
) -> Advance:
    """Money the customer paid ahead, into their funds (and off their account balance)."""
    method, reference = bounded_text("method", method), bounded_text("reference", reference)
    with transaction.atomic():
        customer = _admin_customer(user, lab_slug, customer_id, for_update=True)
        lab, currency = customer.lab, customer.currency
        if problem := money_problem(amount, minimum=ZERO, currency=currency):
            raise InvalidInput("amount", problem)
        if amount <= 0:
            raise InvalidInput("amount", "an advance is more than zero")
        today = lab.local_date()
        received_on = received_on or today
        if received_on > today:
            raise InvalidInput("received_on", f"the day {received_on} is in the future (today is {today})")
        return Advance.objects.create(
            lab=lab,
            customer=customer,
            amount=round_money(amount, currency),
            currency=currency,
            received_on=received_on,
            method=method,
            reference=reference,
            recorded_by=user,
        )


def cancel_advance(user, lab_slug: str, customer_id: int, advance_id: int, *, reason: str = "") -> Advance:
    """Cancel an advance recorded by mistake; refused if what was already paid from the funds
    would then take them below what the lab allows."""
    reason = bounded_text("reason", reason)
    with transaction.atomic():
        customer = _admin_customer(user, lab_slug, customer_id, for_update=True)
        advance = Advance.objects.filter(customer=customer, pk=advance_id).first()
        if advance is None:
            raise NotFound("No such advance.")
        if advance.voided_at is not None:
            raise Conflict("This advance was already cancelled.")
        balance = balance_of(customer)
        if advance.currency == balance.currency and balance.funds - advance.amount < -balance.overdraft:
            raise Conflict(
                f"Cancelling it would take the funds to {money_text(balance.funds - advance.amount)} "
                f"{balance.currency}, below what the lab allows ({money_text(-balance.overdraft)}): "
                "cancel the payments made from the funds first."
            )
        advance.voided_at = timezone.now()
        advance.void_reason = reason
        advance.save(update_fields=["voided_at", "void_reason"])
        return advance


# ---- paying an order from the funds -----------------------------------------------------


def pay_from_balance(
    user,
    number: str,
    *,
    amount: Decimal | None = None,
    method: str = "",
    reference: str = "",
    expected_version: int | None = None,
) -> Payment:
    """Pay the order (what is due, or `amount`) from its customer's prepaid funds, in one
    transaction: the customer's row is locked, then the order's; the funds are checked with
    both held, and the payment is recorded by the orders' own service (an order delivered and
    now paid in full completes)."""
    with transaction.atomic():
        order, standing = get_order_for(user, number)
        authorize(order, standing, Action.RECORD_PAYMENT)  # 403 for anyone but the lab's admin
        customer = Customer.objects.select_for_update(of=("self",)).select_related("lab").get(pk=order.customer_id)
        locked = Order.objects.select_for_update(of=("self",)).get(pk=order.pk)
        if locked.currency != customer.currency:
            raise Conflict(
                f"The order is in {locked.currency} and the customer's funds in {customer.currency}: "
                "record this payment as money received."
            )
        pay = locked.amount_due if amount is None else amount
        balance = balance_of(customer)
        limit = balance.funds + balance.overdraft
        if isinstance(pay, Decimal) and pay.is_finite() and pay > limit:
            allowed = f" (with the lab's overdraft of {money_text(balance.overdraft)})" if balance.overdraft else ""
            raise InvalidInput(
                "amount",
                f"the customer's funds allow at most {money_text(max(limit, ZERO))} {customer.currency}{allowed}; "
                f"{money_text(pay)} is more",
            )
        return record_payment(
            user,
            number,
            amount=amount,
            method=method or "balance",
            reference=reference,
            expected_version=expected_version,
            from_balance=True,
        )
