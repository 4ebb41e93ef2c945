"""Two-factor sign-in: an authenticator app (TOTP, django-otp) and single-use recovery codes.

A person sets the app up from the security page: a pending (unconfirmed) device is made, its
QR code shown, and only a first correct code confirms it; recovery codes are made at that
moment and shown once. From then on signing in needs a code, and so does turning it off.

A code of six digits is tried on the authenticator app only; anything else on the recovery
codes only. Trying a code on every device (django-otp's `match_token`) would count one wrong
app code as a failure of the recovery codes too, and throttle both.

Recovery codes are stored as a keyed hash (django-otp stores its static tokens as given):
like the API tokens, a copy of the database alone does not sign anyone in.
"""

from __future__ import annotations

from base64 import b32encode

import segno
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from crownline.errors import Conflict, InvalidInput
from crownline.tenancy.models import ApiToken, Membership, TokenEnd

RECOVERY_CODES = 10
APP_DEVICE = "Authenticator app"
RECOVERY_DEVICE = "Recovery codes"


def has_device(user) -> bool:
    """Does signing in as this person need a code (a confirmed authenticator app)?"""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def required_for(user) -> bool:
    """Is the person active staff of a lab that requires two-factor sign-in?"""
    return Membership.objects.filter(user=user, is_active=True, lab__require_two_factor=True).exists()


def standing(user) -> tuple[bool, bool]:
    """(has_device, required_for) in one query: what every page asks of an unverified session."""
    confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    strict = Membership.objects.filter(user=OuterRef("pk"), is_active=True, lab__require_two_factor=True)
    row = (get_user_model().objects.filter(pk=user.pk)
           .annotate(has_device=Exists(confirmed), required=Exists(strict))
           .values_list("has_device", "required").first())
    return (bool(row[0]), bool(row[1])) if row else (False, False)


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def app_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The authenticator app being set up: the same one on every visit until confirmed, so a
    reload does not change the QR code the person may already have scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)


def qr_code(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as a QR code, a data: URI for an <img> (the CSP allows data: images)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=4, dark="#000", light="#fff")


def secret(device: TOTPDevice) -> str:
    """The key in the base32 form authenticator apps accept when typed in, in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


def confirm(user, code: str) -> list[str]:
    """Confirms the pending app with its first code; returns the new recovery codes (shown once)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("id").first()
        if device is None:
            raise Conflict("There is no authenticator app being set up; start again.")
        if not _digits(code) or not device.verify_token(_normalized(code)):
            raise InvalidInput("code", "That code is not right; enter the six digits the app shows now.")
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # A token made with the password alone (perhaps by whoever learnt it) ends now, as the
        # sessions without a code do (SecondFactorMiddleware).
        ApiToken.objects.filter(user=user, second_factor=False, revoked_at=None).update(
            revoked_at=timezone.now(), revoked_reason=TokenEnd.TWO_FACTOR_ON)
        ApiToken.forget_cached_of([user.pk])
        return new_recovery_codes(user)


def verify(user, code: str) -> Device | None:
    """The device that accepts this code (a recovery code is used up), or None."""
    code = _normalized(code)
    if not code:
        return None
    with transaction.atomic():
        if _digits(code):
            devices = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
            return next((d for d in devices if d.verify_token(code)), None)
        devices = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
        return next((d for d in devices if d.verify_token(_stored(code))), None)


def turn_off(user, code: str) -> None:
    """Removes the app and the recovery codes, on a valid code; refused where a lab requires it."""
    if required_for(user):
        raise Conflict("A lab you work for requires two-factor sign-in; it cannot be turned off.")
    if verify(user, code) is None:
        raise InvalidInput("code", "That code is not right.")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def replace_recovery_codes(user, code: str) -> list[str]:
    """New recovery codes for old ones (lost or used up), on a valid code."""
    if verify(user, code) is None:
        raise InvalidInput("code", "That code is not right.")
    return new_recovery_codes(user)


def new_recovery_codes(user) -> list[str]:
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE, confirmed=True)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=_stored(c)) for c in codes])
    return codes


def _normalized(code: str) -> str:
    # People type codes with spaces ("123 456") or in capitals from a printout.
    return "".join(code.split()).lower()[:32]


def _digits(code: str) -> bool:
    code = _normalized(code)
    return len(code) == 6 and code.isascii() and code.isdigit()


def _stored(code: str) -> str:
    # 16 hex characters fit django-otp's token column: 64 bits of an HMAC keyed with SECRET_KEY.
    return salted_hmac("crownline.recovery-code", code, algorithm="sha256").hexdigest()[:16]
