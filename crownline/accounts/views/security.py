"""The account security page: two-factor sign-in on and off, recovery codes, the password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordChangeView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from crownline.accounts import throttle, two_factor
from crownline.accounts.forms import CodeForm, SetupForm
from crownline.errors import DomainError, InvalidInput
from crownline.pages import show_error
from crownline.tenancy.lockout import lockout_response


@login_required
def security(request: HttpRequest) -> HttpResponse:
    return _security_page(request, CodeForm())


def _security_page(request: HttpRequest, form: CodeForm, status: int = 200) -> HttpResponse:
    user = request.user
    return render(request, "accounts/security.html", {
        "nav": "account", "has_device": two_factor.has_device(user), "required": two_factor.required_for(user),
        "codes_left": two_factor.recovery_codes_left(user), "form": form,
    }, status=status)


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """The QR code of a pending authenticator app, and the first code that confirms it."""
    if two_factor.has_device(request.user):
        messages.info(request, "Two-factor sign-in is already on.")
        return redirect("account:security")
    form = SetupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        # Not a sign-in: a mistyped first code proves nothing about anyone, so django-axes does
        # not count it (django-otp's own throttle still slows the device down).
        if form.is_valid():
            try:
                codes = two_factor.confirm(request.user, form.cleaned_data["code"])
            except DomainError as exc:
                show_error(request, exc, form)
            else:
                # This session has just proven the second factor: it need not sign in again.
                otp_login(request, two_factor.app_device(request.user))
                return _show_codes(request, codes, "Two-factor sign-in is on.")
        status = 422
    device = two_factor.pending_device(request.user)
    return render(request, "accounts/setup.html", {
        "nav": "account", "form": form, "qr": two_factor.qr_code(device), "secret": two_factor.secret(device),
        "required": two_factor.required_for(request.user),
    }, status=status)


@login_required
@require_POST
def turn_off(request: HttpRequest) -> HttpResponse:
    return _with_code(request, lambda code: two_factor.turn_off(request.user, code), "Two-factor sign-in is off.")


@login_required
@require_POST
def new_recovery_codes(request: HttpRequest) -> HttpResponse:
    return _with_code(request, lambda code: two_factor.replace_recovery_codes(request.user, code), None)


def _with_code(request: HttpRequest, act, done: str | None) -> HttpResponse:
    form = CodeForm(request.POST)
    if throttle.locked_out(request, request.user.get_username()):
        return lockout_response(request)
    try:
        if not form.is_valid():
            raise InvalidInput("code", "Enter a code.")
        result = act(form.cleaned_data["code"])
    except DomainError as exc:
        _count_wrong_code(request, exc)
        show_error(request, exc, form)
        return _security_page(request, form, exc.status_code)
    if result is not None:
        return _show_codes(request, result, "New recovery codes; the old ones no longer work.")
    messages.success(request, done)
    return redirect("account:security")


def _count_wrong_code(request: HttpRequest, exc: DomainError) -> None:
    # A wrong code is a failed sign-in wherever it is typed: a borrowed session cannot guess codes.
    if isinstance(exc, InvalidInput) and exc.field == "code":
        throttle.count_failure(request, request.user.get_username())


def _show_codes(request: HttpRequest, codes: list[str], done: str) -> HttpResponse:
    messages.success(request, done)
    # Shown once, never stored in clear: the page must not be kept by a cache.
    response = render(request, "accounts/recovery_codes.html", {"nav": "account", "codes": codes})
    response["Cache-Control"] = "no-store"
    return response


class PasswordChange(PasswordChangeView):
    """Django's own view; the password's change ends every API token (a receiver in tenancy.models),
    and this session stays signed in."""

    template_name = "accounts/password.html"
    success_url = reverse_lazy("account:security")

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, "Password changed. Your API tokens no longer work: sign the scripts in again.")
        return response
