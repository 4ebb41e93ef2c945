"""Billing pages: invoices. The lab admin lists, issues and credits them; the customer an invoice
bills may open it and its PDF (their Bills page links here); a technician is refused."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from crownline.billing import credits, invoices
from crownline.billing.models import DocumentKind
from crownline.customers.models import Customer
from crownline.documents.invoices import invoice_pdf
from crownline.errors import DomainError, Forbidden, NotFound
from crownline.numbers import parse_id
from crownline.pages import admin_page, lab_context, lab_page, refusal_text, show_error
from crownline.roles import Role

PAGE_SIZE = 50
MAX_PAGE = 100_000
AMOUNT = re.compile(r"[0-9]{1,10}(\.[0-9]{1,3})?")


class FilterForm(forms.Form):
    customer = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(required=False, choices=[("", "Invoices and credit notes"), *DocumentKind.choices])
    status = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Any status"),
            ("open", "Open"),
            ("partly_credited", "Partly credited"),
            ("credited", "Credited"),
        ],
    )
    issued_from = forms.DateField(required=False, label="Issued from", widget=forms.DateInput(attrs={"type": "date"}))
    issued_to = forms.DateField(required=False, label="Issued until", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, customers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].choices = [("", "Any customer"), *((c.pk, c.name) for c in customers)]


class CreditNoteForm(forms.Form):
    how = forms.ChoiceField(
        choices=[("full", "The whole rest of the invoice"), ("orders", "Whole orders"), ("amount", "An amount")],
        initial="full",
        widget=forms.RadioSelect,
    )
    orders = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    amount = forms.CharField(required=False, max_length=20, help_text="gross, spread over the tax rates")
    reason = forms.CharField(max_length=credits.REASON_MAX, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, orders, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["orders"].choices = [(n, f"#{n}") for n in orders]

    def clean_amount(self) -> Decimal | None:
        raw = self.cleaned_data["amount"].strip()
        if not raw:
            return None
        # ASCII digits only: Decimal() also reads Arabic-Indic digits, "1e5" and "NaN".
        if not AMOUNT.fullmatch(raw):
            raise forms.ValidationError("write an amount like 95 or 95.50")
        return Decimal(raw)


@admin_page
@require_GET
def invoice_list(request: HttpRequest) -> HttpResponse:
    lab = lab_context(request).lab
    customers = Customer.objects.filter(lab=lab).order_by("name", "pk")
    form = FilterForm(request.GET or None, customers=customers)
    filters = invoices.Filters()
    if form.is_valid():
        d = form.cleaned_data
        filters = invoices.Filters(
            customer=d["customer"],
            kind=d["kind"] or None,
            status=d["status"] or None,
            issued_from=d["issued_from"],
            issued_to=d["issued_to"],
        )
    try:
        _, qs = invoices.visible_invoices(request.user, lab.slug, filters)
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
        _, qs = invoices.visible_invoices(request.user, lab.slug)
    # Bounded like the API's pages: an offset past 64 bits is a database error, not an empty page.
    page = min(parse_id(request.GET.get("page", "1")) or 1, MAX_PAGE)
    rows = list(qs[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "billing/invoices/list.html",
        {
            "nav": "billing",
            "form": form,
            "rows": [(i, invoices.status_of(i, i.credited)) for i in rows[:PAGE_SIZE]],
            "page": page,
            "has_next": len(rows) > PAGE_SIZE,
            "query": query.urlencode(),
        },
    )


@admin_page
def invoice_new(request: HttpRequest) -> HttpResponse:
    """Choose a customer, tick their delivered or completed orders; or invoice all of last month."""
    lab = lab_context(request).lab
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "last-month":
                made = invoices.invoice_last_month(request.user, lab.slug)
                first, _ = invoices.last_month(lab)
                if made:
                    messages.success(
                        request,
                        f"{len(made)} invoice{'s' if len(made) != 1 else ''} issued for "
                        f"{first:%B %Y}: {', '.join(i.number for i in made)}.",
                    )
                else:
                    messages.info(request, f"Nothing to invoice: no uninvoiced orders were delivered in {first:%B %Y}.")
                return redirect("billing:invoices")
            invoice = invoices.create_invoice(request.user, lab.slug, request.POST.getlist("orders"))
        except DomainError as exc:
            messages.error(request, refusal_text(exc))
            status = exc.status_code
        else:
            messages.success(request, f"Invoice {invoice.number} issued.")
            return redirect("billing:invoice", number=invoice.number)
    customers = Customer.objects.filter(lab=lab).order_by("name", "pk")
    chosen = parse_id(request.GET.get("customer") or request.POST.get("customer") or "")
    orders = list(invoices.invoiceable_orders(request.user, lab.slug, chosen)) if chosen else []
    first, _ = invoices.last_month(lab)
    return render(
        request,
        "billing/invoices/new.html",
        {
            "nav": "billing",
            "customers": customers,
            "chosen": chosen,
            "orders": orders,
            "last_month": first,
            "ticked": set(request.POST.getlist("orders")),
        },
        status=status,
    )


def _invoice_or_refusal(request: HttpRequest, number: str):
    try:
        return invoices.get_invoice_for(request.user, number)
    except Forbidden:
        return None


@lab_page
@require_GET
def invoice_detail(request: HttpRequest, number: str) -> HttpResponse:
    found = _invoice_or_refusal(request, number)
    if found is None:
        return render(request, "tenancy/not_admin.html", status=403)
    invoice, standing = found
    return _detail(request, invoice, standing, None)


def _detail(request, invoice, standing, form, status: int = 200) -> HttpResponse:
    left = credits.remaining(invoice) if not invoice.is_credit_note else None
    billed = [
        p["number"] for p in invoice.snapshot.get("orders", []) if left and p["number"] not in left.credited_orders
    ]
    is_admin = standing.role is Role.ADMIN
    if form is None and is_admin and left is not None and left.gross > 0:
        form = CreditNoteForm(orders=billed)
    return render(
        request,
        "billing/invoices/detail.html",
        {
            "nav": "billing",
            "invoice": invoice,
            "doc": invoice.snapshot,
            "lines": invoice.lines.all(),
            "credit_notes": invoice.credit_notes.order_by("sequence"),
            "left": left,
            "form": form if is_admin else None,
            "is_admin": is_admin,
        },
        status=status,
    )


@lab_page
@require_POST
def credit_note_new(request: HttpRequest, number: str) -> HttpResponse:
    found = _invoice_or_refusal(request, number)
    if found is None:
        return render(request, "tenancy/not_admin.html", status=403)
    invoice, standing = found
    if standing.role is not Role.ADMIN:
        return render(request, "tenancy/not_admin.html", status=403)
    left = credits.remaining(invoice) if not invoice.is_credit_note else None
    billed = [
        p["number"] for p in invoice.snapshot.get("orders", []) if left and p["number"] not in left.credited_orders
    ]
    form = CreditNoteForm(request.POST, orders=billed)
    if form.is_valid():
        d = form.cleaned_data
        try:
            note = credits.create_credit_note(
                request.user,
                invoice.number,
                reason=d["reason"],
                orders=d["orders"] if d["how"] == "orders" else None,
                amount=(d["amount"] if d["amount"] is not None else Decimal("0")) if d["how"] == "amount" else None,
            )
        except DomainError as exc:
            show_error(request, exc, form)
            return _detail(request, invoice, standing, form, status=exc.status_code)
        messages.success(request, f"Credit note {note.number} issued.")
        return redirect("billing:invoice", number=note.number)
    return _detail(request, invoice, standing, form, status=422)


@lab_page
@require_GET
def invoice_pdf_page(request: HttpRequest, number: str) -> HttpResponse:
    try:
        return invoice_pdf(request.user, number)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except Forbidden:
        return render(request, "tenancy/not_admin.html", status=403)
    except DomainError as exc:  # e.g. the PDF renderer is missing or busy: a page that says so
        response = render(
            request, "documents/problem.html", {"message": exc.detail, "number": ""}, status=exc.status_code
        )
        if getattr(exc, "retry_after", None):
            response["Retry-After"] = str(exc.retry_after)
        return response


urlpatterns = [
    path("invoices/", invoice_list, name="invoices"),
    path("invoices/new/", invoice_new, name="invoice-new"),
    path("invoices/<str:number>/", invoice_detail, name="invoice"),
    path("invoices/<str:number>/credit-notes/", credit_note_new, name="credit-note-new"),
    path("invoices/<str:number>/invoice.pdf", invoice_pdf_page, name="invoice-pdf"),
]
