"""A lab's public sign-up page for dentists: off by default, and nothing is linked until the
e-mail address is confirmed by opening the link."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from crownline.customers.models import Customer
from crownline.invitations import registration
from crownline.invitations.models import Invitation
from crownline.tenancy.models import Lab
from tests.factories import link_token

User = get_user_model()


def open_registration(lab) -> None:
    Lab.objects.filter(pk=lab.pk).update(open_registration=True)


def test_the_page_is_404_while_the_lab_has_not_opened_it_like_a_lab_that_does_not_exist(cast):
    closed = Client().get("/register/lab-a/")
    missing = Client().get("/register/no-such-lab/")

    assert (closed.status_code, missing.status_code) == (404, 404)
    assert cast.lab_a.name not in closed.content.decode()
    assert Client().post("/register/lab-a/", {"name": "Dr. X", "email": "x@example.com"}).status_code == 404
    assert mail.outbox == []


def test_a_dentist_signs_up_and_becomes_a_customer_only_after_confirming_the_address(cast):
    open_registration(cast.lab_a)
    visitor = Client()
    assert cast.lab_a.name in visitor.get("/register/lab-a/").content.decode()

    response = visitor.post("/register/lab-a/", {"name": " Dr. Open ", "email": "open@example.com"})

    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    assert mail.outbox[0].to == ["open@example.com"]
    assert not Customer.objects.filter(name="Dr. Open").exists()
    token = link_token(mail.outbox[0])
    confirmed = visitor.post(f"/invitations/{token}/", {
        "username": "dr-open", "password": "a-long-password", "password_again": "a-long-password"})
    assert confirmed.status_code == 302
    record = Customer.objects.get(name="Dr. Open")
    assert (record.lab, record.user.username, record.email) == (cast.lab_a, "dr-open", "open@example.com")


def test_the_lab_admin_sees_the_self_registration_among_open_invitations(cast, api):
    open_registration(cast.lab_a)
    Client().post("/register/lab-a/", {"name": "Dr. Open", "email": "open@example.com"})

    listed = api(cast.admin_a).get("/labs/lab-a/invitations").json()

    assert [(i["email"], i["self_registered"], i["role"]) for i in listed] == [
        ("open@example.com", True, "customer")]


def test_bad_input_is_refused_next_to_the_field(cast):
    open_registration(cast.lab_a)

    response = Client().post("/register/lab-a/", {"name": "Dr.\x07", "email": "not-an-address"})

    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"email"}
    response = Client().post("/register/lab-a/", {"name": "Dr.\u200b", "email": "x@example.com"})
    assert response.status_code == 422
    assert response.context["form"].errors["name"]
    assert not Invitation.objects.exists()


def test_one_address_gets_a_few_links_a_day_and_the_page_looks_the_same_after(cast):
    open_registration(cast.lab_a)
    answers = [Client().post("/register/lab-a/", {"name": "Dr. X", "email": "X@example.com"})
               for _ in range(registration.MAILS_PER_EMAIL + 2)]

    assert len(mail.outbox) == registration.MAILS_PER_EMAIL
    # The same page each time (its CSRF token aside): nothing says whether a mail went out.
    assert {(a.status_code, a.context["lab"].pk, "Check your inbox" in a.content.decode()) for a in answers} == {
        (200, cast.lab_a.pk, True)}


def test_one_internet_address_is_throttled_with_429(cast):
    open_registration(cast.lab_a)
    for n in range(registration.REQUESTS_PER_ADDRESS):
        assert Client().post("/register/lab-a/", {"name": "Dr. X", "email": f"x{n}@example.com"}).status_code == 200

    response = Client().post("/register/lab-a/", {"name": "Dr. X", "email": "one-more@example.com"})

    assert response.status_code == 429
    assert len(mail.outbox) == registration.REQUESTS_PER_ADDRESS
    other = Client(REMOTE_ADDR="192.0.2.7").post("/register/lab-a/", {"name": "Dr. X", "email": "y@example.com"})
    assert other.status_code == 200
