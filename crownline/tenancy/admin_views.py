"""Lab admin pages: the lab's settings and its team. The services check the admin role."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from crownline.errors import DomainError, InvalidInput
from crownline.orders.lifecycle import Role
from crownline.orders.views import lab_page
from crownline.tenancy import services
from crownline.tenancy.context import lab_context
from crownline.tenancy.models import Lab, Membership


def admin_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page of the current lab's admin. The services check the role again on every write."""

    @lab_page
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not lab_context(request).is_admin:
            return render(request, "tenancy/not_admin.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def show_error(request: HttpRequest, exc: DomainError, form: forms.Form) -> None:
    """A service's refusal next to its field when the form has it, else as a page message."""
    if isinstance(exc, InvalidInput) and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        messages.error(request, exc.message if isinstance(exc, InvalidInput) else exc.detail)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = Lab
        fields = ["name", "currency", "time_zone", "payment_instructions", "plan_work_on_publish", "contacts"]
        labels = {"plan_work_on_publish": "Plan the work automatically when an order is published"}
        widgets = {"payment_instructions": forms.Textarea(attrs={"rows": 4}),
                   "contacts": forms.Textarea(attrs={"rows": 3})}


@admin_page
def lab_settings(request: HttpRequest) -> HttpResponse:
    lab = lab_context(request).lab
    form = SettingsForm(request.POST or None, instance=Lab.objects.get(pk=lab.pk))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_settings(request.user, lab.slug, dict(form.cleaned_data))
            except DomainError as exc:
                show_error(request, exc, form)
            else:
                messages.success(request, "Settings saved.")
                return redirect("lab:settings")
        status = 422
    return render(request, "tenancy/settings.html", {"nav": "lab", "form": form, "tab": "settings"}, status=status)


class MemberForm(forms.Form):
    username = forms.RegexField(regex=r"^[\w.@+-]+$", max_length=150)
    password = forms.CharField(widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), required=False,
                               help_text="For a new login; leave empty to add an existing user.")
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    role = forms.ChoiceField(choices=[(Role.TECHNICIAN.value, "Technician"), (Role.ADMIN.value, "Lab admin")])


@admin_page
def team(request: HttpRequest) -> HttpResponse:
    lab = lab_context(request).lab
    form = MemberForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.add_member(request.user, lab.slug, username=d["username"], password=d["password"],
                                    role=Role(d["role"]), first_name=d["first_name"], last_name=d["last_name"])
            except DomainError as exc:
                show_error(request, exc, form)
            else:
                messages.success(request, f"{d['username']} joined the team.")
                return redirect("lab:team")
        status = 422
    members = Membership.objects.filter(lab=lab).select_related("user").order_by("-is_active", "user__username")
    return render(request, "tenancy/team.html", {"nav": "lab", "tab": "team", "form": form, "members": members},
                  status=status)


@admin_page
@require_POST
def set_active(request: HttpRequest, user_id: int) -> HttpResponse:
    lab = lab_context(request).lab
    active = request.POST.get("active") == "1"
    try:
        member = services.set_member_active(request.user, lab.slug, user_id, active=active)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"{member.user.username} is {'active' if active else 'deactivated'}.")
    return redirect("lab:team")
