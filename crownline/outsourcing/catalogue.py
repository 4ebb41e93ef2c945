"""What a lab's admin may read of a linked partner's catalogue: its active services' names,
to choose which one makes each line sent (never their prices: those are the partner's quote)."""

from __future__ import annotations

from crownline.catalog.models import Service
from crownline.customers.access import admin_lab
from crownline.errors import NotFound
from crownline.outsourcing.links import active_links


def partner_services(user, slug: str, link_id: int) -> list[Service]:
    lab = admin_lab(user, slug)
    link = active_links(lab).select_related("lab", "partner").filter(pk=link_id).first()
    if link is None:
        raise NotFound("No such partner link.")
    return list(Service.objects.filter(lab=link.other(lab.pk), is_active=True).order_by("group", "name", "pk"))
