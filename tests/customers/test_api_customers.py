"""Clinics, customers (dentists, with or without a login) and patients of a lab, over the API."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from crownline.customers.models import Clinic, Customer, Patient
from tests.factories import PASSWORD, PatientFactory, invite, make_order

User = get_user_model()


# ---- clinics -------------------------------------------------------------------------------


def test_the_lab_admin_creates_a_clinic(cast, api):
    response = api(cast.admin_a).post(
        "/labs/lab-a/clinics", {"name": " Smile Clinic ", "address": "Hauptstraße 1", "phone": "+49 30 555"}
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["address"], body["phone"]) == ("Smile Clinic", "Hauptstraße 1", "+49 30 555")
    clinic = Clinic.objects.get(pk=body["id"])
    assert (clinic.lab, clinic.name) == (cast.lab_a, "Smile Clinic")


@pytest.mark.parametrize("actor", ["admin_a", "tech_a"])
def test_the_lab_team_lists_its_clinics_by_name(cast, api, actor):
    Clinic.objects.create(lab=cast.lab_a, name="Zahnarzt Mitte")
    Clinic.objects.create(lab=cast.lab_a, name="Adler Dental")
    Clinic.objects.create(lab=cast.lab_b, name="Other lab's clinic")

    response = api(getattr(cast, actor)).get("/labs/lab-a/clinics")

    assert response.status_code == 200
    assert [c["name"] for c in response.json()] == ["Adler Dental", "Zahnarzt Mitte"]


def test_a_customer_cannot_list_the_lab_s_clinics(cast, api):
    Clinic.objects.create(lab=cast.lab_a, name="Adler Dental")

    response = api(cast.dentist_a1).get("/labs/lab-a/clinics")

    assert response.status_code == 403
    assert "Adler" not in response.content.decode()


@pytest.mark.parametrize("actor", ["tech_a", "dentist_a1"])
def test_a_technician_or_a_customer_cannot_create_a_clinic(cast, api, actor):
    response = api(getattr(cast, actor)).post("/labs/lab-a/clinics", {"name": "Smile Clinic"})

    assert response.status_code == 403
    assert not Clinic.objects.exists()


def test_the_admin_of_another_lab_gets_404_for_its_clinics(cast, api):
    assert api(cast.admin_b).get("/labs/lab-a/clinics").status_code == 404
    assert api(cast.admin_b).post("/labs/lab-a/clinics", {"name": "Smile Clinic"}).status_code == 404
    assert not Clinic.objects.exists()


# ---- customers -----------------------------------------------------------------------------


def test_the_lab_admin_records_a_customer_without_a_login(cast, api):
    clinic = Clinic.objects.create(lab=cast.lab_a, name="Smile Clinic")
    users_before = User.objects.count()

    response = api(cast.admin_a).post(
        "/labs/lab-a/customers", {"name": "Dr. Paul Paper", "email": "paper@clinic.example", "clinic": clinic.pk}
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["email"], body["clinic"], body["has_login"]) == (
        "Dr. Paul Paper", "paper@clinic.example", clinic.pk, False)
    customer = Customer.objects.get(pk=body["id"])
    assert (customer.lab, customer.user, customer.clinic) == (cast.lab_a, None, clinic)
    assert User.objects.count() == users_before


@pytest.mark.parametrize("username", ["dentist-a1", "nobody-has-this-name"], ids=["existing", "unknown"])
def test_no_lab_links_a_login_to_a_customer_and_the_answer_tells_no_username_apart(cast, api, username):
    """The hole of issue 11: lab B's admin made dentist A1 its customer by username. A login
    joins only by invitation now; `username` is refused alike whether or not it exists."""
    users_before = User.objects.count()

    response = api(cast.admin_b).post(
        "/labs/lab-b/customers", {"name": "Dr. A1 in B", "username": username, "password": "taken-over-now"})

    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"username", "password"}
    assert response.json()["detail"] == (
        "username: Extra inputs are not permitted; password: Extra inputs are not permitted")
    assert not Customer.objects.filter(lab=cast.lab_b, name="Dr. A1 in B").exists()
    assert User.objects.count() == users_before
    cast.dentist_a1.refresh_from_db()
    assert cast.dentist_a1.check_password(PASSWORD)
    assert [lab["slug"] for lab in api(cast.dentist_a1).get("/labs").json()] == ["lab-a"]


def test_a_customer_cannot_be_put_in_another_lab_s_clinic(cast, api):
    foreign = Clinic.objects.create(lab=cast.lab_b, name="Other lab's clinic")

    response = api(cast.admin_a).post("/labs/lab-a/customers", {"name": "Dr. Paul Paper", "clinic": foreign.pk})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "clinic"
    assert not Customer.objects.filter(name="Dr. Paul Paper").exists()


def test_a_dentist_of_two_labs_sees_their_orders_of_both_labs_and_only_theirs(cast, api):
    _, token = invite(cast.admin_b, cast.lab_b, "a1@example.com", name="Dr. A1 in B")
    assert api(cast.dentist_a1).post(f"/invitations/{token}/accept").status_code == 200
    record_in_b = Customer.objects.get(lab=cast.lab_b, user=cast.dentist_a1)
    mine_in_a = make_order(cast.admin_a, cast.customer_a1, status="published", service=cast.service_a)
    mine_in_b = make_order(cast.admin_b, record_in_b, status="draft", service=cast.service_b)
    colleague_in_a = make_order(cast.admin_a, cast.customer_a2, status="published", service=cast.service_a)
    stranger_in_b = make_order(cast.admin_b, cast.customer_b, status="published", service=cast.service_b)

    listed = api(cast.dentist_a1).get("/orders", {"page_size": 100})

    assert listed.status_code == 200
    assert {o["number"] for o in listed.json()["items"]} == {mine_in_a.number, mine_in_b.number}
    assert listed.json()["count"] == 2
    assert {o["lab"] for o in listed.json()["items"]} == {"lab-a", "lab-b"}
    client = api(cast.dentist_a1)
    assert client.get(f"/orders/{mine_in_b.number}").status_code == 200
    assert client.get(f"/orders/{colleague_in_a.number}").status_code == 404
    assert client.get(f"/orders/{stranger_in_b.number}").status_code == 404
    only_b = client.get("/orders", {"lab": "lab-b"}).json()["items"]
    assert [o["number"] for o in only_b] == [mine_in_b.number]


@pytest.mark.parametrize("actor", ["admin_a", "tech_a"])
def test_the_lab_team_lists_customers_and_whether_they_have_a_login(cast, api, actor):
    Customer.objects.create(lab=cast.lab_a, name="Dr. Aaron Paper")

    response = api(getattr(cast, actor)).get("/labs/lab-a/customers")

    assert response.status_code == 200
    listed = {c["name"]: c["has_login"] for c in response.json()}
    assert listed == {"Dr. Aaron Paper": False, cast.customer_a1.name: True, cast.customer_a2.name: True}


def test_a_customer_cannot_list_the_lab_s_customers(cast, api):
    response = api(cast.dentist_a1).get("/labs/lab-a/customers")

    assert response.status_code == 403
    assert cast.customer_a2.name not in response.content.decode()


@pytest.mark.parametrize("actor", ["tech_a", "dentist_a1"])
def test_a_technician_or_a_customer_cannot_record_a_customer(cast, api, actor):
    response = api(getattr(cast, actor)).post("/labs/lab-a/customers", {"name": "Dr. Paul Paper"})

    assert response.status_code == 403
    assert not Customer.objects.filter(name="Dr. Paul Paper").exists()


def test_the_admin_of_another_lab_gets_404_for_its_customers(cast, api):
    assert api(cast.admin_b).get("/labs/lab-a/customers").status_code == 404
    assert api(cast.admin_b).post("/labs/lab-a/customers", {"name": "Dr. Paul Paper"}).status_code == 404
    assert not Customer.objects.filter(name="Dr. Paul Paper").exists()


# ---- patients ------------------------------------------------------------------------------


def test_a_dentist_adds_a_patient_of_their_own(cast, api):
    response = api(cast.dentist_a1).post("/labs/lab-a/patients", {"name": "  Patient 2291 "})

    assert response.status_code == 201
    assert (response.json()["name"], response.json()["customer"]) == ("Patient 2291", cast.customer_a1.pk)
    patient = Patient.objects.get(pk=response.json()["id"])
    assert (patient.lab, patient.customer, patient.name) == (cast.lab_a, cast.customer_a1, "Patient 2291")


def test_a_dentist_may_name_their_own_customer_record(cast, api):
    response = api(cast.dentist_a1).post(
        "/labs/lab-a/patients", {"name": "Maria Lopez", "customer": cast.customer_a1.pk}
    )

    assert response.status_code == 201
    assert Patient.objects.get(pk=response.json()["id"]).customer == cast.customer_a1


def test_a_dentist_cannot_add_a_patient_for_another_customer(cast, api):
    response = api(cast.dentist_a1).post(
        "/labs/lab-a/patients", {"name": "Maria Lopez", "customer": cast.customer_a2.pk}
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "customer"
    assert not Patient.objects.filter(name="Maria Lopez").exists()


def test_a_technician_cannot_add_a_patient(cast, api):
    response = api(cast.tech_a).post("/labs/lab-a/patients", {"name": "Maria Lopez", "customer": cast.customer_a1.pk})

    assert response.status_code == 403
    assert not Patient.objects.filter(name="Maria Lopez").exists()


def test_the_lab_admin_adds_a_patient_for_a_named_customer(cast, api):
    response = api(cast.admin_a).post("/labs/lab-a/patients", {"name": "Maria Lopez", "customer": cast.customer_a2.pk})

    assert response.status_code == 201
    assert Patient.objects.get(pk=response.json()["id"]).customer == cast.customer_a2


@pytest.mark.parametrize("customer", ["missing", "other lab"])
def test_the_lab_admin_must_name_a_customer_of_their_lab(cast, api, customer):
    body = {"name": "Maria Lopez"}
    if customer == "other lab":
        body["customer"] = cast.customer_b.pk

    response = api(cast.admin_a).post("/labs/lab-a/patients", body)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "customer"
    assert not Patient.objects.filter(name="Maria Lopez").exists()


def test_a_dentist_lists_only_their_own_patients(cast, api):
    mine = PatientFactory(customer=cast.customer_a1, name="Anna Mine")
    PatientFactory(customer=cast.customer_a2, name="Bert Colleague")
    PatientFactory(customer=cast.customer_b, name="Carl Other Lab")

    response = api(cast.dentist_a1).get("/labs/lab-a/patients")

    assert response.status_code == 200
    assert response.json() == [{"id": mine.pk, "name": "Anna Mine", "customer": cast.customer_a1.pk}]


@pytest.mark.parametrize("actor", ["admin_a", "tech_a"])
def test_the_lab_team_lists_every_patient_of_the_lab(cast, api, actor):
    PatientFactory(customer=cast.customer_a1, name="Anna Mine")
    PatientFactory(customer=cast.customer_a2, name="Bert Colleague")
    PatientFactory(customer=cast.customer_b, name="Carl Other Lab")

    response = api(getattr(cast, actor)).get("/labs/lab-a/patients")

    assert [p["name"] for p in response.json()] == ["Anna Mine", "Bert Colleague"]


@pytest.mark.parametrize("actor", ["admin_b", "dentist_b"])
def test_people_of_another_lab_get_404_for_its_patients(cast, api, actor):
    PatientFactory(customer=cast.customer_a1, name="Anna Mine")

    assert api(getattr(cast, actor)).get("/labs/lab-a/patients").status_code == 404
    response = api(getattr(cast, actor)).post("/labs/lab-a/patients", {"name": "Intruder"})
    assert response.status_code == 404
    assert not Patient.objects.filter(name="Intruder").exists()


@pytest.mark.parametrize("path", ["clinics", "customers", "patients"])
def test_a_blank_name_is_refused_naming_the_name(cast, api, path):
    body = {"name": "   "} if path != "patients" else {"name": "   ", "customer": cast.customer_a1.pk}
    counts = (Clinic.objects.count(), Customer.objects.count(), Patient.objects.count())

    response = api(cast.admin_a).post(f"/labs/lab-a/{path}", body)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"
    assert (Clinic.objects.count(), Customer.objects.count(), Patient.objects.count()) == counts
