"""Random sequences of money actions on one customer's orders, checked after every step.

Each example is a lab billing in one currency (EUR, JPY with no minor unit, or KWD with three),
two services at 0 % and 19 % tax, the customer's pricebook, and up to four orders. The machine
prices, discounts, invoices, credits, pays, cancels payments, takes advances and pays from them,
through the service functions, and keeps its own tally of what each successful action moved.
After every step:

- every amount written is exact in the currency's minor units;
- the customer's balance (`billing.balances.balance_of`, summed by the database) equals the
  tally: invoices - credit notes - payments received - advances, and the funds equal advances -
  payments from the funds, never below what the lab allows;
- no order is paid above its total, each order's paid amount is its payments' sum, and its
  total is the arithmetic of its own lines and discount;
- an issued invoice's snapshot (what its PDF prints), lines and totals never change, and a
  refused action changes nothing at all.
"""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from typing import Any

from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from crownline.billing import balances, credits, invoices
from crownline.billing.models import Advance, DocumentKind, Invoice, InvoiceLine
from crownline.errors import DomainError
from crownline.numbers import round_money
from crownline.orders import discounts, payments
from crownline.orders.models import Order, OrderLine, Payment
from crownline.orders.totals import totals_of
from crownline.pricing import services as pricing
from crownline.pricing.services import PricebookInput, PriceInput
from tests.factories import ServiceFactory, make_order

ZERO = Decimal("0")
# A price per currency: in its minor units, with a fraction where it has one.
PRICES = {
    "EUR": (Decimal("123.45"), Decimal("80.10")),
    "JPY": (Decimal("15400"), Decimal("9990")),
    "KWD": (Decimal("41.125"), Decimal("27.333")),
}
RULES = st.sampled_from(
    [("percent_off", Decimal("12.5")), ("amount_off", Decimal("10")), ("fixed_price", Decimal("99")), None]
)
FRACTION = st.sampled_from([Decimal("0.1"), Decimal("0.333"), Decimal("0.5"), Decimal("1"), Decimal("1.7")])
PICK = st.integers(min_value=0, max_value=7)

