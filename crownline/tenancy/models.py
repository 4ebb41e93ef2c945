"""Labs are the tenants; people reach a lab through a membership (staff) or a customer record."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import zoneinfo
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from crownline.numbers import tax_rate_problem
from crownline.roles import Role


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone")


def validate_tax_rate(value) -> None:
    if problem := tax_rate_problem(value):
        raise ValidationError(problem)


# A tax rate in percent: 0 to 100 with two decimals (7.70 %, 19 %).
TAX_RATE = {"max_digits": 5, "decimal_places": 2, "validators": [validate_tax_rate]}


class PatientOnInvoice(models.TextChoices):
    """How an invoice names a line's patient: some labs may print only initials."""

    FULL = "full", "Full name"
    INITIALS = "initials", "Initials only"


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
    # ---- money (crownline.pricing, crownline.billing) ----
    # The tax rate of a service that names none (0 allowed: many labs' work is tax-exempt).
    default_tax_rate = models.DecimalField(**TAX_RATE, default=0)
    # The other currencies a customer may be billed in ("CHF USD"), beside `currency`.
    payment_currencies = models.CharField(max_length=200, blank=True)
    # What an invoice prints about the lab: legal name and address, tax number, bank account.
    legal_name = models.CharField(max_length=200, blank=True)
    legal_address = models.TextField(blank=True, max_length=1000)
    tax_id = models.CharField(max_length=50, blank=True)
    iban = models.CharField(max_length=34, blank=True)
    bic = models.CharField(max_length=11, blank=True)
    invoice_instructions = models.TextField(blank=True, max_length=2000)
    invoice_patient = models.CharField(max_length=10, choices=PatientOnInvoice.choices, default=PatientOnInvoice.FULL)
    # How far below zero a customer's prepaid funds may go when orders are paid from them.
    balance_overdraft = models.DecimalField(max_digits=13, decimal_places=3, default=0)
    # ---- the case (issue 13): working days a parcel takes to the dentist (crownline.schedule) ----
    shipping_days = models.PositiveSmallIntegerField(default=1, validators=[MaxValueValidator(60)])
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    @property
    def billing_currencies(self) -> list[str]:
        """The working currency first, then the other payment currencies."""
        extra = [c for c in self.payment_currencies.split() if c != self.currency]
        return [self.currency, *dict.fromkeys(extra)]

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


def caller_key(key_hash: str) -> str:
    """Where the shared cache keeps the caller of a token (crownline.tenancy.callers)."""
    return f"crownline:caller:{key_hash}"


def forget_callers(key_hashes: Iterable[str]) -> None:
    """Drop the cached callers of these token hashes, now and when the transaction commits
    (a request reading the database between the two would otherwise put the old standing back)."""
    keys = [caller_key(h) for h in key_hashes]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


# A token's last-used time is written at most this often, so a burst of calls with one token
# costs one UPDATE a minute rather than one per request (reads stay a single query).
LAST_USED_GRAIN = dt.timedelta(minutes=1)


class TokenEnd(models.TextChoices):
    """Why a token stopped working before its expiry (shown on the tokens page)."""

    REVOKED = "revoked", "Revoked by its owner"
    SIGNED_OUT = "signed_out", "Signed out"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    DEACTIVATED = "deactivated", "Deactivated in a lab"
    REMOVED = "removed", "Removed from a lab"
    TWO_FACTOR_ON = "two_factor_on", "Two-factor sign-in turned on"


