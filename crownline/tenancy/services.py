"""Changes to a lab: its settings and its team. Only lab admins make them.

Nobody joins a team here: a colleague joins by accepting an invitation
(crownline.invitations), so no admin can link someone else's login to their lab.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from crownline.errors import Conflict, InvalidInput, NotFound
from crownline.numbers import ID_MAX
from crownline.tenancy import tokens
from crownline.tenancy.access import lab_as_admin
from crownline.tenancy.models import Lab, Membership, PaperSize, TokenEnd, validate_time_zone
from crownline.tenancy.money_settings import MONEY_SETTINGS, clean_money_settings
from crownline.tenancy.names import clean_lab_name, name_key, refuse_rename_clash

SETTINGS_FIELDS = (
    "name", "currency", "time_zone", "payment_instructions", "plan_work_on_publish", "contacts", "paper_size",
    "open_registration", "require_two_factor", "shipping_days", *MONEY_SETTINGS,
)


def update_settings(user, slug: str, changes: dict[str, Any]) -> Lab:
    with transaction.atomic():
        lab = lab_as_admin(user, slug)
        lab = Lab.objects.select_for_update().get(pk=lab.pk)
        if "time_zone" in changes:
            try:
                validate_time_zone(changes["time_zone"])
            except ValidationError as exc:
                raise InvalidInput("time_zone", exc.messages[0]) from exc
        if "paper_size" in changes and changes["paper_size"] not in PaperSize.values:
            allowed = ", ".join(PaperSize.values)
            raise InvalidInput("paper_size", f"unknown paper size {changes['paper_size']!r}; allowed: {allowed}")
        currency = changes.get("currency")
        if currency is not None and not (len(currency) == 3 and currency.isascii() and currency.isalpha()):
            raise InvalidInput("currency", "a currency is a three-letter ISO 4217 code")
        if currency is not None and currency.upper() != lab.currency:
            refuse_currency_change(lab, currency.upper())
        if "name" in changes:
            changes = {**changes, "name": clean_lab_name(changes["name"])}
            # The settings page sends the name with every save: only a new name can make a new clash.
            if name_key(changes["name"]) != name_key(lab.name):
                refuse_rename_clash(lab, changes["name"])
        if "shipping_days" in changes and changes["shipping_days"] is None:  # a form that left it out keeps it
            changes = {k: v for k, v in changes.items() if k != "shipping_days"}
        if "shipping_days" in changes and not 0 <= changes["shipping_days"] <= 60:
            raise InvalidInput("shipping_days", "shipping takes 0 to 60 working days")
        changes = {**changes, **clean_money_settings(lab, changes)}
        for name in SETTINGS_FIELDS:
            if name in changes:
                value = changes[name]
                setattr(lab, name, value.upper() if name == "currency" else value)
        lab.save()
    return lab


def refuse_currency_change(lab: Lab, currency: str) -> None:
    """Prices carry no currency of their own yet: the lab's currency labels them. Changing it
    while services or unfinished orders are priced in the old one would relabel 95.00 EUR as
    95.00 JPY, so it is refused until the lab has nothing priced in the old currency left.

    Through the reverse relations: catalog and orders sit above tenancy. A completed order keeps
    its own currency column and never changes again; a cancelled one may be reopened."""
    services = lab.services.exclude(currency=currency).count()
    orders = lab.orders.exclude(currency=currency).exclude(status="completed").count()
    if services or orders:
        raise InvalidInput(
            "currency",
            f"prices are kept in {lab.currency}: {services} service(s) and {orders} unfinished order(s) "
            f"would be relabelled {currency} without converting them; the lab's currency can change "
            "once nothing is priced in it",
        )
    # A customer billed in the lab's currency follows it (their billing currency is blank), and
    # their balance and funds are summed in their currency only: invoices or advances in the old
    # one would silently drop out of it (500 EUR of funds read as 0 CHF).
    old = lab.currency
    billed = (
        lab.customers.filter(billing_currency="")
        .filter(Q(invoices__currency=old) | Q(advances__currency=old))
        .distinct()
        .count()
    )
    if billed:
        raise InvalidInput(
            "currency",
            f"{billed} customer(s) billed in {old} have invoices or prepaid funds in it, and their balance "
            f"stays in {old}: the lab's currency is fixed once its customers have money on record",
        )


def set_member_active(user, slug: str, member_id: int, *, active: bool) -> Membership:
    with transaction.atomic():
        lab = lab_as_admin(user, slug)
        # An id no column holds (the page's <int:> takes any digits) matches nobody; SQLite would raise.
        members = Membership.objects.filter(lab=lab, user_id=member_id) if 1 <= member_id <= ID_MAX else None
        membership = members.select_related("user").first() if members is not None else None
        if membership is None:
            raise NotFound("No such team member.")
        if membership.user_id == user.pk and not active:
            raise Conflict("You cannot deactivate yourself.")
        membership.is_active = active
        membership.save(update_fields=["is_active"])
        if not active:
            # Their tokens end now; reactivated, they sign in anew (old tokens stay revoked).
            tokens.revoke_all(membership.user, TokenEnd.DEACTIVATED)
    return membership
