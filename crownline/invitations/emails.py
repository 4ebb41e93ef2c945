"""The invitation e-mail, through Django's e-mail API (console in development, SMTP from
CROWNLINE_EMAIL_URL in production; see settings)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from crownline.invitations.models import Invitation

log = logging.getLogger(__name__)


def invitation_link(raw_token: str) -> str:
    return settings.CROWNLINE_BASE_URL + reverse("invitations:open", args=[raw_token])


def send_invitation(invitation: Invitation, raw_token: str) -> bool:
    """Sends the link; records when. Called after the invitation's transaction committed.

    A mail server that is down must not undo the invitation: the failure is logged, `sent_at`
    stays empty and the admin's list says so, so they can resend it.
    """
    context = {"invitation": invitation, "lab": invitation.lab, "link": invitation_link(raw_token),
               "days": settings.CROWNLINE_INVITATION_DAYS}
    kind = "registration" if invitation.self_registered else "invitation"
    # A header holds no line break: a lab name from before the name rules could carry one.
    subject = " ".join(render_to_string(f"invitations/email/{kind}_subject.txt", context).split())
    body = render_to_string(f"invitations/email/{kind}.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    except Exception:  # any transport error (SMTP, DNS, TLS): reported, never the caller's 500
        log.exception("could not send invitation %s", invitation.pk)
        return False
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
    invitation.sent_at = timezone.now()
    return True
