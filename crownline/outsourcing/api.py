"""The outsourcing API: partner links (the lab admin's), and sending an order to a partner lab.

Links: `GET/POST /labs/{slug}/partners`, `DELETE /labs/{slug}/partners/{link_id}`, the partner's
services to map lines to (`GET /labs/{slug}/partners/{link_id}/services`), and accepting an
e-mailed invitation (`POST /partner-invitations/{link_token}/accept`). Orders:
`GET /orders/{number}/outsourcing` (the lab's staff; the cost for the admin) and
`POST /orders/{number}/outsource` (the lab admin, Published or in Production).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Field, Path, Router, Status

from crownline.http import IfMatch, expected_version
from crownline.invitations.acceptance import TOKEN_PATTERN
from crownline.outsourcing import catalogue, links, sending
from crownline.outsourcing.models import PartnerLink
from crownline.roles import Role
from crownline.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, Id, In, LabSlug, MoneyOut, Out, PathId

router = Router(tags=["outsourcing"])

LinkToken = Annotated[
    str,
    Path(
        pattern=TOKEN_PATTERN, max_length=100, description="the token of the link the partner invitation e-mail carries"
    ),
]


class PartnerInviteIn(In):
    email: str = Field(min_length=3, max_length=254, description="the partner lab admin's address")


class AcceptIn(In):
    lab: str = Field(pattern=r"^[-a-zA-Z0-9_]+$", max_length=60, description="the slug of the lab that accepts")


class LabRef(Out):
    slug: str
    name: str


class PartnerOut(Out):
    id: int
    status: str = Field(description="pending (invited), active (linked) or ended")
    direction: str = Field(description="sent: this lab invited; received: this lab accepted")
    email: str = Field(description="where the invitation went")
    partner: LabRef | None = Field(description="the lab at the other end, once it accepted")
    created_at: dt.datetime
    sent_at: dt.datetime | None = Field(description="when the e-mail went out; empty if sending failed")
    expires_at: dt.datetime
    accepted_at: dt.datetime | None
    ended_at: dt.datetime | None


class PartnerServiceOut(Out):
    id: int
    name: str
    group: str


class LineChoiceIn(In):
    line: Id = Field(description="a line of this order (its id)")
    service: Id | None = Field(
        None, description="the partner's service that makes it; default: the one of the same name"
    )


class OutsourceIn(In):
    partner: str = Field(pattern=r"^[-a-zA-Z0-9_]+$", max_length=60, description="the partner lab's slug")
    lines: list[LineChoiceIn] = Field(min_length=1, max_length=50)
    files: list[Id] = Field([], max_length=100, description="files of this order to send along")
    note: str = Field("", max_length=4000, description="for the partner lab")


class SentLineOut(Out):
    line: int
    position: int
    service: str
    partner_service: str
    quantity: int


class HandoffOut(Out):
    id: int
    partner_lab: str
    partner_slug: str
    partner_order: str = Field(description="the partner's order number")
    status: str = Field(description="the partner's order's status, as it moves")
    status_label: str
    lines: list[SentLineOut]
    files: int
    note: str
    sent_at: dt.datetime
    cost: MoneyOut | None = Field(description="the partner's total: what the work costs this lab (lab admin only)")
    currency: str | None


def _partner_out(link: PartnerLink, lab_id: int) -> dict:
    other = link.other(lab_id)
    return {
        "id": link.pk,
        "status": link.status,
        "direction": "sent" if link.lab_id == lab_id else "received",
        "email": link.email,
        "partner": {"slug": other.slug, "name": other.name} if other else None,
        "created_at": link.created_at,
        "sent_at": link.sent_at,
        "expires_at": link.expires_at,
        "accepted_at": link.accepted_at,
        "ended_at": link.ended_at,
    }


@router.get("/labs/{slug}/partners", response={200: list[PartnerOut], 403: ErrorOut, **READ_ERRORS})
def list_partners(request: HttpRequest, slug: LabSlug):
    lab, found = links.links_of(request.user, slug)
    return [_partner_out(link, lab.pk) for link in found]


@router.post("/labs/{slug}/partners", response={201: PartnerOut, **WRITE_ERRORS, 429: ErrorOut})
def invite_partner(request: HttpRequest, slug: LabSlug, data: PartnerInviteIn):
    """Invites a lab by its admin's e-mail address; nothing links until an admin of a lab accepts."""
    link, _ = links.invite_partner(request.user, slug, email=data.email)
    return Status(201, _partner_out(link, link.lab_id))


@router.delete("/labs/{slug}/partners/{link_id}", response={204: None, **WRITE_ERRORS})
def end_partner(request: HttpRequest, slug: LabSlug, link_id: PathId):
    """Ends a link (either side) or withdraws an invitation; the orders already sent stay."""
    links.end(request.user, slug, link_id)
    return Status(204, None)


@router.get(
    "/labs/{slug}/partners/{link_id}/services", response={200: list[PartnerServiceOut], 403: ErrorOut, **READ_ERRORS}
)
def partner_services(request: HttpRequest, slug: LabSlug, link_id: PathId):
    """The linked partner's active services, to say which one makes each line sent."""
    found = catalogue.partner_services(request.user, slug, link_id)
    return [{"id": s.pk, "name": s.name, "group": s.group} for s in found]


@router.post("/partner-invitations/{link_token}/accept", response={200: PartnerOut, **WRITE_ERRORS})
def accept_partner(request: HttpRequest, link_token: LinkToken, data: AcceptIn):
    """An admin of the lab `lab` accepts; an unknown, used, withdrawn or expired link is 404."""
    link = links.accept(request.user, link_token, data.lab)
    return _partner_out(link, link.partner_id)


@router.get("/orders/{number}/outsourcing", response={200: list[HandoffOut], 403: ErrorOut, **READ_ERRORS})
def list_handoffs(request: HttpRequest, number: str):
    """The order's hand-offs to partner labs and where the partner's order is now."""
    _, standing, found = sending.handoffs_for(request.user, number)
    return [sending.handoff_view(h, standing.role) for h in found]


@router.post("/orders/{number}/outsource", response={201: HandoffOut, **WRITE_ERRORS})
def outsource(
    request: HttpRequest, number: str, data: OutsourceIn, response: HttpResponse, if_match: str | None = IfMatch
):
    """Sends the chosen lines (and files) to a linked partner lab, which gets an order of its own."""
    handoff = sending.send_order(
        request.user,
        number,
        partner=data.partner,
        lines=[sending.LineChoice(c.line, c.service) for c in data.lines],
        files=data.files,
        note=data.note,
        expected_version=expected_version(if_match, required=False, number=number),
    )
    response["ETag"] = handoff.order.etag
    return Status(201, sending.handoff_view(handoff, Role.ADMIN))