MACHINE_SETTINGS = settings(
    max_examples=40,
    stateful_step_count=20,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _exact(value: Decimal, currency: str) -> bool:
    return value == round_money(value, currency)


class MoneyMachine(RuleBasedStateMachine):
    def __init__(self, cast, seen: Counter) -> None:
        super().__init__()
        self.cast, self.seen = cast, seen
        self.admin, self.customer = cast.admin_a, cast.customer_a1
        self.numbers: list[str] = []
        self.issued: dict[int, tuple[str, Any, list[tuple]]] = {}  # invoice pk -> (snapshot, totals, lines)
        self.tally = {"invoiced": ZERO, "credited": ZERO, "received": ZERO, "advances": ZERO, "from_funds": ZERO}
        # Every example runs in its own savepoint, rolled back in `teardown`.
        self._example = transaction.atomic()
        self._example.__enter__()

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._example.__exit__(None, None, None)

    @initialize(
        currency=st.sampled_from(sorted(PRICES)),
        rules=st.tuples(RULES, RULES),
        overdraft=st.sampled_from([ZERO, Decimal("50")]),
    )
    def lab_and_prices(self, currency, rules, overdraft):
        lab = self.cast.lab_a
        lab.currency, lab.balance_overdraft = currency, overdraft
        lab.save()
        self.currency = currency
        self.services = [
            ServiceFactory(lab=lab, name="Crown", price=PRICES[currency][0], currency=currency, tax_rate=ZERO),
            ServiceFactory(lab=lab, name="Inlay", price=PRICES[currency][1], currency=currency, tax_rate=Decimal("19")),
        ]
        prices = [PriceInput(s.pk, *rule) for s, rule in zip(self.services, rules, strict=True) if rule]
        self.book = pricing.create_pricebook(
            self.admin, lab.slug, PricebookInput(name="Clinic prices", prices=prices, customers=[self.customer.pk])
        )
        self.customer.refresh_from_db()

    # ---- doing things -------------------------------------------------------------------

    def _state(self) -> dict[str, Any]:
        mine = {"customer": self.customer}
        return {
            "orders": list(Order.objects.filter(**mine).order_by("pk").values()),
            "lines": list(OrderLine.objects.filter(order__customer=self.customer).order_by("pk").values()),
            "payments": list(Payment.objects.filter(order__customer=self.customer).order_by("pk").values()),
            "invoices": list(Invoice.objects.filter(**mine).order_by("pk").values_list("pk", "number", "gross")),
            "advances": list(Advance.objects.filter(**mine).order_by("pk").values()),
        }

    def attempt(self, name: str, call) -> Any:
        """Run one action; if it is refused, nothing at all may have changed."""
        before = self._state()
        try:
            result = call()
        except DomainError:
            self.seen[f"refused {name}"] += 1
            assert self._state() == before, f"a refused {name} changed something"
            return None
        self.seen[f"did {name}"] += 1
        return result

    def _order(self, pick: int) -> Order:
        return Order.objects.get(number=self.numbers[pick % len(self.numbers)])

    @precondition(lambda self: len(self.numbers) < 4)
    @rule(status=st.sampled_from(["published", "production", "delivered"]), which=st.integers(0, 1))
    def new_order(self, status, which):
        order = make_order(self.admin, self.customer, status=status, service=self.services[which])
        self.numbers.append(order.number)
        self.seen["did order"] += 1

    @precondition(lambda self: self.numbers)
    @rule(
        pick=PICK,
        kind=st.sampled_from(["percent", "amount", ""]),
        value=st.sampled_from([Decimal("5"), Decimal("12.5"), Decimal("33.33"), Decimal("100"), Decimal("1000")]),
    )
    def discount(self, pick, kind, value):
        number = self._order(pick).number
        self.attempt("discount", lambda: discounts.set_discount(self.admin, number, kind=kind, value=value))

    @precondition(lambda self: self.numbers)
    @rule(pick=PICK, how_many=st.integers(1, 3))
    def invoice(self, pick, how_many):
        chosen = list(dict.fromkeys(self._order(pick + k).number for k in range(how_many)))
        invoice = self.attempt("invoice", lambda: invoices.create_invoice(self.admin, "lab-a", chosen))
        if invoice is not None:
            self.tally["invoiced"] += invoice.gross
            self._remember(invoice)

    def _remember(self, invoice: Invoice) -> None:
        lines = list(
            InvoiceLine.objects.filter(invoice=invoice)
            .order_by("pk")
            .values_list("order_id", "description", "quantity", "unit_price", "net", "tax_rate")
        )
        self.issued[invoice.pk] = (
            json.dumps(invoice.snapshot, sort_keys=True),
            (invoice.number, invoice.net, invoice.tax, invoice.gross),
            lines,
        )

    @precondition(lambda self: self.issued)
    @rule(pick=PICK, how=st.sampled_from(["full", "orders", "amount"]), fraction=FRACTION)
    def credit_note(self, pick, how, fraction):
        originals = list(Invoice.objects.filter(customer=self.customer, kind=DocumentKind.INVOICE).order_by("pk"))
        if not originals:
            return
        invoice = originals[pick % len(originals)]
        kwargs: dict[str, Any] = {"reason": "correction"}
        if how == "orders":
            kwargs["orders"] = [invoice.snapshot["orders"][0]["number"]]
        elif how == "amount":
            kwargs["amount"] = round_money(invoice.gross * fraction, self.currency)
        note = self.attempt("credit note", lambda: credits.create_credit_note(self.admin, invoice.number, **kwargs))
        if note is not None:
            self.tally["credited"] += note.gross
            self._remember(note)

    @precondition(lambda self: self.numbers)
    @rule(pick=PICK, fraction=FRACTION)
    def payment(self, pick, fraction):
        order = self._order(pick)
        amount = round_money(order.amount_due * fraction, self.currency)
        paid = self.attempt("payment", lambda: payments.record_payment(self.admin, order.number, amount=amount))
        if paid is not None:
            self.tally["received"] += paid.amount

    @precondition(lambda self: self.numbers)
    @rule(pick=PICK, which=PICK)
    def cancel_payment(self, pick, which):
        order = self._order(pick)
        made = list(order.payments.filter(voided_at=None).order_by("pk"))
        if not made:
            return
        chosen = made[which % len(made)]
        done = self.attempt("cancel payment", lambda: payments.cancel_payment(self.admin, order.number, chosen.pk))
        if done is not None:
            self.tally["from_funds" if chosen.from_balance else "received"] -= chosen.amount

    @precondition(lambda self: self.numbers)
    @rule(amount=st.sampled_from([Decimal("25"), Decimal("100.5"), Decimal("0.001"), Decimal("-1")]))
    def advance(self, amount):
        added = self.attempt(
            "advance", lambda: balances.add_advance(self.admin, "lab-a", self.customer.pk, amount=amount, method="bank")
        )
        if added is not None:
            self.tally["advances"] += added.amount

    @precondition(lambda self: self.numbers)
    @rule(pick=PICK, fraction=st.one_of(st.none(), FRACTION))
    def pay_from_funds(self, pick, fraction):
        order = self._order(pick)
        amount = None if fraction is None else round_money(order.amount_due * fraction, self.currency)
        paid = self.attempt(
            "pay from funds", lambda: balances.pay_from_balance(self.admin, order.number, amount=amount)
        )
        if paid is not None:
            self.tally["from_funds"] += paid.amount

    @precondition(lambda self: 0 < len(self.numbers) < 3)
    @rule(rule=RULES)
    def reprice_the_pricebook(self, rule):
        prices = [PriceInput(self.services[0].pk, *rule)] if rule else []
        pricing.update_pricebook(self.admin, "lab-a", self.book.pk, PricebookInput(prices=prices))
        self.seen["did reprice"] += 1

    # ---- what must always hold --------------------------------------------------------

    @invariant()
    def every_amount_is_exact_in_the_currency(self):
        if not hasattr(self, "currency"):
            return
        cur = self.currency
        for o in Order.objects.filter(customer=self.customer):
            for v in (o.total, o.amount_paid, o.subtotal, o.list_total, o.discount_amount, o.tax_amount):
                assert _exact(v, cur), (o.number, v)
        for v in OrderLine.objects.filter(order__customer=self.customer).values_list("unit_price", "list_price"):
            assert all(_exact(x, cur) for x in v), v
        for v in Payment.objects.filter(order__customer=self.customer).values_list("amount", flat=True):
            assert _exact(v, cur), v
        for v in Invoice.objects.filter(customer=self.customer).values_list("net", "tax", "gross"):
            assert all(_exact(x, cur) for x in v), v
        for v in Advance.objects.filter(customer=self.customer).values_list("amount", flat=True):
            assert _exact(v, cur), v

    @invariant()
    def the_balance_reconciles_with_the_rows(self):
        if not hasattr(self, "currency"):
            return
        b = balances.balance_of(self.customer)
        t = self.tally
        assert (b.invoiced, b.credited, b.received, b.advances, b.paid_from_funds) == (
            t["invoiced"],
            t["credited"],
            t["received"],
            t["advances"],
            t["from_funds"],
        )
        assert b.account == t["invoiced"] - t["credited"] - t["received"] - t["advances"]
        assert b.funds == t["advances"] - t["from_funds"] >= -self.cast.lab_a.balance_overdraft
        book = balances.ledger(self.customer)
        assert (book.closing, book.closing_funds) == (b.account, b.funds)
        if book.rows:
            assert (book.rows[-1].balance, book.rows[-1].funds) == (b.account, b.funds)

    @invariant()
    def no_order_is_paid_above_its_total_and_its_total_is_its_arithmetic(self):
        for o in Order.objects.filter(customer=self.customer):
            paid = sum(o.payments.filter(voided_at=None).values_list("amount", flat=True), ZERO)
            assert o.amount_paid == paid <= o.total, o.number
            assert totals_of(o, o.lines.all()).total == o.total, o.number

    @invariant()
    def an_issued_invoice_never_changes(self):
        for pk, (snapshot, totals, lines) in self.issued.items():
            invoice = Invoice.objects.get(pk=pk)
            assert json.dumps(invoice.snapshot, sort_keys=True) == snapshot
            assert (invoice.number, invoice.net, invoice.tax, invoice.gross) == totals
            assert invoice.gross == invoice.net + invoice.tax
            assert (
                list(
                    InvoiceLine.objects.filter(invoice=invoice)
                    .order_by("pk")
                    .values_list("order_id", "description", "quantity", "unit_price", "net", "tax_rate")
                )
                == lines
            )


def test_random_money_sequences_keep_every_amount_exact_and_every_balance_reconciled(cast):
    seen: Counter = Counter()
    run_state_machine_as_test(lambda: MoneyMachine(cast, seen), settings=MACHINE_SETTINGS)
    # The run reached the interesting cases, not only refusals.
    for name in ("invoice", "credit note", "payment", "advance", "pay from funds", "discount"):
        assert seen[f"did {name}"] > 0, (name, seen)
    assert seen["refused pay from funds"] + seen["refused invoice"] > 0, seen
