"""Lab names people can tell apart: trimmed, printable, and unique in each person's list."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from crownline.customers.models import Customer
from crownline.tenancy.models import Lab, Membership
from crownline.tenancy.names import name_key
from tests.factories import LabFactory

User = get_user_model()


def full_width(text: str) -> str:
    """The text in full-width forms (U+FF21 for A, ...): what NFKC folds back."""
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def name_of(lab) -> str:
    return Lab.objects.get(pk=lab.pk).name


def test_a_new_name_is_stored_trimmed(cast, api):
    response = api(cast.admin_a).patch("/labs/lab-a/settings", {"name": "  Adler Dental Lab \t"})

    assert response.status_code == 200
    assert name_of(cast.lab_a) == "Adler Dental Lab"


@pytest.mark.parametrize("name", ["Adler\nLab", "Adler\x00Lab", "Adler\u200bLab", "\u202eAdler", "Adler\x7f",
                                  "Adler\u2028Lab"])
def test_a_name_with_control_or_invisible_characters_is_refused_naming_name(cast, api, name):
    response = api(cast.admin_a).patch("/labs/lab-a/settings", {"name": name})

    assert response.status_code in (400, 422)
    if response.status_code == 422:
        assert response.json()["errors"][0]["field"] == "name"
    assert name_of(cast.lab_a) == cast.lab_a.name


@pytest.mark.parametrize("look_alike", [" Demo Dental Lab", "DEMO DENTAL LAB", "demo  dental lab",
                                        full_width("Demo Dental Lab")])
def test_a_lab_cannot_take_the_name_of_another_lab_of_its_customers(cast, api, look_alike):
    """The attack of the issue: lab B renames itself like dentist A1's real lab."""
    Lab.objects.filter(pk=cast.lab_a.pk).update(name="Demo Dental Lab")
    Customer.objects.create(lab=cast.lab_b, user=cast.dentist_a1, name="Dr. A1")

    response = api(cast.admin_b).patch("/labs/lab-b/settings", {"name": look_alike})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"
    assert name_of(cast.lab_b) == cast.lab_b.name
    assert cast.lab_a.slug not in response.content.decode() and "dentist" not in response.content.decode()


def test_a_lab_cannot_take_the_name_of_another_lab_of_its_staff_even_deactivated(cast, api):
    Lab.objects.filter(pk=cast.lab_a.pk).update(name="Demo Dental Lab")
    Membership.objects.create(user=cast.tech_a, lab=cast.lab_b, role="technician")
    Membership.objects.filter(user=cast.tech_a, lab=cast.lab_a).update(is_active=False)

    response = api(cast.admin_b).patch("/labs/lab-b/settings", {"name": "Demo Dental Lab"})

    assert response.status_code == 422
    assert name_of(cast.lab_b) == cast.lab_b.name


def test_a_name_shared_with_a_lab_nobody_has_in_common_is_fine(cast, api):
    LabFactory(slug="far-away", name="Demo Dental Lab")

    assert api(cast.admin_b).patch("/labs/lab-b/settings", {"name": "Demo Dental Lab"}).status_code == 200

    assert name_of(cast.lab_b) == "Demo Dental Lab"


def test_saving_other_settings_with_the_unchanged_name_still_works(cast, api):
    """A clash from before these rules does not lock the lab's settings."""
    Lab.objects.filter(pk=cast.lab_a.pk).update(name="Same")
    Lab.objects.filter(pk=cast.lab_b.pk).update(name="same")
    Customer.objects.create(lab=cast.lab_b, user=cast.dentist_a1, name="Dr. A1")

    response = api(cast.admin_b).patch("/labs/lab-b/settings", {"name": "same", "contacts": "Main street 1"})

    assert response.status_code == 200
    assert Lab.objects.get(pk=cast.lab_b.pk).contacts == "Main street 1"


def test_the_settings_page_refuses_a_clashing_name_next_to_the_field(cast):
    Lab.objects.filter(pk=cast.lab_a.pk).update(name="Demo Dental Lab")
    Customer.objects.create(lab=cast.lab_b, user=cast.dentist_a1, name="Dr. A1")
    admin = Client()
    admin.force_login(cast.admin_b)
    form = admin.get("/lab/settings/").context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and value is not False}

    response = admin.post("/lab/settings/", {**data, "name": "demo dental lab"})

    assert response.status_code == 422
    assert response.context["form"].errors["name"]
    assert name_of(cast.lab_b) == cast.lab_b.name


def test_the_name_key_folds_case_width_and_spaces_but_keeps_other_letters():
    assert name_key(full_width(" Lab  ONE ")) == name_key("lab one")
    assert name_key("Straße") == name_key("STRASSE")
    assert name_key("Lab One") != name_key("Lab Two")
