"""The pricebook endpoints: the lab admin's only, each rule checked, a clinic or customer
priced by one pricebook at most (a second link is refused naming it), a refusal changes nothing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crownline.customers.models import Clinic
from crownline.pricing.models import Pricebook, PricebookLink, PricebookPrice
from tests.pricing.helpers import order_for, pricebook

BASE = "/labs/lab-a/pricebooks"


def gold(cast, **extra) -> dict:
    return {
        "name": "Gold",
        "notes": "Large clinics",
        **extra,
        "prices": [{"service": cast.service_a.pk, "rule": "percent_off", "value": "12.5"}],
    }


def test_a_lab_admin_creates_reads_changes_and_deletes_a_pricebook(cast, api):
    admin = api(cast.admin_a)
    clinic = Clinic.objects.create(lab=cast.lab_a, name="Smile Clinic")

    created = admin.post(BASE, gold(cast, clinics=[clinic.pk], customers=[cast.customer_a2.pk]))
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["prices"] == [
        {"service": cast.service_a.pk, "service_name": cast.service_a.name, "rule": "percent_off", "value": "12.50"}
    ]
    assert body["clinics"] == [{"id": clinic.pk, "name": "Smile Clinic"}]
    assert body["customers"] == [{"id": cast.customer_a2.pk, "name": cast.customer_a2.name}]
    assert body["currency"] == "EUR"

    url = f"{BASE}/{body['id']}"
    assert admin.get(url).json() == body
    assert [b["name"] for b in admin.get(BASE).json()] == ["Gold"]

    changed = admin.patch(
        url,
        {
            "name": "Platinum",
            "prices": [{"service": cast.service_a.pk, "rule": "fixed_price", "value": 75}],
            "clinics": [],
        },
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["name"], changed.json()["prices"][0]["value"], changed.json()["clinics"]) == (
        "Platinum",
        "75.00",
        [],
    )
    assert changed.json()["customers"] == body["customers"]  # not given: kept

    assert admin.delete(url).status_code == 204
    assert admin.get(url).status_code == 404
    assert not PricebookLink.objects.exists() and not PricebookPrice.objects.exists()


def test_a_clinic_priced_by_another_pricebook_is_refused_by_name(cast, api):
    clinic = Clinic.objects.create(lab=cast.lab_a, name="Smile Clinic")
    pricebook(cast.admin_a, cast.lab_a, "Silver", [], clinics=[clinic])

    response = api(cast.admin_a).post(BASE, gold(cast, clinics=[clinic.pk]))

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "clinics[0]"
    assert "Smile Clinic is priced by the pricebook 'Silver'" in response.json()["detail"]
    assert not Pricebook.objects.filter(name="Gold").exists()


def test_a_customer_priced_by_another_pricebook_is_refused_and_the_edit_changes_nothing(cast, api):
    pricebook(cast.admin_a, cast.lab_a, "Silver", [], customers=[cast.customer_a1])
    book = pricebook(cast.admin_a, cast.lab_a, "Gold", [(cast.service_a, "percent_off", "10")])

    response = api(cast.admin_a).patch(
        f"{BASE}/{book.pk}", {"name": "Renamed", "prices": [], "customers": [cast.customer_a2.pk, cast.customer_a1.pk]}
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "customers[1]"
    book.refresh_from_db()
    assert book.name == "Gold" and book.prices.count() == 1 and not book.links.exists()


@pytest.mark.parametrize(
    ("price", "field", "message"),
    [
        ({"rule": "percent_off", "value": "100.5"}, "prices[0].value", "a percentage off is from 0 to 100"),
        ({"rule": "amount_off", "value": "1.005"}, "prices[0].value", "an amount in EUR has at most 2 decimal places"),
        ({"rule": "fixed_price", "value": "-1"}, "prices.0.value", None),
        ({"rule": "half_price", "value": "1"}, "prices.0.rule", None),
    ],
)
def test_a_rule_or_value_out_of_bounds_is_refused(cast, api, price, field, message):
    response = api(cast.admin_a).post(BASE, {"name": "Bad", "prices": [{"service": cast.service_a.pk, **price}]})

    assert response.status_code == 422
    body = response.json()
    assert field in str(body)
    if message:
        assert body["errors"][0] == {"field": field, "message": message}
    assert not Pricebook.objects.exists()


def test_another_labs_service_clinic_or_customer_is_refused(cast, api):
    admin = api(cast.admin_a)
    other_clinic = Clinic.objects.create(lab=cast.lab_b, name="Elsewhere")

    for body, field in [
        ({"prices": [{"service": cast.service_b.pk, "rule": "percent_off", "value": 5}]}, "prices[0].service"),
        ({"clinics": [other_clinic.pk]}, "clinics[0]"),
        ({"customers": [cast.customer_b.pk]}, "customers[0]"),
        ({"customers": [cast.customer_a1.pk, cast.customer_a1.pk]}, "customers[1]"),
    ]:
        response = admin.post(BASE, {"name": "X", **body})
        assert response.status_code == 422, body
        assert response.json()["errors"][0]["field"] == field
    assert not Pricebook.objects.exists()


def test_a_second_pricebook_of_the_same_name_is_a_conflict(cast, api):
    pricebook(cast.admin_a, cast.lab_a, "Gold", [])

    assert api(cast.admin_a).post(BASE, {"name": "Gold"}).status_code == 409


def test_deleting_a_pricebook_never_reprices_an_order(cast, api):
    book = pricebook(
        cast.admin_a, cast.lab_a, "Gold", [(cast.service_a, "percent_off", "10")], customers=[cast.customer_a1]
    )
    order = order_for(cast.admin_a, cast.customer_a1, cast.service_a)

    assert api(cast.admin_a).delete(f"{BASE}/{book.pk}").status_code == 204

    order.refresh_from_db()
    assert (order.lines.get().unit_price, order.total) == (90, 90)
    assert order_for(cast.admin_a, cast.customer_a1, cast.service_a).total == 100


def test_a_technician_and_a_dentist_are_refused_and_another_labs_admin_sees_nothing(cast, api):
    book = pricebook(cast.admin_a, cast.lab_a, "Gold", [(cast.service_a, "percent_off", "10")])
    url = f"{BASE}/{book.pk}"

    for actor, status in [(cast.tech_a, 403), (cast.dentist_a1, 403), (cast.admin_b, 404), (cast.dentist_b, 404)]:
        client = api(actor)
        assert client.get(BASE).status_code == status
        assert client.get(url).status_code == status
        assert client.post(BASE, {"name": "Mine"}).status_code == status
        assert client.patch(url, {"name": "Mine"}).status_code == status
        assert client.delete(url).status_code == status
    assert api(cast.admin_b).get(f"/labs/lab-b/pricebooks/{book.pk}").status_code == 404
    assert list(Pricebook.objects.values_list("name", flat=True)) == ["Gold"]


def test_a_pricebook_id_past_64_bits_is_refused_not_a_crash(cast, api):
    assert api(cast.admin_a).get(f"{BASE}/{2**64}").status_code == 422


def test_the_list_of_pricebooks_takes_the_same_queries_however_many_there_are(cast, api):
    admin = api(cast.admin_a)

    def listed(count: int) -> tuple[int, list]:
        for n in range(Pricebook.objects.count(), count):
            clinic = Clinic.objects.create(lab=cast.lab_a, name=f"Clinic {n}")
            pricebook(
                cast.admin_a, cast.lab_a, f"Book {n}", [(cast.service_a, "percent_off", str(n))], clinics=[clinic]
            )
        admin.get(BASE)  # the caller is cached after the first call
        with CaptureQueriesContext(connection) as queries:
            body = admin.get(BASE).json()
        return len(queries), body

    one, _ = listed(1)
    six, body = listed(6)

    assert six == one
    assert [b["name"] for b in body] == [f"Book {n}" for n in range(6)]
    assert all(len(b["prices"]) == 1 and len(b["clinics"]) == 1 for b in body)
