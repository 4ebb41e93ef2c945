"""The data the fuzzer aims at: the cast of tests/conftest.py plus orders in every status.

Generated requests get these real identifiers in their path (order numbers, lab slugs,
task, payment, service and member ids), so they reach the code behind the 404.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from crownline.billing import balances, credits, invoices
from crownline.files import services as files
from crownline.files.models import OrderFile
from crownline.orders import comments, payments
from crownline.orders.models import Order, Payment
from crownline.pricing import services as pricing
from crownline.pricing.services import PricebookInput
from crownline.tenancy.models import ApiToken
from crownline.workplan.models import Task
from tests.case.matrix_outsourcing import matrix_partner
from tests.factories import PATH, invite, make_order


@dataclass
class World:
    cast: object
    # Lab A's orders of dentist A1, one per status, then one of A2 and one of lab B.
    orders: list[Order]
    order_b: Order
    tokens: dict[str, str] = field(default_factory=dict)
    # An open invitation of lab A, by id, and the token of its link.
    invitation_id: int = 0
    invitation_token: str = ""
    # Money: an invoice with a credit note, a pricebook, an advance, and the month they are in.
    invoice_numbers: list[str] = field(default_factory=list)
    pricebook_id: int = 0
    # Lab A's active link with a partner lab (crownline.outsourcing).
    partner_link_id: int = 0
    advance_id: int = 0
    month: str = ""

    def task_ids(self, order: Order) -> list[int]:
        return list(Task.objects.filter(order__number=order.number).values_list("pk", flat=True))

    def file_ids(self, order: Order) -> list[int]:
        return list(OrderFile.objects.filter(order__number=order.number).values_list("pk", flat=True))

    def payment_ids(self, order: Order) -> list[int]:
        return list(Payment.objects.filter(order__number=order.number).values_list("pk", flat=True))

    def etag(self, number: str) -> str:
        return Order.objects.get(number=number).etag


ACTORS = ("admin_a", "tech_a", "dentist_a1")


def build_world(cast) -> World:
    orders = [make_order(cast.admin_a, cast.customer_a1, status=s, service=cast.service_a) for s in PATH]
    orders.append(make_order(cast.admin_a, cast.customer_a1, status="cancelled", service=cast.service_a))
    # A published order paid in full has a payment that can be cancelled.
    orders.append(make_order(cast.admin_a, cast.customer_a1, status="published", service=cast.service_a, paid=True))
    orders.append(make_order(cast.admin_a, cast.customer_a2, status="production", service=cast.service_a))
    order_b = make_order(cast.admin_b, cast.customer_b, status="production", service=cast.service_b)
    for order in (*orders, order_b):
        comments.add_comment(cast.admin_a if order.lab_id == cast.lab_a.pk else cast.admin_b, order.number,
                             body="Seen.", internal=False)
    payments.record_payment(cast.admin_b, order_b.number, amount=order_b.total / 2)
    world = World(cast=cast, orders=orders, order_b=order_b)
    invitation, world.invitation_token = invite(cast.admin_a, cast.lab_a, "invited@example.com", name="Dr. Invited")
    world.invitation_id = invitation.pk
    _money(world)
    _files(world)
    world.partner_link_id = matrix_partner(cast)[1].pk
    for name in (*ACTORS, "dentist_a2", "admin_b", "dentist_b"):
        world.tokens[name] = ApiToken.issue(getattr(cast, name))
    return world


def _money(world: World) -> None:
    """Lab A's money: dentist A1's delivered and completed orders invoiced, part of it credited,
    an advance of A1, and a pricebook of A1's; the fuzzer's invoice numbers, ids and month."""
    cast = world.cast
    billable = [o.number for o in world.orders if o.status in ("delivered", "completed")]
    invoice = invoices.create_invoice(cast.admin_a, "lab-a", billable)
    note = credits.create_credit_note(cast.admin_a, invoice.number, reason="fuzz", amount=Decimal("1"))
    world.invoice_numbers = [invoice.number, note.number]
    world.advance_id = balances.add_advance(cast.admin_a, "lab-a", cast.customer_a1.pk, amount=Decimal("50")).pk
    world.pricebook_id = pricing.create_pricebook(
        cast.admin_a, "lab-a", PricebookInput(name="Fuzz prices", customers=[cast.customer_a1.pk])
    ).pk
    world.month = cast.lab_a.local_date().strftime("%Y-%m")


def _files(world: World) -> None:
    """Files on every order of lab A but the cancelled one: dentist A1's shared photo and the lab's
    internal PDF (crownline.files), so {file_id} reaches both kinds."""
    cast = world.cast
    for order in world.orders:
        if order.status == "cancelled":
            continue
        owner = cast.dentist_a1 if order.customer_id == cast.customer_a1.pk else cast.dentist_a2
        files.upload_file(owner, order.number, SimpleUploadedFile("smile.png", FUZZ_PNG))
        files.upload_file(cast.admin_a, order.number, SimpleUploadedFile("notes.pdf", FUZZ_PDF), shared=False)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (10, 200, 30)).save(out, format="PNG")
    return out.getvalue()


FUZZ_PNG = _png()
FUZZ_PDF = b"%PDF-1.4\n%%EOF\n"
