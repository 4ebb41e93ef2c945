"""Admins paying from one customer's funds at the same moment, with real threads (PostgreSQL only).

`pay_from_balance` locks the customer's row before it reads the funds, then the order's: the
payments queue on the customer, each one sees what the previous one took, and the funds never
go below what the lab allows.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from crownline.billing import balances
from crownline.errors import InvalidInput
from crownline.orders.models import Order, Payment
from tests import races
from tests.factories import MembershipFactory, make_order

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

D = Decimal


def own_user(user):
    """A separate user object per thread: the lab roles are cached on the object."""
    return get_user_model().objects.get(pk=user.pk)


def race(work, threads: int) -> list[tuple[str, object]]:
    results, alive = races.race(work, threads)
    assert not alive, "a thread is still waiting"
    assert not [r for r in results if r[0] not in ("ok", "refused")], results
    return results


@pytest.fixture
def two_admins(cast):
    second = MembershipFactory(lab=cast.lab_a, role="lab_admin", user__username="admin-a2").user
    return [cast.admin_a, second]


def test_two_admins_paying_the_same_order_from_the_balance_pay_it_once(cast, two_admins):
    order = make_order(cast.admin_a, cast.customer_a1, status="delivered", service=cast.service_a)
    balances.add_advance(cast.admin_a, "lab-a", cast.customer_a1.pk, amount=order.total + D("50.00"))
    admins = [own_user(user) for user in two_admins]

    results = race(lambda i: balances.pay_from_balance(admins[i], order.number), 2)

    assert sorted(kind for kind, _ in results) == ["ok", "refused"]
    [(_, refusal)] = [r for r in results if r[0] == "refused"]
    assert isinstance(refusal, InvalidInput) and refusal.field == "amount"
    after = Order.objects.get(pk=order.pk)
    assert (after.status, after.amount_paid) == ("completed", order.total)
    assert Payment.objects.filter(order=order, from_balance=True).count() == 1
    assert balances.balance_of(cast.customer_a1).funds == D("50.00")


def test_admins_paying_different_orders_at_once_never_take_the_funds_below_the_limit(cast, two_admins):
    cast.lab_a.balance_overdraft = D("30.00")
    cast.lab_a.save()
    orders = [make_order(cast.admin_a, cast.customer_a1, status="delivered", service=cast.service_a) for _ in range(4)]
    price = orders[0].total
    balances.add_advance(cast.admin_a, "lab-a", cast.customer_a1.pk, amount=price + D("20.00"))
    admins = [own_user(two_admins[i % 2]) for i in range(4)]

    results = race(lambda i: balances.pay_from_balance(admins[i], orders[i].number), 4)

    # Funds of price + 20 and an overdraft of 30 cover one order in full, never two.
    assert [kind for kind, _ in results].count("ok") == 1
    assert all(isinstance(error, InvalidInput) for kind, error in results if kind == "refused")
    funds = balances.balance_of(cast.customer_a1).funds
    assert funds == D("20.00")
    assert funds >= -cast.lab_a.balance_overdraft
