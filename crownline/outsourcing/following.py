"""The sender follows the partner's order: each move of it is a PARTNER_STATUS event on the
sender's order, written in the partner's own transaction.

Only the partner lab's name, its order number and the new status cross over: never who moved
it, its tasks, pay, comments or files. The event has no actor (a person of another lab).
"""

from __future__ import annotations

from crownline.orders.lifecycle import EventKind
from crownline.orders.models import Order, OrderEvent


def mirror_status(partner_order: Order) -> None:
    """Called with the partner's order locked (by `changes.acting`); locks the sender's next:
    always in that order (partner, then sender), so two moves never wait on each other in a circle."""
    if partner_order.outsourced_from_id is None:
        return
    sender = Order.objects.select_for_update(of=("self",)).filter(pk=partner_order.outsourced_from_id).first()
    if sender is None:
        return
    OrderEvent.objects.create(
        order=sender,
        actor=None,
        actor_role="",
        action=EventKind.PARTNER_STATUS.value,
        from_status=sender.status,
        to_status=sender.status,
        data={"lab": partner_order.lab.name, "order": partner_order.number, "status": partner_order.status},
    )
