"""A customer's balance and funds, summed from the rows; advances; paying an order from the funds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crownline.billing import balances, credits, invoices
from crownline.billing.models import Advance
from crownline.errors import Conflict, Forbidden, InvalidInput, NotFound
from crownline.orders import payments
from crownline.orders.models import Order, Payment
from tests.factories import make_order

D = Decimal


def advance(cast, amount: str, customer=None, **kwargs) -> Advance:
    customer = customer or cast.customer_a1
    return balances.add_advance(cast.admin_a, "lab-a", customer.pk, amount=D(amount), **kwargs)


def delivered(cast, customer=None) -> Order:
    return make_order(cast.admin_a, customer or cast.customer_a1, status="delivered", service=cast.service_a)


def reload(order: Order) -> Order:
    return Order.objects.get(pk=order.pk)


def test_a_new_customer_owes_nothing_and_has_no_funds(cast):
    b = balances.balance_of(cast.customer_a1)
    assert (b.account, b.funds, b.currency) == (0, 0, "EUR")


def test_the_balance_is_invoices_less_credit_notes_payments_and_advances(cast):
    first, second = delivered(cast), delivered(cast)
    invoice = invoices.create_invoice(cast.admin_a, "lab-a", [first.number, second.number])
    credits.create_credit_note(cast.admin_a, invoice.number, reason="remake", amount=D("30.00"))
    payments.record_payment(cast.admin_a, first.number, amount=D("50.00"))
    advance(cast, "20.00")
    b = balances.balance_of(cast.customer_a1)
    assert b.invoiced == invoice.gross == first.total + second.total
    assert (b.credited, b.received, b.advances) == (D("30.00"), D("50.00"), D("20.00"))
    assert b.account == invoice.gross - D("30.00") - D("50.00") - D("20.00")
    assert b.funds == D("20.00")


def test_a_cancelled_payment_and_a_cancelled_advance_no_longer_count(cast):
    order = delivered(cast)
    paid = payments.record_payment(cast.admin_a, order.number, amount=D("10.00"))
    payments.cancel_payment(cast.admin_a, order.number, paid.pk, reason="bounced")
    added = advance(cast, "40.00")
    balances.cancel_advance(cast.admin_a, "lab-a", cast.customer_a1.pk, added.pk, reason="typo")
    b = balances.balance_of(cast.customer_a1)
    assert (b.account, b.funds, b.received, b.advances) == (0, 0, 0, 0)


def test_another_customers_rows_do_not_touch_the_balance(cast):
    advance(cast, "15.00", customer=cast.customer_a2)
    payments.record_payment(cast.admin_a, delivered(cast, cast.customer_a2).number, amount=D("5.00"))
    assert balances.balance_of(cast.customer_a1).account == 0


def test_the_ledger_runs_to_the_balance_and_shows_payments_from_funds_without_moving_it(cast):
    order = delivered(cast)
    advance(cast, "500.00", method="bank transfer", reference="TX-1")
    invoice = invoices.create_invoice(cast.admin_a, "lab-a", [order.number])
    paid = balances.pay_from_balance(cast.admin_a, order.number)
    payments.cancel_payment(cast.admin_a, order.number, paid.pk, reason="wrong order")
    led = balances.ledger(cast.customer_a1)
    kinds = [r.kind for r in led.rows]
    assert sorted(kinds) == sorted(["advance", "invoice", "paid_from_funds", "paid_from_funds_cancelled"])
    from_funds = [r for r in led.rows if r.kind.startswith("paid_from_funds")]
    assert all(r.amount == 0 for r in from_funds)
    assert {r.funds_change for r in from_funds} == {-order.total, order.total}
    b = balances.balance_of(cast.customer_a1)
    assert (led.closing, led.closing_funds) == (b.account, b.funds) == (invoice.gross - D("500.00"), D("500.00"))
    running = D(0)
    for r in led.rows:
        running += r.amount
        assert r.balance == running


def test_the_ledger_of_a_period_opens_with_the_balance_before_it(cast):
    advance(cast, "30.00", received_on=cast.lab_a.local_date() - dt.timedelta(days=40))
    advance(cast, "12.00")
    today = cast.lab_a.local_date()
    led = balances.ledger(cast.customer_a1, today - dt.timedelta(days=5), today)
    assert led.opening == D("-30.00")
    assert [r.amount for r in led.rows] == [D("-12.00")]
    assert led.closing == D("-42.00")


# ---- advances ------------------------------------------------------------------------------


def test_the_lab_admin_adds_funds(cast):
    added = advance(cast, "250", method="bank transfer", reference="TX-9")
    assert (added.amount, added.currency, added.received_on) == (D("250"), "EUR", cast.lab_a.local_date())
    assert added.recorded_by == cast.admin_a
    assert balances.balance_of(cast.customer_a1).funds == D("250")


@pytest.mark.parametrize("amount", ["0", "0.001", "-5", "NaN", "1e20"])
def test_an_advance_is_a_positive_amount_in_the_customers_minor_units(cast, amount):
    with pytest.raises(InvalidInput) as refused:
        advance(cast, amount)
    assert refused.value.field == "amount"
    assert not Advance.objects.exists()


def test_an_advance_in_yen_is_a_whole_number(cast):
    cast.customer_a1.billing_currency = "JPY"
    cast.customer_a1.save()
    with pytest.raises(InvalidInput, match="whole number"):
        advance(cast, "100.50")
    assert advance(cast, "1000").currency == "JPY"


def test_an_advance_cannot_be_received_tomorrow(cast):
    with pytest.raises(InvalidInput) as refused:
        advance(cast, "10", received_on=cast.lab_a.local_date() + dt.timedelta(days=1))
    assert refused.value.field == "received_on"


def test_a_technician_a_dentist_and_another_labs_admin_add_no_funds(cast):
    for user, error in [(cast.tech_a, Forbidden), (cast.dentist_a1, Forbidden), (cast.admin_b, NotFound)]:
        with pytest.raises(error):
            balances.add_advance(user, "lab-a", cast.customer_a1.pk, amount=D("10"))
    with pytest.raises(NotFound):  # lab A's admin naming lab B's customer
        balances.add_advance(cast.admin_a, "lab-a", cast.customer_b.pk, amount=D("10"))
    assert not Advance.objects.exists()


def test_an_advance_already_spent_cannot_be_cancelled(cast):
    added = advance(cast, "100.00")
    balances.pay_from_balance(cast.admin_a, delivered(cast).number)  # the order costs 100.00
    with pytest.raises(Conflict, match="below what the lab allows"):
        balances.cancel_advance(cast.admin_a, "lab-a", cast.customer_a1.pk, added.pk)
    assert Advance.objects.get(pk=added.pk).voided_at is None


def test_an_advance_is_cancelled_once(cast):
    added = advance(cast, "10.00")
    balances.cancel_advance(cast.admin_a, "lab-a", cast.customer_a1.pk, added.pk)
    with pytest.raises(Conflict):
        balances.cancel_advance(cast.admin_a, "lab-a", cast.customer_a1.pk, added.pk)


# ---- paying from the funds -----------------------------------------------------------------


def test_paying_a_delivered_order_from_the_funds_completes_it(cast):
    order = delivered(cast)
    advance(cast, "150.00")
    payment = balances.pay_from_balance(cast.admin_a, order.number)
    order = reload(order)
    assert (payment.amount, payment.from_balance) == (order.total, True)
    assert order.status == "completed"
    event = order.events.order_by("-id").first()
    assert event.data["from_balance"] is True
    b = balances.balance_of(cast.customer_a1)
    assert (b.funds, b.received, b.paid_from_funds) == (D("150.00") - order.total, 0, order.total)


def test_the_funds_do_not_pay_more_than_they_hold(cast):
    order = delivered(cast)
    advance(cast, "60.00")
    with pytest.raises(InvalidInput) as refused:
        balances.pay_from_balance(cast.admin_a, order.number)
    assert refused.value.field == "amount"
    assert "60.00" in refused.value.message
    assert not Payment.objects.exists()
    partial = balances.pay_from_balance(cast.admin_a, order.number, amount=D("60.00"))
    assert partial.amount == D("60.00")
    assert reload(order).status == "delivered"


def test_the_labs_overdraft_lets_the_funds_go_below_zero_that_far_and_no_further(cast):
    cast.lab_a.balance_overdraft = D("50.00")
    cast.lab_a.save()
    advance(cast, "60.00")
    first, second = delivered(cast), delivered(cast)  # 100.00 each
    balances.pay_from_balance(cast.admin_a, first.number)  # funds -40.00
    with pytest.raises(InvalidInput, match=r"at most 10\.00 EUR"):
        balances.pay_from_balance(cast.admin_a, second.number)
    balances.pay_from_balance(cast.admin_a, second.number, amount=D("10.00"))
    assert balances.balance_of(cast.customer_a1).funds == D("-50.00")


def test_cancelling_a_payment_from_the_funds_gives_them_back(cast):
    order = delivered(cast)
    advance(cast, "100.00")
    payment = balances.pay_from_balance(cast.admin_a, order.number)
    assert balances.balance_of(cast.customer_a1).funds == 0
    payments.cancel_payment(cast.admin_a, order.number, payment.pk, reason="wrong order")
    assert balances.balance_of(cast.customer_a1).funds == D("100.00")
    assert reload(order).status == "delivered"


def test_only_the_lab_admin_pays_from_the_funds(cast):
    order = delivered(cast)
    advance(cast, "100.00")
    for user, error in [
        (cast.tech_a, Forbidden),
        (cast.dentist_a1, Forbidden),
        (cast.dentist_a2, NotFound),
        (cast.admin_b, NotFound),
    ]:
        with pytest.raises(error):
            balances.pay_from_balance(user, order.number)
    assert not Payment.objects.exists()


def test_a_draft_is_not_paid_from_the_funds(cast):
    order = make_order(cast.admin_a, cast.customer_a1, status="draft", service=cast.service_a)
    advance(cast, "100.00")
    with pytest.raises(Conflict):
        balances.pay_from_balance(cast.admin_a, order.number)
