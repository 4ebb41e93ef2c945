"""Demo data of the balances part: prepaid funds, an order paid from them, a cancelled advance.

Added to an already seeded demo lab (crownline/demo/seed.py): its first customer with a login
paid ahead last month (so last month's statement has a row and this month's opens with a
credit), one of their shipped orders is paid from those funds (it stays shipped: only a
delivered order completes when paid), and an advance recorded twice by mistake is cancelled.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from crownline.billing import balances
from crownline.billing.models import Advance
from crownline.customers.models import Customer
from crownline.orders.models import Order
from crownline.tenancy.models import Lab, Membership


def seed_balances(lab: Lab) -> None:
    if Advance.objects.filter(lab=lab).exists():
        return
    membership = Membership.objects.filter(lab=lab, role="lab_admin", is_active=True).order_by("id").first()
    customer = Customer.objects.filter(lab=lab, user__isnull=False).order_by("id").first()
    if membership is None or customer is None:
        return
    admin = membership.user
    last_month = lab.local_date().replace(day=1) - dt.timedelta(days=20)
    funds = Decimal("1000") if customer.currency != "JPY" else Decimal("150000")
    balances.add_advance(
        admin,
        lab.slug,
        customer.pk,
        amount=funds,
        received_on=last_month,
        method="bank transfer",
        reference="Prepayment Q-1",
    )
    twice = balances.add_advance(
        admin,
        lab.slug,
        customer.pk,
        amount=funds,
        received_on=last_month,
        method="bank transfer",
        reference="Prepayment Q-1",
    )
    balances.cancel_advance(admin, lab.slug, customer.pk, twice.pk, reason="Recorded twice")
    shipped = (
        Order.objects.filter(lab=lab, customer=customer, status="shipped", currency=customer.currency)
        .order_by("id")
        .first()
    )
    if shipped is not None and 0 < shipped.amount_due <= funds:
        balances.pay_from_balance(admin, shipped.number)
