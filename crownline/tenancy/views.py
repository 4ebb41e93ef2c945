"""Lab pages: the lab switcher, and the lab admin's settings and team pages (the services check the
admin role again)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from crownline.errors import DomainError
from crownline.numbers import parse_id
from crownline.pages import admin_page, choose_lab, lab_context, show_error
from crownline.tenancy import services
from crownline.tenancy.models import Lab, Membership


class SettingsForm(forms.ModelForm):
    class Meta:
        model = Lab
        fields = ["name", "currency", "time_zone", "payment_instructions", "plan_work_on_publish", "contacts",
                  "paper_size", "open_registration", "require_two_factor"]
        labels = {"plan_work_on_publish": "Plan the work automatically when an order is published",
                  "open_registration": "Dentists may sign up to this lab on its public registration page",
                  "require_two_factor": "Staff must sign in with two-factor authentication"}
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


@admin_page
@require_GET
def team(request: HttpRequest) -> HttpResponse:
    # Nobody is added here: colleagues join by accepting an invitation (the Invitations tab).
    lab = lab_context(request).lab
    members = Membership.objects.filter(lab=lab).select_related("user").order_by("-is_active", "user__username")
    return render(request, "tenancy/team.html", {"nav": "lab", "tab": "team", "members": members})


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


@login_required
@require_POST
def switch_lab(request: HttpRequest) -> HttpResponse:
    lab_id = parse_id(request.POST.get("lab", ""))  # "²" and "٣" pass str.isdigit(); parse_id refuses them
    if lab_id is None or not choose_lab(request, lab_id):
        messages.error(request, "You do not work with that lab.")
    # Every page but the list belongs to one lab: after switching, start from the list.
    return redirect("orders:list")