class ApiToken(models.Model):
    """A named personal bearer token. Only its hash is stored, so a database leak does not leak
    sessions. It ends at `expires_at`, or earlier when revoked (`revoked_at`, with the reason);
    a revoked token never works again, whatever happens to its user later."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=100, default="API token")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=20, choices=TokenEnd.choices, blank=True)
    # Issued after a second factor: it keeps working when a lab of its user requires two-factor.
    second_factor = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["user", "revoked_at"], name="api_token_user_live")]

    def __str__(self) -> str:
        return f"token {self.name!r} of {self.user_id}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @classmethod
    def issue(cls, user, *, name: str = "API token", days: int | None = None, second_factor: bool = False) -> str:
        """A new token for the user; the raw value is returned once and never stored."""
        return cls.new(user, name=name, days=days, second_factor=second_factor)[0]

    @classmethod
    def new(cls, user, *, name: str = "API token", days: int | None = None,
            second_factor: bool = False) -> tuple[str, ApiToken]:
        """A new token: (its raw value, to hand out once, and its row)."""
        raw = secrets.token_urlsafe(32)
        now = timezone.now()
        lifetime = dt.timedelta(days=days if days is not None else settings.CROWNLINE_TOKEN_DAYS)
        # Issuing counts as a use: the first minute of calls then needs no write.
        token = cls.objects.create(user=user, key_hash=hash_token(raw), name=name, expires_at=now + lifetime,
                                   last_used_at=now, second_factor=second_factor)
        return raw, token

    @classmethod
    def find(cls, raw: str) -> ApiToken | None:
        """The live token a raw bearer value stands for, with its user, if that user is active; else None.

        One query. A request's token is looked up once, by crownline.auth.CallerMiddleware;
        the rest of the request reads `request.auth_token` and `request.user` instead. A token
        issued without a second factor stops working while its user is active staff of a lab
        that requires one (the lab may turn the rule on after the token was issued).
        """
        if not raw:
            return None
        now = timezone.now()
        strict_lab = Membership.objects.filter(user=models.OuterRef("user"), is_active=True,
                                               lab__require_two_factor=True)
        token = (
            cls.objects.select_related("user")
            .filter(key_hash=hash_token(raw), user__is_active=True, revoked_at=None, expires_at__gt=now)
            .filter(models.Q(second_factor=True) | ~models.Exists(strict_lab))
            .first()
        )
        if token is not None and (token.last_used_at is None or token.last_used_at < now - LAST_USED_GRAIN):
            token.last_used_at = now
            # Conditional, so concurrent requests with one token write it once.
            # (A token from before last-use was kept has none yet.)
            stale = models.Q(last_used_at=None) | models.Q(last_used_at__lt=now - LAST_USED_GRAIN)
            cls.objects.filter(stale, pk=token.pk).update(last_used_at=now)
        return token

    @classmethod
    def revoke_all(cls, user_id: int, reason: TokenEnd) -> int:
        """Ends every live token of the user; the number ended."""
        ended = cls.objects.filter(user_id=user_id, revoked_at=None).update(
            revoked_at=timezone.now(), revoked_reason=reason)
        cls.forget_cached_of([user_id])
        return ended

    @classmethod
    def forget_cached_of(cls, user_ids: Iterable[int]) -> None:
        """Drop the cached callers (crownline.tenancy.callers) of every unexpired token of these
        users, revoked ones included: a revocation in this very transaction made them stale."""
        ids = list(user_ids)
        if ids:
            forget_callers(cls.objects.filter(user_id__in=ids, expires_at__gt=timezone.now())
                           .values_list("key_hash", flat=True))


# ---- tokens end when their person's standing changes ------------------------------------------
# Receivers rather than calls in each door: every password change (the account page, Django's
# reset and change views, the admin, `changepassword`) and every membership removal (a service,
# the admin, a lab deleted) passes through the model layer, so none can forget to revoke.


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="crownline_tokens_end_with_the_password")
def _revoke_on_password_change_or_deactivation(sender, instance, created: bool, **kwargs) -> None:
    if created:
        return
    # `set_password` leaves the new raw password in `_password` until the save completes
    # (post_save runs before it is cleared); Django's own password-hash upgrade on sign-in
    # clears it first, so a stronger hash of the same password revokes nothing.
    if getattr(instance, "_password", None) is not None:
        ApiToken.revoke_all(instance.pk, TokenEnd.PASSWORD_CHANGED)
    # A deactivated login's tokens are refused already (`find`); revoked, they stay refused
    # when the login is activated again.
    elif not instance.is_active:
        ApiToken.revoke_all(instance.pk, TokenEnd.DEACTIVATED)


@receiver(post_delete, sender=Membership, dispatch_uid="crownline_tokens_end_on_removal")
def _revoke_on_removal(sender, instance: Membership, **kwargs) -> None:
    ApiToken.revoke_all(instance.user_id, TokenEnd.REMOVED)
