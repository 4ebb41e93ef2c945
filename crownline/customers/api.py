"""Customers (dentists), clinics and patients of a lab."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from crownline.customers import services
from crownline.customers.access import lab_standing
from crownline.errors import Forbidden
from crownline.schemas import NOT_BLANK, READ_ERRORS, WRITE_ERRORS, ErrorOut, Id, In, LabSlug, Out

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


class CustomerOut(Out):
    id: int
    name: str
    email: str
    phone: str
    clinic: int | None = Field(None, alias="clinic_id")
    has_login: bool


class CustomerIn(Schema):
    """A customer record without a login. A dentist's login joins by invitation
    (POST /labs/{slug}/invitations): `username` and `password` are refused (422) like any
    unknown field, whether or not such a login exists."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, json_schema_extra=NOT_BLANK)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=50)
    clinic: Id | None = None


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


@router.get("/labs/{slug}/customers", response={200: list[CustomerOut], 403: ErrorOut, **READ_ERRORS})
def list_customers(request: HttpRequest, slug: LabSlug):
    customers = _staff(request, slug).customers.order_by("name")
    return [
        {"id": c.id, "name": c.name, "email": c.email, "phone": c.phone, "clinic_id": c.clinic_id,
         "has_login": c.user_id is not None}
        for c in customers
    ]


@router.post("/labs/{slug}/customers", response={201: CustomerOut, **WRITE_ERRORS})
def create_customer(request: HttpRequest, slug: LabSlug, data: CustomerIn):
    c = services.create_customer(request.user, slug, **data.dict())
    return Status(201, {"id": c.id, "name": c.name, "email": c.email, "phone": c.phone, "clinic_id": c.clinic_id,
                 "has_login": c.user_id is not None})


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
