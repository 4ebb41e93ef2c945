"""The lab admin's side of invitations: invite, list, resend, revoke.

No answer here depends on whether a login or an e-mail address exists anywhere: an
invitation is checked against the lab's own records only, and the e-mail goes out the same
way for every address. Whether the address belongs to someone is learnt by nobody but the
person who opens the link.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from crownline.customers.access import admin_lab
from crownline.customers.models import Customer
from crownline.errors import Conflict, DomainError, InvalidInput, NotFound
from crownline.invitations.emails import send_invitation
from crownline.invitations.models import Invitation
from crownline.roles import Role
from crownline.tenancy.models import Lab

# The install's mail server must not become a lab's megaphone: a lab sends at most this many
# invitations a day, and one invitation is resent at most once a minute.
INVITATIONS_PER_LAB_PER_DAY = 100
RESEND_PAUSE = dt.timedelta(minutes=1)


class TooManyRequests(DomainError):
    status_code = 429


def clean_email(raw: str) -> str:
    email = raw.strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvalidInput("email", "enter a valid e-mail address") from exc
    return email


def clean_person_name(raw: str, field: str = "name") -> str:
    """A name shown to others: trimmed, printable (no control or invisible characters)."""
    name = raw.strip()
    if any(unicodedata.category(ch)[0] == "C" for ch in name):
        raise InvalidInput(field, "a name may not contain control or invisible characters")
    return name


def _customer_target(lab, role: Role, name: str, customer: int | None) -> tuple[Customer | None, str]:
    """The customer record a dentist's invitation will link, or the name of the one to create."""
    if role is not Role.CUSTOMER:
        if customer is not None:
            raise InvalidInput("customer", "only a customer's invitation names a customer record")
        return None, ""
    if customer is None:
        name = clean_person_name(name)
        if not name:
            raise InvalidInput("name", "say how the lab will know this customer (their name)")
        return None, name
    record = Customer.objects.select_for_update().filter(lab=lab, pk=customer).first()
    if record is None:
        raise InvalidInput("customer", f"no customer {customer} in this lab")
    if record.user_id is not None:
        raise InvalidInput("customer", "this customer already has a login")
    return record, ""


def invite(user, slug: str, *, email: str, role: Role, name: str = "", customer: int | None = None) -> Invitation:
    """Records the invitation and e-mails its link (after the commit); links nobody yet."""
    try:
        role = Role(role)
    except ValueError as exc:
        raise InvalidInput("role", "a role is customer, technician or lab_admin") from exc
    with transaction.atomic():
        lab = admin_lab(user, slug)
        # The daily count and the one-open-invitation checks read, then write: one invite per lab at a time.
        Lab.objects.select_for_update().filter(pk=lab.pk).first()
        email = clean_email(email)
        record, name = _customer_target(lab, role, name, customer)
        today = Invitation.objects.filter(lab=lab, self_registered=False,
                                          created_at__gte=timezone.now() - dt.timedelta(days=1))
        if today.count() >= INVITATIONS_PER_LAB_PER_DAY:
            raise TooManyRequests(f"A lab sends at most {INVITATIONS_PER_LAB_PER_DAY} invitations a day.")
        open_ones = Invitation.objects.filter(lab=lab, accepted_at=None, revoked_at=None)
        if open_ones.filter(email__iexact=email).exists():
            raise Conflict("An invitation to this address is open already: resend or revoke it.")
        if record is not None and open_ones.filter(customer=record).exists():
            raise Conflict("An invitation for this customer is open already: resend or revoke it.")
        invitation = Invitation(lab=lab, email=email, role=role.value, customer=record, name=name, invited_by=user)
        raw = invitation.renew()
        invitation.save()
    send_invitation(invitation, raw)
    return invitation


def open_invitations(user, slug: str) -> list[Invitation]:
    """The lab's invitations nobody accepted or revoked yet (expired ones too: they can be resent)."""
    lab = admin_lab(user, slug)
    return list(Invitation.objects.filter(lab=lab, accepted_at=None, revoked_at=None)
                .select_related("customer").order_by("-created_at", "-pk"))


def _open_one(user, slug: str, invitation_id: int) -> Invitation:
    lab = admin_lab(user, slug)
    invitation = (Invitation.objects.select_for_update(of=("self",)).select_related("customer", "lab")
                  .filter(lab=lab, pk=invitation_id, revoked_at=None).first())
    if invitation is None:
        raise NotFound("No such invitation.")
    if invitation.accepted_at is not None:
        raise Conflict("This invitation was accepted already.")
    return invitation


def resend(user, slug: str, invitation_id: int) -> Invitation:
    """A new link with a new expiry: the one sent before stops working."""
    with transaction.atomic():
        invitation = _open_one(user, slug, invitation_id)
        if invitation.sent_at is not None and invitation.sent_at > timezone.now() - RESEND_PAUSE:
            raise TooManyRequests("This invitation went out a moment ago; resend it in a minute.")
        raw = invitation.renew()
        invitation.save(update_fields=["token_hash", "expires_at"])
    send_invitation(invitation, raw)
    return invitation


def revoke(user, slug: str, invitation_id: int) -> None:
    """The link stops working; the row stays as a record of who was invited, by whom, when."""
    with transaction.atomic():
        invitation = _open_one(user, slug, invitation_id)
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
