"""The lab admin's pricebook and exchange-rate pages (under /lab/, namespace "lab"); the
services check the admin role again on every write."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from crownline.catalog.models import Service
from crownline.customers.models import Clinic, Customer
from crownline.errors import DomainError, InvalidInput
from crownline.pages import admin_page, lab_context, refusal_text, show_error
from crownline.pricing import services
from crownline.pricing.arithmetic import PriceRule
from crownline.pricing.models import ExchangeRate, Pricebook, PricebookLink

RULE_CHOICES = [
    ("", "List price"),
    (PriceRule.PERCENT_OFF.value, "% off"),
    (PriceRule.AMOUNT_OFF.value, "Amount off"),
    (PriceRule.FIXED_PRICE.value, "Own price"),
]


class PricebookForm(forms.Form):
    name = forms.CharField(max_length=100)
    notes = forms.CharField(required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    clinics = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple, label="Clinics priced by this pricebook"
    )
    customers = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Customers priced by it (whatever their clinic's pricebook)",
    )

    def __init__(self, *args, services_=(), clinics=(), customers=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.services = list(services_)
        self.fields["clinics"].choices = [(c.pk, c.name) for c in clinics]
        self.fields["customers"].choices = [(c.pk, c.name) for c in customers]
        for s in self.services:
            self.fields[f"rule_{s.pk}"] = forms.ChoiceField(choices=RULE_CHOICES, required=False, label=s.name)
            self.fields[f"value_{s.pk}"] = forms.DecimalField(
                required=False,
                min_value=0,
                max_digits=13,
                decimal_places=3,
                label=f"{s.name}: value",
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 10}),
            )

    def rows(self) -> list[tuple[Service, forms.BoundField, forms.BoundField]]:
        return [(s, self[f"rule_{s.pk}"], self[f"value_{s.pk}"]) for s in self.services]

    def clean(self) -> dict:
        data = super().clean()
        for s in self.services:
            rule, value = data.get(f"rule_{s.pk}"), data.get(f"value_{s.pk}")
            if rule and value is None and f"value_{s.pk}" not in self.errors:
                self.add_error(f"value_{s.pk}", "give the percentage or the amount")
        return data

    def prices(self) -> list[services.PriceInput]:
        d = self.cleaned_data
        return [
            services.PriceInput(s.pk, d[f"rule_{s.pk}"], d[f"value_{s.pk}"])
            for s in self.services
            if d.get(f"rule_{s.pk}")
        ]


@admin_page
def pricebook_list(request: HttpRequest) -> HttpResponse:
    lab = lab_context(request).lab
    books = Pricebook.objects.filter(lab=lab).prefetch_related("prices", "links__clinic", "links__customer")
    return render(request, "pricing/pricebooks.html", {"nav": "lab", "tab": "pricebooks", "books": books})


def _error_field(exc: InvalidInput, form: PricebookForm) -> str | None:
    """The form field of a service's refusal ("prices[2].value" -> "value_<service id>")."""
    if exc.field.startswith("prices[") and "]." in exc.field:
        index = int(exc.field[len("prices[") : exc.field.index("]")])
        chosen = [s for s in form.services if form.cleaned_data.get(f"rule_{s.pk}")]
        part = exc.field.rsplit(".", 1)[1]
        if index < len(chosen):
            return f"{'value' if part == 'value' else 'rule'}_{chosen[index].pk}"
    if exc.field.startswith(("clinics[", "customers[")):
        return exc.field.split("[", 1)[0]
    return exc.field if exc.field in form.fields else None


