"""Settings of the bare app: DEBUG off, two middlewares, persistent connections.

BARE_DATABASE_URL names Crownline's database (postgres://… or sqlite:////path/crownline.sqlite3).
"""

from __future__ import annotations

import os

import dj_database_url

SECRET_KEY = os.environ.get("BARE_SECRET_KEY", "bare-benchmark-only-not-a-secret")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["bare"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]
ROOT_URLCONF = "bare.urls"
WSGI_APPLICATION = "bare.wsgi.application"
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_url = os.environ["BARE_DATABASE_URL"]
DATABASES = {"default": dj_database_url.parse(_url, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # What any app needs for concurrent writers on SQLite (the same as Crownline's): the
    # write lock at BEGIN, a busy timeout, WAL so readers go on during a write.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
LOGGING = {"version": 1, "disable_existing_loggers": False}
