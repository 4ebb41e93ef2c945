"""The copy, remake and change-customer buttons of the order page (issue 13): one POST each.

Each parses its dialog's form and calls one service, which decides whether the caller may act
(a hidden button is not a refusal); a refusal shows the order page again with the dialog open
or the message. A new copy opens on its edit page, a remake on its page, both with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_POST

from crownline.errors import DomainError
from crownline.orders import copying, customer_change, remakes
from crownline.orders.access import get_order_for
from crownline.orders.copying import CopyInput
from crownline.orders.models import OrderQuerySet
from crownline.orders.remakes import RemakeInput
from crownline.orders.views import order_page as pages  # a module: see `_invalid`
from crownline.orders.views.case_copy_forms import (
    ChangeCustomerForm,
    CopyForm,
    RemakeForm,
    customer_choices,
    file_choices,
    line_choices,
)
from crownline.pages import lab_page

# The order page is imported as a module and its functions looked up per request: it imports
# this part (through case_copy) for its context while it is itself being imported.


def _invalid(request: HttpRequest, number: str, dialog: str, form) -> HttpResponse:
    return pages.order_page(request, number, status=200 if request.htmx else 422, dialog=dialog, form=form)


@lab_page
@require_POST
def copy_order(request: HttpRequest, number: str) -> HttpResponse:
    order, standing = get_order_for(request.user, number, shape=OrderQuerySet.with_content)
    form = CopyForm(request.POST, lines=line_choices(order), files=file_choices(order, standing))
    if not form.is_valid():
        return _invalid(request, number, "copy", form)
    data = form.cleaned_data
    try:
        copy = copying.copy_order(
            request.user,
            number,
            CopyInput(
                patient_name=data["patient_name"].strip() or None,
                lines=data["lines"],
                files=data.get("files", []),
            ),
        )
    except DomainError as exc:
        return pages.refused(request, number, exc, dialog="copy", form=form)
    messages.success(request, f"Copied from {order.display_number} as a draft: check it, then send it.")
    return redirect("orders:edit", number=copy.number)


@lab_page
@require_POST
def remake_order(request: HttpRequest, number: str) -> HttpResponse:
    order, standing = get_order_for(request.user, number, shape=OrderQuerySet.with_content)
    form = RemakeForm(
        request.POST,
        lines=line_choices(order),
        files=file_choices(order, standing),
        sets_prices=standing.role.sets_prices,
    )
    if not form.is_valid():
        return _invalid(request, number, "remake", form)
    data = form.cleaned_data
    try:
        remake = remakes.remake_order(
            request.user,
            number,
            RemakeInput(
                lines=data["lines"],
                files=data.get("files", []),
                reason=data["reason"],
                payer=data["payer"],
                note=data["note"],
            ),
        )
    except DomainError as exc:
        return pages.refused(request, number, exc, dialog="remake", form=form)
    messages.success(request, f"Remake of {order.display_number} created as a draft: check it, then publish it.")
    return redirect("orders:detail", number=remake.number)


@lab_page
@require_POST
def change_customer(request: HttpRequest, number: str) -> HttpResponse:
    order, _ = get_order_for(request.user, number)
    form = ChangeCustomerForm(request.POST, customers=customer_choices(order), currency=order.currency)
    if not form.is_valid():
        if "version" in form.errors:
            messages.error(request, "This form is incomplete; reload the page and try again.")
            return pages.order_page(request, number, status=400)
        return _invalid(request, number, "change-customer", form)
    try:
        changed = customer_change.change_customer(
            request.user, number, customer=form.cleaned_data["customer"], expected_version=form.cleaned_data["version"]
        )
    except DomainError as exc:
        return pages.refused(request, number, exc, dialog="change-customer", form=form)
    messages.success(request, f"The order's customer is now {changed.customer.name}.")
    return redirect("orders:detail", number=number)


urlpatterns = [
    path("<str:number>/copy/", copy_order, name="copy"),
    path("<str:number>/remake/", remake_order, name="remake"),
    path("<str:number>/change-customer/", change_customer, name="change-customer"),
]
