"""Invitations over the API: the lab admin invites, lists, resends and revokes; the invitee accepts."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema, Status
from pydantic import ConfigDict

from crownline.invitations import acceptance, services
from crownline.invitations.models import Invitation
from crownline.roles import Role
from crownline.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, Id, LabSlug, Out, PathId

router = Router(tags=["invitations"])

InvitationToken = Annotated[str, Path(pattern=acceptance.TOKEN_PATTERN, max_length=100,
                                      description="the token of the link the invitation e-mail carries")]


class InvitationIn(Schema):
    # An unknown field (a `username`, say) is refused, not silently dropped.
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=254, description="where the link goes")
    role: Role = Field(Role.CUSTOMER, description="customer (a dentist), technician or lab_admin")
    name: str = Field("", max_length=200,
                      description="a new customer's name, as the lab will know them (customers without `customer`)")
    customer: Id | None = Field(None, description="an existing customer record of the lab without a login")


class InvitationOut(Out):
    id: int
    email: str = Field(description="the address as the lab typed it")
    role: Role
    name: str = Field(description="the customer's name in this lab's records (customers only)")
    customer: int | None = Field(description="the customer record the login will be linked to, if it exists yet")
    status: str = Field(description="pending or expired (accepted and revoked ones are not listed)")
    self_registered: bool = Field(description="asked for on the lab's open registration page")
    created_at: dt.datetime
    expires_at: dt.datetime
    sent_at: dt.datetime | None = Field(description="when the e-mail last went out; empty if sending failed")


class AcceptedOut(Out):
    lab: str = Field(description="the lab's slug")
    lab_name: str
    role: Role


def _out(invitation: Invitation) -> dict:
    return {"id": invitation.pk, "email": invitation.email, "role": invitation.role,
            "name": invitation.customer_name, "customer": invitation.customer_id,
            "status": invitation.status.value, "self_registered": invitation.self_registered,
            "created_at": invitation.created_at, "expires_at": invitation.expires_at, "sent_at": invitation.sent_at}


@router.get("/labs/{slug}/invitations", response={200: list[InvitationOut], 403: ErrorOut, **READ_ERRORS})
def list_invitations(request: HttpRequest, slug: LabSlug):
    return [_out(i) for i in services.open_invitations(request.user, slug)]


@router.post("/labs/{slug}/invitations", response={201: InvitationOut, **WRITE_ERRORS, 429: ErrorOut})
def invite(request: HttpRequest, slug: LabSlug, data: InvitationIn):
    """Invites a person by e-mail address. The answer is the same whether or not the address
    belongs to a login anywhere; nobody is linked until they accept."""
    return Status(201, _out(services.invite(request.user, slug, **data.dict())))


@router.delete("/labs/{slug}/invitations/{id}", response={204: None, **WRITE_ERRORS})
def revoke(request: HttpRequest, slug: LabSlug, id: PathId):
    services.revoke(request.user, slug, id)
    return Status(204, None)


@router.post("/labs/{slug}/invitations/{id}/resend", response={200: InvitationOut, **WRITE_ERRORS, 429: ErrorOut})
def resend(request: HttpRequest, slug: LabSlug, id: PathId):
    """A new link with a new expiry goes out; the link sent before stops working."""
    return _out(services.resend(request.user, slug, id))


@router.post("/invitations/{token}/accept", response={200: AcceptedOut, **WRITE_ERRORS})
def accept(request: HttpRequest, token: InvitationToken):
    """Accepts into the caller's own login. A person without a login opens the e-mail's link
    in a browser, where they create one. An unknown, used, revoked or expired link is 404."""
    invitation = acceptance.accept(request.user, token)
    return {"lab": invitation.lab.slug, "lab_name": invitation.lab.name, "role": invitation.role}
