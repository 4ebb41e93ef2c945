"""The account pages: setting two-factor sign-in up and off, recovery codes, the token list, the
password change."""

from __future__ import annotations

import re

from django.test import Client, override_settings
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from crownline.accounts import two_factor
from crownline.tenancy.models import ApiToken, Lab, TokenEnd
from tests.accounts.conftest import code
from tests.factories import PASSWORD


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_setting_up_shows_a_qr_code_and_counts_only_after_a_first_right_code(cast):
    tech = browser(cast.tech_a)

    page = tech.get("/account/security/setup/")
    assert page.status_code == 200
    assert re.search(rb'<img src="data:image/svg\+xml;[^"]+" alt="QR code', page.content)
    assert tech.get("/account/security/setup/").context["secret"] == page.context["secret"]  # a reload keeps it
    assert not two_factor.has_device(cast.tech_a)

    wrong = tech.post("/account/security/setup/", {"code": "99999"})
    assert wrong.status_code == 422 and not two_factor.has_device(cast.tech_a)

    pending = TOTPDevice.objects.get(user=cast.tech_a)
    done = tech.post("/account/security/setup/", {"code": code(pending)})

    assert done.status_code == 200 and done["Cache-Control"] == "no-store"
    assert len(done.context["codes"]) == two_factor.RECOVERY_CODES
    assert two_factor.has_device(cast.tech_a)
    assert tech.get("/orders/").status_code == 200  # this session proved the code: still signed in
    # Only a keyed hash of each recovery code is stored.
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert stored and not stored & set(done.context["codes"])


def test_turning_two_factor_off_needs_a_code(cast, app_for):
    device, _ = app_for(cast.dentist_a1)
    client = Client()
    client.post("/accounts/login/", {"username": "dentist-a1", "password": PASSWORD})
    client.post("/accounts/login/code/", {"code": code(device)})

    refused = client.post("/account/security/off/", {"code": "12345678"})
    assert refused.status_code == 422 and two_factor.has_device(cast.dentist_a1)

    done = client.post("/account/security/off/", {"code": code(device, steps=1)})
    assert done.status_code == 302
    assert not two_factor.has_device(cast.dentist_a1)
    assert not StaticToken.objects.filter(device__user=cast.dentist_a1).exists()


def test_staff_of_a_lab_requiring_two_factor_cannot_turn_it_off(cast, app_for):
    device, recovery = app_for(cast.admin_a)
    Lab.objects.filter(pk=cast.lab_a.pk).update(require_two_factor=True)
    client = Client()
    client.post("/accounts/login/", {"username": "admin-a", "password": PASSWORD})
    client.post("/accounts/login/code/", {"code": recovery[0]})

    response = client.post("/account/security/off/", {"code": code(device)})

    assert response.status_code == 409
    assert two_factor.has_device(cast.admin_a)


def test_new_recovery_codes_replace_the_old_ones(cast, app_for):
    device, old = app_for(cast.admin_b)
    client = Client()
    client.post("/accounts/login/", {"username": "admin-b", "password": PASSWORD})
    client.post("/accounts/login/code/", {"code": code(device)})

    response = client.post("/account/security/recovery-codes/", {"code": old[0]})

    new = response.context["codes"]
    assert response.status_code == 200 and set(new).isdisjoint(old)
    assert two_factor.verify(cast.admin_b, old[1]) is None
    assert two_factor.verify(cast.admin_b, new[0]) is not None


def test_the_token_page_lists_and_revokes_only_ones_own_tokens(cast, api):
    ApiToken.issue(cast.tech_a, name="Milling machine")
    ApiToken.issue(cast.tech_a, name="Old laptop")
    theirs = ApiToken.new(cast.admin_a, name="Admin script")[1]
    tech = browser(cast.tech_a)

    page = tech.get("/account/tokens/")
    assert page.status_code == 200
    assert [t.name for t in page.context["live"]] == ["Old laptop", "Milling machine"]
    assert b"Admin script" not in page.content

    mine = ApiToken.objects.get(name="Old laptop")
    assert tech.post(f"/account/tokens/{mine.pk}/revoke/").status_code == 302
    assert tech.post(f"/account/tokens/{theirs.pk}/revoke/").status_code == 404
    assert tech.post(f"/account/tokens/{2**64}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=mine.pk).revoked_reason == "revoked"
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None
    assert [t.name for t in tech.get("/account/tokens/").context["ended"]] == ["Old laptop"]


def test_changing_the_password_on_the_page_ends_the_tokens_and_keeps_the_session(cast, api):
    script = api(cast.dentist_a1)
    tech = browser(cast.dentist_a1)
    assert script.get("/labs").status_code == 200

    response = tech.post("/account/password/", {
        "old_password": PASSWORD, "new_password1": "a-new-long-password", "new_password2": "a-new-long-password"})

    assert (response.status_code, response["Location"]) == (302, "/account/security/")
    assert script.get("/labs").status_code == 401
    assert tech.get("/orders/").status_code == 200
    assert Client().get("/accounts/password_change/").status_code == 302


def test_the_account_pages_ask_to_sign_in_first():
    for page in ("/account/security/", "/account/security/setup/", "/account/tokens/", "/account/password/"):
        response = Client().get(page)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@override_settings(AXES_FAILURE_LIMIT=2)
def test_guessing_codes_to_turn_two_factor_off_locks_the_account_out(cast, app_for):
    # A borrowed, signed-in browser cannot try codes without end either.
    device, _ = app_for(cast.dentist_a1)
    client = Client()
    client.post("/accounts/login/", {"username": "dentist-a1", "password": PASSWORD})
    client.post("/accounts/login/code/", {"code": code(device)})

    for _ in range(2):
        client.post("/account/security/off/", {"code": "12345678"})
    locked = client.post("/account/security/off/", {"code": code(device, steps=1)})

    assert locked.status_code == 429
    assert two_factor.has_device(cast.dentist_a1)


def test_turning_two_factor_on_ends_the_tokens_made_with_the_password_alone(cast, api, app_for):
    # Whoever learnt the password may have made one: it must not outlive the owner's new second factor.
    before = api(cast.tech_a)
    assert before.get("/labs").status_code == 200

    app_for(cast.tech_a)

    assert before.get("/labs").status_code == 401
    assert ApiToken.objects.get(user=cast.tech_a).revoked_reason == TokenEnd.TWO_FACTOR_ON
