"""Only the person holding the link links themselves to a lab, once, before it expires."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from crownline.audit.models import AuditEntry
from crownline.customers.models import Customer
from crownline.invitations.models import Invitation
from crownline.tenancy.models import Lab, Membership
from tests.factories import LabFactory, invite

User = get_user_model()


def full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def test_a_dentist_accepts_a_customer_invitation_and_sees_both_labs(cast, api):
    _, token = invite(cast.admin_b, cast.lab_b, "a1@example.com", name="Dr. A1 in B")

    response = api(cast.dentist_a1).post(f"/invitations/{token}/accept")

    assert response.status_code == 200
    assert response.json() == {"lab": "lab-b", "lab_name": cast.lab_b.name, "role": "customer"}
    record = Customer.objects.get(lab=cast.lab_b, user=cast.dentist_a1)
    assert (record.name, record.email) == ("Dr. A1 in B", "a1@example.com")
    labs = api(cast.dentist_a1).get("/labs").json()
    assert sorted((lab["slug"], lab["role"]) for lab in labs) == [("lab-a", "customer"), ("lab-b", "customer")]


def test_accepting_links_the_existing_customer_record(cast, api):
    paper = Customer.objects.create(lab=cast.lab_b, name="Dr. Paper")
    _, token = invite(cast.admin_b, cast.lab_b, "paper@example.com", customer=paper.pk)

    assert api(cast.dentist_a1).post(f"/invitations/{token}/accept").status_code == 200

    paper.refresh_from_db()
    assert paper.user == cast.dentist_a1
    assert Customer.objects.filter(lab=cast.lab_b).count() == 2


@pytest.mark.parametrize("role", ["technician", "lab_admin"])
def test_a_colleague_accepts_a_team_invitation_with_its_role(cast, api, role):
    _, token = invite(cast.admin_b, cast.lab_b, "tech@example.com", role=role)

    assert api(cast.tech_a).post(f"/invitations/{token}/accept").json()["role"] == role

    assert Membership.objects.get(user=cast.tech_a, lab=cast.lab_b).role == role


def test_a_link_works_once(cast, api):
    _, token = invite(cast.admin_b, cast.lab_b, "a1@example.com", role="technician")
    assert api(cast.dentist_a1).post(f"/invitations/{token}/accept").status_code == 200

    response = api(cast.dentist_a2).post(f"/invitations/{token}/accept")

    assert response.status_code == 404
    assert not Membership.objects.filter(user=cast.dentist_a2).exists()


def test_an_expired_link_is_refused_like_an_unknown_one(cast, api):
    invitation, token = invite(cast.admin_b, cast.lab_b, "a1@example.com", role="technician")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=invitation.created_at)

    expired = api(cast.dentist_a1).post(f"/invitations/{token}/accept")
    unknown = api(cast.dentist_a1).post(f"/invitations/{'x' * 43}/accept")

    assert (expired.status_code, unknown.status_code) == (404, 404)
    assert expired.json() == unknown.json()
    assert not Membership.objects.filter(user=cast.dentist_a1).exists()


@pytest.mark.parametrize("token", ["short", "x" * 101, "not/a/token" + "x" * 20, "²" * 30])
def test_a_malformed_token_is_refused_without_a_500(cast, api, token):
    response = api(cast.dentist_a1).post(f"/invitations/{token}/accept")

    assert response.status_code in (404, 422)


def test_an_anonymous_caller_must_sign_in_to_accept_over_the_api(cast, api):
    _, token = invite(cast.admin_b, cast.lab_b, "a1@example.com", role="technician")

    assert api().post(f"/invitations/{token}/accept").status_code == 401
    assert Invitation.objects.get().accepted_at is None


@pytest.mark.parametrize("actor", ["admin_a", "tech_a", "dentist_a1"])
def test_someone_already_in_the_lab_cannot_accept_into_it_again(cast, api, actor):
    _, token = invite(cast.admin_a, cast.lab_a, "again@example.com", name="Dr. Again")

    response = api(getattr(cast, actor)).post(f"/invitations/{token}/accept")

    assert response.status_code == 409
    assert Invitation.objects.get().accepted_at is None
    assert not Customer.objects.filter(name="Dr. Again").exists()


def test_a_customer_record_someone_else_took_meanwhile_is_a_conflict(cast, api):
    paper = Customer.objects.create(lab=cast.lab_b, name="Dr. Paper")
    _, token = invite(cast.admin_b, cast.lab_b, "paper@example.com", customer=paper.pk)
    Customer.objects.filter(pk=paper.pk).update(user=cast.dentist_a2)

    assert api(cast.dentist_a1).post(f"/invitations/{token}/accept").status_code == 409
    assert Customer.objects.get(pk=paper.pk).user == cast.dentist_a2


@pytest.mark.parametrize("look_alike", [" lab one ", "LAB ONE", full_width("Lab One"), "Lab  One"])
def test_an_invitation_from_a_lab_named_like_one_of_the_person_s_labs_is_refused(cast, api, look_alike):
    Lab.objects.filter(pk=cast.lab_a.pk).update(name="Lab One")
    impostor = LabFactory(slug="impostor", name=look_alike)
    admin = Membership.objects.create(user=User.objects.create_user("imp"), lab=impostor, role="lab_admin").user
    _, token = invite(admin, impostor, "a1@example.com")

    response = api(cast.dentist_a1).post(f"/invitations/{token}/accept")

    assert response.status_code == 409
    assert "Lab One" in response.json()["detail"]
    assert not Customer.objects.filter(lab=impostor).exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_refused_acceptance_is_audited_without_the_link_s_token(cast, api):
    """The link still works after a refusal: the audit log must not hand it to whoever reads it."""
    _, token = invite(cast.admin_a, cast.lab_a, "x@example.com", role="technician")

    assert api(cast.tech_a).post(f"/invitations/{token}/accept").status_code == 409

    entry = AuditEntry.objects.get(status_code=409)
    assert entry.path == "/api/v1/invitations/…/accept"
    assert not AuditEntry.objects.filter(path__contains=token).exists()
