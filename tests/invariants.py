"""What must hold of every order after any mix of actions, crashes included."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from crownline.orders.lifecycle import EventKind
from crownline.orders.models import Order

PRODUCED_OR_LATER = ("produced", "shipped", "delivered", "completed")


def assert_order_whole(order: Order) -> None:
    """Status is the replay of the events; version counts the changes to the order; the money adds up."""
    replay = None
    for event in order.events.order_by("id"):
        assert event.from_status == (replay or ""), f"{order} event {event.pk} starts from the wrong status"
        replay = event.to_status
    assert replay == order.status
    changes = order.events.exclude(action__in=[k.value for k in EventKind if not k.changes_order]).count()
    assert order.version == changes, "every change to the order bumps the version and writes one event"
    paid = order.payments.filter(voided_at=None).aggregate(s=Sum("amount"))["s"] or Decimal("0")
    assert order.amount_paid == paid
    assert order.amount_paid <= order.total
    assert order.tracking_numbers.count() == order.events.filter(action__in=["ship", "update-tracking"]).count()
    if order.status in PRODUCED_OR_LATER:
        assert order.tasks.exists() and not order.tasks.filter(done=False).exists()
    if order.status == "completed":
        assert order.amount_paid >= order.total and order.delivered_on is not None
