"""The invitee's side: opening a link, accepting it into one's login, or signing up with it.

Only here does anyone get linked to a lab (a Membership, or a Customer record's user), and
only by the person holding the link. Every link that cannot be used (unknown, used,
revoked, expired) gets the same 404, so a link says nothing about the invitation it was.
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from crownline.customers.models import Customer
from crownline.errors import Conflict, InvalidInput, NotFound
from crownline.invitations.models import Invitation, token_digest
from crownline.invitations.services import clean_person_name
from crownline.roles import Role
from crownline.tenancy.models import Membership
from crownline.tenancy.names import clashing_lab

# What new_token() makes (URL-safe base64); anything else is not looked up at all.
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{20,100}$"  # noqa: S105 - a pattern, not a secret
USERNAME_PATTERN = r"^[\w.@+-]+$"


def usable(raw: str, *, for_update: bool = False) -> Invitation:
    """The invitation a link stands for, if it can still be accepted; else 404."""
    if not re.fullmatch(TOKEN_PATTERN, raw or ""):
        raise NotFound("This invitation link is not valid: it may have been used, revoked or expired.")
    found = Invitation.objects.select_related("lab", "customer").filter(token_hash=token_digest(raw))
    if for_update:
        # Only the invitation's row: PostgreSQL locks no outer-joined row (the optional customer).
        found = found.select_for_update(of=("self",))
    invitation = found.first()
    if invitation is None or invitation.status != "pending":
        raise NotFound("This invitation link is not valid: it may have been used, revoked or expired.")
    return invitation


def _refuse_clash(user, invitation: Invitation) -> None:
    other = clashing_lab(user.pk, invitation.lab)
    if other is not None:
        raise Conflict(
            f"You already work with a lab named “{other.name}”; two labs of one name could not be told apart "
            "in your list. Ask this lab to change its name, then accept again.")


def _link(user, invitation: Invitation) -> None:
    lab = invitation.lab
    if Membership.objects.filter(user=user, lab=lab).exists():
        raise Conflict("You are on this lab's team already.")
    if invitation.role == Role.CUSTOMER:
        if Customer.objects.filter(user=user, lab=lab).exists():
            raise Conflict("You are a customer of this lab already.")
        record = invitation.customer
        if record is None:
            Customer.objects.create(lab=lab, user=user, name=invitation.name, email=invitation.email)
            return
        # Locked: two people holding two links to one record cannot both take it.
        record = Customer.objects.select_for_update().get(pk=record.pk)
        if record.user_id is not None:
            raise Conflict("This customer record has a login already.")
        record.user = user
        record.save(update_fields=["user"])
    else:
        Membership.objects.create(user=user, lab=lab, role=invitation.role)


def accept(user, raw: str) -> Invitation:
    """Links the signed-in user as the invitation says; the link is used up."""
    with transaction.atomic():
        invitation = usable(raw, for_update=True)
        _refuse_clash(user, invitation)
        try:
            with transaction.atomic():
                _link(user, invitation)
        except IntegrityError as exc:
            # Two links of one lab accepted at once by one login: the database's unique
            # constraints (one membership, one customer record per login and lab) keep one.
            raise Conflict("You joined this lab a moment ago already.") from exc
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return invitation


def sign_up_and_accept(raw: str, *, username: str, password: str, first_name: str = "",
                       last_name: str = ""):
    """A new login for the invitee, with the invitation's address (the link proved they read
    it), accepted in the same transaction: a link that fails leaves no login behind."""
    User = get_user_model()
    first_name = clean_person_name(first_name, "first_name")
    last_name = clean_person_name(last_name, "last_name")
    if not re.fullmatch(USERNAME_PATTERN, username or "") or len(username) > 150:
        raise InvalidInput("username", "letters, digits and @ . + - _ only, at most 150")
    with transaction.atomic():
        invitation = usable(raw, for_update=True)
        candidate = User(username=username, email=invitation.email, first_name=first_name, last_name=last_name)
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise InvalidInput("password", " ".join(exc.messages)) from exc
        if User.objects.filter(username__iexact=username).exists():
            raise InvalidInput("username", "this username is taken; choose another")
        try:
            with transaction.atomic():
                user = User.objects.create_user(username=username, password=password, email=invitation.email,
                                                first_name=first_name, last_name=last_name)
        except IntegrityError as exc:
            raise InvalidInput("username", "this username is taken; choose another") from exc
        accept(user, raw)
    return user
