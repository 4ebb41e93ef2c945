"""Customers (dentists), clinics and patients of a lab."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from crownline.customers import services
from crownline.customers.access import admin_lab, lab_standing
from crownline.customers.models import Customer
from crownline.errors import Forbidden, InvalidInput
from crownline.pricing.quotes import pricebooks_of
from crownline.pricing.schemas import Currency
from crownline.schemas import NOT_BLANK, PATCH_CONFIG, READ_ERRORS, WRITE_ERRORS, ErrorOut, Id, In, LabSlug, Out, PathId

router = Router(tags=["customers"])


class ClinicOut(Out):
    id: int
    name: str
    address: str
    phone: str


class ClinicIn(In):
    name: str = Field(min_length=1, max_length=200, json_schema_extra=NOT_BLANK)
    address: str = Field("", max_length=1000)
    phone: str = Field("", max_length=50)


class PricebookRef(Out):
    id: int
    name: str
    via: str = Field(description="customer (their own) or clinic")


class CustomerOut(Out):
    id: int
    name: str
    email: str
    phone: str
    clinic: int | None = Field(None, alias="clinic_id")
    has_login: bool
    # How the customer is billed (null for technicians, who see no money).
    billing_currency: str | None = Field(None, description="the currency of their orders, invoices and balance")
    payment_terms_days: int | None = Field(None, description="days from an invoice to its due date")
    invoice_details: str | None = Field(None, description="name, address and tax number printed on invoices")
    pricebook: PricebookRef | None = Field(None, description="the pricebook pricing their new order lines, if any")


class CustomerIn(Schema):
    """A customer record without a login. A dentist's login joins by invitation
    (POST /labs/{slug}/invitations): `username` and `password` are refused (422) like any
    unknown field, whether or not such a login exists."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, json_schema_extra=NOT_BLANK)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=50)
    clinic: Id | None = None
    billing_currency: Currency | None = Field(None, description="one of the lab's payment currencies; "
                                                                "the lab's own by default")
    payment_terms_days: int | None = Field(None, ge=0, le=services.MAX_TERMS_DAYS)
    invoice_details: str | None = Field(None, max_length=1000)


class CustomerPatchIn(In):
    model_config = PATCH_CONFIG

    name: str | None = Field(None, min_length=1, max_length=200, json_schema_extra=NOT_BLANK)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=50)
    clinic: Id | None = Field(None, description="null: no clinic")
    billing_currency: Currency | None = Field(None, description="one of the lab's payment currencies (its own: "
                                                                "the lab's); fixed once the customer has orders")
    payment_terms_days: int | None = Field(None, ge=0, le=services.MAX_TERMS_DAYS)
    invoice_details: str | None = Field(None, max_length=1000)


class PatientOut(Out):
    id: int
    name: str
    customer: int = Field(alias="customer_id")


class PatientIn(In):
    name: str = Field(min_length=1, max_length=200, json_schema_extra=NOT_BLANK)
    customer: Id | None = None


def _staff(request: HttpRequest, slug: str):
    lab, standing = lab_standing(request.user, slug)
    if not standing.is_staff:
        raise Forbidden("Only the lab's team sees its customers.")
    return lab


@router.get("/labs/{slug}/clinics", response={200: list[ClinicOut], 403: ErrorOut, **READ_ERRORS})
def list_clinics(request: HttpRequest, slug: LabSlug):
    return list(_staff(request, slug).clinics.order_by("name"))


@router.post("/labs/{slug}/clinics", response={201: ClinicOut, **WRITE_ERRORS})
def create_clinic(request: HttpRequest, slug: LabSlug, data: ClinicIn):
    return Status(201, services.create_clinic(request.user, slug, **data.dict()))


def customer_out(c: Customer, *, money: bool, book=None) -> dict:
    out = {"id": c.id, "name": c.name, "email": c.email, "phone": c.phone, "clinic_id": c.clinic_id,
           "has_login": c.user_id is not None}
    if money:
        ref = {"id": book[0].pk, "name": book[0].name, "via": book[1]} if book else None
        out |= {"billing_currency": c.currency, "payment_terms_days": c.payment_terms_days,
                "invoice_details": c.invoice_details, "pricebook": ref}
    return out


@router.get("/labs/{slug}/customers", response={200: list[CustomerOut], 403: ErrorOut, **READ_ERRORS})
def list_customers(request: HttpRequest, slug: LabSlug):
    lab, standing = lab_standing(request.user, slug)
    if not standing.is_staff:
        raise Forbidden("Only the lab's team sees its customers.")
    customers = list(lab.customers.select_related("lab").order_by("name"))
    money = standing.role.sees_money
    books = pricebooks_of(customers) if money else {}
    return [customer_out(c, money=money, book=books.get(c.pk)) for c in customers]


@router.post("/labs/{slug}/customers", response={201: CustomerOut, **WRITE_ERRORS})
def create_customer(request: HttpRequest, slug: LabSlug, data: CustomerIn):
    c = services.create_customer(request.user, slug, **data.dict())
    return Status(201, customer_out(c, money=True, book=pricebooks_of([c]).get(c.pk)))


@router.patch("/labs/{slug}/customers/{customer_id}", response={200: CustomerOut, **WRITE_ERRORS})
def update_customer(request: HttpRequest, slug: LabSlug, customer_id: PathId, data: CustomerPatchIn):
    admin_lab(request.user, slug)
    if not data.model_fields_set:
        raise InvalidInput("body", "nothing to change")
    # null clears the clinic; for the other fields it means "unchanged".
    changes = {k: v for k, v in data.dict(include=data.model_fields_set).items() if v is not None or k == "clinic"}
    c = services.update_customer(request.user, slug, customer_id, changes)
    return customer_out(c, money=True, book=pricebooks_of([c]).get(c.pk))


@router.get("/labs/{slug}/patients", response={200: list[PatientOut], **READ_ERRORS})
def list_patients(request: HttpRequest, slug: LabSlug):
    lab, standing = lab_standing(request.user, slug)
    qs = lab.patients.order_by("name")
    if not standing.is_staff:
        qs = qs.filter(customer_id__in=standing.customer_ids)
    return list(qs)


@router.post("/labs/{slug}/patients", response={201: PatientOut, **WRITE_ERRORS})
def create_patient(request: HttpRequest, slug: LabSlug, data: PatientIn):
    return Status(201, services.create_patient(request.user, slug, **data.dict()))
