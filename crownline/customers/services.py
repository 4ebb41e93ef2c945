"""Changes to a lab's customers, clinics and patients."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from crownline.customers.access import admin_lab, lab_standing
from crownline.customers.models import Clinic, Customer, Patient
from crownline.errors import Conflict, Forbidden, InvalidInput
from crownline.roles import Role


def _name(name: str, what: str) -> str:
    name = name.strip()
    if not name:
        raise InvalidInput("name", f"a {what} needs a name")
    return name


def create_clinic(user, slug: str, *, name: str, address: str = "", phone: str = "") -> Clinic:
    lab = admin_lab(user, slug)
    return Clinic.objects.create(lab=lab, name=_name(name, "clinic"), address=address, phone=phone)


def create_customer(
    user, slug: str, *, name: str, email: str = "", phone: str = "", clinic: int | None = None,
    username: str | None = None, password: str | None = None,
) -> Customer:
    with transaction.atomic():
        lab = admin_lab(user, slug)
        name = _name(name, "customer")
        clinic_obj = None
        if clinic is not None:
            clinic_obj = Clinic.objects.filter(lab=lab, pk=clinic).first()
            if clinic_obj is None:
                raise InvalidInput("clinic", f"no clinic {clinic} in this lab")
        login = None
        if username:
            login = _login(username, password, email)
        try:
            with transaction.atomic():
                return Customer.objects.create(
                    lab=lab, name=name, email=email, phone=phone, clinic=clinic_obj, user=login
                )
        except IntegrityError as exc:
            raise Conflict(f"{username} is already a customer of this lab.") from exc


def _login(username: str, password: str | None, email: str):
    """An existing dentist login (a customer of another lab too), or a new one."""
    User = get_user_model()
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    if not password:
        raise InvalidInput("password", "a new login needs a password")
    try:
        validate_password(password)
    except ValidationError as exc:
        raise InvalidInput("password", " ".join(exc.messages)) from exc
    return User.objects.create_user(username=username, password=password, email=email)


def create_patient(user, slug: str, *, name: str, customer: int | None = None) -> Patient:
    lab, standing = lab_standing(user, slug)
    if standing.role is Role.TECHNICIAN:
        raise Forbidden("A technician does not add patients.")
    if standing.role is Role.CUSTOMER:
        if customer is not None and customer not in standing.customer_ids:
            raise InvalidInput("customer", "a dentist adds their own patients only")
        customer = customer or min(standing.customer_ids)
    if customer is None:
        raise InvalidInput("customer", "say whose patient this is")
    owner = Customer.objects.filter(lab=lab, pk=customer).first()
    if owner is None:
        raise InvalidInput("customer", f"no customer {customer} in this lab")
    name = name.strip()
    if not name:
        raise InvalidInput("name", "a patient needs a name or code")
    return Patient.objects.create(lab=lab, customer=owner, name=name)
