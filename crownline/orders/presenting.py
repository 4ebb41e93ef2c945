"""An order as one reader may see it: the API's answer, and what a print reads.

Plain dicts and values, no HTTP: the API door validates them against its schemas, the
documents layer prints them, so a print never shows more than the API would.
"""

from __future__ import annotations

from typing import Any

from crownline.orders import lifecycle
from crownline.orders.lifecycle import Status
from crownline.orders.models import Order
from crownline.roles import LabRole


def order_out(order: Order, standing: LabRole) -> dict[str, Any]:
    """The order as this caller may see it. Expects lines (with services) prefetched and
    the task counts annotated, so a page of orders costs a fixed number of queries."""
    money = standing.role.sees_money
    status = Status(order.status)
    return {
        "number": order.number,
        "display_number": order.display_number,
        "lab": order.lab.slug,
        "status": status,
        "cancelled_from": order.cancelled_from or None,
        "version": order.version,
        "customer": {"id": order.customer_id, "name": order.customer.name},
        "patient": {"id": order.patient_id, "name": order.patient.name} if order.patient_id else None,
        "lines": [
            {
                "id": line.id,
                "position": line.position,
                "service": {"id": line.service_id, "name": line.service.name},
                "quantity": line.quantity,
                "teeth": line.teeth,
                "shade": line.shade,
                "list_price": line.list_price if money else None,
                "unit_price": line.unit_price if money else None,
                "price_note": line.price_note if money else None,
                "tax_rate": line.tax_rate if money else None,
                "line_total": line.line_total if money else None,
            }
            for line in order.lines.all()
        ],
        "due_date": order.due_date,
        "notes": order.notes,
        "production_date": order.production_date,
        "published_at": order.published_at,
        "delivered_on": order.delivered_on,
        "tracking_number": order.tracking_number,
        "carrier": order.carrier,
        "currency": order.currency,
        "list_total": order.list_total if money else None,
        "subtotal": order.subtotal if money else None,
        "discount": (
            {"kind": order.discount_kind, "value": order.discount_value, "amount": order.discount_amount}
            if money and order.discount_kind else None
        ),
        "tax_amount": order.tax_amount if money else None,
        "invoice_number": (order.invoice_number or None) if money else None,
        "total": order.total if money else None,
        "amount_paid": order.amount_paid if money else None,
        "amount_due": order.amount_due,
        "tasks_total": order.tasks_total,
        "tasks_done": order.tasks_done,
        "created_at": order.created_at,
        "updated_at": order.updated_at,
        "allowed_actions": [
            a.value for a in lifecycle.allowed_actions(status, standing.role, has_payment=order.amount_paid > 0)
        ],
        "markers": {
            "on_hold": order.on_hold, "hold_reason": order.hold_reason, "at_fitting": at_fitting(order),
            "fitting_sent_on": order.fitting_sent_on, "fitting_back_on": order.fitting_back_on,
        },
        "appointment_date": order.appointment_date,
        "due_date_source": order.due_date_source,
        "due_date_note": order.due_date_note,
        "copied_from": order.copied_from.number if order.copied_from_id else None,
        "remake": (
            {"of": order.remake_of.number, "reason": order.remake_reason, "payer": order.remake_payer}
            if order.remake_of_id else None
        ),
    }


def at_fitting(order: Order) -> bool:
    """Sent for fitting and not back yet (the back date is cleared when it goes out again)."""
    return order.fitting_sent_on is not None and order.fitting_back_on is None
