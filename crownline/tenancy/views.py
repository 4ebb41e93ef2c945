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
from crownline.tenancy.money_settings import MONEY_SETTINGS


class SettingsForm(forms.ModelForm):
    # Written with spaces as banks print them ("DE89 3704 ..."); the service keeps them compact.
    iban = forms.CharField(max_length=50, required=False, label="IBAN",
                           help_text="Printed on invoices with a payment QR code.")
    bic = forms.CharField(max_length=20, required=False, label="BIC")
    payment_currencies = forms.CharField(
        max_length=200, required=False, label="Other payment currencies",
        help_text="Currencies customers may be billed in besides the lab's own, e.g. “CHF USD”.",
    )

    class Meta:
        model = Lab
        fields = ["name", "currency", "time_zone", "payment_instructions", "plan_work_on_publish", "contacts",
                  "paper_size", "open_registration", "require_two_factor",
                  "default_tax_rate", "payment_currencies", "legal_name", "legal_address", "tax_id", "iban", "bic",
                  "invoice_instructions", "invoice_patient", "balance_overdraft", "shipping_days"]
        labels = {"plan_work_on_publish": "Plan the work automatically when an order is published",
                  "open_registration": "Dentists may sign up to this lab on its public registration page",
                  "require_two_factor": "Staff must sign in with two-factor authentication",
                  "default_tax_rate": "Default tax rate (%)",
                  "legal_name": "Legal name (on invoices)",
                  "legal_address": "Legal address (on invoices)",
                  "tax_id": "Tax number (VAT ID)",
                  "invoice_instructions": "Invoice instructions",
                  "invoice_patient": "Patients on invoices",
                  "balance_overdraft": "Prepaid funds may go below zero by",
                  "shipping_days": "Shipping days to the dentist"}
        help_texts = {"shipping_days": "Working days a parcel takes: due dates from a patient's appointment "
                                       "leave this much time.",
                      "default_tax_rate": "For services that name no tax rate of their own; 0 is allowed.",
                      "balance_overdraft": "0: an order is paid from a customer's funds only when they cover it."}
        widgets = {"payment_instructions": forms.Textarea(attrs={"rows": 4}),
                   "contacts": forms.Textarea(attrs={"rows": 3}),
                   "legal_address": forms.Textarea(attrs={"rows": 3}),
                   "invoice_instructions": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.pk and not self.is_bound:
            self.initial["payment_currencies"] = " ".join(self.instance.billing_currencies[1:])
        # A form that leaves a money setting out (an older client, a test) keeps the lab's value.
        for name in ("default_tax_rate", "invoice_patient", "balance_overdraft", "shipping_days"):
            self.fields[name].required = False

    def changes(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items()
                if name not in MONEY_SETTINGS or (name in self.data and value not in (None, ""))
                or (name in TEXTS and name in self.data)}


TEXTS = {"payment_currencies", "legal_name", "legal_address", "tax_id", "iban", "bic", "invoice_instructions"}


@admin_page
def lab_settings(request: HttpRequest) -> HttpResponse:
    lab = lab_context(request).lab
    form = SettingsForm(request.POST or None, instance=Lab.objects.get(pk=lab.pk))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_settings(request.user, lab.slug, form.changes())
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
