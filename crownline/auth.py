"""Who is calling: resolved once per request by `CallerMiddleware`, read by everything after it.

`CallerMiddleware` sits right after django.contrib.auth's AuthenticationMiddleware and sets

- `request.user`: the caller (an AnonymousUser when nobody is signed in), and
- `request.auth_token`: the `ApiToken` row (with its user loaded) that authenticated the
  request, or None when the caller came from the session or is nobody.

The API's auth classes below, the audit log and the Idempotency-Key middleware (the last two
through `caller()`) read these attributes; none of them looks a token up again, so a request
costs at most one query for its bearer token (`ApiToken.find`), none on pages. The token, its
user and the user's lab roles come from the shared cache when a recent request with the same
token put them there (`crownline.customers.callers`): no SQL query with Redis.

Precedence:

1. On the API (paths under `/api/`) an `Authorization: Bearer <token>` header, when present,
   decides alone. A live token of an active user makes that user the caller. Any other token
   (unknown, expired, revoked, empty, of a deactivated user, or issued without a second factor
   to staff of a lab that now requires one: `ApiToken.find`) makes the caller anonymous, so the
   API answers 401, even when the browser also sends a signed-in session cookie: a script's
   broken credentials are reported, never silently replaced by whoever is signed in in
   that browser. A token request needs no CSRF token (no cookie authenticated it).
2. Otherwise the caller is the session user, as AuthenticationMiddleware loads it (lazily).
   On the API a session may read freely but every unsafe method goes through Django's CSRF
   check (`SessionAuth` below), so another site cannot replay a page's cookie.
3. Pages (everything outside `/api/`) are session-only, as they always were: they ignore a
   bearer header (a page asked with one and no session redirects to the sign-in page) and
   spend no query on it.

Only the Bearer scheme counts: an `Authorization` header of another scheme (Basic, …) is
ignored, and the session decides.

Under the API, a caller that is neither a valid token nor a signed-in session gets 401
(`crownline.api.unauthenticated`); a signed-in session without the CSRF token gets 403.
CSRF protects a cookie that signs someone in, so it is checked only then: ninja's own session
auth checked it first and answered "403 CSRF check Failed" to anonymous and bad-token writes
(`tests/test_authentication.py` tries every unsafe operation without a session).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from crownline.customers.callers import token_caller
from crownline.tenancy.models import ApiToken

API_PREFIX = "/api/"


def bearer_token(request: HttpRequest) -> str | None:
    """The token of an `Authorization: Bearer` header ("" when it names none), or None without one."""
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def caller(request: HttpRequest):
    """The signed-in user this request acts for, as `CallerMiddleware` resolved it, or None."""
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class CallerMiddleware:
    """Resolves the caller once: sets `request.user` and `request.auth_token` (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not hasattr(request, "user"):
            raise ImproperlyConfigured(
                "crownline.auth.CallerMiddleware goes after django.contrib.auth.middleware.AuthenticationMiddleware"
            )
        request.auth_token = None
        raw = bearer_token(request) if request.path.startswith(API_PREFIX) else None
        if raw is not None:
            # The header decides: the session user (still lazy) is never loaded.
            request.auth_token = token_caller(raw)
            user = request.auth_token.user if request.auth_token is not None else AnonymousUser()
            request.user = user

            async def auser():
                return user

            request.auser = auser
        return self.get_response(request)


def _resolved_token(request: HttpRequest) -> ApiToken | None:
    try:
        return request.auth_token
    except AttributeError:
        raise ImproperlyConfigured("the API needs crownline.auth.CallerMiddleware in MIDDLEWARE") from None


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`: answers with the user `CallerMiddleware` found, without a query."""

    def __call__(self, request: HttpRequest):
        if bearer_token(request) is None:
            return None
        return self.authenticate(request, "")

    def authenticate(self, request: HttpRequest, token: str):
        found = _resolved_token(request)
        return found.user if found is not None else None


class SessionAuth(NinjaSessionAuth):
    """The browser's session cookie, with Django's CSRF check for unsafe methods.

    Named as ninja's own class so the OpenAPI security scheme keeps its name. It stands aside
    when a bearer header was sent (the header decides, see the module docstring) and for a
    visitor who is not signed in (401, not a CSRF refusal: there is no session to protect).
    """

    def __call__(self, request: HttpRequest):
        _resolved_token(request)
        if bearer_token(request) is not None or not request.user.is_authenticated:
            return None
        return super().__call__(request)  # the CSRF check (403 when it fails), then request.user


API_AUTH = [BearerToken(), SessionAuth()]
