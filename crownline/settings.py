"""Django settings for Crownline.

Everything that differs between a laptop and a production server comes from the
environment; the defaults give a working single-machine install on SQLite.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from crownline.dbsettings import cache_settings, database_settings

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
    "django_htmx",
    "crownline.tenancy",
    "crownline.catalog",
    "crownline.customers",
    "crownline.orders",
    "crownline.workplan",
    "crownline.demo",
    "crownline.documents",
    "crownline.maintenance",
    "crownline.idempotency",
    "crownline.audit",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Resolves the caller once (session or bearer token): request.user, request.auth_token.
    "crownline.auth.CallerMiddleware",
    "crownline.audit.middleware.AuditMiddleware",
    "crownline.idempotency.middleware.IdempotencyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the response below.
    "axes.middleware.AxesMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "crownline.urls"
WSGI_APPLICATION = "crownline.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "crownline.pages.current_lab",
            ],
        },
    },
]


# SQLite, the default file or DATABASE_URL=sqlite:///…, always gets WAL, a 20 s busy timeout and
# IMMEDIATE transactions (crownline/dbsettings.py); PostgreSQL keeps connections for a minute.
DATABASES = {"default": database_settings(os.environ.get("DATABASE_URL"), DATA_DIR)}

# Shared by every worker process and app server (the order lists' remembered counts live here):
# a table of the database by default, created by `crownline migrate`; Redis when
# CROWNLINE_REDIS_URL is set (e.g. redis://127.0.0.1:6379/0).
CACHES = cache_settings(os.environ.get("CROWNLINE_REDIS_URL"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "orders:list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Upper bound on one page of a list endpoint: a client cannot ask the server for everything.
CROWNLINE_MAX_PAGE_SIZE = 100

# Where people reach this install: printed QR codes link to `<base URL>/orders/<number>`.
CROWNLINE_BASE_URL = os.environ.get("CROWNLINE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# ---- signing in -------------------------------------------------------------------------
# django-axes counts failed sign-ins (login page and token endpoint alike) per account and
# per address, and refuses both for a while once either passes the limit.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("CROWNLINE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("CROWNLINE_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "crownline.tenancy.lockout.lockout_response"
AXES_VERBOSE = False

# ---- production hardening (CROWNLINE_DEBUG=0) ---------------------------------------------
if not DEBUG:
    _missing = [name for name in ("CROWNLINE_SECRET_KEY", "CROWNLINE_ALLOWED_HOSTS") if not os.environ.get(name)]
    if _missing:
        raise ImproperlyConfigured(f"Production mode (CROWNLINE_DEBUG=0) needs {', '.join(_missing)} to be set.")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = 0 if DEBUG else 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# Behind a TLS-terminating proxy, set CROWNLINE_BEHIND_TLS_PROXY=1 so Django trusts its header.
if os.environ.get("CROWNLINE_BEHIND_TLS_PROXY") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = not DEBUG and os.environ.get("CROWNLINE_SSL_REDIRECT", "1") == "1"
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Bounded request bodies: an order with 50 lines is a few KB; refuse megabytes early.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

# Content Security Policy (django-csp): our own scripts and styles only, no inline code, no
# framing. The print preview is exempted in crownline/documents/api.py (WeasyPrint's stylesheet
# is inline there by design).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The hash is that of an empty style attribute, which htmx writes while it settles a
        # swapped element; nothing else inline is allowed.
        "style-src": ["'self'", "'unsafe-hashes'", "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
