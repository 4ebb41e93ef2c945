"""Exchange rates: the lab admin's manual rates, and `crownline rates import` reading the
ECB's daily file (tests/pricing/eurofxref-daily.xml, 2026-11-27) with cross rates for a lab
that does not work in euros."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from crownline.pricing.models import ExchangeRate
from tests.factories import LabFactory
from tests.pricing.helpers import bills_in

SAMPLE = Path(__file__).with_name("eurofxref-daily.xml")
DAY = dt.date(2026, 11, 27)
RATES = "/labs/lab-a/exchange-rates"


def rows(lab) -> dict[str, tuple[Decimal, str]]:
    return {r.currency: (r.rate, r.source) for r in ExchangeRate.objects.filter(lab=lab, valid_on=DAY)}


def test_a_lab_admin_records_a_rate_and_reads_it_back(cast, api):
    bills_in(cast.lab_a, "CHF", "USD")

    response = api(cast.admin_a).post(RATES, {"currency": "chf", "rate": "0.9318", "valid_on": "2026-11-27"})

    assert response.status_code == 201, response.content
    assert response.json() | {"id": 0} == {
        "id": 0,
        "currency": "CHF",
        "rate": "0.9318",
        "valid_on": "2026-11-27",
        "source": "manual",
        "recorded_by": "admin-a",
    }
    assert [r["rate"] for r in api(cast.admin_a).get(RATES).json()] == ["0.9318"]


def test_a_second_rate_for_the_same_day_corrects_the_first(cast, api):
    bills_in(cast.lab_a, "CHF")
    admin = api(cast.admin_a)
    admin.post(RATES, {"currency": "CHF", "rate": "0.9381", "valid_on": "2026-11-27"})

    admin.post(RATES, {"currency": "CHF", "rate": "0.9318", "valid_on": "2026-11-27"})

    assert rows(cast.lab_a) == {"CHF": (Decimal("0.9318"), "manual")}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"currency": "EUR", "rate": "1", "valid_on": "2026-11-27"}, "currency"),  # the working currency
        ({"currency": "GBP", "rate": "0.8", "valid_on": "2026-11-27"}, "currency"),  # not a payment currency
        ({"currency": "XYZ", "rate": "1", "valid_on": "2026-11-27"}, "currency"),
        ({"currency": "CHF", "rate": "0", "valid_on": "2026-11-27"}, "rate"),
        ({"currency": "CHF", "rate": "1e5", "valid_on": "2026-11-27"}, "rate"),
        ({"currency": "CHF", "rate": "0.12345678901", "valid_on": "2026-11-27"}, "rate"),
        ({"currency": "CHF", "rate": "٣", "valid_on": "2026-11-27"}, "rate"),
        ({"currency": "CHF", "rate": "1", "valid_on": "1999-12-31"}, "valid_on"),
        ({"currency": "CHF", "rate": "1", "valid_on": 0}, "valid_on"),
    ],
)
def test_a_rate_the_lab_cannot_use_is_refused_naming_the_field(cast, api, body, field):
    bills_in(cast.lab_a, "CHF")

    response = api(cast.admin_a).post(RATES, body)

    assert response.status_code == 422
    assert field in str(response.json())
    assert not ExchangeRate.objects.exists()


def test_only_the_lab_admin_reads_or_records_rates(cast, api):
    bills_in(cast.lab_a, "CHF")
    body = {"currency": "CHF", "rate": "0.9", "valid_on": "2026-11-27"}
    for actor, status in [(cast.tech_a, 403), (cast.dentist_a1, 403), (cast.admin_b, 404), (cast.dentist_b, 404)]:
        assert api(actor).get(RATES).status_code == status
        assert api(actor).post(RATES, body).status_code == status
    assert not ExchangeRate.objects.exists()


def test_the_ecb_file_gives_a_euro_lab_its_payment_currencies_only(cast):
    bills_in(cast.lab_a, "CHF", "USD", "JPY")

    call_command("rates", "import", str(SAMPLE), "--lab", "lab-a")

    assert rows(cast.lab_a) == {
        "CHF": (Decimal("0.9318"), "ecb"),
        "USD": (Decimal("1.0564"), "ecb"),
        "JPY": (Decimal("159.73"), "ecb"),
    }


def test_a_lab_in_another_currency_gets_cross_rates_through_the_euro(cast):
    swiss = LabFactory(slug="swiss", currency="CHF", payment_currencies="EUR USD KWD")

    call_command("rates", "import", str(SAMPLE))

    # USD per CHF = 1.0564 / 0.9318; EUR per CHF = 1 / 0.9318; KWD is not in the ECB's file.
    assert rows(swiss) == {"USD": (Decimal("1.1337196823"), "ecb"), "EUR": (Decimal("1.0731916720"), "ecb")}
    assert rows(cast.lab_a) == {}  # lab A bills in euros only


def test_importing_the_same_file_twice_changes_nothing(cast):
    bills_in(cast.lab_a, "CHF", "USD")
    call_command("rates", "import", str(SAMPLE))
    first = list(ExchangeRate.objects.values_list("pk", "currency", "rate", "valid_on"))

    call_command("rates", "import", str(SAMPLE))

    assert list(ExchangeRate.objects.values_list("pk", "currency", "rate", "valid_on")) == first


def test_the_admins_manual_rate_of_the_day_is_kept(cast):
    bills_in(cast.lab_a, "CHF", "USD")
    ExchangeRate.objects.create(lab=cast.lab_a, currency="CHF", rate=Decimal("0.95"), valid_on=DAY)

    call_command("rates", "import", str(SAMPLE))

    assert rows(cast.lab_a) == {"CHF": (Decimal("0.95"), "manual"), "USD": (Decimal("1.0564"), "ecb")}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"not xml at all", "not well-formed XML"),
        (b"<html><body>Maintenance</body></html>", "not an ECB file"),
        (SAMPLE.read_bytes().replace(b"time='2026-11-27'", b"time='yesterday'"), "is not a date"),
        (SAMPLE.read_bytes().replace(b"rate='0.9318'", b"rate='-0.9318'"), "rate of CHF"),
        (SAMPLE.read_bytes().replace(b"rate='0.9318'", b"rate='NaN'"), "rate of CHF"),
        (SAMPLE.read_bytes().replace(b"currency='USD'", b"currency='US Dollar'"), "not a currency code"),
        (
            SAMPLE.read_bytes().replace(
                b'<?xml version="1.0" encoding="UTF-8"?>', b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
            ),
            "document type",
        ),
    ],
)
def test_a_broken_file_is_a_clear_error_and_imports_nothing(cast, tmp_path, content, reason):
    bills_in(cast.lab_a, "CHF", "USD")
    broken = tmp_path / "eurofxref-daily.xml"
    broken.write_bytes(content)

    with pytest.raises(CommandError, match=reason):
        call_command("rates", "import", str(broken))

    assert not ExchangeRate.objects.exists()


def test_rates_whose_cross_rate_no_column_holds_are_a_clear_error(cast, tmp_path):
    """A lab working in francs divides by the franc's rate: a file with an absurdly small one
    gives a cross rate past any scale, refused as a broken file rather than a traceback."""
    cast.lab_a.currency = "CHF"
    cast.lab_a.payment_currencies = "USD"
    cast.lab_a.save()
    broken = tmp_path / "eurofxref-daily.xml"
    broken.write_bytes(SAMPLE.read_bytes().replace(b"rate='0.9318'", b"rate='0.00000000000000000001'"))

    with pytest.raises(CommandError, match="no usable cross rate"):
        call_command("rates", "import", str(broken))

    assert not ExchangeRate.objects.exists()


def test_a_missing_file_or_lab_is_a_clear_error(cast, tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("rates", "import", str(tmp_path / "missing.xml"))
    with pytest.raises(CommandError, match="no lab 'nowhere'"):
        call_command("rates", "import", str(SAMPLE), "--lab", "nowhere")


def test_an_imported_rate_prices_the_next_order(cast, api):
    bills_in(cast.lab_a, "CHF")
    call_command("rates", "import", str(SAMPLE))
    cast.customer_a1.billing_currency = "CHF"
    cast.customer_a1.save()

    response = api(cast.admin_a).post(
        "/orders",
        {
            "lab": "lab-a",
            "customer": cast.customer_a1.pk,
            "patient_name": "A",
            "lines": [{"service": cast.service_a.pk}],
        },
    )

    assert response.status_code == 201, response.content
    assert (response.json()["currency"], response.json()["lines"][0]["unit_price"]) == ("CHF", "93.18")
