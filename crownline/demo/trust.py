"""The demo's trust features, so `make run` shows them: named tokens (live, expired, revoked),
pending invitations, a lab open to registration, and a login with two-factor sign-in."""

from __future__ import annotations

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from crownline.accounts import two_factor
from crownline.customers.models import Customer
from crownline.invitations import services as invitations
from crownline.invitations.models import Invitation
from crownline.roles import Role
from crownline.tenancy import tokens
from crownline.tenancy.models import ApiToken, Lab, TokenEnd

# A fixed authenticator key for the demo login `secure-tech`, printed by `crownline demo` and in
# the README, so anyone touring the demo can add it to an authenticator app (or `oathtool`).
DEMO_TOTP_KEY_HEX = "3132333435363738393031323334353637383930"  # base32: GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ


def demo_totp_secret() -> str:
    return two_factor.secret(TOTPDevice(key=DEMO_TOTP_KEY_HEX))


def seed_tokens(admin, dentist) -> None:
    """The token lists of the lab admin and the dentist (/account/tokens/) are not empty."""
    if ApiToken.objects.filter(user=admin).exists():
        return
    ApiToken.new(admin, name="Milling machine (CAM export)")
    ApiToken.new(dentist, name="Practice software")
    ApiToken.new(admin, name="Old laptop", days=0)  # ended: shows what an expired token looks like
    _, lost = ApiToken.new(admin, name="Lost phone")
    tokens.revoke(admin, lost.pk, reason=TokenEnd.REVOKED)


def seed_invitations(admin, demo: Lab, second: Lab) -> None:
    """Two pending invitations in the demo lab; the second lab takes sign-ups on /register/second-lab/."""
    Lab.objects.filter(pk=second.pk).update(open_registration=True)
    if Invitation.objects.filter(lab=demo).exists():
        return
    paper = Customer.objects.get(lab=demo, name="Dr. Paul Paper")
    # The links go to the console (no CROWNLINE_EMAIL_URL), where a tourist can open them.
    invitations.invite(admin, demo.slug, email="paper@clinic.example", role=Role.CUSTOMER, customer=paper.pk)
    invitations.invite(admin, demo.slug, email="new.technician@demo.example", role=Role.TECHNICIAN,
                       name="Nina New")


def seed_two_factor(user) -> list[str]:
    """Gives `user` a confirmed authenticator app with the fixed demo key; returns new recovery
    codes the first time (empty when the device was there already)."""
    with transaction.atomic():
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            return []
        TOTPDevice.objects.create(user=user, name=two_factor.APP_DEVICE, key=DEMO_TOTP_KEY_HEX, confirmed=True)
        return two_factor.new_recovery_codes(user)
