"""Guessing passwords: django-axes refuses an account from an address after repeated failures,
and an address guessing many accounts past a higher limit; behind a trusted proxy the address
is the client's (crownline/tenancy/lockout.py, crownline/netaddr.py)."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.test import override_settings

from crownline.tenancy.models import ApiToken
from tests.factories import PASSWORD

PROXY = "127.0.0.1"


def _token(api, username: str, password: str, addr: str = "10.0.0.1", **headers: str):
    return api().post("/auth/token", {"username": username, "password": password}, REMOTE_ADDR=addr, **headers)


def _via_proxy(api, username: str, password: str, client: str, peer: str = PROXY):
    return _token(api, username, password, addr=peer, HTTP_X_FORWARDED_FOR=client)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_an_account_is_refused_for_a_while_after_repeated_wrong_passwords_even_with_the_right_one(cast, api):
    for _ in range(3):
        assert _token(api, "tech-a", "wrong").status_code in (401, 429)
    refused = _token(api, "tech-a", PASSWORD)
    assert refused.status_code == 429
    assert "Too many failed sign-ins" in refused.json()["detail"]
    assert int(refused["Retry-After"]) > 0
    assert not ApiToken.objects.filter(user=cast.tech_a).exists()


@override_settings(AXES_FAILURE_LIMIT=3, CROWNLINE_LOGIN_ADDRESS_FAILURE_LIMIT=4)
def test_one_address_guessing_many_accounts_is_refused_past_the_higher_address_limit(cast, api):
    for username in ("admin-a", "admin-b", "dentist-a1"):
        assert _token(api, username, "wrong", addr="10.6.6.6").status_code == 401
    # Three failures over three accounts: below the address limit, another account still signs in.
    assert _token(api, "dentist-a2", PASSWORD, addr="10.6.6.6").status_code == 200
    _token(api, "tech-a", "wrong", addr="10.6.6.6")
    assert _token(api, "dentist-b", PASSWORD, addr="10.6.6.6").status_code == 429
    assert _token(api, "dentist-b", PASSWORD, addr="10.7.7.7").status_code == 200


@override_settings(AXES_FAILURE_LIMIT=3)
def test_failures_of_one_account_from_one_address_do_not_lock_it_elsewhere(cast, api):
    for _ in range(3):
        _token(api, "tech-a", "wrong", addr="10.3.3.3")
    assert _token(api, "tech-a", PASSWORD, addr="10.3.3.3").status_code == 429
    # Someone who knows a login cannot keep its owner out from wherever they are.
    assert _token(api, "tech-a", PASSWORD, addr="10.4.4.4").status_code == 200


@override_settings(AXES_FAILURE_LIMIT=3, CROWNLINE_LOGIN_ACCOUNT_FAILURE_LIMIT=5)
def test_a_lab_can_also_limit_an_account_over_all_addresses(cast, api):
    for addr in ("10.5.0.1", "10.5.0.1", "10.5.0.2", "10.5.0.2", "10.5.0.3"):
        _token(api, "tech-a", "wrong", addr=addr)
    assert _token(api, "tech-a", PASSWORD, addr="10.5.0.9").status_code == 429
    assert _token(api, "admin-a", PASSWORD, addr="10.5.0.9").status_code == 200


@override_settings(CROWNLINE_TRUSTED_PROXIES=PROXY)
def test_behind_the_proxy_one_person_failing_five_times_does_not_lock_out_the_others(cast, api):
    for _ in range(5):
        assert _via_proxy(api, "tech-a", "wrong", client="203.0.113.5").status_code in (401, 429)
    assert _via_proxy(api, "tech-a", PASSWORD, client="203.0.113.5").status_code == 429
    # Everyone arrives from the proxy's address; each is told apart by the address it forwards.
    assert _via_proxy(api, "admin-a", PASSWORD, client="203.0.113.9").status_code == 200
    assert _via_proxy(api, "admin-a", PASSWORD, client="203.0.113.5").status_code == 200
    assert _via_proxy(api, "tech-a", PASSWORD, client="203.0.113.9").status_code == 200
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


@override_settings(CROWNLINE_TRUSTED_PROXIES=PROXY)
def test_a_spoofed_forwarded_header_from_an_untrusted_peer_does_not_change_the_address(cast, api):
    for n in range(5):
        _via_proxy(api, "tech-a", "wrong", client=f"192.0.2.{n}", peer="198.51.100.7")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}
    # A fresh header does not buy a fresh address: still locked out.
    assert _via_proxy(api, "tech-a", PASSWORD, client="192.0.2.200", peer="198.51.100.7").status_code == 429


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
def test_the_sign_in_page_is_protected_by_the_same_lockout(cast, client):
    for _ in range(2):
        client.post("/accounts/login/", {"username": "admin-a", "password": "wrong"}, REMOTE_ADDR="10.1.1.1")
    locked = client.post("/accounts/login/", {"username": "admin-a", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1")
    assert locked.status_code == 429


def test_the_admins_own_sign_in_sends_people_through_ours_with_the_code_step(client):
    # Django's admin login asks for the password alone; a two-factor login would pass it once.
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/admin/"
    assert client.post("/admin/login/", {"username": "x", "password": "y"}).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=2, CROWNLINE_TRUSTED_PROXIES=PROXY)
def test_a_sign_in_page_behind_the_proxy_locks_the_account_and_client_not_the_proxy(cast, client):
    def sign_in(username: str, password: str, forwarded_for: str):
        return client.post("/accounts/login/", {"username": username, "password": password},
                           REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)

    for _ in range(2):
        sign_in("admin-a", "wrong", "203.0.113.5")
    assert sign_in("admin-a", PASSWORD, "203.0.113.5").status_code == 429
    assert sign_in("tech-a", PASSWORD, "203.0.113.6").status_code != 429
