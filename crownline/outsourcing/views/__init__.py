"""The outsourcing pages (issue 13); `page_context` adds this app's part to the order page's context.

The partners page and the accept page live in `views.partners`, the send action in
`views.send` (it answers with the order page, which imports this package).
"""

from __future__ import annotations

from typing import Any

from crownline.catalog.models import Service
from crownline.orders import lifecycle
from crownline.orders.lifecycle import Action, Status
from crownline.orders.models import Order
from crownline.outsourcing import links, sending
from crownline.outsourcing.files import files_of
from crownline.roles import LabRole


def page_context(order: Order, standing: LabRole) -> dict[str, Any]:
    """The order page's outsourcing card and Send dialog: for the lab's staff only (a dentist
    never learns that their case went out); the cost for a role that sees money (the admin)."""
    if not standing.is_staff:
        return {}
    part: dict[str, Any] = {
        "handoffs": [sending.handoff_view(h, standing.role) for h in sending.handoffs_of(order)],
        # On the partner's side: the lab that sent this order (its name only).
        "received_from": order.customer.partner_lab if order.outsourced_from_id else None,
        "can_send": False,
    }
    if lifecycle.is_allowed(Status(order.status), standing.role, Action.OUTSOURCE):
        partners = links.partners_of(order.lab)
        services = Service.objects.filter(lab__in=partners, is_active=True).order_by("name", "pk")
        part |= {
            "can_send": bool(partners),
            "no_partners": not partners,
            "partners": partners,
            "files": files_of(order) if partners else [],
            "partner_services": [(p, [s for s in services if s.lab_id == p.pk]) for p in partners],
        }
    return {"outsourcing": part}
