"""Review findings: a lab's currency change must not drop its customers' money from their balance."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crownline.billing import balances
from crownline.errors import InvalidInput
from crownline.tenancy import services
from crownline.tenancy.models import Lab


def test_the_lab_currency_does_not_change_under_a_customers_prepaid_funds(cast):
    balances.add_advance(cast.admin_a, "lab-a", cast.customer_a1.pk, amount=Decimal("500.00"))
    cast.lab_a.services.update(currency="CHF")  # nothing else is priced in euros
    # Customer A1 is billed in the lab's currency: a change would turn 500 EUR of funds into 0 CHF.
    with pytest.raises(InvalidInput) as refused:
        services.update_settings(cast.admin_a, "lab-a", {"currency": "CHF"})
    assert refused.value.field == "currency"
    assert Lab.objects.get(pk=cast.lab_a.pk).currency == "EUR"
    customer = cast.customer_a1.__class__.objects.select_related("lab").get(pk=cast.customer_a1.pk)
    assert (balances.balance_of(customer).currency, balances.balance_of(customer).funds) == ("EUR", Decimal("500"))
