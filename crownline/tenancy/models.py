"""Labs are the tenants; people reach a lab through a membership (staff) or a customer record."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from crownline.roles import Role


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone")


class PaperSize(models.TextChoices):
    """The sheet the lab prints its order forms on."""

    A4 = "a4", "A4"
    LETTER = "letter", "US Letter"


class Lab(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    currency = models.CharField(max_length=3, default="EUR")
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    payment_instructions = models.TextField(blank=True, max_length=4000)
    plan_work_on_publish = models.BooleanField(default=False)
    contacts = models.TextField(blank=True, max_length=1000)
    paper_size = models.CharField(max_length=10, choices=PaperSize.choices, default=PaperSize.A4)
    # A public sign-up page for this lab's dentists (off unless the lab opens it; DSO has it).
    open_registration = models.BooleanField(default=False)
    # The lab's staff (admins and technicians) must sign in with a second factor.
    require_two_factor = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    def local_date(self, moment: dt.datetime | None = None) -> dt.date:
        """The calendar date in the lab's time zone: "today" means the lab's today."""
        return (moment or timezone.now()).astimezone(zoneinfo.ZoneInfo(self.time_zone)).date()


# Staff roles only: a customer is not a member, they reach a lab through a Customer record.
STAFF_ROLE_CHOICES = [(Role.ADMIN.value, "Lab admin"), (Role.TECHNICIAN.value, "Technician")]


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=STAFF_ROLE_CHOICES)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "lab"], name="one_membership_per_lab")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.lab} ({self.role})"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token. Only its hash is stored, so a database leak does not leak sessions."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"token of {self.user_id}"

    @classmethod
    def issue(cls, user) -> str:
        raw = secrets.token_urlsafe(32)
        cls.objects.create(user=user, key_hash=hash_token(raw))
        return raw

    @classmethod
    def find(cls, raw: str) -> ApiToken | None:
        """The token a raw bearer value stands for, with its user, if that user is active; else None.

        One query. A request's token is looked up once, by crownline.auth.CallerMiddleware;
        the rest of the request reads `request.auth_token` and `request.user` instead.
        """
        if not raw:
            return None
        return cls.objects.select_related("user").filter(key_hash=hash_token(raw), user__is_active=True).first()
