"""Changes to a lab: its settings and its team. Only lab admins make them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from crownline.errors import Conflict, InvalidInput, NotFound
from crownline.roles import Role
from crownline.tenancy.access import lab_as_admin
from crownline.tenancy.models import Lab, Membership, PaperSize, validate_time_zone

SETTINGS_FIELDS = (
    "name", "currency", "time_zone", "payment_instructions", "plan_work_on_publish", "contacts", "paper_size",
    "open_registration", "require_two_factor",
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
        if "name" in changes and not changes["name"].strip():
            raise InvalidInput("name", "a lab needs a name")
        for name in SETTINGS_FIELDS:
            if name in changes:
                value = changes[name]
                setattr(lab, name, value.upper() if name == "currency" else value)
        lab.save()
    return lab


def add_member(user, slug: str, *, username: str, password: str, role: Role, first_name: str = "",
               last_name: str = "", email: str = "") -> Membership:
    if role is Role.CUSTOMER:
        raise InvalidInput("role", "customers are added as customers, not team members")
    User = get_user_model()
    with transaction.atomic():
        lab = lab_as_admin(user, slug)
        member = User.objects.filter(username=username).first()
        if member is None:
            try:
                validate_password(password)
            except ValidationError as exc:
                raise InvalidInput("password", " ".join(exc.messages)) from exc
            member = User.objects.create_user(
                username=username, password=password, first_name=first_name, last_name=last_name, email=email
            )
        try:
            with transaction.atomic():
                return Membership.objects.create(user=member, lab=lab, role=role.value)
        except IntegrityError as exc:
            raise Conflict(f"{username} is already on this lab's team.") from exc


def set_member_active(user, slug: str, member_id: int, *, active: bool) -> Membership:
    with transaction.atomic():
        lab = lab_as_admin(user, slug)
        membership = Membership.objects.filter(lab=lab, user_id=member_id).select_related("user").first()
        if membership is None:
            raise NotFound("No such team member.")
        if membership.user_id == user.pk and not active:
            raise Conflict("You cannot deactivate yourself.")
        membership.is_active = active
        membership.save(update_fields=["is_active"])
    return membership
