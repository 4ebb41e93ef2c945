"""Changes to a lab's customers, clinics and patients."""

from __future__ import annotations

from django.db import transaction

from crownline.customers.access import admin_lab, lab_standing
from crownline.customers.models import Clinic, Customer, Patient
from crownline.errors import Forbidden, InvalidInput
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
) -> Customer:
    """A customer record without a login (a dentist who never signs in, or one to invite later).

    No login is linked here: a dentist's login joins a lab only by accepting an invitation
    (crownline.invitations), so no lab can claim someone else's login.
    """
    with transaction.atomic():
        lab = admin_lab(user, slug)
        name = _name(name, "customer")
        clinic_obj = None
        if clinic is not None:
            clinic_obj = Clinic.objects.filter(lab=lab, pk=clinic).first()
            if clinic_obj is None:
                raise InvalidInput("clinic", f"no clinic {clinic} in this lab")
        return Customer.objects.create(lab=lab, name=name, email=email, phone=phone, clinic=clinic_obj)


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
