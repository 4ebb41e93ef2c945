"""A signed-in session that owes a second factor gets nothing else.

- A person with an authenticator app whose session never passed a code (a door that asked
  only for the password, such as the admin's own sign-in page) is signed out and asked to
  sign in again, through the code step.
- Staff of a lab that requires two-factor sign-in, without an app yet, are sent to set one up
  before any other page; the API refuses their session's calls (tokens: crownline.tenancy).

A session that passed a code carries django-otp's device key and costs no query here; any
other signed-in session costs one (`two_factor.standing`), so a lab turning the rule on
reaches its staff on their next click, not their next sign-in.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from crownline.accounts import two_factor

API_PREFIX = "/api/"
# Where someone who must set up two-factor sign-in may still go: the setup itself, signing out.
OPEN_WHILE_SETTING_UP = ("account:security", "account:setup", "logout", "login")


def second_factor_verified(request: HttpRequest) -> bool:
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        from_session = getattr(request, "auth_token", None) is None
        if not from_session or not user.is_authenticated or second_factor_verified(request):
            return self.get_response(request)
        has_device, required = two_factor.standing(user)
        on_api = request.path.startswith(API_PREFIX)
        if has_device:
            logout(request)
            if on_api:
                return JsonResponse({"detail": "Sign in again, with your two-factor code."}, status=401)
            return redirect_to_login(request.get_full_path())
        if required and not request.path.startswith(self._open_paths()):
            detail = "A lab you work for requires two-factor sign-in: set it up first."
            if on_api:
                return JsonResponse({"detail": detail}, status=403)
            return redirect("account:setup")
        return self.get_response(request)

    @staticmethod
    def _open_paths() -> tuple[str, ...]:
        return tuple(reverse(name) for name in OPEN_WHILE_SETTING_UP)
