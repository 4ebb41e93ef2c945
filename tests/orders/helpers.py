"""Small helpers for the order API tests: what an order looks like in the database, and refusals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from crownline.orders import drafting
from crownline.orders.drafting import LineInput, OrderInput
from crownline.orders.models import Order
from crownline.workplan.models import Task

TEETH = sorted(drafting.VALID_TEETH)


@dataclass(frozen=True)
class Snapshot:
    """Everything an action can change on an order; equal snapshots mean nothing changed."""

    status: str
    version: int
    events: int
    payments: int
    tracking_numbers: int
    comments: int
    tasks: int
    amount_paid: Decimal
    tracking_number: str


def snapshot(order: Order) -> Snapshot:
    fresh = Order.objects.get(pk=order.pk)
    return Snapshot(
        status=fresh.status,
        version=fresh.version,
        events=fresh.events.count(),
        payments=fresh.payments.count(),
        tracking_numbers=fresh.tracking_numbers.count(),
        comments=fresh.comments.count(),
        tasks=Task.objects.filter(order=fresh).count(),
        amount_paid=fresh.amount_paid,
        tracking_number=fresh.tracking_number,
    )


def reload(order: Order) -> Order:
    return Order.objects.get(pk=order.pk)


def last_event(order: Order):
    return reload(order).events.order_by("-id").first()


def new_events(order: Order, before: Snapshot) -> list[tuple[str, str, str]]:
    """(action, from, to) of the events written since the snapshot was taken."""
    events = reload(order).events.order_by("id")[before.events :]
    return [(e.action, e.from_status, e.to_status) for e in events]


def assert_refused(response, status_code: int, field: str | None = None) -> dict:
    """The response is an error with this status; a field error names the field first."""
    assert response.status_code == status_code, response.content
    body = response.json()
    assert body["detail"]
    if field is not None:
        assert body["errors"][0]["field"] == field, body
        assert field in body["detail"]
    return body


def draft(customer, *, by, patient_name: str = "Jane Roe", due_in_days: int = 7, lines: int = 1, service=None):
    """A draft order with a patient of this name, created through the drafting service."""
    lab = customer.lab
    service = service or lab.services.first()
    return drafting.create_order(
        by,
        OrderInput(
            customer=customer.pk,
            patient_name=patient_name,
            due_date=lab.local_date() + dt.timedelta(days=due_in_days),
            lines=[LineInput(service=service.pk, teeth=[TEETH[i]]) for i in range(lines)],
        ),
        lab_slug=lab.slug,
    )


def act(client, order, action: str, body=None, **headers):
    """POST one life-cycle action of the order: /orders/{number}/actions/{action}."""
    return client.post(f"/orders/{order.number}/actions/{action}", body, **headers)


def days(n: int, lab) -> str:
    """The lab's local date n days from today, as an ISO date string."""
    return (lab.local_date() + dt.timedelta(days=n)).isoformat()


def shipped_days_ago(order: Order, n: int) -> None:
    """Move the order's Ship event `n` days into the past (history rows are append-only for the
    code; a test may rewrite the clock)."""
    moment = timezone.now() - dt.timedelta(days=n)
    reload(order).events.filter(action="ship").update(created_at=moment)
