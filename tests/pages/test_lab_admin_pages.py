"""Lab admin pages: settings, team, services with task templates, customers — for the admin only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crownline.catalog.models import Service
from crownline.customers.models import Customer
from crownline.tenancy.models import Lab, Membership

pytestmark = pytest.mark.django_db

PAGES = ["/lab/settings/", "/lab/team/", "/lab/services/", "/lab/services/new/", "/lab/customers/",
         "/lab/invitations/"]


@pytest.mark.parametrize("path", PAGES)
def test_only_the_lab_admin_opens_the_admin_pages(cast, browser_as, path):
    assert browser_as(cast.admin_a).get(path).status_code == 200
    assert browser_as(cast.tech_a).get(path).status_code == 403
    assert browser_as(cast.dentist_a1).get(path).status_code == 403


def test_a_technician_posting_the_settings_form_changes_nothing(cast, browser_as):
    response = browser_as(cast.tech_a).post("/lab/settings/", {"name": "Hijacked", "currency": "USD",
                                                               "time_zone": "UTC"})
    assert response.status_code == 403
    assert Lab.objects.get(pk=cast.lab_a.pk).name != "Hijacked"


def settings_data(**overrides) -> dict:
    data = {"name": "Lab A", "currency": "chf", "time_zone": "Europe/Zurich",
            "payment_instructions": "IBAN CH00", "plan_work_on_publish": "on", "contacts": "", "paper_size": "a4"}
    data.update(overrides)
    return data


def test_the_admin_saves_the_settings(cast, browser_as):
    cast.lab_a.services.all().delete()  # nothing priced yet: the currency may change (test_currency_change.py)
    assert browser_as(cast.admin_a).post("/lab/settings/", settings_data()).status_code == 302
    lab = Lab.objects.get(pk=cast.lab_a.pk)
    assert (lab.currency, lab.time_zone, lab.payment_instructions, lab.plan_work_on_publish) == (
        "CHF", "Europe/Zurich", "IBAN CH00", True
    )


def test_an_unknown_time_zone_is_shown_next_to_the_field(cast, browser_as):
    response = browser_as(cast.admin_a).post("/lab/settings/", settings_data(time_zone="Mars/Olympus"))
    assert response.status_code == 422
    assert response.context["form"].errors["time_zone"]
    assert Lab.objects.get(pk=cast.lab_a.pk).time_zone == cast.lab_a.time_zone


def test_the_admin_deactivates_a_technician(cast, browser_as):
    client = browser_as(cast.admin_a)
    assert client.post(f"/lab/team/{cast.tech_a.pk}/active/", {"active": "0"}).status_code == 302
    assert not Membership.objects.get(lab=cast.lab_a, user=cast.tech_a).is_active


def test_the_team_page_adds_nobody_and_points_to_invitations(cast, browser_as):
    """Issue 11: the team form linked any existing login by its username, with no consent."""
    client = browser_as(cast.admin_b)
    assert 'href="/lab/invitations/"' in client.get("/lab/team/").content.decode()

    response = client.post("/lab/team/", {"username": "tech-a", "password": "", "role": "lab_admin"})

    assert response.status_code == 405
    assert not Membership.objects.filter(lab=cast.lab_b, user=cast.tech_a).exists()


def test_the_admin_cannot_deactivate_themselves(cast, browser_as):
    client = browser_as(cast.admin_a)
    response = client.post(f"/lab/team/{cast.admin_a.pk}/active/", {"active": "0"}, follow=True)
    assert "You cannot deactivate yourself." in response.content.decode()
    assert Membership.objects.get(lab=cast.lab_a, user=cast.admin_a).is_active


def test_the_admin_creates_a_service_with_ordered_task_templates(cast, browser_as):
    response = browser_as(cast.admin_a).post("/lab/services/new/", {
        "name": "Inlay", "group": "Crowns", "price": "80.00", "is_active": "on",
        "templates": "Model | 5\nPress | 7.50\n\nGlaze",
    })
    assert response.status_code == 302
    service = Service.objects.get(lab=cast.lab_a, name="Inlay")
    assert [(t.name, t.default_pay) for t in service.task_templates.all()] == [
        ("Model", Decimal("5")), ("Press", Decimal("7.50")), ("Glaze", Decimal("0"))
    ]


def test_a_bad_pay_in_the_templates_is_a_form_error(cast, browser_as):
    response = browser_as(cast.admin_a).post("/lab/services/new/", {
        "name": "Inlay", "price": "80.00", "templates": "Model | lots",
    })
    assert response.status_code == 422
    assert not Service.objects.filter(name="Inlay").exists()


def test_a_duplicate_service_name_is_refused(cast, browser_as):
    response = browser_as(cast.admin_a).post("/lab/services/new/", {"name": cast.service_a.name, "price": "1"})
    assert response.status_code == 422
    assert "already has a service called" in response.content.decode()


def test_the_admin_edits_a_service_of_their_lab_only(cast, browser_as):
    client = browser_as(cast.admin_a)
    assert client.get(f"/lab/services/{cast.service_b.pk}/").status_code == 404
    response = client.post(f"/lab/services/{cast.service_a.pk}/", {
        "name": cast.service_a.name, "price": "120.00", "is_active": "on", "templates": "One | 1",
    })
    assert response.status_code == 302
    service = Service.objects.get(pk=cast.service_a.pk)
    assert service.price == Decimal("120.00")
    assert [t.name for t in service.task_templates.all()] == ["One"]


def test_the_admin_adds_a_customer_record_and_a_clinic_but_no_login(cast, browser_as):
    """Issue 11: the customer form linked any existing login by its username; a login now
    comes only by invitation, and a username sent anyway is ignored like any unknown field."""
    client = browser_as(cast.admin_b)
    response = client.post("/lab/customers/", {"name": "Dr. New", "username": "dentist-a1", "password": ""})
    assert response.status_code == 302
    customer = Customer.objects.get(lab=cast.lab_b, name="Dr. New")
    assert customer.user is None
    assert not Customer.objects.filter(lab=cast.lab_b, user=cast.dentist_a1).exists()
    assert client.post("/lab/customers/", {"clinic_name": "Smile Clinic"}).status_code == 302
    assert cast.lab_b.clinics.get().name == "Smile Clinic"
