"""The caller's labs, lab settings and the team (signing in: crownline/accounts/api.py)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router
from pydantic import StrictBool, StrictInt

from crownline.customers.access import admin_lab, lab_roles
from crownline.errors import NotFound
from crownline.pricing.schemas import Currency, TaxRate, TaxRateOut
from crownline.roles import Role
from crownline.schemas import NOT_BLANK, READ_ERRORS, WRITE_ERRORS, ErrorOut, In, LabSlug, Money, MoneyOut, Out, PathId
from crownline.tenancy import services
from crownline.tenancy.access import staff_lab_for
from crownline.tenancy.models import Lab, Membership, PaperSize, PatientOnInvoice

router = Router(tags=["labs and team"])


class LabOut(Out):
    slug: str
    name: str
    role: Role
    currency: str
    time_zone: str


class LabSettingsOut(Out):
    slug: str
    name: str
    currency: str
    time_zone: str
    payment_instructions: str
    plan_work_on_publish: bool
    contacts: str
    paper_size: str = Field(description="the sheet order forms print on: a4 or letter")
    open_registration: bool = Field(description="dentists may sign up to this lab on its public page")
    require_two_factor: bool = Field(description="the lab's staff must sign in with a second factor")
    # Money (issue 12): what prices, invoices and balances read.
    default_tax_rate: TaxRateOut = Field(description="percent, for services that name no tax rate of their own")
    payment_currencies: list[str] = Field(description="the currencies customers may be billed in besides `currency`")
    legal_name: str
    legal_address: str
    tax_id: str
    iban: str
    bic: str
    invoice_instructions: str
    invoice_patient: str = Field(description="how invoices name patients: full or initials")
    balance_overdraft: MoneyOut = Field(description="how far below zero a customer's prepaid funds may go")
    shipping_days: int = Field(description="working days a parcel takes to the dentist (due dates from appointments)")


def _settings_out(lab: Lab) -> dict:
    fields = {name: getattr(lab, name) for name in LabSettingsOut.model_fields if name != "payment_currencies"}
    return {**fields, "payment_currencies": lab.billing_currencies[1:]}


class LabSettingsIn(In):
    # The rules below are declared for clients (json_schema_extra) and checked in the service,
    # whose 422 says why, for both doors.
    name: str | None = Field(None, min_length=1, max_length=200, json_schema_extra=NOT_BLANK)
    currency: str | None = Field(
        None, min_length=3, max_length=3, json_schema_extra={"pattern": "^[A-Za-z]{3}$"},
        description="ISO 4217 code; it cannot change while services or unfinished orders are priced in the old one",
    )
    time_zone: str | None = Field(
        None, max_length=64, description="an IANA time zone name, e.g. Europe/Berlin",
        json_schema_extra={"pattern": r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$", "examples": ["Europe/Berlin"]},
    )
    payment_instructions: str | None = Field(None, max_length=4000)
    plan_work_on_publish: StrictBool | None = None
    contacts: str | None = Field(None, max_length=1000)
    # Checked in the service, so the 422 names the allowed values whoever calls it.
    paper_size: str | None = Field(
        None, max_length=10, description="a4 or letter", json_schema_extra={"enum": [*PaperSize.values, None]}
    )
    open_registration: StrictBool | None = None
    require_two_factor: StrictBool | None = None
    default_tax_rate: TaxRate | None = None
    payment_currencies: list[Currency] | None = Field(None, max_length=20)
    legal_name: str | None = Field(None, max_length=200)
    legal_address: str | None = Field(None, max_length=1000)
    tax_id: str | None = Field(None, max_length=50)
    iban: str | None = Field(None, max_length=50, description="checked by its mod-97 check digits; blank removes it")
    bic: str | None = Field(None, max_length=20, description="8 or 11 characters; blank removes it")
    invoice_instructions: str | None = Field(None, max_length=2000)
    invoice_patient: str | None = Field(
        None, max_length=10, description="full or initials",
        json_schema_extra={"enum": [*PatientOnInvoice.values, None]},
    )
    balance_overdraft: Money | None = None
    shipping_days: StrictInt | None = Field(None, ge=0, le=60, description="working days a parcel takes to the dentist")


@router.get("/labs", response={200: list[LabOut], 401: ErrorOut})
def my_labs(request: HttpRequest):
    roles = lab_roles(request.user)
    labs = Lab.objects.filter(id__in=list(roles)).order_by("name")
    return [
        {"slug": lab.slug, "name": lab.name, "role": roles[lab.id].role, "currency": lab.currency,
         "time_zone": lab.time_zone}
        for lab in labs
    ]


@router.get("/labs/{slug}/settings", response={200: LabSettingsOut, **READ_ERRORS, 403: ErrorOut})
def lab_settings(request: HttpRequest, slug: LabSlug):
    return _settings_out(admin_lab(request.user, slug))


@router.patch("/labs/{slug}/settings", response={200: LabSettingsOut, **WRITE_ERRORS})
def update_lab_settings(request: HttpRequest, slug: LabSlug, data: LabSettingsIn):
    changes = {k: v for k, v in data.dict(include=data.model_fields_set).items() if v is not None}
    admin_lab(request.user, slug)
    return _settings_out(services.update_settings(request.user, slug, changes))


class MemberOut(Out):
    id: int
    username: str
    name: str
    role: Role
    is_active: bool


class MemberPatchIn(In):
    is_active: StrictBool


def _member_out(m: Membership) -> dict:
    return {"id": m.user_id, "username": m.user.username, "name": m.user.get_full_name() or m.user.username,
            "role": m.role, "is_active": m.is_active}


@router.get("/labs/{slug}/members", response={200: list[MemberOut], **READ_ERRORS})
def list_members(request: HttpRequest, slug: LabSlug):
    lab = staff_lab_for(request.user, slug)
    if lab is None:
        raise NotFound("No such lab.")
    return [_member_out(m) for m in lab.memberships.select_related("user").order_by("user__username")]


# No POST here: a colleague joins by accepting an invitation (POST /labs/{slug}/invitations),
# so no lab can link someone else's login to itself, nor learn whether a username exists.


@router.patch("/labs/{slug}/members/{user_id}", response={200: MemberOut, **WRITE_ERRORS})
def update_member(request: HttpRequest, slug: LabSlug, user_id: PathId, data: MemberPatchIn):
    admin_lab(request.user, slug)
    return _member_out(services.set_member_active(request.user, slug, user_id, active=data.is_active))
