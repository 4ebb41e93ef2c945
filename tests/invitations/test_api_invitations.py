"""The lab admin invites people by e-mail, lists, resends and revokes invitations, over the API."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from crownline.customers.models import Customer
from crownline.invitations import services
from crownline.invitations.models import Invitation, token_digest
from crownline.tenancy.models import Membership
from tests.factories import invite, link_token, sent_an_hour_ago

User = get_user_model()


def test_the_lab_admin_invites_a_technician_who_gets_a_link_and_is_not_linked_yet(cast, api, settings):
    settings.CROWNLINE_BASE_URL = "https://lab.example.com"

    response = api(cast.admin_a).post("/labs/lab-a/invitations", {"email": " nina@example.com ", "role": "technician"})

    assert response.status_code == 201
    body = response.json()
    assert (body["email"], body["role"], body["status"], body["self_registered"]) == (
        "nina@example.com", "technician", "pending", False)
    assert body["sent_at"] is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nina@example.com"]
    assert cast.lab_a.name in message.subject
    assert f"https://lab.example.com/invitations/{link_token(message)}/" in message.body
    assert Membership.objects.filter(lab=cast.lab_a).count() == 2


def test_the_invitation_expires_after_the_configured_days(cast, api, settings):
    settings.CROWNLINE_INVITATION_DAYS = 3

    body = api(cast.admin_a).post("/labs/lab-a/invitations", {"email": "nina@example.com", "role": "technician"}).json()

    invitation = Invitation.objects.get(pk=body["id"])
    assert round((invitation.expires_at - invitation.created_at).total_seconds() / 86400) == 3


def test_only_a_keyed_hash_of_the_link_s_token_is_stored(cast):
    invitation, token = invite(cast.admin_a, cast.lab_a)

    stored = Invitation.objects.get(pk=invitation.pk)
    assert stored.token_hash == token_digest(token)
    for value in Invitation.objects.values().get(pk=invitation.pk).values():
        assert token not in str(value)


def test_the_answer_is_the_same_whether_or_not_the_address_belongs_to_a_login(cast, api):
    """Nothing tells lab B whether dentist A1's address is known anywhere."""
    User.objects.filter(pk=cast.dentist_a1.pk).update(email="a1@clinic.example", first_name="Secret", last_name="Name")
    client = api(cast.admin_b)

    known = client.post("/labs/lab-b/invitations", {"email": "a1@clinic.example", "name": "Dr. A"})
    unknown = client.post("/labs/lab-b/invitations", {"email": "nobody@clinic.example", "name": "Dr. A"})

    assert (known.status_code, unknown.status_code) == (201, 201)
    strip = {"id", "email", "created_at", "expires_at", "sent_at"}
    assert {k: v for k, v in known.json().items() if k not in strip} == {
        k: v for k, v in unknown.json().items() if k not in strip}
    listed = client.get("/labs/lab-b/invitations").content.decode()
    assert "Secret" not in listed and "dentist-a1" not in listed
    assert not Customer.objects.filter(lab=cast.lab_b, user=cast.dentist_a1).exists()


def test_the_lab_admin_invites_a_new_customer_by_name(cast, api):
    response = api(cast.admin_a).post("/labs/lab-a/invitations", {"email": "dr.new@example.com", "name": " Dr. New "})

    assert response.status_code == 201
    assert (response.json()["role"], response.json()["name"], response.json()["customer"]) == (
        "customer", "Dr. New", None)
    assert not Customer.objects.filter(name="Dr. New").exists()


def test_the_lab_admin_invites_an_existing_customer_record_without_a_login(cast, api):
    paper = Customer.objects.create(lab=cast.lab_a, name="Dr. Paper")

    response = api(cast.admin_a).post("/labs/lab-a/invitations", {"email": "paper@example.com", "customer": paper.pk})

    assert response.status_code == 201
    assert (response.json()["customer"], response.json()["name"]) == (paper.pk, "Dr. Paper")


