"""API tokens end: they expire, they can be listed and revoked by their owner, and they end when
their person's password changes, or when the person is deactivated in or removed from a lab."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crownline.tenancy.models import LAST_USED_GRAIN, ApiToken, Membership, caller_key, hash_token
from tests.factories import PASSWORD


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def sign_in(api, username: str, **extra):
    headers = {k: v for k, v in extra.items() if k.startswith("HTTP_")}
    body = {"username": username, "password": PASSWORD, **{k: v for k, v in extra.items() if k not in headers}}
    return api().post("/auth/token", body, **headers)


# ---- issuing ------------------------------------------------------------------------------------


def test_a_token_is_named_after_the_client_and_says_when_it_ends(cast, api, settings):
    settings.CROWNLINE_TOKEN_DAYS = 30

    by_agent = sign_in(api, "tech-a", HTTP_USER_AGENT="lab-sync/2.1 (python-requests)")
    by_name = sign_in(api, "tech-a", name="  Milling machine  ")
    unnamed = sign_in(api, "tech-a")

    assert [r.status_code for r in (by_agent, by_name, unnamed)] == [200, 200, 200]
    assert (by_agent.json()["name"], by_name.json()["name"], unnamed.json()["name"]) == (
        "lab-sync/2.1", "Milling machine", "API token")
    expires = dt.datetime.fromisoformat(by_agent.json()["expires_at"])
    assert abs(expires - (timezone.now() + dt.timedelta(days=30))) < dt.timedelta(minutes=1)
    assert ApiToken.objects.get(pk=by_name.json()["id"]).user == cast.tech_a


def test_a_name_with_control_characters_is_listed_without_them(cast, api):
    response = sign_in(api, "tech-a", name="evil\x1b[31m name\u202e")

    assert response.json()["name"] == "evil[31m name"


def test_a_name_longer_than_100_characters_is_refused_naming_it(cast, api):
    response = sign_in(api, "tech-a", name="x" * 101)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"
    assert not ApiToken.objects.exists()


# ---- ending -------------------------------------------------------------------------------------


def test_an_expired_token_gets_401(cast, api):
    raw = sign_in(api, "dentist-a1").json()["token"]
    assert api().get("/labs", **bearer(raw)).status_code == 200

    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    cache.clear()  # the update bypassed the model; the cached caller below covers the cached path

    assert api().get("/labs", **bearer(raw)).status_code == 401


def test_a_cached_token_stops_working_at_its_expiry(cast, api):
    raw = sign_in(api, "dentist-a1").json()["token"]
    assert api().get("/labs", **bearer(raw)).status_code == 200
    key = caller_key(hash_token(raw))
    cached = cache.get(key)
    assert cached is not None and cached.user == cast.dentist_a1

    # As if its time had come while cached: the row and the cached copy hold the same expiry.
    cached.expires_at = timezone.now() - dt.timedelta(seconds=1)
    ApiToken.objects.update(expires_at=cached.expires_at)
    cache.set(key, cached, 60)

    assert api().get("/labs", **bearer(raw)).status_code == 401


def test_a_revoked_token_gets_401_and_the_owners_other_tokens_keep_working(cast, api):
    first, second = (sign_in(api, "admin-a").json() for _ in range(2))

    response = api().delete(f"/auth/tokens/{first['id']}", **bearer(second["token"]))

    assert response.status_code == 204
    assert api().get("/labs", **bearer(first["token"])).status_code == 401
    assert api().get("/labs", **bearer(second["token"])).status_code == 200
    assert ApiToken.objects.get(pk=first["id"]).revoked_reason == "revoked"


def test_another_persons_token_cannot_be_revoked_and_is_not_found(cast, api):
    theirs = sign_in(api, "admin-b").json()

    for caller in (cast.admin_a, cast.dentist_b):
        assert api(caller).delete(f"/auth/tokens/{theirs['id']}").status_code == 404
    assert api(cast.admin_a).delete(f"/auth/tokens/{2**63}").status_code == 422
    assert api().get("/labs", **bearer(theirs["token"])).status_code == 200


def test_signing_out_ends_the_calling_token_only(cast, api):
    script, laptop = (sign_in(api, "tech-a").json()["token"] for _ in range(2))

    assert api().post("/auth/sign-out", **bearer(script)).status_code == 204

    assert api().get("/labs", **bearer(script)).status_code == 401
    assert api().get("/labs", **bearer(laptop)).status_code == 200
    assert ApiToken.objects.get(revoked_at__isnull=False).revoked_reason == "signed_out"


def test_signing_out_over_the_api_with_a_session_ends_the_session(cast):
    browser = Client()
    browser.force_login(cast.tech_a)

    assert browser.post("/api/v1/auth/sign-out", content_type="application/json").status_code == 204
    assert browser.get("/api/v1/labs").status_code == 401


def test_a_password_change_ends_every_token_of_that_person_only(cast, api):
    mine, also_mine = (sign_in(api, "tech-a").json()["token"] for _ in range(2))
    theirs = sign_in(api, "admin-a").json()["token"]

    cast.tech_a.set_password("a-brand-new-password")
    cast.tech_a.save()

    assert api().get("/labs", **bearer(mine)).status_code == 401
    assert api().get("/labs", **bearer(also_mine)).status_code == 401
    assert api().get("/labs", **bearer(theirs)).status_code == 200
    assert set(ApiToken.objects.filter(user=cast.tech_a).values_list("revoked_reason", flat=True)) == {
        "password_changed"}


def test_saving_a_person_without_a_new_password_ends_no_token(cast, api):
    raw = sign_in(api, "tech-a").json()["token"]

    cast.tech_a.first_name = "Tess"
    cast.tech_a.save()
    cast.tech_a.set_password(PASSWORD)  # a stronger hash of the same password, as Django's upgrade does
    cast.tech_a._password = None
    cast.tech_a.save(update_fields=["password"])

    assert api().get("/labs", **bearer(raw)).status_code == 200


def test_deactivation_ends_the_members_tokens_and_reactivation_does_not_bring_them_back(cast, api):
    old = sign_in(api, "tech-a").json()["token"]

    assert api(cast.admin_a).patch(f"/labs/lab-a/members/{cast.tech_a.pk}", {"is_active": False}).status_code == 200
    assert api().get("/labs", **bearer(old)).status_code == 401
    assert api(cast.admin_a).patch(f"/labs/lab-a/members/{cast.tech_a.pk}", {"is_active": True}).status_code == 200

    assert api().get("/labs", **bearer(old)).status_code == 401
    fresh = sign_in(api, "tech-a").json()["token"]
    assert api().get("/labs", **bearer(fresh)).json()[0]["slug"] == "lab-a"


def test_removal_from_a_lab_ends_the_persons_tokens(cast, api):
    raw = sign_in(api, "tech-a").json()["token"]

    Membership.objects.filter(user=cast.tech_a).delete()

    assert api().get("/labs", **bearer(raw)).status_code == 401
    assert ApiToken.objects.get(user=cast.tech_a).revoked_reason == "removed"


# ---- the list -----------------------------------------------------------------------------------


def test_a_person_lists_only_their_own_tokens_newest_first_with_the_current_one_marked(cast, api):
    older = sign_in(api, "dentist-a1", name="Old script").json()
    ApiToken.objects.filter(pk=older["id"]).update(created_at=timezone.now() - dt.timedelta(days=1))
    newer = sign_in(api, "dentist-a1", name="Practice software").json()
    sign_in(api, "dentist-a2", name="Not mine")
    api().delete(f"/auth/tokens/{older['id']}", **bearer(newer["token"]))

    listed = api().get("/auth/tokens", **bearer(newer["token"]))

    assert listed.status_code == 200
    rows = [(t["name"], t["live"], t["current"], t["revoked_reason"]) for t in listed.json()]
    assert rows == [("Practice software", True, True, ""), ("Old script", False, False, "revoked")]
    assert "token" not in listed.json()[0] and "key_hash" not in listed.json()[0]


def test_nobody_signed_in_cannot_list_or_revoke_tokens(cast, api):
    assert api().get("/auth/tokens").status_code == 401
    assert api().delete("/auth/tokens/1").status_code == 401
    assert api().post("/auth/sign-out").status_code == 401


# ---- last used, cheaply -------------------------------------------------------------------------


def test_last_used_is_written_at_most_once_a_minute_and_a_read_stays_one_query(cast, api):
    raw = sign_in(api, "tech-a").json()["token"]
    token = ApiToken.objects.get()
    issued = token.last_used_at

    with CaptureQueriesContext(connection) as queries:
        api().get("/labs", **bearer(raw))
    assert sum(ApiToken._meta.db_table in q["sql"] for q in queries.captured_queries) == 1
    assert ApiToken.objects.get().last_used_at == issued

    with CaptureQueriesContext(connection) as queries:
        api().get("/labs", **bearer(raw))
    assert sum(ApiToken._meta.db_table in q["sql"] for q in queries.captured_queries) == 0  # from the cache

    a_while_ago = timezone.now() - LAST_USED_GRAIN - dt.timedelta(seconds=5)
    ApiToken.objects.update(last_used_at=a_while_ago)
    cache.clear()  # a cached caller lives one LAST_USED_GRAIN at most: as if that minute had passed
    api().get("/labs", **bearer(raw))

    assert ApiToken.objects.get().last_used_at > a_while_ago + LAST_USED_GRAIN


@pytest.mark.parametrize("days", [0, -1])
def test_a_token_issued_for_no_time_at_all_never_works(cast, api, days):
    raw = ApiToken.issue(cast.tech_a, days=days)

    assert api().get("/labs", **bearer(raw)).status_code == 401


def test_a_login_deactivated_and_activated_again_does_not_get_its_old_tokens_back(cast, api):
    raw = sign_in(api, "dentist-a1").json()["token"]

    cast.dentist_a1.is_active = False
    cast.dentist_a1.save()
    cast.dentist_a1.is_active = True
    cast.dentist_a1.save()

    assert api().get("/labs", **bearer(raw)).status_code == 401
    assert sign_in(api, "dentist-a1").status_code == 200


def test_a_token_from_before_last_use_was_kept_gets_its_first_last_use(cast, api):
    client = api(cast.tech_a)
    ApiToken.objects.filter(user=cast.tech_a).update(last_used_at=None)

    assert client.get("/labs").status_code == 200

    assert ApiToken.objects.get(user=cast.tech_a).last_used_at is not None
