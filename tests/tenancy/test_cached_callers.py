"""A bearer token's caller comes from the shared cache, and every change to their standing is seen
on the very next request: on the database cache (the default) and on a real Redis.

Each test uses a token once (which puts its caller in the cache), checks that the next call
reads neither the token nor the roles from the database, changes something the caller's
standing rests on, and checks the next call sees it.
"""

from __future__ import annotations

import os

import pytest
import redis
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from crownline.customers.models import Customer
from crownline.dbsettings import cache_settings
from crownline.tenancy import tokens
from crownline.tenancy.models import ApiToken, Membership, TokenEnd

REDIS_URL = "redis://127.0.0.1:6379/0"
STANDING_TABLES = (ApiToken._meta.db_table, Membership._meta.db_table, Customer._meta.db_table, "auth_user")


@pytest.fixture(params=["database", "redis"])
def shared_cache(request):
    if request.param == "database":
        yield request.param
        return
    prefix = f"crownline-callers-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
    config = {"default": {**cache_settings(REDIS_URL)["default"], "KEY_PREFIX": prefix}}
    with override_settings(CACHES=config):
        yield request.param
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


def standing_queries(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in STANDING_TABLES)]


def labs_of(client) -> dict[str, str]:
    response = client.get("/labs")
    assert response.status_code == 200, response.content
    return {lab["slug"]: lab["role"] for lab in response.json()}


def cached(client) -> dict[str, str]:
    """The caller's labs, read twice: the second read must come from the cache."""
    labs_of(client)
    with CaptureQueriesContext(connection) as queries:
        labs = labs_of(client)
    assert standing_queries(queries) == []
    return labs


def test_a_cached_caller_costs_no_sql_query_on_redis_and_one_cache_read_on_the_database(cast, api, shared_cache):
    admin = api(cast.admin_a)
    labs_of(admin)

    with CaptureQueriesContext(connection) as queries:
        labs = labs_of(admin)

    assert labs == {"lab-a": "lab_admin"}
    sql = [q["sql"] for q in queries.captured_queries]
    assert standing_queries(queries) == []
    # What is left is the labs query of the endpoint itself (and, on the database cache, the cache read).
    assert len(sql) == (2 if shared_cache == "database" else 1), sql


def test_a_role_change_is_seen_on_the_next_call(cast, api, shared_cache):
    tech = api(cast.tech_a)
    assert cached(tech) == {"lab-a": "technician"}

    membership = Membership.objects.get(user=cast.tech_a, lab=cast.lab_a)
    membership.role = "lab_admin"
    membership.save()

    assert labs_of(tech) == {"lab-a": "lab_admin"}


def test_a_deactivated_membership_takes_the_lab_away_on_the_next_call(cast, api, shared_cache):
    tech = api(cast.tech_a)
    assert cached(tech) == {"lab-a": "technician"}

    membership = Membership.objects.get(user=cast.tech_a)
    membership.is_active = False
    membership.save()

    assert labs_of(tech) == {}


def test_a_removed_member_s_token_stops_at_once(cast, api, shared_cache):
    tech = api(cast.tech_a)
    cached(tech)

    Membership.objects.get(user=cast.tech_a).delete()

    assert tech.get("/labs").status_code == 401


def test_a_customer_record_linked_and_unlinked_is_seen_on_the_next_call(cast, api, shared_cache):
    dentist = api(cast.dentist_a1)
    assert cached(dentist) == {"lab-a": "customer"}

    record = Customer.objects.create(lab=cast.lab_b, user=cast.dentist_a1, name="A1 at lab B")
    assert labs_of(dentist) == {"lab-a": "customer", "lab-b": "customer"}
    cached(dentist)

    record.user = None
    record.save()
    assert labs_of(dentist) == {"lab-a": "customer"}


@pytest.mark.parametrize("change", ["deactivate", "password"])
def test_a_deactivated_login_or_a_new_password_ends_a_cached_token(cast, api, shared_cache, change):
    dentist = api(cast.dentist_a1)
    cached(dentist)

    if change == "deactivate":
        cast.dentist_a1.is_active = False
    else:
        cast.dentist_a1.set_password("a whole new secret")
    cast.dentist_a1.save()

    assert dentist.get("/labs").status_code == 401


def test_a_lab_that_now_requires_two_factor_stops_its_staff_s_password_only_tokens(cast, api, shared_cache):
    tech = api(cast.tech_a)
    cached(tech)

    cast.lab_a.require_two_factor = True
    cast.lab_a.save()

    assert tech.get("/labs").status_code == 401


def test_a_revoked_token_stops_at_once_and_the_owner_s_other_token_keeps_working(cast, api, shared_cache):
    first, second = api(cast.admin_a), api(cast.admin_a)
    cached(first)
    cached(second)
    token = ApiToken.objects.filter(user=cast.admin_a).order_by("id").first()

    tokens.revoke(cast.admin_a, token.pk)

    assert first.get("/labs").status_code == 401
    assert second.get("/labs").status_code == 200


def test_revoking_every_token_of_a_person_stops_their_cached_tokens(cast, api, shared_cache):
    dentist = api(cast.dentist_a1)
    cached(dentist)

    tokens.revoke_all(cast.dentist_a1, TokenEnd.SIGNED_OUT)

    assert dentist.get("/labs").status_code == 401
