"""Django settings for Crownline.

Everything that differs between a laptop and a production server comes from the
environment; the defaults give a working single-machine install on SQLite.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("CROWNLINE_DATA_DIR", BASE_DIR.parent / "data"))

DEBUG = os.environ.get("CROWNLINE_DEBUG", "1") == "1"
# The default key is only for the embedded development set-up; production sets its own.
SECRET_KEY = os.environ.get("CROWNLINE_SECRET_KEY", "crownline-dev-only-insecure-key")
ALLOWED_HOSTS = [h for h in os.environ.get("CROWNLINE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "crownline.tenancy",
    "crownline.catalog",
    "crownline.customers",
    "crownline.orders",
    "crownline.workplan",
    "crownline.demo",
    "crownline.documents",
    "crownline.maintenance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "crownline.urls"
WSGI_APPLICATION = "crownline.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "crownline.sqlite3",
        "OPTIONS": {
            # IMMEDIATE takes the write lock when a transaction starts, so two writers
            # queue behind the busy timeout instead of failing half-way with "locked".
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
        "TEST": {"NAME": DATA_DIR / "test-crownline.sqlite3"},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "/admin/login/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"

# Upper bound on one page of a list endpoint: a client cannot ask the server for everything.
CROWNLINE_MAX_PAGE_SIZE = 100

# Where people reach this install: printed QR codes link to `<base URL>/orders/<number>`.
CROWNLINE_BASE_URL = os.environ.get("CROWNLINE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
