"""The order page's action buttons: one POST endpoint per life-cycle action.

Each action names its form and the service it calls; the service decides whether the
caller may act (a hidden button is not a refusal) and the form's `version` makes a
stale or double-clicked submission a harmless refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from crownline.errors import DomainError
from crownline.orders import discounts, payments, services
from crownline.orders.forms import DeliverForm, DiscountForm, PaymentForm, ProductionForm, ReasonForm, TrackingForm
from crownline.orders.lifecycle import Action
from crownline.orders.views.order_page import order_page, refused
from crownline.pages import VersionForm, lab_page


@dataclass(frozen=True)
class PageAction:
    form: type[forms.Form]
    call: Callable[..., Any]
    done: str
    # The cleaned form fields passed to the service as keyword arguments.
    fields: tuple[str, ...] = ()


# The page's action forms, by the life cycle's own action names (the URL's last part).
ACTIONS: dict[Action, PageAction] = {
    Action.PUBLISH: PageAction(VersionForm, services.publish_order, "Sent to the lab."),
    Action.TAKEDOWN: PageAction(
        ReasonForm, services.takedown_order, "Taken down: the order is a draft again.", ("reason",)
    ),
    Action.START_PRODUCTION: PageAction(
        ProductionForm, services.start_production, "The order is in production.", ("production_date",)
    ),
    Action.PRODUCE: PageAction(VersionForm, services.produce_order, "The order is produced."),
    Action.SHIP: PageAction(TrackingForm, services.ship_order, "Shipped.", ("tracking_number", "carrier")),
    Action.UPDATE_TRACKING: PageAction(
        TrackingForm, services.update_tracking, "Tracking number updated.", ("tracking_number", "carrier")
    ),
    Action.DELIVER: PageAction(DeliverForm, services.deliver_order, "Delivery confirmed.", ("delivered_on",)),
    Action.CANCEL: PageAction(ReasonForm, services.cancel_order, "The order is cancelled.", ("reason",)),
    Action.REOPEN: PageAction(VersionForm, services.reopen_order, "The order is reopened."),
    Action.RECORD_PAYMENT: PageAction(
        PaymentForm, payments.record_payment, "Payment recorded.", ("amount", "method", "reference")
    ),
    Action.DISCOUNT: PageAction(DiscountForm, discounts.set_discount, "Discount saved.", ("kind", "value")),
}


@lab_page
@require_POST
def act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    page_action = ACTIONS.get(Action._value2member_map_.get(action))  # type: ignore[arg-type]
    if page_action is None:
        raise Http404("No such action.")
    form = page_action.form(request.POST)
    if not form.is_valid():
        if "version" in form.errors:
            messages.error(request, "This form is incomplete; reload the page and try again.")
            return order_page(request, number, status=400)
        return order_page(request, number, status=200 if request.htmx else 422, dialog=action, form=form)
    kwargs = {name: form.cleaned_data[name] for name in page_action.fields}
    # Optional inputs left empty take the service's default (today, what is due, no carrier).
    kwargs = {k: v for k, v in kwargs.items() if v not in (None, "")}
    try:
        page_action.call(request.user, number, expected_version=form.cleaned_data["version"], **kwargs)
    except DomainError as exc:
        return refused(request, number, exc, dialog=action, form=form)
    messages.success(request, page_action.done)
    return redirect("orders:detail", number=number)


@lab_page
@require_POST
def cancel_payment(request: HttpRequest, number: str, payment_id: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "This form is incomplete; reload the page and try again.")
        return order_page(request, number, status=400)
    try:
        payments.cancel_payment(
            request.user, number, payment_id, reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except DomainError as exc:
        return refused(request, number, exc)
    messages.success(request, "Payment cancelled.")
    return redirect("orders:detail", number=number)
