"""The partner invitation e-mail, through Django's e-mail API like a person's invitation
(crownline.invitations.emails): a mail server that is down does not undo the invitation."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from crownline.outsourcing.models import PartnerLink

log = logging.getLogger(__name__)


def partner_link_url(raw_token: str) -> str:
    return settings.CROWNLINE_BASE_URL + reverse("outsourcing:open", args=[raw_token])


def send_partner_invitation(link: PartnerLink, raw_token: str) -> bool:
    context = {"lab": link.lab, "link": partner_link_url(raw_token), "days": settings.CROWNLINE_INVITATION_DAYS}
    # A header holds no line break: a lab name from before the name rules could carry one.
    subject = " ".join(f"{link.lab.name} invites your lab to work as partners on Crownline".split())
    body = render_to_string("outsourcing/email/partner_invitation.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [link.email])
    except Exception:  # any transport error: logged, and the page says "not sent"
        log.exception("could not send partner invitation %s", link.pk)
        return False
    PartnerLink.objects.filter(pk=link.pk).update(sent_at=timezone.now())
    link.sent_at = timezone.now()
    return True
