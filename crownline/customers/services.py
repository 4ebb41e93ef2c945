"""Changes to a lab's customers, clinics and patients."""

from __future__ import annotations

from django.db import transaction

from crownline.customers.access import admin_lab, lab_standing
from crownline.customers.models import Clinic, Customer, Patient
from crownline.errors import Forbidden, InvalidInput, NotFound
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
    user, slug: str, *, name: str, email: str = "", phone: str = "", clinic: int | None = None, **billing,
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
        customer = Customer(lab=lab, name=name, email=email, phone=phone, clinic=clinic_obj)
        # How the customer is billed: billing_currency, payment_terms_days, invoice_details.
        for field in ("billing_currency", "payment_terms_days", "invoice_details"):
            if billing.get(field) is not None:
                _apply(customer, field, billing[field])
        customer.save()
        return customer


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


CUSTOMER_FIELDS = ("name", "email", "phone", "clinic", "billing_currency", "payment_terms_days", "invoice_details")
MAX_TERMS_DAYS = 365


def _billing_currency(customer: Customer, value: str) -> str:
    """Blank or the lab's currency: the lab's (stored blank, so it follows the lab). Another
    one must be among the lab's payment currencies, and is chosen before the customer has any
    money on record: their balance and statements are kept in one currency."""
    lab = customer.lab
    code = value.strip().upper()
    if code in ("", lab.currency):
        code = ""
    elif code not in lab.billing_currencies:
        allowed = ", ".join(lab.billing_currencies)
        raise InvalidInput("billing_currency", f"{code!r} is not one of the lab's payment currencies: {allowed}")
    changes = (code or lab.currency) != customer.currency and customer.pk is not None
    # Reverse relations: orders and billing sit above this layer.
    if changes and (customer.orders.exists() or customer.invoices.exists() or customer.advances.exists()):
        raise InvalidInput(
                "billing_currency",
                f"{customer.name} has orders or payments in {customer.currency}: their balance stays in it",
            )
    return code


def _apply(customer: Customer, field: str, value) -> None:
    lab = customer.lab
    if field == "name":
        customer.name = _name(value, "customer")
    elif field == "clinic":
        clinic = None
        if value is not None:
            clinic = Clinic.objects.filter(lab=lab, pk=value).first()
            if clinic is None:
                raise InvalidInput("clinic", f"no clinic {value} in this lab")
        customer.clinic = clinic
    elif field == "billing_currency":
        customer.billing_currency = _billing_currency(customer, value)
    elif field == "payment_terms_days":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_TERMS_DAYS:
            raise InvalidInput("payment_terms_days", f"payment terms are 0 to {MAX_TERMS_DAYS} days")
        customer.payment_terms_days = value
    elif field == "invoice_details":
        if len(value) > 1000:
            raise InvalidInput("invoice_details", "invoice details have at most 1000 characters")
        customer.invoice_details = value.strip()
    elif field in ("email", "phone"):
        setattr(customer, field, value.strip())


def update_customer(user, slug: str, customer_id: int, changes: dict) -> Customer:
    """The lab admin edits a customer record: contact, clinic, and how they are billed."""
    with transaction.atomic():
        lab = admin_lab(user, slug)
        customer = Customer.objects.select_for_update().filter(lab=lab, pk=customer_id).first()
        if customer is None:
            raise NotFound("No such customer.")
        customer.lab = lab
        for field in CUSTOMER_FIELDS:
            if field in changes:
                _apply(customer, field, changes[field])
        customer.save()
    return customer
