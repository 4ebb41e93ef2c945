"""Linking labs as partners: one lab's admin invites by e-mail, an admin of another lab accepts.

Nothing links until the invitation is accepted, and only by an admin of the accepting lab.
The link's token is kept as an HMAC (`crownline.invitations.models.token_digest`), like a
person's invitation; an unknown, used, ended or expired link is the same 404.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from crownline.customers.access import admin_lab
from crownline.errors import Conflict, InvalidInput, NotFound
from crownline.invitations.acceptance import TOKEN_PATTERN
from crownline.invitations.models import new_token, token_digest
from crownline.invitations.services import TooManyRequests, clean_email
from crownline.outsourcing.emails import send_partner_invitation
from crownline.outsourcing.models import LinkStatus, PartnerLink
from crownline.tenancy.models import Lab

# A lab invites at most this many partner labs a day: the mail server is not a megaphone.
PARTNER_INVITATIONS_PER_DAY = 20
_GONE = "This partner invitation is not valid: it may have been used, withdrawn or expired."


def _lock_labs(*labs: Lab) -> None:
    """Both labs of a pair, in primary-key order: two admins linking the same two labs at once
    (from either side) queue here, so the one-link-per-pair check below holds."""
    list(Lab.objects.select_for_update().filter(pk__in=[lab.pk for lab in labs]).order_by("pk"))


def invite_partner(user, slug: str, *, email: str) -> tuple[PartnerLink, str]:
    """Records the invitation and e-mails its link after the commit; returns it and the raw token."""
    with transaction.atomic():
        lab = admin_lab(user, slug)
        _lock_labs(lab)
        email = clean_email(email)
        since = timezone.now() - dt.timedelta(days=1)
        if PartnerLink.objects.filter(lab=lab, created_at__gte=since).count() >= PARTNER_INVITATIONS_PER_DAY:
            raise TooManyRequests(f"A lab invites at most {PARTNER_INVITATIONS_PER_DAY} partner labs a day.")
        if PartnerLink.objects.filter(lab=lab, status=LinkStatus.PENDING, email__iexact=email).exists():
            raise Conflict("An invitation to this address is open already: withdraw it first to send another.")
        raw = new_token()
        link = PartnerLink.objects.create(
            lab=lab,
            email=email,
            token_hash=token_digest(raw),
            invited_by=user,
            expires_at=timezone.now() + dt.timedelta(days=settings.CROWNLINE_INVITATION_DAYS),
        )
    send_partner_invitation(link, raw)  # after the commit, as a person's invitation
    return link, raw


def links_of(user, slug: str) -> tuple[Lab, list[PartnerLink]]:
    """The lab admin's view: every link the lab is on, either side, newest first."""
    lab = admin_lab(user, slug)
    links = (
        PartnerLink.objects.filter(Q(lab=lab) | Q(partner=lab))
        .select_related("lab", "partner")
        .order_by("-created_at", "-pk")
    )
    return lab, list(links)


def active_links(lab: Lab) -> QuerySet[PartnerLink]:
    return PartnerLink.objects.filter(Q(lab=lab) | Q(partner=lab), status=LinkStatus.ACTIVE)


def partners_of(lab: Lab) -> list[Lab]:
    """The labs this lab may send work to now, by name."""
    links = active_links(lab).select_related("lab", "partner")
    return sorted((link.other(lab.pk) for link in links), key=lambda other: (other.name, other.pk))


def usable(raw: str, *, for_update: bool = False) -> PartnerLink:
    """The pending invitation a link stands for; else 404 (the same for every reason)."""
    if not re.fullmatch(TOKEN_PATTERN, raw or ""):
        raise NotFound(_GONE)
    found = PartnerLink.objects.select_related("lab").filter(token_hash=token_digest(raw))
    if for_update:
        found = found.select_for_update(of=("self",))
    return _pending(found.first())


def _pending(link: PartnerLink | None) -> PartnerLink:
    if link is None or link.status != LinkStatus.PENDING or link.expires_at <= timezone.now():
        raise NotFound(_GONE)
    return link


def _accept(user, link: PartnerLink, slug: str) -> PartnerLink:
    lab = admin_lab(user, slug)
    if lab.pk == link.lab_id:
        raise InvalidInput("lab", "a lab cannot be its own partner: choose another of your labs")
    _lock_labs(lab, link.lab)
    if active_links(lab).filter(Q(lab=link.lab) | Q(partner=link.lab)).exists():
        raise Conflict(f"{lab.name} and {link.lab.name} are partners already.")
    link.partner, link.status, link.accepted_by, link.accepted_at = lab, LinkStatus.ACTIVE, user, timezone.now()
    link.token_hash = ""  # used up: the e-mail's link stops working
    link.save(update_fields=["partner", "status", "accepted_by", "accepted_at", "token_hash"])
    return link


def accept(user, raw: str, slug: str) -> PartnerLink:
    """An admin of the lab `slug` accepts the invitation the e-mail's link carries."""
    with transaction.atomic():
        return _accept(user, usable(raw, for_update=True), slug)


def addressed_to(user) -> list[PartnerLink]:
    """Pending invitations sent to the signed-in person's e-mail address (the partners page)."""
    email = (getattr(user, "email", "") or "").strip()
    if not email:
        return []
    return list(
        PartnerLink.objects.filter(status=LinkStatus.PENDING, email__iexact=email, expires_at__gt=timezone.now())
        .select_related("lab")
        .order_by("-pk")
    )


def accept_addressed(user, link_id: int, slug: str) -> PartnerLink:
    """Accepts, into the lab `slug`, an invitation addressed to the caller's own e-mail address."""
    with transaction.atomic():
        email = (getattr(user, "email", "") or "").strip()
        found = PartnerLink.objects.select_for_update(of=("self",)).select_related("lab").filter(pk=link_id)
        link = found.filter(email__iexact=email).first() if email else None
        return _accept(user, _pending(link), slug)


def end(user, slug: str, link_id: int) -> PartnerLink:
    """Either side ends a link (the inviting lab withdraws a pending one); orders sent stay."""
    with transaction.atomic():
        lab = admin_lab(user, slug)
        link = (
            PartnerLink.objects.select_for_update(of=("self",))
            .select_related("lab", "partner")
            .filter(Q(lab=lab) | Q(partner=lab), pk=link_id)
            .first()
        )
        if link is None:
            raise NotFound("No such partner link.")
        if link.status == LinkStatus.ENDED:
            raise Conflict("This link has ended already.")
        link.status, link.ended_by, link.ended_at, link.token_hash = LinkStatus.ENDED, user, timezone.now(), ""
        link.save(update_fields=["status", "ended_by", "ended_at", "token_hash"])
    return link
