"""Lab admin pages for the service catalogue, each service with its ordered task templates."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from crownline.catalog.models import Service
from crownline.catalog.services import TemplateInput, save_service
from crownline.errors import DomainError
from crownline.numbers import money_problem
from crownline.pages import admin_page, lab_context, show_error


class ServiceForm(forms.Form):
    name = forms.CharField(max_length=200)
    group = forms.CharField(max_length=100, required=False)
    price = forms.DecimalField(min_value=0, max_digits=12, decimal_places=2)
    tax_rate = forms.DecimalField(required=False, min_value=0, max_value=100, max_digits=5, decimal_places=2,
                                  label="Tax rate (%)", help_text="Blank: the lab's default rate.")
    is_active = forms.BooleanField(required=False, initial=True, label="Offered to customers")
    production_days = forms.IntegerField(
        required=False, min_value=0, max_value=365, label="Production days",
        help_text="Working days it takes; a new order is due this long after it is published. Blank: not set.",
    )
    templates = forms.CharField(
        required=False, label="Tasks, in order", widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One task per line; add the default pay after a bar, e.g. “Model | 12.50”.",
    )

    def clean_templates(self) -> list[TemplateInput]:
        result = []
        for number, raw in enumerate(self.cleaned_data["templates"].splitlines(), start=1):
            name, _, pay = (part.strip() for part in raw.partition("|"))
            if not name:
                continue
            try:
                amount = Decimal(pay or "0")
            except InvalidOperation as exc:
                raise forms.ValidationError(f"line {number}: “{pay}” is not an amount") from exc
            # The services' own rule: "NaN" parses as a Decimal and then fails every comparison.
            if problem := money_problem(amount):
                raise forms.ValidationError(f"line {number}: {problem}")
            result.append(TemplateInput(name=name, default_pay=amount))
        return result


@admin_page
def service_list(request: HttpRequest) -> HttpResponse:
    lab = lab_context(request).lab
    services = Service.objects.filter(lab=lab).prefetch_related("task_templates").order_by("group", "name")
    return render(request, "catalog/services.html", {"nav": "lab", "tab": "services", "services": services})


@admin_page
def service_form(request: HttpRequest, service_id: int | None = None) -> HttpResponse:
    lab = lab_context(request).lab
    service = None
    initial = {"is_active": True}
    if service_id is not None:
        service = Service.objects.filter(lab=lab, pk=service_id).first()
        if service is None:
            raise Http404("No such service.")
        initial = {
            "name": service.name, "group": service.group, "price": service.price, "is_active": service.is_active,
            "tax_rate": service.tax_rate, "production_days": service.production_days,
            "templates": "\n".join(f"{t.name} | {t.default_pay}" for t in service.task_templates.all()),
        }
    form = ServiceForm(request.POST or None, initial=initial)
    form.fields["tax_rate"].help_text = f"Blank: the lab's default rate ({lab.default_tax_rate} %)."
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            fields = {k: d[k] for k in ("name", "group", "price", "tax_rate", "is_active", "production_days")}
            try:
                save_service(request.user, lab.slug, service_id=service_id, fields=fields, templates=d["templates"])
            except DomainError as exc:
                show_error(request, exc, form)
            else:
                messages.success(request, f"Service “{d['name']}” saved.")
                return redirect("lab:services")
        status = 422
    return render(request, "catalog/service_form.html", {
        "nav": "lab", "tab": "services", "form": form, "service": service,
    }, status=status)
