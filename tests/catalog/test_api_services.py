"""The lab's service catalogue over the API: read by the whole lab, written by its admin."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crownline.catalog.models import Service, TaskTemplate
from tests.factories import ServiceFactory

CROWN = {
    "name": "Zirconia crown",
    "group": "Crowns",
    "price": "180.00",
    "task_templates": [{"name": "Model and die", "default_pay": "12.00"}, {"name": "Design", "default_pay": "15.50"},
                       {"name": "Milling"}],
}


def templates(service: Service) -> list[tuple[int, str, Decimal]]:
    return list(service.task_templates.order_by("position").values_list("position", "name", "default_pay"))


def by_name(body: list[dict]) -> dict[str, dict]:
    return {s["name"]: s for s in body}


# ---- listing -----------------------------------------------------------------------------


def test_the_lab_admin_lists_services_with_templates_and_their_default_pay(cast, api):
    response = api(cast.admin_a).get("/labs/lab-a/services")

    assert response.status_code == 200
    (service,) = response.json()
    assert (service["id"], service["name"], Decimal(service["price"]), service["currency"]) == (
        cast.service_a.pk, cast.service_a.name, Decimal("100.00"), "EUR")
    assert [(t["name"], Decimal(t["default_pay"])) for t in service["task_templates"]] == [
        ("Model", Decimal("10.00")), ("Design", Decimal("10.00")), ("Finish", Decimal("10.00"))]


def test_a_technician_lists_templates_without_their_default_pay(cast, api):
    response = api(cast.tech_a).get("/labs/lab-a/services")

    assert response.status_code == 200
    (service,) = response.json()
    assert [t["name"] for t in service["task_templates"]] == ["Model", "Design", "Finish"]
    assert all(t["default_pay"] is None for t in service["task_templates"])
    assert service["price"] is None  # a technician sees no prices, here as on the orders


def test_a_customer_sees_only_active_services_and_no_templates(cast, api):
    ServiceFactory(lab=cast.lab_a, name="Retired bridge", is_active=False)

    response = api(cast.dentist_a1).get("/labs/lab-a/services")

    assert response.status_code == 200
    assert [s["name"] for s in response.json()] == [cast.service_a.name]
    assert response.json()[0]["task_templates"] is None
    assert "default_pay" not in response.content.decode()


def test_the_lab_admin_also_sees_inactive_services(cast, api):
    ServiceFactory(lab=cast.lab_a, name="Retired bridge", is_active=False)

    body = by_name(api(cast.admin_a).get("/labs/lab-a/services").json())

    assert set(body) == {cast.service_a.name, "Retired bridge"}
    assert body["Retired bridge"]["is_active"] is False


@pytest.mark.parametrize("actor", ["admin_b", "dentist_b"])
def test_people_of_another_lab_get_404_for_its_catalogue(cast, api, actor):
    response = api(getattr(cast, actor)).get("/labs/lab-a/services")

    assert response.status_code == 404
    assert cast.service_a.name not in response.content.decode()


def test_an_anonymous_caller_is_asked_to_sign_in_for_the_catalogue(cast, api):
    assert api().get("/labs/lab-a/services").status_code == 401


# ---- creating ----------------------------------------------------------------------------


def test_the_lab_admin_creates_a_service_with_its_templates_in_order(cast, api):
    response = api(cast.admin_a).post("/labs/lab-a/services", CROWN)

    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["group"], Decimal(body["price"]), body["currency"], body["is_active"]) == (
        "Zirconia crown", "Crowns", Decimal("180.00"), "EUR", True)
    assert [(t["name"], Decimal(t["default_pay"])) for t in body["task_templates"]] == [
        ("Model and die", Decimal("12.00")), ("Design", Decimal("15.50")), ("Milling", Decimal("0"))]
    service = Service.objects.get(pk=body["id"])
    assert (service.lab, service.price, service.currency) == (cast.lab_a, Decimal("180.00"), "EUR")
    assert templates(service) == [(1, "Model and die", Decimal("12.00")), (2, "Design", Decimal("15.50")),
                                  (3, "Milling", Decimal("0"))]


def test_a_new_service_takes_the_lab_s_currency(cast, api):
    cast.lab_a.currency = "CHF"
    cast.lab_a.save()

    response = api(cast.admin_a).post("/labs/lab-a/services", {"name": "Inlay", "price": "90"})

    assert response.status_code == 201
    assert response.json()["currency"] == "CHF"
    assert Service.objects.get(pk=response.json()["id"]).currency == "CHF"


@pytest.mark.parametrize("name", ["Zirconia crown", "  Zirconia crown  "])
def test_a_second_service_with_the_same_name_is_a_conflict(cast, api, name):
    assert api(cast.admin_a).post("/labs/lab-a/services", CROWN).status_code == 201

    response = api(cast.admin_a).post("/labs/lab-a/services", {**CROWN, "name": name, "price": "1.00"})

    assert response.status_code == 409
    assert "Zirconia crown" in response.json()["detail"]
    assert Service.objects.filter(lab=cast.lab_a, name="Zirconia crown").count() == 1
    assert Service.objects.get(lab=cast.lab_a, name="Zirconia crown").price == Decimal("180.00")


def test_another_lab_may_use_the_same_service_name(cast, api):
    assert api(cast.admin_a).post("/labs/lab-a/services", CROWN).status_code == 201

    response = api(cast.admin_b).post("/labs/lab-b/services", CROWN)

    assert response.status_code == 201
    assert Service.objects.filter(name="Zirconia crown").count() == 2


@pytest.mark.parametrize("price", ["-1.00", "12.345", "abc", None, "1e20"], ids=["negative", "three-decimals",
                                                                                 "text", "null", "too-big"])
def test_a_service_price_must_be_a_valid_amount(cast, api, price):
    response = api(cast.admin_a).post("/labs/lab-a/services", {**CROWN, "price": price})

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["price"]
    assert not Service.objects.filter(name="Zirconia crown").exists()


def test_a_service_without_a_price_is_refused(cast, api):
    response = api(cast.admin_a).post("/labs/lab-a/services", {"name": "Inlay"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "price"
    assert not Service.objects.filter(name="Inlay").exists()


def test_a_blank_service_name_is_refused(cast, api):
    response = api(cast.admin_a).post("/labs/lab-a/services", {"name": "   ", "price": "10"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"
    assert Service.objects.filter(lab=cast.lab_a).count() == 1


@pytest.mark.parametrize("actor", ["tech_a", "dentist_a1"])
def test_a_technician_or_a_customer_cannot_create_a_service(cast, api, actor):
    response = api(getattr(cast, actor)).post("/labs/lab-a/services", CROWN)

    assert response.status_code == 403
    assert not Service.objects.filter(name="Zirconia crown").exists()


@pytest.mark.parametrize("actor", ["admin_b", "dentist_b"])
def test_people_of_another_lab_cannot_create_services_in_it(cast, api, actor):
    response = api(getattr(cast, actor)).post("/labs/lab-a/services", CROWN)

    assert response.status_code == 404
    assert not Service.objects.filter(name="Zirconia crown").exists()


# ---- editing -----------------------------------------------------------------------------


def test_the_lab_admin_replaces_a_service_s_templates_in_the_order_given(cast, api):
    service = cast.service_a
    new = [{"name": "Scan", "default_pay": "4.00"}, {"name": "Design", "default_pay": "9.00"},
           {"name": "Print", "default_pay": "2.50"}, {"name": "Polish"}]

    response = api(cast.admin_a).patch(f"/labs/lab-a/services/{service.pk}", {"task_templates": new})

    assert response.status_code == 200
    assert [t["name"] for t in response.json()["task_templates"]] == ["Scan", "Design", "Print", "Polish"]
    assert templates(service) == [(1, "Scan", Decimal("4.00")), (2, "Design", Decimal("9.00")),
                                  (3, "Print", Decimal("2.50")), (4, "Polish", Decimal("0"))]
    assert TaskTemplate.objects.filter(service=service).count() == 4


def test_editing_a_service_without_templates_keeps_them(cast, api):
    service = cast.service_a

    response = api(cast.admin_a).patch(f"/labs/lab-a/services/{service.pk}",
                                       {"name": "Crown, monolithic", "price": "120.50", "is_active": False})

    assert response.status_code == 200
    service.refresh_from_db()
    assert (service.name, service.price, service.is_active) == ("Crown, monolithic", Decimal("120.50"), False)
    assert [name for _, name, _ in templates(service)] == ["Model", "Design", "Finish"]
    assert [t["name"] for t in response.json()["task_templates"]] == ["Model", "Design", "Finish"]


def test_an_empty_template_list_removes_every_template(cast, api):
    response = api(cast.admin_a).patch(f"/labs/lab-a/services/{cast.service_a.pk}", {"task_templates": []})

    assert response.status_code == 200
    assert response.json()["task_templates"] == []
    assert templates(cast.service_a) == []


def test_renaming_a_service_to_a_taken_name_is_a_conflict(cast, api):
    other = ServiceFactory(lab=cast.lab_a, name="Inlay")

    response = api(cast.admin_a).patch(f"/labs/lab-a/services/{other.pk}", {"name": cast.service_a.name})

    assert response.status_code == 409
    assert Service.objects.get(pk=other.pk).name == "Inlay"


def test_a_bad_price_on_edit_names_the_price(cast, api):
    response = api(cast.admin_a).patch(f"/labs/lab-a/services/{cast.service_a.pk}", {"price": "-5"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "price"
    assert Service.objects.get(pk=cast.service_a.pk).price == Decimal("100.00")


@pytest.mark.parametrize("actor", ["tech_a", "dentist_a1"])
def test_a_technician_or_a_customer_cannot_edit_a_service(cast, api, actor):
    response = api(getattr(cast, actor)).patch(f"/labs/lab-a/services/{cast.service_a.pk}",
                                               {"name": "Cheap crown", "price": "1.00", "task_templates": []})

    assert response.status_code == 403
    service = Service.objects.get(pk=cast.service_a.pk)
    assert (service.name, service.price) == (cast.service_a.name, Decimal("100.00"))
    assert len(templates(service)) == 3


def test_the_admin_of_another_lab_gets_404_for_its_services(cast, api):
    response = api(cast.admin_b).patch(f"/labs/lab-a/services/{cast.service_a.pk}", {"name": "Mine now"})

    assert response.status_code == 404
    assert Service.objects.get(pk=cast.service_a.pk).name == cast.service_a.name


def test_a_lab_admin_cannot_edit_another_lab_s_service_through_their_own_lab(cast, api):
    response = api(cast.admin_b).patch(f"/labs/lab-b/services/{cast.service_a.pk}", {"name": "Mine now"})

    assert response.status_code == 404
    assert Service.objects.get(pk=cast.service_a.pk).name == cast.service_a.name


def test_a_blank_template_name_is_refused_and_nothing_is_saved(cast, api):
    body = {**CROWN, "task_templates": [{"name": "Wax-up"}, {"name": "   "}]}

    response = api(cast.admin_a).post("/labs/lab-a/services", body)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "task_templates[1].name"
    assert not Service.objects.filter(name="Zirconia crown").exists()
    assert not TaskTemplate.objects.filter(name="Wax-up").exists()


def test_a_blank_template_name_on_edit_keeps_the_old_templates(cast, api):
    response = api(cast.admin_a).patch(f"/labs/lab-a/services/{cast.service_a.pk}",
                                       {"name": "Renamed", "task_templates": [{"name": " "}]})

    assert response.status_code == 422
    assert [name for _, name, _ in templates(cast.service_a)] == ["Model", "Design", "Finish"]
    assert Service.objects.get(pk=cast.service_a.pk).name == cast.service_a.name
