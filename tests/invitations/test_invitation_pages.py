"""The invitation pages: the lab admin's list, and the page the e-mail's link opens."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from crownline.customers.models import Customer
from crownline.invitations.models import Invitation
from crownline.tenancy.models import Membership
from tests.factories import PASSWORD, invite, link_token, sent_an_hour_ago

User = get_user_model()


def browser(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# ---- the lab admin's page ----------------------------------------------------------------


def test_the_admin_invites_from_the_page_and_sees_the_invitation_listed(cast):
    admin = browser(cast.admin_a)

    response = admin.post("/lab/invitations/", {"email": "nina@example.com", "role": "technician"})

    assert response.status_code == 302
    assert mail.outbox[0].to == ["nina@example.com"]
    page = admin.get("/lab/invitations/")
    assert "nina@example.com" in page.content.decode()
    assert 'aria-label="Resend to nina@example.com"' in page.content.decode()


def test_a_customer_invitation_without_a_name_is_refused_next_to_the_field(cast):
    response = browser(cast.admin_a).post("/lab/invitations/", {"email": "x@example.com", "role": "customer"})

    assert response.status_code == 422
    assert response.context["form"].errors["name"]
    assert not Invitation.objects.exists()


def test_the_page_offers_only_customers_without_a_login(cast):
    Customer.objects.create(lab=cast.lab_a, name="Dr. Paper")

    choices = dict(browser(cast.admin_a).get("/lab/invitations/").context["form"].fields["customer"].choices)

    assert set(choices.values()) == {"A new customer", "Dr. Paper"}


def test_the_admin_resends_and_revokes_from_the_page(cast):
    invitation, old = invite(cast.admin_a, cast.lab_a, "nina@example.com", role="technician")
    sent_an_hour_ago(invitation)
    admin = browser(cast.admin_a)

    assert admin.post(f"/lab/invitations/{invitation.pk}/resend/").status_code == 302
    assert link_token(mail.outbox[-1]) != old
    assert admin.post(f"/lab/invitations/{invitation.pk}/revoke/").status_code == 302

    assert Invitation.objects.get(pk=invitation.pk).revoked_at is not None
    assert list(admin.get("/lab/invitations/").context["invitations"]) == []


def test_another_lab_s_admin_gets_404_for_its_invitations_on_the_page(cast):
    invitation, _ = invite(cast.admin_a, cast.lab_a, "nina@example.com", role="technician")

    assert browser(cast.admin_b).post(f"/lab/invitations/{invitation.pk}/revoke/").status_code == 404
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None


# ---- the link's page ---------------------------------------------------------------------


def test_a_newcomer_creates_a_login_with_the_link_and_is_signed_in_to_the_lab(cast):
    _, token = invite(cast.admin_a, cast.lab_a, "nina@example.com", role="technician")
    newcomer = browser()
    assert "Create my login" in newcomer.get(f"/invitations/{token}/").content.decode()

    response = newcomer.post(f"/invitations/{token}/", {
        "username": "nina", "first_name": "Nina", "last_name": "Neu",
        "password": "a-long-password", "password_again": "a-long-password"})

    assert response.status_code == 302
    nina = User.objects.get(username="nina")
    assert (nina.email, nina.get_full_name()) == ("nina@example.com", "Nina Neu")
    assert nina.check_password("a-long-password")
    assert Membership.objects.get(user=nina).lab == cast.lab_a
    assert newcomer.get("/orders/").context["here"].lab == cast.lab_a
    assert newcomer.post(f"/invitations/{token}/", {}).status_code == 404


@pytest.mark.parametrize(("form", "field"), [
    ({"username": "tech-a", "password": "a-long-password", "password_again": "a-long-password"}, "username"),
    ({"username": "nina", "password": "short", "password_again": "short"}, "password"),
    ({"username": "nina", "password": "a-long-password", "password_again": "another-one"}, "password_again"),
    ({"username": "ni na", "password": "a-long-password", "password_again": "a-long-password"}, "username"),
])
def test_a_bad_sign_up_is_refused_next_to_the_field_and_creates_nothing(cast, form, field):
    _, token = invite(cast.admin_a, cast.lab_a, "nina@example.com", role="technician")
    users = User.objects.count()

    response = browser().post(f"/invitations/{token}/", form)

    assert response.status_code == 422
    assert response.context["form"].errors[field]
    assert User.objects.count() == users
    assert Invitation.objects.get().accepted_at is None


def test_a_signed_in_dentist_accepts_into_their_login(cast):
    _, token = invite(cast.admin_b, cast.lab_b, "a1@example.com", name="Dr. A1")
    dentist = browser(cast.dentist_a1)
    assert "Accept as dentist-a1" in dentist.get(f"/invitations/{token}/").content.decode()

    response = dentist.post(f"/invitations/{token}/")

    assert response.status_code == 302
    assert Customer.objects.get(lab=cast.lab_b, user=cast.dentist_a1).name == "Dr. A1"
    cast.dentist_a1.refresh_from_db()
    assert cast.dentist_a1.check_password(PASSWORD)
    assert dentist.get("/orders/").context["here"].lab == cast.lab_b


def test_a_refused_acceptance_shows_the_reason_and_links_nothing(cast):
    _, token = invite(cast.admin_a, cast.lab_a, "x@example.com", role="technician")

    response = browser(cast.tech_a).post(f"/invitations/{token}/")

    assert response.status_code == 409
    assert "already" in response.content.decode()
    assert Invitation.objects.get().accepted_at is None


def test_opening_an_unknown_link_gets_404_without_naming_a_lab(cast):
    response = browser().get("/invitations/" + "x" * 43 + "/")

    assert response.status_code == 404
    assert cast.lab_a.name not in response.content.decode()
