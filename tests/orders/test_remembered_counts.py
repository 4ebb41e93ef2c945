"""Big counts are remembered, and recounted after a response has gone out, never before it.

`BIG_COUNT` is 10,000 in production; these tests lower it to 3 so that a handful of
orders is "big", and move the clock instead of waiting a minute. Pages hold 2 orders: a
page that is not full is the last one and counts itself without asking. On PostgreSQL the first
big count of a query is the planner's estimate (meaningless on these tiny tables), which
the exact count made right after that response replaces; the tests therefore read the
count a second time before they rely on it.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from crownline.orders import listing
from tests.factories import make_order

PUBLISHED = {"status": "published", "page_size": 2}


@pytest.fixture
def small_big_count(monkeypatch):
    monkeypatch.setattr(listing, "BIG_COUNT", 3)
    monkeypatch.setattr(listing, "_known_big", set())  # what this test finds big stays with it
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    """`clock.now` is what `time.time()` says inside crownline.orders.listing, and there only:
    the cache keeps its own (real) time for when entries expire."""

    class Clock:
        now = 1_000_000.0

    monkeypatch.setattr(listing, "time", SimpleNamespace(time=lambda: Clock.now))
    return Clock


def published(cast, n: int) -> None:
    for _ in range(n):
        make_order(cast.admin_a, cast.customer_a1, status="published", service=cast.service_a, plan=False)


def test_a_big_count_is_served_from_memory_and_recounted_after_the_response_once_a_minute_old(
    cast, api, small_big_count, clock
):
    admin = api(cast.admin_a)
    published(cast, 3)
    admin.get("/orders", PUBLISHED)  # the first: exact on SQLite, estimated on PostgreSQL
    assert admin.get("/orders", PUBLISHED).json()["count"] == 3

    published(cast, 1)
    clock.now += listing.FRESH_SECONDS - 1
    # Still fresh: the remembered count, not a new one.
    assert admin.get("/orders", PUBLISHED).json()["count"] == 3

    clock.now += 2
    # Stale: this answer still carries the remembered count (nobody waits for a recount)...
    stale = admin.get("/orders", PUBLISHED)
    assert stale.json()["count"] == 3
    # ...and the recount that ran after it is what the next reader gets.
    assert admin.get("/orders", PUBLISHED).json()["count"] == 4
    # The page itself is never remembered: the newest orders are listed all along.
    assert len(stale.json()["items"]) == 2


def test_a_small_count_is_always_exact(cast, api, small_big_count):
    admin = api(cast.admin_a)
    published(cast, 2)
    assert admin.get("/orders", PUBLISHED).json()["count"] == 2
    published(cast, 1)
    assert admin.get("/orders", PUBLISHED).json()["count"] == 3


def test_the_list_pages_tabs_are_remembered_and_recounted_the_same_way(cast, small_big_count, clock):
    published(cast, 3)
    page = Client()
    page.force_login(cast.admin_a)
    page.get("/orders/")
    assert page.get("/orders/").context["tabs"][0] == ("", "All", 3)

    published(cast, 1)
    clock.now += listing.FRESH_SECONDS + 1
    stale = page.get("/orders/?status=published")
    assert dict((value, n) for value, _, n in stale.context["tabs"])["published"] == 3
    fresh = page.get("/orders/?status=published")
    assert dict((value, n) for value, _, n in fresh.context["tabs"])["published"] == 4
    assert fresh.context["page"].count == 4


def test_counting_is_per_caller_a_dentists_count_is_not_the_labs(cast, api, small_big_count):
    published(cast, 3)
    make_order(cast.admin_a, cast.customer_a2, status="published", service=cast.service_a, plan=False)
    counts = {}
    for who in ("admin_a", "dentist_a1", "dentist_a2"):
        client = api(getattr(cast, who))
        client.get("/orders", PUBLISHED)
        counts[who] = client.get("/orders", PUBLISHED).json()["count"]
    assert counts == {"admin_a": 4, "dentist_a1": 3, "dentist_a2": 1}


def test_the_first_big_count_never_waits_for_a_full_count_and_is_exact_from_the_next_request(
    cast, api, small_big_count
):
    admin = api(cast.admin_a)
    published(cast, 5)

    first = admin.get("/orders", PUBLISHED)

    # The first answer counted at most BIG_COUNT rows, found the list big, and reported
    # the planner's estimate (PostgreSQL) or the exact count (SQLite): never less than
    # what it knows the list holds.
    assert first.json()["count"] >= listing.BIG_COUNT
    assert len(first.json()["items"]) == 2
    assert admin.get("/orders", PUBLISHED).json()["count"] == 5




def test_a_list_once_found_big_reads_its_count_without_counting_again(cast, api, small_big_count):
    admin = api(cast.admin_a)
    published(cast, 3)
    admin.get("/orders", PUBLISHED)  # finds the list big (the capped count) and remembers its count
    with CaptureQueriesContext(connection) as captured:
        remembered = admin.get("/orders", PUBLISHED)
    queries = [q["sql"] for q in captured.captured_queries]

    assert remembered.json()["count"] == 3
    # The count comes from the shared cache: no capped count of the orders ran again.
    assert not any("COUNT(*)" in sql and "LIMIT 3" in sql for sql in queries), queries
    uses_the_database_cache = "DatabaseCache" in settings.CACHES["default"]["BACKEND"]
    # One cache read for the count and, the caller being cached too since the first call, one for the caller.
    assert sum("crownline_cache" in sql for sql in queries) == (2 if uses_the_database_cache else 0)
