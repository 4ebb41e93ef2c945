"""Signing in on the pages: the password first, then the code when the login has an app; staff
of a lab that requires two-factor sign-in set it up before anything else."""

from __future__ import annotations

from django.test import Client, override_settings

from crownline.tenancy.models import Lab
from tests.accounts.conftest import code
from tests.factories import PASSWORD


def password_step(client: Client, username: str, next_page: str = ""):
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD, "next": next_page})


def signed_in(client: Client) -> bool:
    return client.get("/orders/").status_code == 200


def test_a_login_without_an_app_signs_in_with_the_password(cast):
    client = Client()

    response = password_step(client, "dentist-a1")

    assert (response.status_code, response["Location"]) == (302, "/orders/")
    assert signed_in(client)


def test_a_login_with_an_app_needs_the_code_after_the_password(cast, app_for):
    device, _ = app_for(cast.dentist_a1)
    client = Client()

    response = password_step(client, "dentist-a1", next_page="/tasks/mine/")

    assert (response.status_code, response["Location"]) == (302, "/accounts/login/code/")
    assert not signed_in(client)
    assert client.get("/accounts/login/code/").status_code == 200
    wrong = client.post("/accounts/login/code/", {"code": "12345"})
    assert wrong.status_code == 422 and not signed_in(client)
    right = client.post("/accounts/login/code/", {"code": code(device)})
    assert (right.status_code, right["Location"]) == (302, "/tasks/mine/")
    assert signed_in(client)


def test_a_recovery_code_finishes_the_sign_in(cast, app_for):
    _, recovery = app_for(cast.admin_a)
    client = Client()
    password_step(client, "admin-a")

    client.post("/accounts/login/code/", {"code": recovery[3]})

    assert signed_in(client)


def test_the_code_step_without_the_password_step_sends_back_to_the_sign_in(cast, app_for):
    device, _ = app_for(cast.admin_a)
    client = Client()

    response = client.post("/accounts/login/code/", {"code": code(device)})

    assert (response.status_code, response["Location"]) == (302, "/accounts/login/")
    assert not signed_in(client)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_wrong_codes_on_the_page_count_as_failed_sign_ins(cast, app_for):
    device, _ = app_for(cast.admin_a)
    client = Client(REMOTE_ADDR="10.9.9.9")
    password_step(client, "admin-a")
    wrong = "000000" if code(device) != "000000" else "111111"

    answers = [client.post("/accounts/login/code/", {"code": wrong}).status_code for _ in range(3)]
    locked = client.post("/accounts/login/code/", {"code": code(device)})

    assert answers[:2] == [422, 422] and answers[2] in (422, 429)
    assert locked.status_code == 429
    assert not signed_in(client)


def test_a_session_that_skipped_the_code_is_signed_out(cast, app_for):
    # e.g. through the admin's own sign-in page, which asks only for the password.
    app_for(cast.admin_a)
    client = Client()
    client.force_login(cast.admin_a)

    response = client.get("/orders/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/api/v1/labs").status_code == 401


def test_staff_of_a_lab_requiring_two_factor_are_sent_to_set_it_up_first(cast):
    Lab.objects.filter(pk=cast.lab_a.pk).update(require_two_factor=True)
    tech, dentist = Client(), Client()
    password_step(tech, "tech-a")
    password_step(dentist, "dentist-a1")

    for page in ("/orders/", "/tasks/mine/", "/account/tokens/"):
        response = tech.get(page)
        assert (response.status_code, response["Location"]) == (302, "/account/security/setup/")
    assert tech.get("/account/security/setup/").status_code == 200
    assert tech.get("/api/v1/labs").status_code == 403
    assert signed_in(dentist)  # customers are not held to the lab's staff rule
