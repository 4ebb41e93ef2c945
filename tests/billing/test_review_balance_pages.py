"""Review findings on the balance page: a refused form changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from crownline.billing import balances
from crownline.billing.models import Advance


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("reason", ["x" * 501, "typo\x00"])
def test_an_advance_is_not_cancelled_when_the_reason_is_refused(cast, reason):
    added = balances.add_advance(cast.admin_a, "lab-a", cast.customer_a1.pk, amount=Decimal("50.00"))
    path = f"/billing/balances/{cast.customer_a1.pk}/advances/{added.pk}/cancel/"
    response = signed_in(cast.admin_a).post(path, {"reason": reason})
    assert response.status_code in (302, 400, 422)
    # The API answers 422 to the same reason and keeps the advance: so does the page.
    assert Advance.objects.get(pk=added.pk).voided_at is None
    assert balances.balance_of(cast.customer_a1).funds == Decimal("50.00")
