"""The audit log stays useful under a flood: anonymous refusals are folded per address and minute,
and one address adds a bounded number of entries per hour; signed-in refusals stay one each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from crownline.audit.models import AuditEntry
from crownline.audit.recording import record_anonymous, source_of
from tests import races

NOON = dt.datetime(2026, 11, 28, 12, 0, 5, tzinfo=dt.UTC)
REFUSAL = {"method": "GET", "path": "/api/v1/orders/1", "status_code": 401, "detail": ""}


def test_forty_anonymous_refusals_from_one_address_are_one_entry_with_a_count(cast, api, order_in):
    order = order_in("published")
    for n in range(40):
        path = f"/orders/{order.number}" if n % 2 else "/orders/NOPE-1"
        assert api().get(path, REMOTE_ADDR="192.0.2.10").status_code in (401, 404)
    entry = AuditEntry.objects.get()
    assert entry.count == 40
    assert (entry.user, entry.username, entry.remote_addr, entry.source) == (None, "", "192.0.2.10", "192.0.2.10")
    assert entry.last_seen_at >= entry.created_at


def test_each_address_gets_its_own_entry(cast, api):
    for addr in ("192.0.2.10", "192.0.2.11", "192.0.2.10"):
        api().get("/orders/NOPE-1", REMOTE_ADDR=addr)
    assert sorted(AuditEntry.objects.values_list("remote_addr", "count")) == [("192.0.2.10", 2), ("192.0.2.11", 1)]


def test_a_new_minute_opens_a_new_entry(db):
    record_anonymous("192.0.2.10", NOON, **REFUSAL)
    record_anonymous("192.0.2.10", NOON + dt.timedelta(seconds=30), **REFUSAL)
    record_anonymous("192.0.2.10", NOON + dt.timedelta(minutes=1), **REFUSAL)
    assert list(AuditEntry.objects.order_by("window").values_list("count", flat=True)) == [2, 1]


@override_settings(CROWNLINE_AUDIT_ANONYMOUS_ROWS_PER_HOUR=3)
def test_an_address_adds_at_most_the_capped_entries_per_hour_and_the_last_counts_the_rest(db):
    for minute in range(50):
        record_anonymous("192.0.2.10", NOON + dt.timedelta(minutes=minute), **REFUSAL)
    assert list(AuditEntry.objects.order_by("window").values_list("count", flat=True)) == [1, 1, 48]
    assert AuditEntry.objects.order_by("window").last().last_seen_at == NOON + dt.timedelta(minutes=49)
    # The next hour starts afresh, and another address is not held back by this one.
    record_anonymous("192.0.2.10", NOON + dt.timedelta(hours=1), **REFUSAL)
    record_anonymous("192.0.2.99", NOON + dt.timedelta(minutes=55), **REFUSAL)
    assert AuditEntry.objects.count() == 5


def test_addresses_of_one_ipv6_line_are_folded_together():
    assert source_of("2001:db8:1:2::5") == source_of("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert source_of("2001:db8:1:3::5") != source_of("2001:db8:1:2::5")
    assert source_of(None) == "unknown"


def test_signed_in_refusals_stay_one_entry_each(cast, api, order_in):
    order = order_in("published")
    for _ in range(5):
        api(cast.admin_b).get(f"/orders/{order.number}", REMOTE_ADDR="192.0.2.10")
    assert list(AuditEntry.objects.values_list("username", "count")) == [("admin-b", 1)] * 5


def test_a_nul_character_or_an_invented_method_is_logged_not_a_server_error(cast, api):
    client = api().client
    # PostgreSQL refuses NUL in text and enforces the method column's length: both were 500s there.
    assert client.get("/api/v1/orders/A%00B", REMOTE_ADDR="192.0.2.10").status_code == 401
    assert client.generic("PROPFINDANDMORE", "/no-such-page/", REMOTE_ADDR="192.0.2.77").status_code == 404
    nul, invented = AuditEntry.objects.order_by("id")
    assert "\x00" not in nul.path and nul.path.startswith("/api/v1/orders/A")
    assert invented.method == "PROPFINDAN"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_anonymous_refusals_from_one_address_count_into_one_entry():
    results, alive = races.race(lambda i: [record_anonymous("192.0.2.10", NOON, **REFUSAL) for _ in range(5)], 8)
    assert not alive and all(outcome == "ok" for outcome, _ in results), results
    entry = AuditEntry.objects.get()
    assert entry.count == 40
