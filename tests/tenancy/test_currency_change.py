"""A lab's currency cannot change under money priced in it.

Prices carry no currency of their own yet: changing the lab's currency from EUR to JPY used to
relabel a 95.00 EUR crown as 95.00 JPY. It is refused (422 on `currency`, saying why) while a
service or an unfinished order is priced in the old currency, through both doors.
"""

from __future__ import annotations

import pytest
from django.test import Client

from crownline.errors import InvalidInput
from crownline.tenancy import services
from crownline.tenancy.models import Lab


def currency_of(lab) -> str:
    return Lab.objects.get(pk=lab.pk).currency


def test_a_lab_admin_cannot_relabel_priced_services_in_another_currency(cast, api):
    response = api(cast.admin_a).patch("/labs/lab-a/settings", {"currency": "JPY"})

    assert response.status_code == 422, response.content
    error = response.json()["errors"][0]
    assert error["field"] == "currency"
    assert "1 service(s)" in error["message"] and "EUR" in error["message"]
    assert currency_of(cast.lab_a) == "EUR"
    assert cast.service_a.__class__.objects.get(pk=cast.service_a.pk).currency == "EUR"


def test_an_unfinished_order_in_the_old_currency_is_enough_to_refuse(cast, order_in):
    order_in("delivered")
    cast.lab_a.services.update(currency="JPY")  # only the order is left in EUR

    with pytest.raises(InvalidInput) as refused:
        services.update_settings(cast.admin_a, "lab-a", {"currency": "JPY"})

    assert refused.value.field == "currency"
    assert "1 unfinished order(s)" in refused.value.message
    assert currency_of(cast.lab_a) == "EUR"


def test_completed_orders_keep_their_own_currency_and_do_not_block_a_change(cast, api, order_in):
    order = order_in("completed", paid=True)
    cast.lab_a.services.update(currency="CHF")

    response = api(cast.admin_a).patch("/labs/lab-a/settings", {"currency": "chf"})

    assert response.status_code == 200, response.content
    assert currency_of(cast.lab_a) == "CHF"
    assert order.__class__.objects.get(pk=order.pk).currency == "EUR"


def test_sending_the_same_currency_again_is_not_a_change(cast, api):
    response = api(cast.admin_a).patch("/labs/lab-a/settings", {"currency": "eur", "contacts": "Main street 1"})

    assert response.status_code == 200, response.content


def test_the_settings_page_shows_the_refusal_next_to_the_currency(cast):
    page = Client()
    page.force_login(cast.admin_a)
    lab = cast.lab_a
    form = {"name": lab.name, "currency": "JPY", "time_zone": lab.time_zone, "paper_size": lab.paper_size,
            "payment_instructions": lab.payment_instructions, "contacts": ""}

    response = page.post("/lab/settings/", form)

    assert response.status_code == 422
    assert "would be relabelled JPY" in response.content.decode()
    assert currency_of(lab) == "EUR"
