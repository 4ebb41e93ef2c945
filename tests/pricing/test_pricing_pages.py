"""The lab admin's Pricebooks and Exchange rates pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from crownline.customers.models import Clinic
from crownline.pricing.models import ExchangeRate, Pricebook
from tests.pricing.helpers import bills_in, pricebook


@pytest.fixture
def admin(cast) -> Client:
    page = Client()
    page.force_login(cast.admin_a)
    return page


def test_a_lab_admin_creates_a_pricebook_with_a_rule_per_service_and_its_clinics(cast, admin):
    clinic = Clinic.objects.create(lab=cast.lab_a, name="Smile Clinic")

    response = admin.post(
        "/lab/pricebooks/new/",
        {
            "name": "Gold",
            "notes": "",
            f"rule_{cast.service_a.pk}": "percent_off",
            f"value_{cast.service_a.pk}": "10",
            "clinics": [str(clinic.pk)],
            "customers": [str(cast.customer_a2.pk)],
        },
    )

    assert response.status_code == 302, response.content.decode()
    book = Pricebook.objects.get(lab=cast.lab_a)
    assert [(p.service_id, p.rule, p.value) for p in book.prices.all()] == [
        (cast.service_a.pk, "percent_off", Decimal("10"))
    ]
    assert {(ln.clinic_id, ln.customer_id) for ln in book.links.all()} == {
        (clinic.pk, None),
        (None, cast.customer_a2.pk),
    }
    listing = admin.get("/lab/pricebooks/").content.decode()
    assert "Gold" in listing and "Smile Clinic" in listing


def test_the_edit_page_shows_the_rules_and_a_refusal_next_to_its_service(cast, admin):
    book = pricebook(cast.admin_a, cast.lab_a, "Gold", [(cast.service_a, "amount_off", "5")])
    url = f"/lab/pricebooks/{book.pk}/"

    shown = admin.get(url)
    assert shown.status_code == 200
    assert shown.context["form"][f"rule_{cast.service_a.pk}"].value() == "amount_off"

    refused = admin.post(
        url, {"name": "Gold", f"rule_{cast.service_a.pk}": "percent_off", f"value_{cast.service_a.pk}": "150"}
    )
    assert refused.status_code == 422
    assert "a percentage off is from 0 to 100" in str(refused.context["form"].errors[f"value_{cast.service_a.pk}"])
    assert book.prices.get().rule == "amount_off"


def test_a_customer_priced_elsewhere_is_refused_on_the_page(cast, admin):
    pricebook(cast.admin_a, cast.lab_a, "Silver", [], customers=[cast.customer_a1])

    response = admin.post("/lab/pricebooks/new/", {"name": "Gold", "customers": [str(cast.customer_a1.pk)]})

    assert response.status_code == 422
    assert "priced by the pricebook 'Silver'" in response.context["form"].errors["customers"][0]
    assert not Pricebook.objects.filter(name="Gold").exists()


def test_a_lab_admin_deletes_a_pricebook_from_its_page(cast, admin):
    book = pricebook(cast.admin_a, cast.lab_a, "Gold", [])

    assert admin.post(f"/lab/pricebooks/{book.pk}/delete/").status_code == 302
    assert not Pricebook.objects.exists()


def test_another_labs_pricebook_is_not_found(cast):
    book = pricebook(cast.admin_a, cast.lab_a, "Gold", [])
    page = Client()
    page.force_login(cast.admin_b)

    assert page.get(f"/lab/pricebooks/{book.pk}/").status_code == 404
    assert page.post(f"/lab/pricebooks/{book.pk}/delete/").status_code == 404
    assert Pricebook.objects.filter(pk=book.pk).exists()


def test_a_technician_sees_no_pricing_page(cast):
    page = Client()
    page.force_login(cast.tech_a)

    for url in ("/lab/pricebooks/", "/lab/pricebooks/new/", "/lab/rates/"):
        assert page.get(url).status_code == 403
    assert page.post("/lab/rates/", {"currency": "CHF", "rate": "1", "valid_on": "2026-11-27"}).status_code == 403


def test_a_lab_admin_records_a_rate_on_the_rates_page(cast, admin):
    bills_in(cast.lab_a, "CHF")

    response = admin.post("/lab/rates/", {"currency": "CHF", "rate": "0.9318", "valid_on": "2026-11-27"})

    assert response.status_code == 302
    assert ExchangeRate.objects.get(lab=cast.lab_a).rate == Decimal("0.9318")
    assert "0.9318 CHF" in admin.get("/lab/rates/").content.decode()


def test_a_round_rate_reads_as_a_number_not_in_exponent_notation(cast, admin):
    bills_in(cast.lab_a, "JPY")
    admin.post("/lab/rates/", {"currency": "JPY", "rate": "160", "valid_on": "2026-11-27"})
    book = pricebook(cast.admin_a, cast.lab_a, "Gold", [(cast.service_a, "fixed_price", "100")])

    assert "160 JPY" in admin.get("/lab/rates/").content.decode()
    assert admin.get(f"/lab/pricebooks/{book.pk}/").context["form"][f"value_{cast.service_a.pk}"].value() == "100"


def test_the_rates_page_refuses_a_rate_of_zero_next_to_the_field(cast, admin):
    bills_in(cast.lab_a, "CHF")

    response = admin.post("/lab/rates/", {"currency": "CHF", "rate": "0", "valid_on": "2026-11-27"})

    assert response.status_code == 422
    assert response.context["form"].errors["rate"]
    assert not ExchangeRate.objects.exists()


def test_a_lab_billing_in_its_own_currency_only_is_told_where_to_add_others(cast, admin):
    assert "Add payment currencies" in admin.get("/lab/rates/").content.decode()
