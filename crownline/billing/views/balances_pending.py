"""The Pending page: per customer, the orders still to be paid and their total, and "Mark all
as paid" for one customer after a confirmation page (which lists exactly the orders the
payment will be recorded for: the form sends their numbers, not "whatever is pending now")."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from crownline.billing import pending
from crownline.customers.models import Customer
from crownline.errors import DomainError, InvalidInput
from crownline.numbers import money_text, parse_id
from crownline.pages import admin_page, lab_context, refusal_text


class MarkPaidForm(forms.Form):
    method = forms.CharField(max_length=50, required=False, help_text="Bank transfer, cash, …")
    reference = forms.CharField(max_length=100, required=False)


def _pending_page(request: HttpRequest, status: int = 200) -> HttpResponse:
    groups = pending.pending(request.user, lab_context(request).lab.slug)
    return render(
        request, "billing/balances/pending.html", {"nav": "billing", "tab": "pending", "groups": groups}, status=status
    )


@admin_page
def pending_list(request: HttpRequest) -> HttpResponse:
    return _pending_page(request)


def _confirmation(request: HttpRequest, customer_id: int, form: MarkPaidForm, status: int = 200) -> HttpResponse:
    lab = lab_context(request).lab
    if not Customer.objects.filter(lab=lab, pk=customer_id).exists():
        raise Http404("No such customer.")
    groups = pending.pending(request.user, lab.slug, customer_id=customer_id)
    if not groups and status == 200:
        messages.info(request, "This customer has no orders to pay.")
        return redirect("billing:pending")
    return render(
        request,
        "billing/balances/mark_paid.html",
        {
            "nav": "billing",
            "tab": "pending",
            "groups": groups,
            "form": form,
            "customer_id": customer_id,
        },
        status=status,
    )


@admin_page
def confirm_mark_paid(request: HttpRequest, customer_id: int) -> HttpResponse:
    """The confirmation: the customer's pending orders, their total, and the button."""
    return _confirmation(request, customer_id, MarkPaidForm())


@admin_page
@require_POST
def mark_paid(request: HttpRequest) -> HttpResponse:
    """Pay the orders the confirmation listed (their numbers come with the form)."""
    lab = lab_context(request).lab
    form = MarkPaidForm(request.POST)
    numbers = request.POST.getlist("orders")
    if form.is_valid():
        d = form.cleaned_data
        try:
            paid = pending.mark_all_paid(request.user, lab.slug, numbers, method=d["method"], reference=d["reference"])
        except DomainError as exc:
            if isinstance(exc, InvalidInput) and exc.field in form.fields:
                form.add_error(exc.field, exc.message)
            else:
                messages.error(request, refusal_text(exc))
        else:
            total = sum(p.amount for p in paid)
            currency = paid[0].order.currency
            messages.success(request, f"{len(paid)} order(s) marked as paid: {money_text(total)} {currency}.")
            return redirect("billing:pending")
    customer_id = parse_id(request.POST.get("customer", ""))
    if customer_id is None:  # not sent from a confirmation: the refusal shows on the Pending page
        return _pending_page(request, status=422)
    return _confirmation(request, customer_id, form, status=422)


urlpatterns = [
    path("pending/", pending_list, name="pending"),
    path("pending/<int:customer_id>/mark-paid/", confirm_mark_paid, name="confirm-mark-paid"),
    path("pending/mark-paid/", mark_paid, name="mark-paid"),
]
