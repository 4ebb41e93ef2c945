"""Guessing passwords: django-axes refuses an account or an address after repeated failures."""

from __future__ import annotations

from django.test import override_settings

from crownline.tenancy.models import ApiToken
from tests.factories import PASSWORD


def _token(api, username: str, password: str, addr: str = "10.0.0.1"):
    return api().post("/auth/token", {"username": username, "password": password}, REMOTE_ADDR=addr)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_an_account_is_refused_for_a_while_after_repeated_wrong_passwords_even_with_the_right_one(cast, api):
    for _ in range(3):
        assert _token(api, "tech-a", "wrong").status_code in (401, 429)
    refused = _token(api, "tech-a", PASSWORD)
    assert refused.status_code == 429
    assert "Too many failed sign-ins" in refused.json()["detail"]
    assert int(refused["Retry-After"]) > 0
    assert not ApiToken.objects.filter(user=cast.tech_a).exists()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_one_address_guessing_many_accounts_is_refused_too(cast, api):
    for username in ("admin-a", "admin-b", "dentist-a1"):
        _token(api, username, "wrong", addr="10.6.6.6")
    assert _token(api, "dentist-b", PASSWORD, addr="10.6.6.6").status_code == 429
    assert _token(api, "dentist-b", PASSWORD, addr="10.7.7.7").status_code == 200


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_success_before_the_limit_resets_the_accounts_count(cast, api):
    _token(api, "tech-a", "wrong", addr="10.2.0.1")
    _token(api, "tech-a", "wrong", addr="10.2.0.1")
    assert _token(api, "tech-a", PASSWORD, addr="10.2.0.1").status_code == 200
    # Without the reset the account would now stand at four failures, past the limit of three.
    _token(api, "tech-a", "wrong", addr="10.2.0.2")
    _token(api, "tech-a", "wrong", addr="10.2.0.2")
    assert _token(api, "tech-a", PASSWORD, addr="10.2.0.2").status_code == 200


@override_settings(AXES_FAILURE_LIMIT=2)
def test_the_admin_login_page_is_protected_by_the_same_lockout(cast, client):
    for _ in range(2):
        client.post("/admin/login/", {"username": "admin-a", "password": "wrong"}, REMOTE_ADDR="10.1.1.1")
    locked = client.post("/admin/login/", {"username": "admin-a", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1")
    assert locked.status_code == 429
