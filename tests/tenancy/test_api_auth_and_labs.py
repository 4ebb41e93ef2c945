"""Signing in, the caller's labs, lab settings and the lab's team, over the API."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from crownline.tenancy.models import ApiToken, Lab, Membership
from tests.factories import PASSWORD, invite, make_order

User = get_user_model()


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def sign_in(api, username: str, password: str = PASSWORD):
    return api().post("/auth/token", {"username": username, "password": password})


# ---- tokens --------------------------------------------------------------------------------


def test_a_technician_signs_in_with_the_right_password_and_the_token_works(cast, api, order_in):
    order = order_in("published")

    response = sign_in(api, "tech-a")

    assert response.status_code == 200
    token = response.json()["token"]
    assert ApiToken.objects.filter(user=cast.tech_a).count() == 1
    orders = api().get("/orders", **bearer(token))
    assert orders.status_code == 200
    assert [o["number"] for o in orders.json()["items"]] == [order.number]


def test_a_wrong_password_gets_401_and_no_token(cast, api):
    response = sign_in(api, "tech-a", "not-the-password")

    assert response.status_code == 401
    assert "token" not in response.json()
    assert not ApiToken.objects.filter(user=cast.tech_a).exists()


def test_an_unknown_username_gets_401(cast, api):
    assert sign_in(api, "nobody-here").status_code == 401
    assert not ApiToken.objects.exists()


def test_an_inactive_user_cannot_sign_in(cast, api):
    User.objects.filter(pk=cast.tech_a.pk).update(is_active=False)

    response = sign_in(api, "tech-a")

    assert response.status_code == 401
    assert not ApiToken.objects.filter(user=cast.tech_a).exists()


def test_the_token_of_a_user_deactivated_later_stops_working(cast, api):
    token = sign_in(api, "tech-a").json()["token"]
    User.objects.filter(pk=cast.tech_a.pk).update(is_active=False)

    assert api().get("/orders", **bearer(token)).status_code == 401


def test_a_made_up_token_gets_401(cast, api):
    response = api().get("/orders", **bearer("made-up-token"))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_tokens_are_stored_only_as_their_hash(cast, api):
    token = sign_in(api, "dentist-a1").json()["token"]

    stored = ApiToken.objects.get(user=cast.dentist_a1)
    assert stored.key_hash == hashlib.sha256(token.encode()).hexdigest()
    for row in ApiToken.objects.values():
        assert all(token not in str(value) for value in row.values())
    assert not ApiToken.objects.filter(key_hash__contains=token).exists()


def test_each_sign_in_issues_a_new_token(cast, api):
    first = sign_in(api, "tech-a").json()["token"]
    second = sign_in(api, "tech-a").json()["token"]

    assert first != second
    assert ApiToken.objects.filter(user=cast.tech_a).count() == 2
    assert api().get("/labs", **bearer(first)).status_code == 200
    assert api().get("/labs", **bearer(second)).status_code == 200


# ---- the caller's labs ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "expected"),
    [("admin_a", [("lab-a", "lab_admin")]), ("tech_a", [("lab-a", "technician")]),
     ("dentist_a1", [("lab-a", "customer")]), ("admin_b", [("lab-b", "lab_admin")])],
)
def test_each_person_sees_their_labs_with_their_role(cast, api, actor, expected):
    response = api(getattr(cast, actor)).get("/labs")

    assert response.status_code == 200
    assert [(lab["slug"], lab["role"]) for lab in response.json()] == expected
    assert response.json()[0]["currency"] == "EUR"


def test_a_person_on_two_labs_sees_each_with_its_own_role(cast, api):
    Membership.objects.create(user=cast.tech_a, lab=cast.lab_b, role="lab_admin")

    body = api(cast.tech_a).get("/labs").json()

    assert sorted((lab["slug"], lab["role"]) for lab in body) == [("lab-a", "technician"), ("lab-b", "lab_admin")]


def test_an_anonymous_caller_is_asked_to_sign_in_for_labs(cast, api):
    assert api().get("/labs").status_code == 401


# ---- lab settings --------------------------------------------------------------------------


def test_the_lab_admin_reads_the_lab_settings(cast, api):
    response = api(cast.admin_a).get("/labs/lab-a/settings")

    assert response.status_code == 200
    body = response.json()
    assert (body["slug"], body["currency"], body["time_zone"]) == ("lab-a", "EUR", "Europe/Berlin")
    assert body["payment_instructions"] == cast.lab_a.payment_instructions
    assert body["plan_work_on_publish"] is False


def test_the_lab_admin_changes_the_lab_settings(cast, api):
    cast.lab_a.services.all().delete()  # nothing priced yet: the currency may change (test_currency_change.py)
    response = api(cast.admin_a).patch("/labs/lab-a/settings", {
        "name": "Adler Dental Lab", "currency": "chf", "time_zone": "Europe/Zurich",
        "payment_instructions": "IBAN CH93 0076 2011 6238 5295 7", "plan_work_on_publish": True,
        "contacts": "Bahnhofstrasse 1, Zürich",
    })

    assert response.status_code == 200
    assert (response.json()["currency"], response.json()["time_zone"]) == ("CHF", "Europe/Zurich")
    lab = Lab.objects.get(pk=cast.lab_a.pk)
    assert (lab.name, lab.currency, lab.time_zone, lab.plan_work_on_publish) == (
        "Adler Dental Lab", "CHF", "Europe/Zurich", True)
    assert (lab.payment_instructions, lab.contacts) == ("IBAN CH93 0076 2011 6238 5295 7", "Bahnhofstrasse 1, Zürich")


def test_a_settings_patch_changes_only_the_fields_sent(cast, api):
    Lab.objects.filter(pk=cast.lab_a.pk).update(plan_work_on_publish=True)

    response = api(cast.admin_a).patch("/labs/lab-a/settings", {"plan_work_on_publish": False})

    assert response.status_code == 200
    lab = Lab.objects.get(pk=cast.lab_a.pk)
    assert lab.plan_work_on_publish is False
    assert (lab.currency, lab.time_zone, lab.name) == ("EUR", "Europe/Berlin", cast.lab_a.name)


@pytest.mark.parametrize("time_zone", ["Mars/Olympus_Mons", "europe/berlin", ""])
def test_an_unknown_time_zone_is_refused_naming_time_zone(cast, api, time_zone):
    response = api(cast.admin_a).patch("/labs/lab-a/settings", {"time_zone": time_zone, "name": "Renamed"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "time_zone"
    lab = Lab.objects.get(pk=cast.lab_a.pk)
    assert (lab.time_zone, lab.name) == ("Europe/Berlin", cast.lab_a.name)


def test_a_blank_lab_name_is_refused(cast, api):
    response = api(cast.admin_a).patch("/labs/lab-a/settings", {"name": "   "})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"
    assert Lab.objects.get(pk=cast.lab_a.pk).name == cast.lab_a.name


@pytest.mark.parametrize("currency", ["E1R", "EURO", "EU", "€€€", "ÄÖÜ"])
def test_a_currency_that_is_not_three_letters_is_refused(cast, api, currency):
    response = api(cast.admin_a).patch("/labs/lab-a/settings", {"currency": currency})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "currency"
    assert Lab.objects.get(pk=cast.lab_a.pk).currency == "EUR"


@pytest.mark.parametrize("actor", ["tech_a", "dentist_a1"])
def test_a_technician_or_a_customer_cannot_read_or_change_lab_settings(cast, api, actor):
    client = api(getattr(cast, actor))

    assert client.get("/labs/lab-a/settings").status_code == 403
    assert client.patch("/labs/lab-a/settings", {"currency": "USD"}).status_code == 403
    assert Lab.objects.get(pk=cast.lab_a.pk).currency == "EUR"


@pytest.mark.parametrize("actor", ["admin_b", "dentist_b"])
def test_people_of_another_lab_get_404_for_its_settings(cast, api, actor):
    client = api(getattr(cast, actor))

    assert client.get("/labs/lab-a/settings").status_code == 404
    assert client.patch("/labs/lab-a/settings", {"currency": "USD"}).status_code == 404
    assert Lab.objects.get(pk=cast.lab_a.pk).currency == "EUR"


# ---- the team ------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["admin_a", "tech_a"])
def test_the_lab_team_lists_its_members(cast, api, actor):
    response = api(getattr(cast, actor)).get("/labs/lab-a/members")

    assert response.status_code == 200
    assert [(m["id"], m["username"], m["role"], m["is_active"]) for m in response.json()] == [
        (cast.admin_a.pk, "admin-a", "lab_admin", True), (cast.tech_a.pk, "tech-a", "technician", True)]


def test_the_admin_of_another_lab_gets_404_for_its_members(cast, api):
    response = api(cast.admin_b).get("/labs/lab-a/members")

    assert response.status_code == 404
    assert "tech-a" not in response.content.decode()


def test_no_lab_can_put_an_existing_login_on_its_team(cast, api):
    """The hole of issue 11: lab B's admin linked tech A by username, with no consent. Team
    members join by invitation now; the endpoint that linked a username is gone."""
    response = api(cast.admin_b).post("/labs/lab-b/members", {
        "username": "tech-a", "password": "another-password", "role": "lab_admin",
    })

    assert response.status_code == 405
    assert "tech-a" not in response.content.decode()
    assert not Membership.objects.filter(user=cast.tech_a, lab=cast.lab_b).exists()
    cast.tech_a.refresh_from_db()
    assert cast.tech_a.check_password(PASSWORD)


def test_a_new_colleague_joins_by_invitation_and_then_sees_the_lab_s_orders(cast, api, order_in):
    order = order_in("published")
    _, token = invite(cast.admin_a, cast.lab_a, "nina@example.com", role="technician")
    nina = User.objects.create_user("nina", password="a-long-password")

    assert api(nina).post(f"/invitations/{token}/accept").status_code == 200

    assert Membership.objects.get(user=nina).role == "technician"
    assert [o["number"] for o in api(nina).get("/orders").json()["items"]] == [order.number]


def test_a_deactivated_technician_s_token_ends_and_signing_in_anew_shows_no_lab_orders(cast, api, order_in):
    order = order_in("production")
    old_token = api(cast.tech_a)
    assert old_token.get("/orders").json()["count"] == 1

    response = api(cast.admin_a).patch(f"/labs/lab-a/members/{cast.tech_a.pk}", {"is_active": False})

    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert Membership.objects.get(user=cast.tech_a, lab=cast.lab_a).is_active is False
    assert old_token.get("/orders").status_code == 401  # tokens end on deactivation (tests/tenancy/test_tokens.py)
    tech = api(cast.tech_a)
    assert tech.get("/labs").status_code == 200
    assert tech.get("/labs").json() == []
    listed = tech.get("/orders")
    assert listed.status_code == 200
    assert (listed.json()["count"], listed.json()["items"]) == (0, [])
    assert tech.get(f"/orders/{order.number}").status_code == 404
    assert tech.get(f"/orders/{order.number}/tasks").status_code == 404
    assert tech.post(f"/orders/{order.number}/tasks", {"name": "Sneak in"}).status_code == 404
    assert not order.tasks.filter(name="Sneak in").exists()


def test_a_reactivated_technician_sees_the_lab_s_orders_again(cast, api, order_in):
    order = order_in("published")
    Membership.objects.filter(user=cast.tech_a).update(is_active=False)

    response = api(cast.admin_a).patch(f"/labs/lab-a/members/{cast.tech_a.pk}", {"is_active": True})

    assert response.status_code == 200
    assert Membership.objects.get(user=cast.tech_a).is_active is True
    assert api(cast.tech_a).get(f"/orders/{order.number}").status_code == 200


def test_deactivated_members_stay_on_the_team_list(cast, api):
    Membership.objects.filter(user=cast.tech_a).update(is_active=False)

    members = api(cast.admin_a).get("/labs/lab-a/members").json()

    assert [(m["username"], m["is_active"]) for m in members] == [("admin-a", True), ("tech-a", False)]


def test_a_lab_admin_cannot_deactivate_themselves(cast, api):
    response = api(cast.admin_a).patch(f"/labs/lab-a/members/{cast.admin_a.pk}", {"is_active": False})

    assert response.status_code == 409
    assert Membership.objects.get(user=cast.admin_a).is_active is True


def test_a_technician_cannot_deactivate_a_colleague(cast, api):
    response = api(cast.tech_a).patch(f"/labs/lab-a/members/{cast.admin_a.pk}", {"is_active": False})

    assert response.status_code == 403
    assert Membership.objects.get(user=cast.admin_a).is_active is True


def test_a_lab_admin_cannot_deactivate_a_member_of_another_lab(cast, api):
    response = api(cast.admin_a).patch(f"/labs/lab-a/members/{cast.admin_b.pk}", {"is_active": False})

    assert response.status_code == 404
    assert Membership.objects.get(user=cast.admin_b).is_active is True
    assert api(cast.admin_b).patch(f"/labs/lab-a/members/{cast.tech_a.pk}", {"is_active": False}).status_code == 404
    assert Membership.objects.get(user=cast.tech_a).is_active is True


# ---- the browser session -------------------------------------------------------------------


def test_a_browser_session_works_on_get_endpoints(cast, order_in):
    order = order_in("production")
    browser = Client()
    browser.force_login(cast.tech_a)

    assert browser.get("/api/v1/orders").json()["items"][0]["number"] == order.number
    assert browser.get(f"/api/v1/orders/{order.number}").status_code == 200
    assert [t["name"] for t in browser.get(f"/api/v1/orders/{order.number}/tasks").json()] == [
        "Model", "Design", "Finish"]
    assert browser.get("/api/v1/labs").json()[0]["role"] == "technician"


def test_a_browser_session_without_the_csrf_token_cannot_change_anything(cast, order_in):
    order = order_in("production")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.tech_a)

    response = browser.post(f"/api/v1/orders/{order.number}/tasks", '{"name": "Forged"}',
                            content_type="application/json")

    assert response.status_code == 403
    assert not order.tasks.filter(name="Forged").exists()


def test_a_browser_session_of_another_lab_gets_404(cast, order_in):
    order = order_in("production")
    browser = Client()
    browser.force_login(cast.admin_b)

    assert browser.get(f"/api/v1/orders/{order.number}").status_code == 404
    assert browser.get("/api/v1/orders").json()["count"] == 0


def test_an_order_of_lab_b_stays_hidden_from_lab_a_staff(cast, api):
    order = make_order(cast.admin_b, cast.customer_b, status="published", service=cast.service_b)

    assert api(cast.admin_a).get(f"/orders/{order.number}").status_code == 404
    assert api(cast.tech_a).get("/orders").json()["count"] == 0
