"""The markers on an order: on hold, sent for fitting: the order page's part (issue 13).

`urlpatterns` joins crownline/orders/urls.py; `page_context` adds to the order page's context.
Each form carries the order's version, as the life-cycle dialogs do; the services decide who
may act (a hidden button is not a refusal).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_POST

from crownline.errors import DomainError
from crownline.orders import markers
from crownline.orders.lists import is_at_risk
from crownline.orders.models import Order
from crownline.orders.presenting import at_fitting
from crownline.orders.views import order_page as pages  # a module: order_page imports this one
from crownline.pages import VersionForm, lab_page
from crownline.roles import LabRole

DATE = forms.DateInput(attrs={"type": "date"})


class HoldForm(VersionForm):
    reason = forms.CharField(
        max_length=markers.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The lab and the dentist read it on the order.",
    )


class ReleaseForm(VersionForm):
    reason = forms.CharField(required=False, max_length=markers.REASON_MAX, label="Note (optional)")


class FittingForm(VersionForm):
    sent_on = forms.DateField(required=False, widget=DATE, label="Sent on", help_text="Empty: today.")
    note = forms.CharField(required=False, max_length=markers.NOTE_MAX, label="Note (optional)")


class FittingBackForm(VersionForm):
    back_on = forms.DateField(required=False, widget=DATE, label="Back on", help_text="Empty: today.")
    note = forms.CharField(required=False, max_length=markers.NOTE_MAX, label="Note (optional)")


# key (URL and dialog) -> form, service, the form's fields the service takes, the message.
MARKERS: dict[str, tuple[type[VersionForm], Callable[..., Order], tuple[str, ...], str]] = {
    "hold": (HoldForm, markers.hold_order, ("reason",), "The order is on hold."),
    "release": (ReleaseForm, markers.release_order, ("reason",), "The order is released from hold."),
    "fitting": (FittingForm, markers.send_for_fitting, ("sent_on", "note"), "Sent for fitting."),
    "fitting-return": (FittingBackForm, markers.return_from_fitting, ("back_on", "note"), "Back from fitting."),
}


def _act(request: HttpRequest, number: str, key: str) -> HttpResponse:
    form_class, call, fields, done = MARKERS[key]
    form = form_class(request.POST)
    if not form.is_valid():
        if "version" in form.errors:
            messages.error(request, "This form is incomplete; reload the page and try again.")
            return pages.order_page(request, number, status=400)
        return pages.order_page(request, number, status=200 if request.htmx else 422, dialog=key, form=form)
    kwargs = {name: form.cleaned_data[name] for name in fields}
    try:
        call(request.user, number, expected_version=form.cleaned_data["version"], **kwargs)
    except DomainError as exc:
        return pages.refused(request, number, exc, dialog=key, form=form)
    messages.success(request, done)
    return redirect("orders:detail", number=number)


def _view(key: str) -> Callable[[HttpRequest, str], HttpResponse]:
    @lab_page
    @require_POST
    def view(request: HttpRequest, number: str) -> HttpResponse:
        return _act(request, number, key)

    view.__name__ = f"marker_{key.replace('-', '_')}"
    return view


urlpatterns: list = [
    path("<str:number>/hold/", _view("hold"), name="hold"),
    path("<str:number>/release/", _view("release"), name="release"),
    path("<str:number>/fitting/", _view("fitting"), name="fitting"),
    path("<str:number>/fitting/return/", _view("fitting-return"), name="fitting-return"),
]


def page_context(order: Order, standing: LabRole) -> dict[str, Any]:
    v = {"version": order.version}
    today = order.lab.local_date()
    marker_forms = {
        "hold": HoldForm(initial=v, auto_id="hold-%s"),
        "release": ReleaseForm(initial=v, auto_id="release-%s"),
        "fitting": FittingForm(initial={**v, "sent_on": today}, auto_id="fitting-%s"),
        "fitting_return": FittingBackForm(initial={**v, "back_on": today}, auto_id="fitting-return-%s"),
    }
    for form in marker_forms.values():
        for name in ("sent_on", "back_on"):
            if name in form.fields:
                form.fields[name].widget.attrs["max"] = today.isoformat()
    return {
        "marker_forms": marker_forms,
        "at_fitting": at_fitting(order),
        "appointment_at_risk": is_at_risk(order, today),
    }
