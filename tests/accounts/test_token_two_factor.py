"""The token endpoint asks for the second factor: a code when the login has an authenticator
app, a refusal when a lab requires one that is not set up. Wrong codes count as failed sign-ins."""

from __future__ import annotations

from django.test import override_settings

from crownline.tenancy.models import ApiToken, Lab
from tests.accounts.conftest import code
from tests.factories import PASSWORD


def sign_in(api, username: str, otp: str | None = None, addr: str = "10.0.0.1"):
    body = {"username": username, "password": PASSWORD}
    if otp is not None:
        body["otp"] = otp
    return api().post("/auth/token", body, REMOTE_ADDR=addr)


def test_a_login_with_an_app_gets_a_token_only_with_its_code(cast, api, app_for):
    device, _ = app_for(cast.dentist_a1)

    missing = sign_in(api, "dentist-a1")
    wrong = sign_in(api, "dentist-a1", "000000" if code(device) != "000000" else "111111")
    right = sign_in(api, "dentist-a1", code(device))

    assert (missing.status_code, wrong.status_code, right.status_code) == (401, 401, 200)
    assert "two-factor" in missing.json()["detail"] and "`otp`" in missing.json()["detail"]
    assert wrong.json()["detail"] == "Wrong two-factor code."
    assert ApiToken.objects.get(user=cast.dentist_a1).second_factor is True
    assert api().get("/labs", HTTP_AUTHORIZATION=f"Bearer {right.json()['token']}").status_code == 200


def test_a_recovery_code_signs_in_once(cast, api, app_for):
    _, recovery = app_for(cast.dentist_a1)

    assert sign_in(api, "dentist-a1", recovery[0].upper()).status_code == 200
    assert sign_in(api, "dentist-a1", recovery[0]).status_code == 401
    assert sign_in(api, "dentist-a1", recovery[1]).status_code == 200


def test_a_code_without_the_right_password_gets_nothing(cast, api, app_for):
    device, _ = app_for(cast.dentist_a1)

    response = api().post("/auth/token", {"username": "dentist-a1", "password": "wrong", "otp": code(device)})

    assert response.json()["detail"] == "Wrong username or password."
    assert not ApiToken.objects.exists()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_wrong_codes_count_as_failed_sign_ins_and_lock_the_account_out(cast, api, app_for):
    device, _ = app_for(cast.dentist_a1)
    wrong = "000000" if code(device) != "000000" else "111111"

    answers = [sign_in(api, "dentist-a1", wrong).status_code for _ in range(3)]
    locked = sign_in(api, "dentist-a1", code(device))

    assert answers[:2] == [401, 401] and answers[2] in (401, 429)
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.json()["detail"]
    assert not ApiToken.objects.exists()


def test_staff_of_a_lab_that_requires_two_factor_cannot_get_a_token_without_an_app(cast, api, app_for):
    Lab.objects.filter(pk=cast.lab_a.pk).update(require_two_factor=True)

    refused = sign_in(api, "tech-a")

    assert refused.status_code == 403
    assert "requires two-factor" in refused.json()["detail"] and "/account/security/" in refused.json()["detail"]
    assert not ApiToken.objects.exists()
    # Its customers are not its staff: the rule is not theirs.
    assert sign_in(api, "dentist-a1").status_code == 200
    device, _ = app_for(cast.tech_a)
    assert sign_in(api, "tech-a", code(device)).status_code == 200


def test_a_token_without_a_second_factor_stops_working_when_the_lab_starts_requiring_one(cast, api, app_for):
    plain = sign_in(api, "tech-a").json()["token"]
    customer = sign_in(api, "dentist-a1").json()["token"]

    Lab.objects.filter(pk=cast.lab_a.pk).update(require_two_factor=True)

    assert api().get("/labs", HTTP_AUTHORIZATION=f"Bearer {plain}").status_code == 401
    assert api().get("/labs", HTTP_AUTHORIZATION=f"Bearer {customer}").status_code == 200
    device, _ = app_for(cast.tech_a)
    strong = sign_in(api, "tech-a", code(device)).json()["token"]
    assert api().get("/labs", HTTP_AUTHORIZATION=f"Bearer {strong}").status_code == 200


def test_a_deactivated_member_of_a_strict_lab_is_not_held_to_its_rule(cast, api):
    Lab.objects.filter(pk=cast.lab_a.pk).update(require_two_factor=True)
    cast.tech_a.memberships.update(is_active=False)

    assert sign_in(api, "tech-a").status_code == 200
