"""The demo's balances: funds paid ahead, an order paid from them, a cancelled advance; twice is once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from crownline.billing import balances, statements
from crownline.billing.models import Advance
from crownline.demo.money_balances import seed_balances
from crownline.demo.seed import seed
from crownline.orders.models import Payment
from crownline.tenancy.models import Lab


def test_the_demo_lab_gets_funds_a_payment_from_them_and_a_statement(db):
    seed("pw-for-tests")
    lab = Lab.objects.get(slug="demo-dental-lab")
    seed_balances(lab)
    seed_balances(lab)  # a second run adds nothing
    assert Advance.objects.filter(lab=lab).count() == 2
    assert Advance.objects.filter(lab=lab, voided_at__isnull=False).count() == 1
    paid = Payment.objects.get(order__lab=lab, from_balance=True)
    assert paid.order.status == "shipped"
    customer = paid.order.customer
    assert balances.balance_of(customer).funds == Decimal("1000") - paid.amount
    admin = lab.memberships.get(role="lab_admin").user
    last_month = lab.local_date().replace(day=1) - dt.timedelta(days=1)
    last = statements.statement(admin, lab.slug, customer.pk, f"{last_month:%Y-%m}")
    assert [r.kind for r in last.rows] == ["advance", "advance"]
    this = statements.statement(admin, lab.slug, customer.pk, f"{lab.local_date():%Y-%m}")
    assert {"advance_cancelled", "paid_from_funds"} <= {r.kind for r in this.rows}
    assert this.opening == last.closing
