"""Invitation pages: the lab admin's list, the page an invitation link opens, open registration."""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from crownline.customers.models import Customer
from crownline.errors import DomainError, NotFound
from crownline.invitations import acceptance, registration, services
from crownline.invitations.forms import InviteForm, RegisterForm, SignUpForm
from crownline.pages import SESSION_KEY, admin_page, lab_context, refusal_text, show_error


@admin_page
def invitation_list(request: HttpRequest) -> HttpResponse:
    lab = lab_context(request).lab
    customers = Customer.objects.filter(lab=lab, user=None).order_by("name")
    form = InviteForm(request.POST or None, customers=customers)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.invite(request.user, lab.slug, email=d["email"], role=d["role"], name=d["name"],
                                customer=d["customer"])
            except DomainError as exc:
                show_error(request, exc, form)
            else:
                messages.success(request, f"Invitation sent to {d['email']}.")
                return redirect("lab:invitations")
        status = 422
    return render(request, "invitations/list.html", {
        "nav": "lab", "tab": "invitations", "form": form,
        "invitations": services.open_invitations(request.user, lab.slug),
    }, status=status)


@admin_page
@require_POST
def resend(request: HttpRequest, invitation_id: int) -> HttpResponse:
    try:
        invitation = services.resend(request.user, lab_context(request).lab.slug, invitation_id)
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, f"A new link went to {invitation.email}; the old one no longer works.")
    return redirect("lab:invitations")


@admin_page
@require_POST
def revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    try:
        services.revoke(request.user, lab_context(request).lab.slug, invitation_id)
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, "Invitation revoked: its link no longer works.")
    return redirect("lab:invitations")


def open_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """What the e-mail's link opens: accept (signed in) or create a login (signed out)."""
    try:
        invitation = acceptance.usable(token)
    except NotFound as exc:
        return render(request, "invitations/invalid.html", {"reason": exc.detail}, status=404)
    signed_in = request.user.is_authenticated
    form = SignUpForm(request.POST or None) if not signed_in else None
    status = 200
    if request.method == "POST":
        try:
            if signed_in:
                invitation = acceptance.accept(request.user, token)
            elif form.is_valid():
                d = form.cleaned_data
                user = acceptance.sign_up_and_accept(token, username=d["username"], password=d["password"],
                                                     first_name=d["first_name"], last_name=d["last_name"])
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                status = 422
        except NotFound as exc:
            return render(request, "invitations/invalid.html", {"reason": exc.detail}, status=404)
        except DomainError as exc:
            if form is not None:
                show_error(request, exc, form)
            else:
                messages.error(request, refusal_text(exc))
            status = exc.status_code
        else:
            if status == 200:
                request.session[SESSION_KEY] = invitation.lab_id
                messages.success(request, f"Welcome to {invitation.lab.name}.")
                return redirect("orders:list")
    return render(request, "invitations/open.html", {"invitation": invitation, "form": form, "token": token},
                  status=status)


def register(request: HttpRequest, slug: str) -> HttpResponse:
    """A lab's public sign-up page for dentists; 404 unless the lab turned it on."""
    try:
        lab = registration.open_lab(slug)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    form = RegisterForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                registration.register(slug, name=form.cleaned_data["name"], email=form.cleaned_data["email"],
                                      address=get_client_ip_address(request))
            except NotFound as exc:
                raise Http404(exc.detail) from exc
            except DomainError as exc:
                show_error(request, exc, form)
                status = exc.status_code
            else:
                return render(request, "invitations/check_inbox.html", {"lab": lab})
        else:
            status = 422
    return render(request, "invitations/register.html", {"lab": lab, "form": form}, status=status)
