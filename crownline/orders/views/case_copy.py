"""Copies, remakes and changing an order's customer: the order page's part (issue 13).

`urlpatterns` joins crownline/orders/urls.py; `page_context` adds to the order page's context:
the related card (copied from, remake of, remakes) and the dialogs' forms, for the actions the
caller may take now. The POST views live in `case_copy_pages`.
"""

from __future__ import annotations

from typing import Any

from crownline.orders import lifecycle
from crownline.orders.lifecycle import Action, Status
from crownline.orders.models import Order
from crownline.orders.views import case_copy_pages
from crownline.orders.views.case_copy_forms import (
    ChangeCustomerForm,
    CopyForm,
    RemakeForm,
    customer_choices,
    file_choices,
    line_choices,
    sees,
)
from crownline.roles import LabRole

urlpatterns = case_copy_pages.urlpatterns


def related(order: Order, standing: LabRole) -> dict[str, Any]:
    """The related card: the order it copies or remakes, and its remakes the caller may see."""
    remakes = order.remakes.order_by("created_at", "id")
    if not standing.is_staff:
        remakes = remakes.filter(customer_id__in=standing.customer_ids)
    return {
        "copied_from": order.copied_from if order.copied_from_id else None,
        "copied_from_visible": sees(order.copied_from if order.copied_from_id else None, standing),
        "remake_of": order.remake_of if order.remake_of_id else None,
        "remake_of_visible": sees(order.remake_of if order.remake_of_id else None, standing),
        "remakes": list(remakes.only("number", "status", "remake_reason", "remake_payer", "created_at")),
    }


def forms_for(order: Order, standing: LabRole) -> dict[str, Any]:
    """Fresh dialog forms for the actions the caller may take now (none for the others)."""
    status, role = Status(order.status), standing.role
    lines = line_choices(order)
    all_lines = {"lines": [value for value, _ in lines]}
    found: dict[str, Any] = {}
    if lifecycle.is_allowed(status, role, Action.COPY):
        found["copy"] = CopyForm(initial=all_lines, lines=lines, files=file_choices(order, standing), auto_id="copy-%s")
    if lifecycle.is_allowed(status, role, Action.REMAKE):
        found["remake"] = RemakeForm(
            initial=all_lines,
            lines=lines,
            files=file_choices(order, standing),
            sets_prices=role.sets_prices,
            auto_id="remake-%s",
        )
    if lifecycle.is_allowed(status, role, Action.CHANGE_CUSTOMER) and not order.invoice_number:
        found["change_customer"] = ChangeCustomerForm(
            initial={"version": order.version},
            customers=customer_choices(order),
            currency=order.currency,
            auto_id="change-customer-%s",
        )
    return found


def page_context(order: Order, standing: LabRole) -> dict[str, Any]:
    return {"related": related(order, standing), "copy_forms": forms_for(order, standing)}
