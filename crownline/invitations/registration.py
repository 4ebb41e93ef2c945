"""Open registration: a lab that turns it on lets dentists ask to become its customers.

Asking creates a self-registered customer invitation for the address given and e-mails
its link: the login and the customer record come only when that link is opened, so an
address is confirmed before anything is linked. A lab without open registration does not
exist here (404, the same as a slug nobody uses).

Abuse is bounded cheaply, in the database (no extra service): an address of the internet
may ask REQUESTS_PER_ADDRESS times an hour, after which it gets 429; one e-mail address gets
at most MAILS_PER_EMAIL links a day from one lab, after which asking again changes nothing
but looks the same (the page never says whether a mail went out).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from crownline.errors import InvalidInput, NotFound
from crownline.invitations.emails import send_invitation
from crownline.invitations.models import Invitation
from crownline.invitations.services import TooManyRequests, clean_email, clean_person_name
from crownline.roles import Role
from crownline.tenancy.models import Lab

REQUESTS_PER_ADDRESS = 10
MAILS_PER_EMAIL = 3


def open_lab(slug: str) -> Lab:
    lab = Lab.objects.filter(slug=slug, open_registration=True).first()
    if lab is None:
        raise NotFound("No such page.")
    return lab


def register(slug: str, *, name: str, email: str, address: str | None) -> None:
    """Sends the confirmation link (unless this address had its share today); answers nothing."""
    now = timezone.now()
    with transaction.atomic():
        lab = Lab.objects.select_for_update().filter(pk=open_lab(slug).pk).get()
        name = clean_person_name(name)
        if not name:
            raise InvalidInput("name", "tell the lab your name")
        email = clean_email(email)
        asked = Invitation.objects.filter(self_registered=True, created_at__gte=now - dt.timedelta(hours=1))
        if address and asked.filter(requested_from=address).count() >= REQUESTS_PER_ADDRESS:
            raise TooManyRequests("Too many sign-ups from your address; try again in an hour.")
        mailed = Invitation.objects.filter(lab=lab, self_registered=True, email__iexact=email,
                                           created_at__gte=now - dt.timedelta(days=1)).count()
        if mailed >= MAILS_PER_EMAIL:
            return
        invitation = Invitation(lab=lab, email=email, role=Role.CUSTOMER.value, name=name, self_registered=True,
                                requested_from=address)
        raw = invitation.renew()
        invitation.save()
    send_invitation(invitation, raw)
