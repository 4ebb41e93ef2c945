"""The lab's money settings through both doors: tax rate, payment currencies, legal and bank
details (the IBAN's mod-97 check digits, the BIC's shape), patients on invoices, overdraft."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from crownline.tenancy.models import Lab
from crownline.tenancy.money_settings import bic_problem, iban_problem

SETTINGS = "/labs/lab-a/settings"


@pytest.mark.parametrize(
    "iban", ["DE89370400440532013000", "CH9300762011623852957", "GB82WEST12345698765432", "NL91ABNA0417164300"]
)
def test_real_ibans_pass_the_mod_97_check(iban):
    assert iban_problem(iban) is None


@pytest.mark.parametrize(
    ("iban", "why"),
    [
        ("DE89370400440532013001", "check digits do not match"),  # one digit mistyped
        ("DE98370400440532013000", "check digits do not match"),  # check digits swapped
        ("DE89", "a country code, two check digits"),
        ("89DE370400440532013000", "a country code, two check digits"),
        ("DE8937040044053201300\u0660", "a country code, two check digits"),  # an Arabic-Indic zero
    ],
)
def test_a_mistyped_iban_is_refused(iban, why):
    assert why in iban_problem(iban)


@pytest.mark.parametrize(
    ("bic", "ok"),
    [
        ("COBADEFFXXX", True),
        ("UBSWCHZH80A", True),
        ("DEUTDEFF", True),
        ("COBADEFF1", False),
        ("C0BADEFF", False),
        ("COBA", False),
    ],
)
def test_a_bic_has_8_or_11_characters_of_the_right_kind(bic, ok):
    assert (bic_problem(bic) is None) is ok


def test_a_lab_admin_sets_the_money_settings_through_the_api(cast, api):
    response = api(cast.admin_a).patch(
        SETTINGS,
        {
            "default_tax_rate": "19",
            "payment_currencies": ["chf", "USD", "EUR", "CHF"],
            "legal_name": "Lab A GmbH",
            "legal_address": "Hauptstraße 1\n10115 Berlin",
            "tax_id": "DE123456789",
            "iban": "de89 3704 0044 0532 0130 00",
            "bic": "cobadeffxxx",
            "invoice_instructions": "Within 14 days.",
            "invoice_patient": "initials",
            "balance_overdraft": "250.00",
        },
        HTTP_IF_MATCH="*",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert {
        k: body[k]
        for k in ("default_tax_rate", "payment_currencies", "iban", "bic", "invoice_patient", "balance_overdraft")
    } == {
        "default_tax_rate": "19.00",
        "payment_currencies": ["CHF", "USD"],
        "iban": "DE89370400440532013000",
        "bic": "COBADEFFXXX",
        "invoice_patient": "initials",
        "balance_overdraft": "250.00",
    }
    lab = Lab.objects.get(pk=cast.lab_a.pk)
    assert (lab.payment_currencies, lab.default_tax_rate, lab.legal_name) == ("CHF USD", Decimal("19"), "Lab A GmbH")
    assert api(cast.admin_a).get(SETTINGS).json() == body


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"iban": "DE89 3704 0044 0532 0130 01"}, "iban"),
        ({"bic": "COBADEFF1"}, "bic"),
        ({"payment_currencies": ["ABC"]}, "payment_currencies"),
        ({"default_tax_rate": "100.01"}, "default_tax_rate"),
        ({"default_tax_rate": "7.777"}, "default_tax_rate"),
        ({"invoice_patient": "none"}, "invoice_patient"),
        ({"balance_overdraft": "-5"}, "balance_overdraft"),
        ({"balance_overdraft": "1.005"}, "balance_overdraft"),
    ],
)
def test_a_bad_money_setting_is_refused_naming_the_field_and_nothing_changes(cast, api, body, field):
    before = Lab.objects.filter(pk=cast.lab_a.pk).values().get()

    response = api(cast.admin_a).patch(SETTINGS, {"legal_name": "Changed", **body}, HTTP_IF_MATCH="*")

    assert response.status_code == 422, response.content
    assert field in str(response.json())
    assert Lab.objects.filter(pk=cast.lab_a.pk).values().get() == before


def test_a_payment_currency_a_customer_is_billed_in_cannot_be_dropped(cast, api):
    cast.lab_a.payment_currencies = "CHF USD"
    cast.lab_a.save()
    cast.customer_a1.billing_currency = "CHF"
    cast.customer_a1.save()

    response = api(cast.admin_a).patch(SETTINGS, {"payment_currencies": ["USD"]}, HTTP_IF_MATCH="*")

    assert response.status_code == 422
    assert "billed in CHF" in response.json()["detail"]
    assert api(cast.admin_a).patch(SETTINGS, {"payment_currencies": ["CHF"]}, HTTP_IF_MATCH="*").status_code == 200


def test_a_technician_reads_and_writes_no_money_settings(cast, api):
    assert api(cast.tech_a).get(SETTINGS).status_code == 403
    assert api(cast.tech_a).patch(SETTINGS, {"iban": ""}, HTTP_IF_MATCH="*").status_code == 403


def test_the_settings_page_saves_the_money_settings_and_shows_a_bad_iban_next_to_it(cast):
    page = Client()
    page.force_login(cast.admin_a)
    form = page.get("/lab/settings/").context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and value is not False}

    refused = page.post("/lab/settings/", {**data, "iban": "DE89 3704 0044 0532 0130 01"})
    assert refused.status_code == 422
    assert "check digits do not match" in str(refused.context["form"].errors["iban"])

    saved = page.post(
        "/lab/settings/",
        {
            **data,
            "iban": "DE89 3704 0044 0532 0130 00",
            "bic": "COBADEFFXXX",
            "payment_currencies": "chf, usd",
            "default_tax_rate": "7.7",
            "legal_name": "Lab A GmbH",
            "invoice_patient": "initials",
            "balance_overdraft": "100",
        },
    )
    assert saved.status_code == 302
    lab = Lab.objects.get(pk=cast.lab_a.pk)
    assert (lab.iban, lab.payment_currencies, lab.default_tax_rate, lab.invoice_patient) == (
        "DE89370400440532013000",
        "CHF USD",
        Decimal("7.7"),
        "initials",
    )


def test_a_settings_form_without_the_money_fields_keeps_them(cast):
    Lab.objects.filter(pk=cast.lab_a.pk).update(iban="DE89370400440532013000", default_tax_rate=Decimal("19"))
    page = Client()
    page.force_login(cast.admin_a)
    lab = cast.lab_a

    response = page.post(
        "/lab/settings/",
        {
            "name": lab.name,
            "currency": lab.currency,
            "time_zone": lab.time_zone,
            "paper_size": lab.paper_size,
            "contacts": "",
        },
    )

    assert response.status_code == 302
    lab = Lab.objects.get(pk=lab.pk)
    assert (lab.iban, lab.default_tax_rate) == ("DE89370400440532013000", Decimal("19"))
