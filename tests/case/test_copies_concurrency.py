"""Copies and customer changes at the same moment, with real threads (PostgreSQL only).

A payment and a change of customer both lock the order: whichever comes second sees the
first, so money received from one customer never ends up on another's order."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from crownline.orders import customer_change, payments, remakes
from crownline.orders.models import Order, Payment
from crownline.orders.remakes import RemakeInput
from tests import races
from tests.factories import MembershipFactory, make_order

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def own_user(user):
    """A separate user object per thread: the lab roles are cached on the object."""
    return get_user_model().objects.get(pk=user.pk)


def race(work, threads: int) -> list[tuple[str, object]]:
    results, alive = races.race(work, threads)
    assert not alive, "a thread is still waiting"
    assert not [r for r in results if r[0] not in ("ok", "refused")], results
    return results


def test_a_payment_racing_a_change_of_customer_never_moves_money(cast):
    second = MembershipFactory(lab=cast.lab_a, role="lab_admin", user__username="admin-a2").user
    order = make_order(cast.admin_a, cast.customer_a1, status="delivered", service=cast.service_a)
    admins = [own_user(cast.admin_a), own_user(second)]

    def work(i: int):
        if i == 0:
            return customer_change.change_customer(admins[0], order.number, customer=cast.customer_a2.pk)
        return payments.record_payment(admins[1], order.number, amount=Decimal("10"))

    results = race(work, 2)
    after = Order.objects.get(pk=order.pk)
    events = list(
        after.events.filter(action__in=["change-customer", "record-payment"]).values_list("action", flat=True)
    )
    if results[0][0] == "refused":  # the payment went first: the customer stays
        assert after.customer_id == cast.customer_a1.pk and events == ["record-payment"]
    else:  # the change went first: the payment is the new customer's, recorded after it
        assert after.customer_id == cast.customer_a2.pk
        assert events == ["change-customer", "record-payment"], results
    assert Payment.objects.filter(order=order, voided_at=None).count() == 1


def test_two_remakes_at_once_are_two_remakes_with_two_entries_on_the_original(cast):
    order = make_order(cast.admin_a, cast.customer_a1, status="delivered", service=cast.service_a)
    users = [own_user(cast.admin_a), own_user(cast.dentist_a1)]
    results = race(
        lambda i: remakes.remake_order(users[i], order.number, RemakeInput(reason="fit", payer="customer")), 2
    )
    assert [kind for kind, _ in results] == ["ok", "ok"]
    assert Order.objects.filter(remake_of=order).count() == 2
    assert Order.objects.get(pk=order.pk).events.filter(action="remake-created").count() == 2
