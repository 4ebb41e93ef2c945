"""Copies, remakes and changing an order's customer (issue 13). Mounted under /orders by crownline.api."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router
from ninja import Status as Reply

from crownline.customers.access import lab_roles
from crownline.http import IfMatch, Prefer, minimal, prefers_minimal
from crownline.orders import copying, customer_change, remakes
from crownline.orders.api import ACTION_RESPONSES, _version, render
from crownline.orders.choices import RemakePayer, RemakeReason
from crownline.orders.copying import CopyInput
from crownline.orders.drafting import MAX_LINES
from crownline.orders.presenting import order_out
from crownline.orders.remakes import RemakeInput
from crownline.orders.schemas import OrderOut
from crownline.schemas import NOT_BLANK, READ_ERRORS, WRITE_ERRORS, Id, In

router = Router(tags=["orders"])


class CopyIn(In):
    patient: Id | None = Field(None, description="another patient of the customer; the source's patient by default")
    patient_name: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        description="a new patient's name (created if new)",
        json_schema_extra=NOT_BLANK,
    )
    lines: list[Id] | None = Field(
        None, max_length=MAX_LINES, description="ids of the source's lines to take along; all by default"
    )
    files: list[Id] = Field(
        default_factory=list,
        max_length=copying.MAX_FILES,
        description="ids of the source's files to copy along (a dentist: files shared with them)",
    )


class RemakeIn(CopyIn):
    reason: RemakeReason = Field(description="why the case is made again")
    payer: RemakePayer = Field(
        description="who pays: customer (their prices), lab (the lines at 0; lab admin only) or "
        "shared (50 % off; lab admin only)"
    )
    note: str = Field("", max_length=remakes.NOTE_MAX, description="what to do differently")


class ChangeCustomerIn(In):
    customer: Id = Field(description="a customer of the order's lab, billed in the order's currency")


def _created(request: HttpRequest, number: str, response: HttpResponse) -> Reply:
    return Reply(201, render(request, number, response))


@router.post("/{number}/copy", response={201: OrderOut, **WRITE_ERRORS})
def copy_order(request: HttpRequest, number: str, data: CopyIn, response: HttpResponse):
    """Copy the order as a new Draft of the same customer (lab admin, the order's customer), priced anew."""
    copy = copying.copy_order(request.user, number, CopyInput(**data.dict()))
    return _created(request, copy.number, response)


@router.post("/{number}/remakes", response={201: OrderOut, **WRITE_ERRORS})
def create_remake(request: HttpRequest, number: str, data: RemakeIn, response: HttpResponse):
    """Make the case again as a new Draft linked to this order (lab admin from Produced on, the
    order's customer from Shipped on)."""
    fields = data.dict()
    fields["reason"], fields["payer"] = data.reason.value, data.payer.value
    remake = remakes.remake_order(request.user, number, RemakeInput(**fields))
    return _created(request, remake.number, response)


@router.get("/{number}/remakes", response={200: list[OrderOut], **READ_ERRORS})
def list_remakes(request: HttpRequest, number: str):
    roles = lab_roles(request.user)
    found = remakes.remakes_of(request.user, number)
    return [order_out(o, roles[o.lab_id]) for o in found.answered()]


@router.post("/{number}/change-customer", response=ACTION_RESPONSES)
def change_customer(
    request: HttpRequest,
    number: str,
    data: ChangeCustomerIn,
    response: HttpResponse,
    if_match: str | None = IfMatch,
    prefer: str | None = Prefer,
):
    """Move the order to another customer of the lab (lab admin; before it is invoiced or paid)."""
    order = customer_change.change_customer(
        request.user, number, customer=data.customer, expected_version=_version(request, number, if_match)
    )
    if prefers_minimal(prefer):
        return minimal(order.etag)
    return render(request, number, response)
