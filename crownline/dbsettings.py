"""The database and cache settings, built from the environment's URLs.

Plain functions of their inputs (no Django import, nothing from crownline's apps), so that
`crownline/settings.py` calls them once and the tests can call them with any URL.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url

SQLITE_ENGINES = ("django.db.backends.sqlite3", "django.contrib.gis.db.backends.spatialite")

# Every SQLite database, the default file or one given by DATABASE_URL=sqlite:///…, runs with
# these: IMMEDIATE takes the write lock when a transaction starts, so two writers queue behind
# the busy timeout (seconds) instead of failing half-way with "database is locked"; WAL lets
# readers go on while one writes.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}

# The table of the database cache (created by `crownline migrate`, see crownline/maintenance/apps.py).
CACHE_TABLE = "crownline_cache"


def database_settings(url: str | None, data_dir: Path) -> dict:
    """Django's settings of the default database: `url` (DATABASE_URL) when given, else the
    SQLite file in `data_dir`."""
    if not url:
        data_dir.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": data_dir / "crownline.sqlite3",
            "OPTIONS": dict(SQLITE_OPTIONS),
            "TEST": {"NAME": data_dir / "test-crownline.sqlite3"},
        }
    database = dj_database_url.parse(url)
    if database["ENGINE"] in SQLITE_ENGINES:
        # Options in the URL's query string (e.g. `?timeout=5`) still win.
        database["OPTIONS"] = {**SQLITE_OPTIONS, **database.get("OPTIONS", {})}
        return database
    # A server: keep connections for a minute, checked before each request reuses one.
    return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)


def cache_settings(redis_url: str | None) -> dict:
    """Django's CACHES: Redis at `redis_url` (CROWNLINE_REDIS_URL) when given, else a table of
    the database. Either is shared by every worker process and app server."""
    if redis_url:
        return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            # Each big list a caller looks at is one entry; Django's default of 300 is small.
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }
