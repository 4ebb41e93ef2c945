"""Sign-in throttling (django-axes) for the second step: a wrong code counts as a failed
sign-in, exactly as a wrong password does, so guessing codes locks the account out too.

django-axes counts what `django.contrib.auth.authenticate` reports; a code is checked after
it, so the doors report a wrong code themselves through the same signal.
"""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest


def _credentials(username: str) -> dict[str, str]:
    return {"username": username}


def locked_out(request: HttpRequest, username: str) -> bool:
    """Has this account (or address) failed too often to be let try again now?"""
    return not AxesProxyHandler.is_allowed(request, _credentials(username))


def count_failure(request: HttpRequest, username: str) -> None:
    """A wrong code: one more failure for django-axes (it locks out past the limit)."""
    user_login_failed.send(sender=__name__, credentials=_credentials(username), request=request)
