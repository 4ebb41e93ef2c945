"""Django settings for Crownline.

Everything that differs between a laptop and a production server comes from the
environment; the defaults give a working single-machine install on SQLite.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_email_url
from django.core.exceptions import ImproperlyConfigured

from crownline.dbsettings import cache_settings, database_settings
from crownline.files.storage_url import StorageUrlError, storage_settings
from crownline.netaddr import parse_trusted_proxies

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
    # Two-factor sign-in: authenticator-app (TOTP) devices and single-use recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "crownline.accounts",
    "crownline.catalog",
    "crownline.customers",
    "crownline.pricing",
    "crownline.orders",
    "crownline.billing",
    "crownline.invitations",
    "crownline.workplan",
    "crownline.schedule",
    "crownline.files",
    "crownline.outsourcing",
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
    # Before anything reads a body: refuses an oversize one with 413 (crownline/bodylimit.py).
    "crownline.bodylimit.BodyLimitMiddleware",
    # An API body that is not JSON gets 415 before the CSRF check or the throttle parse it as a form.
    "crownline.http.JsonBodyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Resolves the caller once (session or bearer token): request.user, request.auth_token.
    "crownline.auth.CallerMiddleware",
    "crownline.audit.middleware.AuditMiddleware",
    # A signed-in session that owes a second factor gets the sign-in or the setup page, nothing else.
    "crownline.accounts.middleware.SecondFactorMiddleware",
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
            # `{{ amount|money:currency }}` on every page and printed document, without a load tag.
            "builtins": ["crownline.pricing.templatetags.money"],
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

# ---- what one order may hold, and what a print may cost -------------------------------------
# Every comment and task of an order is read by every page and print of it, so one person must
# not be able to grow an order without end. Public and internal comments are counted apart: a
# customer's "this order is full" must not tell them how many internal notes the lab wrote.
CROWNLINE_MAX_COMMENTS_PER_ORDER = int(os.environ.get("CROWNLINE_MAX_COMMENTS_PER_ORDER", "200"))
CROWNLINE_MAX_TASKS_PER_ORDER = int(os.environ.get("CROWNLINE_MAX_TASKS_PER_ORDER", "100"))
# The order form prints the newest comments and history entries, and says how many it left out.
CROWNLINE_PRINT_MAX_COMMENTS = int(os.environ.get("CROWNLINE_PRINT_MAX_COMMENTS", "20"))
CROWNLINE_PRINT_MAX_HISTORY = int(os.environ.get("CROWNLINE_PRINT_MAX_HISTORY", "100"))
# Seconds one PDF may take; a render past it is killed and answered 503 with Retry-After.
# 0 renders in the worker itself, without the forked child and its limit.
CROWNLINE_PDF_TIMEOUT = float(os.environ.get("CROWNLINE_PDF_TIMEOUT", "10"))

# Where people reach this install: printed QR codes link to `<base URL>/orders/<number>`.
CROWNLINE_BASE_URL = os.environ.get("CROWNLINE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# ---- e-mail (invitations, registration links) -----------------------------------------------
# Django's e-mail API: SMTP from CROWNLINE_EMAIL_URL (dj-email-url, e.g.
# submission://user:password@smtp.example.com:587), else the console: in development the mails
# are printed by the server (the tests read Django's outbox).
if os.environ.get("CROWNLINE_EMAIL_URL"):
    _email = dj_email_url.parse(os.environ["CROWNLINE_EMAIL_URL"])
    # A mail server that hangs must not hold a worker for ever (?timeout=N in the URL overrides).
    _email["EMAIL_TIMEOUT"] = _email["EMAIL_TIMEOUT"] or 10
    globals().update(_email)  # EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS, ...
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("CROWNLINE_EMAIL_FROM", "Crownline <crownline@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# An invitation link works once, for this many days.
CROWNLINE_INVITATION_DAYS = int(os.environ.get("CROWNLINE_INVITATION_DAYS", "7"))

# ---- signing in -------------------------------------------------------------------------
# django-axes counts failed sign-ins (login page and token endpoint alike) per account and
# address together, plus a higher limit per address over all accounts against password
# spraying (crownline/tenancy/lockout.py), and refuses for a while past a limit.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("CROWNLINE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("CROWNLINE_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
CROWNLINE_LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("CROWNLINE_LOGIN_ADDRESS_FAILURE_LIMIT", "50"))
# Off by default: it would let anyone who knows a login keep its owner out.
CROWNLINE_LOGIN_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("CROWNLINE_LOGIN_ACCOUNT_FAILURE_LIMIT", "0"))
AXES_HANDLER = "crownline.tenancy.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "crownline.netaddr.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "crownline.tenancy.lockout.lockout_response"
AXES_VERBOSE = False

# API tokens end: a new token works this many days (crownline/tenancy/tokens.py).
CROWNLINE_TOKEN_DAYS = int(os.environ.get("CROWNLINE_TOKEN_DAYS", "90"))
# Two-factor sign-in (django-otp): the name authenticator apps show next to the code.
OTP_TOTP_ISSUER = "Crownline"

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
# Who may tell us the client's address in X-Forwarded-For: the proxies' addresses or networks
# ("127.0.0.1,10.0.0.0/8") or their number ("1"); empty trusts no one (crownline/netaddr.py).
# Checked here so that a typo stops the start instead of silently trusting no one.
CROWNLINE_TRUSTED_PROXIES = os.environ.get("CROWNLINE_TRUSTED_PROXIES", "")
parse_trusted_proxies(CROWNLINE_TRUSTED_PROXIES)
SECURE_SSL_REDIRECT = not DEBUG and os.environ.get("CROWNLINE_SSL_REDIRECT", "1") == "1"
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Bounded request bodies, on pages and API alike: an order with 50 lines is a few KB. Bodies
# above CROWNLINE_MAX_BODY_BYTES get 413 before a byte is read (crownline/bodylimit.py); the
# files issue will raise it for its upload endpoints only. Django's limits below bound the rest:
# what is held in memory (form fields and JSON, and file parts, which the first does not count),
# the number of fields (a 50-line order form has about 400) and of files (no page takes any yet).
CROWNLINE_MAX_BODY_BYTES = int(os.environ.get("CROWNLINE_MAX_BODY_BYTES", str(256 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = CROWNLINE_MAX_BODY_BYTES
# A file part above this goes to a temporary file as it arrives (FILE_UPLOAD_TEMP_DIR, the
# system's by default), so an upload of 200 MB never sits in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = CROWNLINE_MAX_BODY_BYTES
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# The upload routes take one file per request; a few more are parsed (and refused) at most.
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# ---- files on orders (crownline/files) ---------------------------------------------------------
# One file, and all the files of one order together. The upload routes alone take a body of
# one file's size (crownline/bodylimit.py); every other route keeps CROWNLINE_MAX_BODY_BYTES.
CROWNLINE_MAX_FILE_BYTES = int(os.environ.get("CROWNLINE_MAX_FILE_BYTES", str(200 * 1024 * 1024)))
CROWNLINE_MAX_ORDER_FILES_BYTES = int(os.environ.get("CROWNLINE_MAX_ORDER_FILES_BYTES", str(2 * 1024**3)))
CROWNLINE_MAX_FILES_PER_ORDER = int(os.environ.get("CROWNLINE_MAX_FILES_PER_ORDER", "100"))
# Where the bytes are kept (crownline/files/storage_url.py): the data folder by default, any
# S3-compatible store with CROWNLINE_STORAGE_URL=s3://bucket/prefix?endpoint_url=…&region=….
try:
    _files_storage = storage_settings(os.environ.get("CROWNLINE_STORAGE_URL"), DATA_DIR)
except StorageUrlError as exc:
    raise ImproperlyConfigured(str(exc)) from exc
STORAGES = {
    "default": _files_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The audit log folds anonymous refusals per address and minute, and adds at most this many
# entries per address and hour; the last one counts the rest (crownline/audit/recording.py).
CROWNLINE_AUDIT_ANONYMOUS_ROWS_PER_HOUR = 10

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
