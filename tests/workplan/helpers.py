"""Shared helpers for the work-plan API tests: URLs, and what the plan and history look like in the database."""

from __future__ import annotations

from crownline.orders.models import Order, OrderEvent
from crownline.workplan.models import Task

LATE = ["produced", "shipped", "delivered", "completed"]
EARLY = ["published", "production"]


def url(order: Order, suffix: str = "") -> str:
    return f"/orders/{order.number}{suffix}"


def history(order: Order) -> tuple[int, int]:
    """The order's stored version and its number of events."""
    return Order.objects.get(pk=order.pk).version, OrderEvent.objects.filter(order_id=order.pk).count()


def plan(order: Order) -> list[tuple[int, str]]:
    """The stored work plan as (position, name), in order."""
    return list(Task.objects.filter(order=order).order_by("position", "id").values_list("position", "name"))


def tasks_of(order: Order) -> list[Task]:
    return list(Task.objects.filter(order=order).order_by("position", "id"))


def last_event(order: Order) -> OrderEvent:
    return OrderEvent.objects.filter(order_id=order.pk).order_by("-id").first()

