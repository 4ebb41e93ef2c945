"""Signing in on the pages: the password first, then the code when the login has an
authenticator app. Between the two steps nobody is signed in: the session only remembers
whose password was right, for a few minutes."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_otp import login as otp_login

from crownline.accounts import throttle, two_factor
from crownline.accounts.forms import CodeForm
from crownline.tenancy.lockout import lockout_response

PENDING = "crownline_pending_sign_in"
PENDING_SECONDS = 300


class SignInView(LoginView):
    """Django's sign-in page (django-axes counts its failures), stopping short of signing in
    when the login has an authenticator app."""

    template_name = "registration/login.html"

    def form_valid(self, form) -> HttpResponse:
        user = form.get_user()
        if not two_factor.has_device(user):
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk, "backend": user.backend, "since": time.time(), "next": self.get_success_url(),
        }
        return redirect("login-code")


def sign_in_code(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING)
    user = None
    if pending and time.time() - pending["since"] < PENDING_SECONDS:
        user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        request.session.pop(PENDING, None)
        messages.info(request, "Please sign in again.")
        return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if throttle.locked_out(request, user.get_username()):
            return lockout_response(request)
        device = two_factor.verify(user, form.cleaned_data["code"])
        if device is not None:
            del request.session[PENDING]
            login(request, user, backend=pending["backend"])
            otp_login(request, device)
            return redirect(pending["next"])
        # Counted as a failed sign-in: past the limit django-axes turns this answer into a lockout.
        throttle.count_failure(request, user.get_username())
        form.add_error("code", "That code is not right.")
    status = 422 if request.method == "POST" else 200
    return render(request, "registration/login_code.html", {"form": form}, status=status)
