"""How a customer is billed (currency, payment terms, invoice details, their pricebook) and a
service's tax rate, through the API and the lab admin's pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from crownline.catalog.models import Service
from crownline.customers.models import Clinic, Customer
from tests.factories import make_order
from tests.pricing.helpers import bills_in, pricebook


def customer_url(customer) -> str:
    return f"/labs/lab-a/customers/{customer.pk}"


def test_a_lab_admin_bills_a_customer_in_another_payment_currency(cast, api):
    bills_in(cast.lab_a, "CHF")

    response = api(cast.admin_a).patch(
        customer_url(cast.customer_a2),
        {"billing_currency": "chf", "payment_terms_days": 14, "invoice_details": "Dr. A2\nZahnweg 2, Zürich"},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["billing_currency"], body["payment_terms_days"], body["invoice_details"]) == (
        "CHF",
        14,
        "Dr. A2\nZahnweg 2, Zürich",
    )
    assert Customer.objects.get(pk=cast.customer_a2.pk).billing_currency == "CHF"


def test_the_labs_own_currency_is_stored_blank_so_it_follows_the_lab(cast, api):
    response = api(cast.admin_a).patch(customer_url(cast.customer_a2), {"billing_currency": "EUR"})

    assert response.json()["billing_currency"] == "EUR"
    assert Customer.objects.get(pk=cast.customer_a2.pk).billing_currency == ""


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"billing_currency": "GBP"}, "billing_currency"),
        ({"billing_currency": "ZZZ"}, "billing_currency"),
        ({"payment_terms_days": 400}, "payment_terms_days"),
        ({"payment_terms_days": -1}, "payment_terms_days"),
        ({"clinic": 2**40}, "clinic"),
        ({"name": " "}, "name"),
    ],
)
def test_a_billing_change_the_lab_cannot_use_is_refused(cast, api, body, field):
    response = api(cast.admin_a).patch(customer_url(cast.customer_a2), body)

    assert response.status_code == 422
    assert field in str(response.json())
    assert Customer.objects.get(pk=cast.customer_a2.pk).payment_terms_days == 30


def test_a_customer_with_orders_keeps_their_billing_currency(cast, api):
    bills_in(cast.lab_a, "CHF")
    make_order(cast.admin_a, cast.customer_a1, service=cast.service_a)

    response = api(cast.admin_a).patch(customer_url(cast.customer_a1), {"billing_currency": "CHF"})

    assert response.status_code == 422
    assert "balance stays in it" in response.json()["detail"]


def test_the_customer_list_shows_billing_and_the_pricebook_to_the_admin_only(cast, api):
    clinic = Clinic.objects.create(lab=cast.lab_a, name="Smile Clinic")
    Customer.objects.filter(pk=cast.customer_a2.pk).update(clinic=clinic)
    pricebook(cast.admin_a, cast.lab_a, "Gold", [], clinics=[clinic])
    pricebook(cast.admin_a, cast.lab_a, "Own", [], customers=[cast.customer_a1])

    admin_view = {c["id"]: c for c in api(cast.admin_a).get("/labs/lab-a/customers").json()}
    tech_view = {c["id"]: c for c in api(cast.tech_a).get("/labs/lab-a/customers").json()}

    assert admin_view[cast.customer_a1.pk]["pricebook"]["name"] == "Own"
    assert admin_view[cast.customer_a1.pk]["pricebook"]["via"] == "customer"
    assert (
        admin_view[cast.customer_a2.pk]["pricebook"]["name"],
        admin_view[cast.customer_a2.pk]["pricebook"]["via"],
    ) == ("Gold", "clinic")
    assert admin_view[cast.customer_a1.pk]["billing_currency"] == "EUR"
    assert all(c["pricebook"] is None and c["billing_currency"] is None for c in tech_view.values())


def test_a_new_customer_can_be_billed_in_a_payment_currency_from_the_start(cast, api):
    bills_in(cast.lab_a, "USD")

    response = api(cast.admin_a).post(
        "/labs/lab-a/customers", {"name": "Dr. Abroad", "billing_currency": "USD", "payment_terms_days": 60}
    )

    assert response.status_code == 201, response.content
    assert (response.json()["billing_currency"], response.json()["payment_terms_days"]) == ("USD", 60)


def test_a_service_names_its_own_tax_rate_or_takes_the_labs(cast, api):
    cast.lab_a.default_tax_rate = Decimal("19")
    cast.lab_a.save()
    admin = api(cast.admin_a)

    own = admin.post("/labs/lab-a/services", {"name": "Guard", "price": "95.00", "tax_rate": "7.7"})
    default = admin.post("/labs/lab-a/services", {"name": "Crown", "price": "180.00"})

    assert (own.json()["tax_rate"], own.json()["own_tax_rate"]) == ("7.70", True)
    assert (default.json()["tax_rate"], default.json()["own_tax_rate"]) == ("19.00", False)
    back = admin.patch(f"/labs/lab-a/services/{own.json()['id']}", {"tax_rate": None})
    assert (back.json()["tax_rate"], Service.objects.get(name="Guard").tax_rate) == ("19.00", None)


@pytest.mark.parametrize("rate", ["100.5", "-1", "7.777", "abc", "\u0667"])  # the last: an Arabic-Indic seven
def test_a_tax_rate_out_of_range_is_refused(cast, api, rate):
    response = api(cast.admin_a).post("/labs/lab-a/services", {"name": "Guard", "price": "95", "tax_rate": rate})

    assert response.status_code == 422
    assert "tax_rate" in str(response.json())
    assert not Service.objects.filter(name="Guard").exists()


def test_a_technician_sees_no_tax_rate(cast, api):
    service = api(cast.tech_a).get("/labs/lab-a/services").json()[0]

    assert (service["price"], service["tax_rate"], service["own_tax_rate"]) == (None, None, None)


def test_the_service_page_saves_a_tax_rate(cast):
    page = Client()
    page.force_login(cast.admin_a)

    response = page.post(
        f"/lab/services/{cast.service_a.pk}/",
        {"name": cast.service_a.name, "group": "Crowns", "price": "100.00", "tax_rate": "19", "is_active": "on"},
    )

    assert response.status_code == 302
    assert Service.objects.get(pk=cast.service_a.pk).tax_rate == Decimal("19")


def test_the_customer_page_saves_billing_and_shows_the_pricebook(cast):
    bills_in(cast.lab_a, "CHF")
    pricebook(cast.admin_a, cast.lab_a, "Gold", [], customers=[cast.customer_a2])
    page = Client()
    page.force_login(cast.admin_a)
    url = f"/lab/customers/{cast.customer_a2.pk}/"

    shown = page.get(url)
    assert shown.status_code == 200
    assert "Gold" in shown.content.decode()

    saved = page.post(
        url,
        {"name": "Dr. A2", "billing_currency": "CHF", "payment_terms_days": "10", "invoice_details": "Dr. A2, Zürich"},
    )
    assert saved.status_code == 302
    customer = Customer.objects.get(pk=cast.customer_a2.pk)
    assert (customer.name, customer.billing_currency, customer.payment_terms_days) == ("Dr. A2", "CHF", 10)

    refused = page.post(url, {"name": "Dr. A2", "billing_currency": "CHF", "payment_terms_days": "999"})
    assert refused.status_code == 422
