"""Sign-in throttling (django-axes): when a caller is locked out, and what they are told.

Failures are counted per account *and* address (`AXES_LOCKOUT_PARAMETERS`): five wrong
passwords for one login from one address lock that login from that address only, so one person
behind the lab's proxy or office router cannot lock the whole lab out, nor a stranger lock a
dentist out of their own account from elsewhere. The address is the client's as
`crownline.netaddr.client_address` finds it through the trusted proxies.

That alone would let one address try a few passwords on every account (password spraying), so
`LockoutHandler` adds a second, higher limit per address over all accounts
(`CROWNLINE_LOGIN_ADDRESS_FAILURE_LIMIT`, 50 by default). A limit per account over all addresses
(`CROWNLINE_LOGIN_ACCOUNT_FAILURE_LIMIT`) slows a guesser spread over many addresses, but hands
anyone who knows a login a way to keep its owner out, so it is off (0) unless a lab turns it on;
two-factor sign-in is the answer to that attack.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler with the wider per-address (and optional per-account) limits."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)  # this account from this address
        limit = get_failure_limit(request, credentials)
        if failures >= limit:
            return failures
        # axes compares one number with one limit; a wider limit reached counts as this one reached.
        if _reached(settings.CROWNLINE_LOGIN_ADDRESS_FAILURE_LIMIT, request, ip_address=request.axes_ip_address):
            return limit
        username = get_client_username(request, credentials)
        if username and _reached(settings.CROWNLINE_LOGIN_ACCOUNT_FAILURE_LIMIT, request, username=username):
            return limit
        return failures


def _reached(limit: int, request: HttpRequest, **which: str | None) -> bool:
    if limit <= 0:
        return False
    recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request), **which)
    return (recent.aggregate(n=Sum("failures_since_start"))["n"] or 0) >= limit


def _minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    message = f"Too many failed sign-ins. Try again in {_minutes()} minutes."
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = HttpResponse(
            f"<!doctype html><title>Signed out for a while</title><h1>Please wait</h1><p>{message}</p>",
            status=429,
        )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
