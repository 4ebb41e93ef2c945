"""The cache (the order lists' remembered counts) is shared by every worker and app server.

A count remembered through one cache connection is what another connection serves: through
the database cache (a table of the test database) and through Redis. `crownline migrate` alone
creates the database cache's table; CROWNLINE_REDIS_URL switches to Redis. The Redis tests need a
real Redis on 127.0.0.1:6379 (`.ci/run` starts it when it is down) and fail, saying so, when
it is not there; they write under a key prefix of their own and delete what they wrote.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest
import redis
from django.core.cache import CacheHandler
from django.db import connection

from crownline.dbsettings import CACHE_TABLE, cache_settings
from crownline.orders import listing
from crownline.orders.models import Order
from tests.factories import make_order

REDIS_URL = "redis://127.0.0.1:6379/0"


def _clean_env(**env: str) -> dict[str, str]:
    """This process's environment less our settings (but the data folder), plus `env`."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CROWNLINE_") or k == "CROWNLINE_DATA_DIR"}
    return {**clean, "DJANGO_SETTINGS_MODULE": "crownline.settings", **env}


def test_the_cache_is_a_table_of_the_database_by_default_and_redis_when_a_redis_url_is_given():
    assert cache_settings(None)["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert cache_settings(None)["default"]["LOCATION"] == CACHE_TABLE
    assert cache_settings(REDIS_URL)["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
    }


@pytest.mark.parametrize("redis_url", [None, REDIS_URL])
def test_the_settings_read_the_redis_url_from_the_environment(redis_url):
    probe = "import django, json; django.setup(); from django.conf import settings; print(json.dumps(settings.CACHES))"
    env = _clean_env(**({"CROWNLINE_REDIS_URL": redis_url} if redis_url else {}))
    result = subprocess.run(  # noqa: S603 - our own settings
        [sys.executable, "-c", probe],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == cache_settings(redis_url)


def test_crownline_migrate_alone_creates_the_cache_table_and_a_second_run_keeps_it(tmp_path):
    env = _clean_env(CROWNLINE_DATA_DIR=str(tmp_path))
    env.pop("DATABASE_URL", None)
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-m", "crownline.cli", "migrate", "--noinput"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        with sqlite3.connect(tmp_path / "crownline.sqlite3") as db:
            tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert CACHE_TABLE in tables


@pytest.fixture
def big_list(cast, monkeypatch):
    """Lab A's published orders, 3 of them, with BIG_COUNT lowered to 3: a big list."""
    monkeypatch.setattr(listing, "BIG_COUNT", 3)
    monkeypatch.setattr(listing, "_known_big", set())
    monkeypatch.setattr(listing._later, "jobs", [], raising=False)
    for _ in range(3):
        publish_one(cast)
    return Order.objects.filter(lab=cast.lab_a, status="published")


def publish_one(cast) -> None:
    make_order(cast.admin_a, cast.customer_a1, status="published", service=cast.service_a, plan=False)


def remembered_through_one_served_through_the_other(cast, qs, one, two, monkeypatch) -> int:
    """Count `qs` through cache `one`, add an order, and count again through cache `two`."""
    key = listing._key("count", qs)
    assert one.get(key) is None and two.get(key) is None
    monkeypatch.setattr(listing, "cache", one)
    listing.count_orders(qs)  # the first big count (on PostgreSQL an estimate) ...
    listing._recount_after_response()  # ... made exact, as right after a response
    assert two.get(key)[0] == 3  # written through one connection, read through the other

    publish_one(cast)
    monkeypatch.setattr(listing, "cache", two)
    # Fresh, so served as remembered: recounting here would have said 4.
    return listing.count_orders(qs)


def test_a_count_remembered_in_the_database_cache_is_served_through_another_connection(cast, big_list, monkeypatch):
    config = cache_settings(None)["default"]
    handler = CacheHandler({"one": config, "two": config})
    one, two = handler["one"], handler["two"]
    assert one is not two

    assert remembered_through_one_served_through_the_other(cast, big_list, one, two, monkeypatch) == 3
    # It is in the database's table, not in this process's memory.
    table = connection.ops.quote_name(CACHE_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE cache_key LIKE %s", ["%orders-count:%"])  # noqa: S608
        assert cursor.fetchone()[0] == 1


@pytest.fixture
def redis_caches():
    """Two Redis cache connections (as two app servers have) under a key prefix of this test worker's."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except (redis.RedisError, OSError) as error:
        unreachable = f"{type(error).__name__}: {error}"
    else:
        unreachable = ""
    if unreachable:
        pytest.fail(
            f"Redis is not reachable at {REDIS_URL} ({unreachable}). The test suite needs a Redis server on "
            "127.0.0.1:6379: start it, e.g. `redis-server --daemonize yes --bind 127.0.0.1 --port 6379 "
            "--save '' --appendonly no` (.ci/run starts it when it is down).",
            pytrace=False,
        )
    prefix = f"crownline-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
    config = {**cache_settings(REDIS_URL)["default"], "KEY_PREFIX": prefix}
    handler = CacheHandler({"one": config, "two": config})
    try:
        yield handler["one"], handler["two"]
    finally:
        for cache in (handler["one"], handler["two"]):
            cache.close()
        # Never `cache.clear()`: that empties the whole Redis database, other workers' keys too.
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)
        client.close()


def test_a_count_remembered_in_redis_is_served_through_another_connection(cast, big_list, redis_caches, monkeypatch):
    one, two = redis_caches
    assert one is not two and one._cache is not two._cache

    assert remembered_through_one_served_through_the_other(cast, big_list, one, two, monkeypatch) == 3
    # It is in Redis, under this test's prefix.
    client = redis.Redis.from_url(REDIS_URL)
    assert len(list(client.scan_iter(match=f"{one.key_prefix}:*orders-count:*"))) == 1
    client.close()
