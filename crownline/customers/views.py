"""Lab admin page for the lab's customers (dentists). A customer gets a login by invitation
(the Invitations tab), never from this form."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from crownline.customers.models import Clinic, Customer
from crownline.customers.services import MAX_TERMS_DAYS, create_clinic, create_customer, update_customer
from crownline.errors import DomainError
from crownline.pages import admin_page, lab_context, show_error
from crownline.pricing.quotes import pricebooks_of


class CustomerForm(forms.Form):
    name = forms.CharField(max_length=200)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=50, required=False)
    clinic = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, *args, clinics=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clinic"].choices = [("", "No clinic")] + [(c.id, c.name) for c in clinics]


class ClinicForm(forms.Form):
    clinic_name = forms.CharField(max_length=200, label="Clinic name")
    address = forms.CharField(required=False, max_length=1000)


@admin_page
def customer_list(request: HttpRequest) -> HttpResponse:
    lab = lab_context(request).lab
    clinics = Clinic.objects.filter(lab=lab).order_by("name")
    form = CustomerForm(clinics=clinics)
    clinic_form = ClinicForm()
    status = 200
    if request.method == "POST" and "clinic_name" in request.POST:
        clinic_form = ClinicForm(request.POST)
        if clinic_form.is_valid():
            create_clinic(request.user, lab.slug, name=clinic_form.cleaned_data["clinic_name"],
                          address=clinic_form.cleaned_data["address"])
            messages.success(request, "Clinic added.")
            return redirect("lab:customers")
        status = 422
    elif request.method == "POST":
        form = CustomerForm(request.POST, clinics=clinics)
        if form.is_valid():
            d = form.cleaned_data
            try:
                create_customer(request.user, lab.slug, name=d["name"], email=d["email"], phone=d["phone"],
                                clinic=d["clinic"])
            except DomainError as exc:
                show_error(request, exc, form)
            else:
                messages.success(request, f"{d['name']} added.")
                return redirect("lab:customers")
        status = 422
    customers = list(Customer.objects.filter(lab=lab).select_related("clinic", "user")
                     .annotate(order_count=Count("orders")).order_by("name"))
    books = pricebooks_of(customers)
    for c in customers:
        c.lab = lab
        c.pricebook = books.get(c.pk, (None,))[0]
    return render(request, "customers/customers.html", {
        "nav": "lab", "tab": "customers", "customers": customers, "form": form, "clinic_form": clinic_form,
    }, status=status)


class CustomerEditForm(CustomerForm):
    billing_currency = forms.ChoiceField(label="Billed in")
    payment_terms_days = forms.IntegerField(min_value=0, max_value=MAX_TERMS_DAYS, label="Payment terms (days)")
    invoice_details = forms.CharField(
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}), label="Invoice details",
        help_text="Name, address and tax number as invoices print them (the name if blank).",
    )

    def __init__(self, *args, currencies=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["billing_currency"].choices = [(c, c) for c in currencies]


@admin_page
def customer_edit(request: HttpRequest, customer_id: int) -> HttpResponse:
    lab = lab_context(request).lab
    customer = Customer.objects.filter(lab=lab, pk=customer_id).select_related("clinic").first()
    if customer is None:
        raise Http404("No such customer.")
    customer.lab = lab
    clinics = Clinic.objects.filter(lab=lab).order_by("name")
    initial = {"name": customer.name, "email": customer.email, "phone": customer.phone,
               "clinic": customer.clinic_id, "billing_currency": customer.currency,
               "payment_terms_days": customer.payment_terms_days, "invoice_details": customer.invoice_details}
    form = CustomerEditForm(request.POST or None, initial=initial, clinics=clinics, currencies=lab.billing_currencies)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                update_customer(request.user, lab.slug, customer.pk, dict(form.cleaned_data))
            except DomainError as exc:
                show_error(request, exc, form)
            else:
                messages.success(request, f"{form.cleaned_data['name']} saved.")
                return redirect("lab:customers")
        status = 422
    book = pricebooks_of([customer]).get(customer.pk)
    return render(request, "customers/customer_form.html", {
        "nav": "lab", "tab": "customers", "form": form, "customer": customer, "book": book,
    }, status=status)
