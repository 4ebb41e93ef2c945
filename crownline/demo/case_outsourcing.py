"""Demo data of partner labs and outsourcing (issue 13): the two demo labs linked, an order of
the demo lab sent (some lines, a file) to the second lab and in production there, and a pending
invitation to a milling centre that has not answered yet."""

from __future__ import annotations

from django.db.models import Count

from crownline.orders import services
from crownline.orders.lifecycle import Status
from crownline.outsourcing import links, sending
from crownline.outsourcing.files import files_of
from crownline.outsourcing.models import PartnerLink
from crownline.tenancy.models import Lab

PENDING_PARTNER = "orders@milling-centre.example"


def _file_ids(order) -> list[int]:
    """One file of the order to send along, if it has any (crownline.demo.case_files adds some)."""
    return [f.pk for f in files_of(order)[:1]]


def seed_outsourcing(lab: Lab, partner: Lab, admin, partner_admin) -> None:
    """After both labs' orders: the labs linked, an order sent to the partner and moving there."""
    if PartnerLink.objects.filter(lab=lab).exists():
        return
    _, raw = links.invite_partner(admin, lab.slug, email=partner_admin.email or "other-admin@second-lab.example")
    links.accept(partner_admin, raw, partner.slug)
    order = (
        lab.orders.filter(status__in=[Status.PUBLISHED, Status.PRODUCTION], on_hold=False)
        .annotate(files_n=Count("files", distinct=True), lines_n=Count("lines", distinct=True))
        .order_by("-files_n", "-lines_n", "pk")
        .first()
    )
    if order is not None:
        first = order.lines.order_by("position").first()
        handoff = sending.send_order(
            admin,
            order.number,
            partner=partner.slug,
            lines=[sending.LineChoice(first.pk)],
            files=_file_ids(order),
            note="Please mill this one on your 5-axis machine; we keep the rest.",
        )
        theirs = handoff.partner_order
        services.start_production(partner_admin, theirs.number, production_date=partner.local_date())
    links.invite_partner(admin, lab.slug, email=PENDING_PARTNER)