@pytest.mark.parametrize(("body", "field"), [
    ({"email": "not-an-address", "role": "technician"}, "email"),
    ({"email": "x@example.com", "role": "owner"}, "role"),
    ({"email": "x@example.com", "role": "customer"}, "name"),
    ({"email": "x@example.com", "role": "customer", "name": "Dr.\u202eX"}, "name"),
    ({"email": "x@example.com", "role": "technician", "customer": 1}, "customer"),
    ({"email": "x@example.com", "customer": 2**63}, "customer"),
    ({"email": "x@example.com", "role": "technician", "username": "tech-a"}, "username"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_sent(cast, api, body, field):
    response = api(cast.admin_a).post("/labs/lab-a/invitations", body)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_customer_record_of_another_lab_or_with_a_login_cannot_be_invited(cast, api):
    foreign = Customer.objects.create(lab=cast.lab_b, name="Dr. Elsewhere")
    client = api(cast.admin_a)

    for record in (foreign, cast.customer_a1):
        response = client.post("/labs/lab-a/invitations", {"email": "x@example.com", "customer": record.pk})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "customer"
    assert not Invitation.objects.exists()


def test_inviting_an_address_twice_while_the_first_is_open_is_a_conflict(cast, api):
    invite(cast.admin_a, cast.lab_a, "nina@example.com", role="technician")

    response = api(cast.admin_a).post("/labs/lab-a/invitations", {"email": "NINA@example.com", "role": "lab_admin"})

    assert response.status_code == 409
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize("actor", ["tech_a", "dentist_a1"])
def test_only_the_lab_admin_invites_and_lists(cast, api, actor):
    client = api(getattr(cast, actor))

    assert client.post("/labs/lab-a/invitations", {"email": "x@example.com", "role": "technician"}).status_code == 403
    assert client.get("/labs/lab-a/invitations").status_code == 403
    assert not Invitation.objects.exists()


def test_the_admin_lists_open_invitations_newest_first_without_accepted_or_revoked_ones(cast, api):
    first, _ = invite(cast.admin_a, cast.lab_a, "first@example.com", role="technician")
    revoked, _ = invite(cast.admin_a, cast.lab_a, "revoked@example.com", role="technician")
    _, token = invite(cast.admin_a, cast.lab_a, "accepted@example.com", role="technician")
    invite(cast.admin_b, cast.lab_b, "other-lab@example.com", role="technician")
    client = api(cast.admin_a)
    assert client.delete(f"/labs/lab-a/invitations/{revoked.pk}").status_code == 204
    assert api(cast.admin_b).post(f"/invitations/{token}/accept").status_code == 200
    invite(cast.admin_a, cast.lab_a, "last@example.com", name="Dr. Last")

    listed = client.get("/labs/lab-a/invitations").json()

    assert [(i["email"], i["status"]) for i in listed] == [("last@example.com", "pending"),
                                                            ("first@example.com", "pending")]
    Invitation.objects.filter(pk=first.pk).update(expires_at=first.created_at)
    assert client.get("/labs/lab-a/invitations").json()[1]["status"] == "expired"


def test_resending_mails_a_new_link_and_the_old_link_stops_working(cast, api):
    invitation, old = invite(cast.admin_a, cast.lab_a, "nina@example.com", role="technician")
    sent_an_hour_ago(invitation)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=invitation.created_at)

    response = api(cast.admin_a).post(f"/labs/lab-a/invitations/{invitation.pk}/resend")

    assert response.status_code == 200
    assert response.json()["status"] == "pending"
    new = link_token(mail.outbox[-1])
    assert new != old
    nina = User.objects.create_user("nina", password="a-long-password")
    assert api(nina).post(f"/invitations/{old}/accept").status_code == 404
    assert api(nina).post(f"/invitations/{new}/accept").status_code == 200


def test_a_revoked_invitation_s_link_no_longer_works(cast, api):
    invitation, token = invite(cast.admin_a, cast.lab_a, "x@example.com", role="technician")

    assert api(cast.admin_a).delete(f"/labs/lab-a/invitations/{invitation.pk}").status_code == 204

    assert api(cast.admin_b).post(f"/invitations/{token}/accept").status_code == 404
    assert not Membership.objects.filter(user=cast.admin_b, lab=cast.lab_a).exists()
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is not None
    assert api(cast.admin_a).delete(f"/labs/lab-a/invitations/{invitation.pk}").status_code == 404
    assert api(cast.admin_a).post(f"/labs/lab-a/invitations/{invitation.pk}/resend").status_code == 404


def test_an_accepted_invitation_cannot_be_revoked_or_resent(cast, api):
    invitation, token = invite(cast.admin_a, cast.lab_a, "x@example.com", role="technician")
    api(cast.admin_b).post(f"/invitations/{token}/accept")

    assert api(cast.admin_a).delete(f"/labs/lab-a/invitations/{invitation.pk}").status_code == 409
    assert api(cast.admin_a).post(f"/labs/lab-a/invitations/{invitation.pk}/resend").status_code == 409


def test_another_lab_s_admin_cannot_see_resend_or_revoke_a_lab_s_invitations(cast, api):
    invitation, _ = invite(cast.admin_a, cast.lab_a, "x@example.com", role="technician")
    sent = len(mail.outbox)
    intruder = api(cast.admin_b)

    assert intruder.get("/labs/lab-a/invitations").status_code == 404
    assert intruder.delete(f"/labs/lab-a/invitations/{invitation.pk}").status_code == 404
    assert intruder.delete(f"/labs/lab-b/invitations/{invitation.pk}").status_code == 404
    assert intruder.post(f"/labs/lab-b/invitations/{invitation.pk}/resend").status_code == 404
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None
    assert len(mail.outbox) == sent


def test_a_mail_server_that_fails_leaves_the_invitation_open_and_unsent(cast, api, settings):
    settings.EMAIL_BACKEND = "tests.invitations.broken_mail.EmailBackend"

    response = api(cast.admin_a).post("/labs/lab-a/invitations", {"email": "x@example.com", "role": "technician"})

    assert response.status_code == 201
    assert response.json()["sent_at"] is None
    assert api(cast.admin_a).get("/labs/lab-a/invitations").json()[0]["sent_at"] is None


def test_an_invitation_is_resent_at_most_once_a_minute(cast, api):
    invitation, _ = invite(cast.admin_a, cast.lab_a, "nina@example.com", role="technician")
    sent = len(mail.outbox)

    response = api(cast.admin_a).post(f"/labs/lab-a/invitations/{invitation.pk}/resend")

    assert response.status_code == 429
    assert len(mail.outbox) == sent
    assert Invitation.objects.get(pk=invitation.pk).token_hash == invitation.token_hash


def test_a_lab_sends_a_bounded_number_of_invitations_a_day(cast, api, monkeypatch):
    monkeypatch.setattr(services, "INVITATIONS_PER_LAB_PER_DAY", 2)
    client, colleague = api(cast.admin_a), {"email": "x@example.com", "role": "technician"}
    for n in range(2):
        assert client.post("/labs/lab-a/invitations", {**colleague, "email": f"x{n}@example.com"}).status_code == 201

    response = client.post("/labs/lab-a/invitations", colleague)

    assert response.status_code == 429
    assert Invitation.objects.count() == 2
    assert api(cast.admin_b).post("/labs/lab-b/invitations", colleague).status_code == 201