@admin_page
def pricebook_form(request: HttpRequest, pricebook_id: int | None = None) -> HttpResponse:
    lab = lab_context(request).lab
    book = None
    initial: dict = {}
    if pricebook_id is not None:
        book = Pricebook.objects.filter(lab=lab, pk=pricebook_id).first()
        if book is None:
            raise Http404("No such pricebook.")
        links = list(book.links.all())
        initial = {
            "name": book.name,
            "notes": book.notes,
            "clinics": [ln.clinic_id for ln in links if ln.clinic_id],
            "customers": [ln.customer_id for ln in links if ln.customer_id],
        }
        for p in book.prices.all():
            initial[f"rule_{p.service_id}"] = p.rule
            initial[f"value_{p.service_id}"] = f"{p.value.normalize():f}"
    catalogue = Service.objects.filter(lab=lab).order_by("group", "name")
    clinics = Clinic.objects.filter(lab=lab).order_by("name")
    customers = Customer.objects.filter(lab=lab).select_related("clinic").order_by("name")
    form = PricebookForm(
        request.POST or None, initial=initial, services_=catalogue, clinics=clinics, customers=customers
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            data = services.PricebookInput(
                name=d["name"], notes=d["notes"], prices=form.prices(), clinics=d["clinics"], customers=d["customers"]
            )
            try:
                if book is None:
                    services.create_pricebook(request.user, lab.slug, data)
                else:
                    services.update_pricebook(request.user, lab.slug, book.pk, data)
            except InvalidInput as exc:
                field = _error_field(exc, form)
                if field:
                    form.add_error(field, exc.message)
                else:
                    messages.error(request, refusal_text(exc))
            except DomainError as exc:
                show_error(request, exc, form)
            else:
                messages.success(request, f"Pricebook “{d['name']}” saved.")
                return redirect("lab:pricebooks")
        status = 422
    # Who another pricebook prices already: shown beside the checkbox, refused if ticked.
    elsewhere = {}
    for link in PricebookLink.objects.filter(pricebook__lab=lab).exclude(pricebook=book).select_related("pricebook"):
        elsewhere[("clinic", link.clinic_id) if link.clinic_id else ("customer", link.customer_id)] = link.pricebook
    return render(
        request,
        "pricing/pricebook_form.html",
        {
            "nav": "lab",
            "tab": "pricebooks",
            "form": form,
            "book": book,
            "lab": lab,
            "clinic_rows": [(c, elsewhere.get(("clinic", c.pk))) for c in clinics],
            "customer_rows": [(c, elsewhere.get(("customer", c.pk))) for c in customers],
            "chosen_clinics": _chosen(form["clinics"].value()),
            "chosen_customers": _chosen(form["customers"].value()),
        },
        status=status,
    )


def _chosen(values) -> set[int]:
    return {int(v) for v in values or [] if str(v).isascii() and str(v).isdigit() and len(str(v)) < 19}


@admin_page
@require_POST
def pricebook_delete(request: HttpRequest, pricebook_id: int) -> HttpResponse:
    lab = lab_context(request).lab
    try:
        services.delete_pricebook(request.user, lab.slug, pricebook_id)
    except DomainError as exc:
        if exc.status_code == 404:
            raise Http404(exc.detail) from exc
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, "Pricebook deleted; orders keep the prices they were given.")
    return redirect("lab:pricebooks")


class RateForm(forms.Form):
    currency = forms.ChoiceField()
    rate = forms.DecimalField(
        min_value=Decimal("0.0000000001"),
        max_digits=20,
        decimal_places=10,
        help_text="How much of that currency one unit of the lab's currency buys.",
    )
    valid_on = forms.DateField(label="Valid from", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, currencies=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [(c, c) for c in currencies]


@admin_page
def rates(request: HttpRequest) -> HttpResponse:
    lab = lab_context(request).lab
    others = lab.billing_currencies[1:]
    form = RateForm(
        request.POST or None,
        currencies=others,
        initial={"valid_on": lab.local_date(), "currency": others[0] if others else ""},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                data = services.RateInput(d["currency"], d["rate"], d["valid_on"])
                services.record_rate(request.user, lab.slug, data)
            except DomainError as exc:
                show_error(request, exc, form)
            else:
                messages.success(
                    request, f"1 {lab.currency} = {d['rate'].normalize():f} {d['currency']} from {d['valid_on']}."
                )
                return redirect("lab:rates")
        status = 422
    rows = list(
        ExchangeRate.objects.filter(lab=lab).select_related("recorded_by").order_by("currency", "-valid_on")[:200]
    )
    for row in rows:
        row.rate_text = f"{row.rate.normalize():f}"  # "160", not "1.6E+2"
    return render(
        request,
        "pricing/rates.html",
        {
            "nav": "lab",
            "tab": "rates",
            "form": form,
            "rows": rows,
            "lab": lab,
            "others": others,
        },
        status=status,
    )
