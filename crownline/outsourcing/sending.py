"""Sending an order, or some of its lines, to a partner lab, and what the sender may read of it.

The partner gets an order of its own, Published, in its lab: its customer is the record that
stands for the sending lab there (`Customer.partner_lab`, made on first use), its lines are
priced by the partner's catalogue and its pricebook for that customer (`crownline.pricing.
quotes`, as any new order's), and those prices are what the work costs the sending lab. Both
histories record the hand-off in the one transaction that writes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from crownline.catalog.models import Service
from crownline.customers.models import Customer, Patient
from crownline.errors import Forbidden, InvalidInput
from crownline.numbers import ID_MAX, MONEY_MAX
from crownline.orders.access import get_order_for
from crownline.orders.changes import acting, commit
from crownline.orders.drafting import LINE_TOO_LARGE, MAX_LINES
from crownline.orders.lifecycle import Action, EventKind, Status
from crownline.orders.models import Order, OrderEvent, OrderLine
from crownline.orders.totals import money_fields, totals_of
from crownline.outsourcing.files import copy_files
from crownline.outsourcing.links import active_links
from crownline.outsourcing.models import Handoff, PartnerLink
from crownline.pricing import quotes
from crownline.roles import Role
from crownline.tenancy.models import Lab

NOTE_MAX = 4000


@dataclass(frozen=True)
class LineChoice:
    """A line of the sender's order to send, and the partner's service to make it with
    (None: the partner's active service of the same name)."""

    line: int
    service: int | None = None


def _link(lab: Lab, partner_slug: str) -> PartnerLink:
    link = (
        active_links(lab)
        .select_for_update(of=("self",))
        .select_related("lab", "partner")
        .filter(Q(lab=lab, partner__slug=partner_slug) | Q(partner=lab, lab__slug=partner_slug))
        .first()
    )
    if link is None:
        raise InvalidInput("partner", f"{partner_slug!r} is not a partner lab of {lab.name}: link the labs first")
    return link


def _mapped(order: Order, partner: Lab, choices: list[LineChoice]) -> list[tuple[OrderLine, Service]]:
    """Each chosen line of the order with the partner's service that will make it."""
    if not choices:
        raise InvalidInput("lines", "choose at least one line to send")
    if len(choices) > MAX_LINES:
        raise InvalidInput("lines", f"an order has at most {MAX_LINES} lines")
    own = {line.pk: line for line in order.lines.select_related("service")}
    theirs = list(Service.objects.filter(lab=partner, is_active=True))
    by_id = {s.pk: s for s in theirs}
    by_name = {s.name.strip().casefold(): s for s in theirs}
    mapped, seen = [], set()
    for i, choice in enumerate(choices):
        line = own.get(choice.line)
        if line is None:
            raise InvalidInput(f"lines[{i}].line", f"no line {choice.line} on this order")
        if line.pk in seen:
            raise InvalidInput(f"lines[{i}].line", "a line is chosen twice")
        seen.add(line.pk)
        if choice.service is not None:
            service = by_id.get(choice.service) if 1 <= choice.service <= ID_MAX else None
            if service is None:
                raise InvalidInput(f"lines[{i}].service", f"{partner.name} has no active service {choice.service}")
        else:
            service = by_name.get(line.service.name.strip().casefold())
            if service is None:
                raise InvalidInput(
                    f"lines[{i}].service",
                    f"{partner.name} has no active service named "
                    f"“{line.service.name}”: choose which of their services makes this line",
                )
        mapped.append((line, service))
    return mapped


def partner_customer(partner: Lab, sender: Lab, email: str) -> Customer:
    """The partner lab's customer record for the sending lab, made on first use."""
    found = Customer.objects.filter(lab=partner, partner_lab=sender).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Customer.objects.create(lab=partner, partner_lab=sender, name=sender.name[:200], email=email)
    except IntegrityError:  # made a moment ago by another hand-off (the unique constraint kept one)
        return Customer.objects.get(lab=partner, partner_lab=sender)


def _partner_order(change_order: Order, partner: Lab, customer: Customer, mapped, note: str, user) -> Order:
    """The partner's new order, Published, its lines priced by the partner for this customer."""
    currency = customer.currency
    rate = quotes.rate_for(partner, currency, field="partner", customer=customer)
    prices = quotes.quote(
        partner,
        {s.pk: s for _, s in mapped}.values(),
        currency=currency,
        rate=rate,
        pricebook=quotes.pricebook_of(customer),
    )
    patient = None
    if change_order.patient is not None:
        patient, _ = Patient.objects.get_or_create(lab=partner, customer=customer, name=change_order.patient.name)
    due = change_order.due_date
    order = Order.objects.create(
        lab=partner,
        customer=customer,
        patient=patient,
        currency=currency,
        exchange_rate=rate,
        due_date=due if due and due >= partner.local_date() else None,
        notes=note,
        created_by=None,
        status=Status.PUBLISHED.value,
        published_at=timezone.now(),
        outsourced_from=change_order,
    )
    lines = []
    for position, (mine, service) in enumerate(mapped, start=1):
        q = prices[service.pk]
        line = OrderLine(
            order=order,
            position=position,
            service=service,
            quantity=mine.quantity,
            teeth=list(mine.teeth),
            shade=mine.shade,
            list_price=q.list_price,
            unit_price=q.unit_price,
            price_note=q.price_note,
            tax_rate=q.tax_rate,
        )
        if line.line_total > MONEY_MAX or line.list_price * line.quantity > MONEY_MAX:
            raise InvalidInput(f"lines[{position - 1}].line", LINE_TOO_LARGE)
        lines.append(line)
    OrderLine.objects.bulk_create(lines)
    fields = money_fields(totals_of(order, lines))
    Order.objects.filter(pk=order.pk).update(**fields)
    for name, value in fields.items():
        setattr(order, name, value)
    return order


def send_order(
    user,
    number: str,
    *,
    partner: str,
    lines: list[LineChoice],
    files: list[int] | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Handoff:
    """The lab admin sends the order's chosen lines (and files) to a linked partner lab."""
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise InvalidInput("note", f"a note has at most {NOTE_MAX} characters")
    file_ids = list(dict.fromkeys(files or []))
    with acting(user, number, Action.OUTSOURCE, expected_version=expected_version) as change:
        order = change.order
        link = _link(order.lab, partner)
        partner_lab = link.other(order.lab_id)
        mapped = _mapped(order, partner_lab, lines)
        customer = partner_customer(partner_lab, order.lab, getattr(user, "email", "") or "")
        theirs = _partner_order(order, partner_lab, customer, mapped, note, user)
        sent_files = copy_files(order, theirs, file_ids, user=user)
        sent: list[dict[str, Any]] = [
            {
                "line": mine.pk,
                "position": mine.position,
                "service": mine.service.name,
                "partner_service": service.name,
                "quantity": mine.quantity,
            }
            for mine, service in mapped
        ]
        positions = [s["position"] for s in sent]
        # The partner's history names the sending lab, never a person of it: the event has no actor.
        OrderEvent.objects.create(
            order=theirs,
            actor=None,
            actor_role="",
            action=EventKind.RECEIVED_FROM_PARTNER,
            from_status="",
            to_status=theirs.status,
            data={"lab": order.lab.name, "order": order.number, "lines": len(sent), "files": sent_files},
        )
        commit(
            change,
            EventKind.OUTSOURCE,
            data={"lab": partner_lab.name, "order": theirs.number, "lines": positions, "files": sent_files},
        )
        handoff = Handoff.objects.create(
            order=order, partner_order=theirs, link=link, lines=sent, files=sent_files, note=note, sent_by=user
        )
    return handoff


def handoffs_of(order: Order) -> list[Handoff]:
    """The order's hand-offs with the partner's order (its status and total) and lab."""
    return list(order.handoffs.select_related("partner_order", "partner_order__lab").order_by("pk"))


def handoffs_for(user, number: str) -> tuple[Order, Any, list[Handoff]]:
    """The order's hand-offs as its lab's staff read them; a dentist may not (outsourcing is the
    lab's own business, 403), anyone who cannot see the order gets its 404."""
    order, standing = get_order_for(user, number)
    if not standing.is_staff:
        raise Forbidden("Only the lab's staff follow the orders sent to partner labs.")
    return order, standing, handoffs_of(order)


def handoff_view(handoff: Handoff, role: Role) -> dict[str, Any]:
    """What the sender reads of one hand-off: the partner order's number and status, the lines
    sent and, for a role that sees money, the cost (the partner's total). Nothing else of the
    partner's order (its tasks, comments, files, people) is read here at all."""
    theirs = handoff.partner_order
    view: dict[str, Any] = {
        "id": handoff.pk,
        "partner_lab": theirs.lab.name,
        "partner_slug": theirs.lab.slug,
        "partner_order": theirs.number,
        "status": theirs.status,
        "status_label": Status(theirs.status).name.title(),
        "lines": handoff.lines,
        "files": handoff.files,
        "note": handoff.note,
        "sent_at": handoff.sent_at,
        "cost": None,
        "currency": None,
    }
    if role.sees_money:
        view["cost"], view["currency"] = theirs.total, theirs.currency
    return view
