"""Billing pages: customers' balances (ledger, "Add funds", paying an order from the funds),
the monthly statements' files, and (through `balances_pending`, `balances_bills`) the Pending
page and the dentist's Bills page.

Every page is thin: the lab is the one the user works in (`lab_context`), every read goes
through the billing services' access checks and every write through a service."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from crownline.billing import balances, statements
from crownline.billing.pending import pending_orders
from crownline.billing.views import balances_bills, balances_pending
from crownline.documents.statements import statement_pdf
from crownline.errors import DomainError, Forbidden, InvalidInput
from crownline.numbers import money_text
from crownline.orders.access import get_order_for
from crownline.pages import admin_page, lab_context, lab_page, refusal_text, show_error

TABS = "billing/balances/tabs.html"


class AdvanceForm(forms.Form):
    amount = forms.DecimalField(min_value=0, max_digits=13, decimal_places=3)
    received_on = forms.DateField(
        required=False, label="Received on", widget=forms.DateInput(attrs={"type": "date"}), help_text="Blank: today."
    )
    method = forms.CharField(max_length=50, required=False, help_text="Bank transfer, cash, …")
    reference = forms.CharField(max_length=100, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=500, required=False)


@admin_page
def balance_list(request: HttpRequest) -> HttpResponse:
    lab = lab_context(request).lab
    return render(
        request,
        "billing/balances/list.html",
        {
            "nav": "billing",
            "tab": "balances",
            "balances": balances.balances_of_lab(lab),
        },
    )


def _balance_page(request: HttpRequest, customer_id: int, form: AdvanceForm | None = None, status: int = 200):
    lab = lab_context(request).lab
    customer = balances.customer_for(request.user, lab.slug, customer_id)
    open_orders = [o for o in pending_orders(lab).filter(customer=customer) if o.currency == customer.currency]
    return render(
        request,
        "billing/balances/balance.html",
        {
            "nav": "billing",
            "tab": "balances",
            "customer": customer,
            "balance": balances.balance_of(customer),
            "ledger": balances.ledger(customer),
            "form": form or AdvanceForm(),
            "open_orders": open_orders,
            "months": statements.statement_months(customer),
            "advances": customer.advances.filter(voided_at=None).order_by("-received_on", "-id")[:20],
        },
        status=status,
    )


@admin_page
def balance_detail(request: HttpRequest, customer_id: int) -> HttpResponse:
    return _balance_page(request, customer_id)


@admin_page
@require_POST
def add_advance(request: HttpRequest, customer_id: int) -> HttpResponse:
    lab = lab_context(request).lab
    form = AdvanceForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            advance = balances.add_advance(
                request.user,
                lab.slug,
                customer_id,
                amount=d["amount"],
                received_on=d["received_on"],
                method=d["method"],
                reference=d["reference"],
            )
        except DomainError as exc:
            if exc.status_code == 404:
                raise
            show_error(request, exc, form)
        else:
            messages.success(request, f"{money_text(advance.amount)} {advance.currency} added to the funds.")
            return redirect("billing:balance", customer_id)
    return _balance_page(request, customer_id, form, status=422)


@admin_page
@require_POST
def cancel_advance(request: HttpRequest, customer_id: int, advance_id: int) -> HttpResponse:
    lab = lab_context(request).lab
    form = ReasonForm(request.POST)
    if not form.is_valid():  # a refused reason cancels nothing (the API answers 422 to it)
        messages.error(request, " ".join(form.errors.get("reason", ["The reason was refused."])))
        return redirect("billing:balance", customer_id)
    try:
        balances.cancel_advance(request.user, lab.slug, customer_id, advance_id, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, "The advance was cancelled.")
    return redirect("billing:balance", customer_id)


@admin_page
@require_POST
def pay_from_balance(request: HttpRequest, number: str) -> HttpResponse:
    try:
        payment = balances.pay_from_balance(request.user, number)
    except DomainError as exc:
        if exc.status_code in (403, 404):
            raise
        messages.error(request, refusal_text(exc))
        order, _ = get_order_for(request.user, number)
        return redirect("billing:balance", order.customer_id)
    order = payment.order
    messages.success(
        request, f"Order {order.display_number} paid from the funds ({money_text(payment.amount)} {order.currency})."
    )
    return redirect("billing:balance", order.customer_id)


def _statement(request: HttpRequest, customer_id: int, month: str) -> statements.Statement:
    """The statement as the caller may see it; a month that is not one is a page not found,
    a technician (who sees no money) is refused."""
    try:
        return statements.statement(request.user, lab_context(request).lab.slug, customer_id, month)
    except InvalidInput as exc:
        raise Http404(exc.message) from exc
    except Forbidden as exc:
        raise PermissionDenied(exc.detail) from exc


@lab_page
def statement_as_pdf(request: HttpRequest, customer_id: int, month: str) -> HttpResponse:
    return statement_pdf(_statement(request, customer_id, month))


@lab_page
def statement_as_csv(request: HttpRequest, customer_id: int, month: str) -> HttpResponse:
    s = _statement(request, customer_id, month)
    response = HttpResponse(statements.statement_csv(s), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{s.filename}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    *balances_pending.urlpatterns,
    path("balances/", balance_list, name="balances"),
    path("balances/<int:customer_id>/", balance_detail, name="balance"),
    path("balances/<int:customer_id>/advances/", add_advance, name="add-advance"),
    path("balances/<int:customer_id>/advances/<int:advance_id>/cancel/", cancel_advance, name="cancel-advance"),
    path("pay-from-balance/<str:number>/", pay_from_balance, name="pay-from-balance"),
    path("statements/<int:customer_id>/<str:month>.pdf", statement_as_pdf, name="statement-pdf"),
    path("statements/<int:customer_id>/<str:month>.csv", statement_as_csv, name="statement-csv"),
    *balances_bills.urlpatterns,
]
