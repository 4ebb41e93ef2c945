"""An invitation: a lab asks one person, by e-mail address, to join it; nothing links until they accept."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac

from crownline.customers.models import Customer
from crownline.roles import Role
from crownline.tenancy.models import Lab

ROLE_CHOICES = [(Role.CUSTOMER.value, "Customer (dentist)"), (Role.TECHNICIAN.value, "Technician"),
                (Role.ADMIN.value, "Lab admin")]


def token_digest(raw: str) -> str:
    """What the database keeps of a link's token: an HMAC under the install's secret key.

    A copy of the database alone neither yields working links nor lets anyone test guesses
    offline; rotating the secret key voids pending invitations (they can be resent).
    """
    return salted_hmac("crownline.invitations.token", raw, algorithm="sha256").hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Status(models.TextChoices):
    PENDING = "pending"
    EXPIRED = "expired"
    ACCEPTED = "accepted"
    REVOKED = "revoked"


class Invitation(models.Model):
    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="invitations")
    # As the admin typed it (trimmed): the list shows this, never a name from elsewhere.
    email = models.EmailField(max_length=254)
    role = models.CharField(max_length=20, choices=ROLE_CHOICES)
    # A customer invitation either names an existing record of the lab without a login, or
    # carries the name of the record to create on acceptance.
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200, blank=True)
    # Asked for on the lab's open registration page, not by an admin.
    self_registered = models.BooleanField(default=False)
    requested_from = models.GenericIPAddressField(null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    # The last time the e-mail went out; None when sending failed (the admin can resend).
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["lab", "created_at"], name="invitation_lab_created")]

    def __str__(self) -> str:
        return f"invitation {self.pk} to {self.lab_id}"

    @property
    def status(self) -> Status:
        if self.accepted_at is not None:
            return Status.ACCEPTED
        if self.revoked_at is not None:
            return Status.REVOKED
        return Status.EXPIRED if self.expires_at <= timezone.now() else Status.PENDING

    @property
    def open(self) -> bool:
        """Neither accepted nor revoked: listed to the admin, who may resend or revoke it."""
        return self.accepted_at is None and self.revoked_at is None

    @property
    def role_label(self) -> str:
        return dict(ROLE_CHOICES)[self.role]

    @property
    def customer_name(self) -> str:
        return self.customer.name if self.customer_id else self.name

    def renew(self) -> str:
        """A fresh token and expiry (the old link stops working); returns the raw token for the e-mail."""
        raw = new_token()
        self.token_hash = token_digest(raw)
        self.expires_at = timezone.now() + dt.timedelta(days=settings.CROWNLINE_INVITATION_DAYS)
        return raw
