"""Authenticator apps for the cast: `app_for(user)` gives a person two-factor sign-in, `code(device)`
the six digits the app shows (now, or `steps` periods of 30 s later)."""

from __future__ import annotations

import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from crownline.accounts import two_factor


def code(device: TOTPDevice, steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps * device.step
    return f"{totp.token():06d}"


@pytest.fixture(autouse=True)
def _no_device_throttle(settings):
    """django-otp also slows a device down after a wrong code (seconds, doubling); these tests
    look at django-axes' limit instead, and try a right code right after a wrong one."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def app_for():
    """Sets up two-factor sign-in for a user as the security page would: (device, recovery codes)."""

    def setup(user) -> tuple[TOTPDevice, list[str]]:
        pending = two_factor.pending_device(user)
        codes = two_factor.confirm(user, code(pending))
        device = TOTPDevice.objects.get(pk=pending.pk)
        device.last_t = -1  # let the test use the current code again
        device.save(update_fields=["last_t"])
        return device, codes

    return setup
