"""Sign-in tokens, the caller's labs, lab settings and the team."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import StrictBool

from crownline.customers.access import admin_lab, lab_roles
from crownline.errors import NotFound
from crownline.roles import Role
from crownline.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, LabSlug, Out
from crownline.tenancy import services
from crownline.tenancy.access import staff_lab_for
from crownline.tenancy.models import ApiToken, Lab, Membership

router = Router(tags=["labs and team"])


class TokenIn(Schema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=200)


class TokenOut(Out):
    token: str


@router.post(
    "/auth/token", auth=None, response={200: TokenOut, 401: ErrorOut, 422: ErrorOut, 400: ErrorOut, 429: ErrorOut}
)
def issue_token(request: HttpRequest, data: TokenIn):
    try:
        user = authenticate(request, username=data.username, password=data.password)
    except PermissionDenied:
        # django-axes refused: too many failures for this account or address.
        return Status(429, {"detail": "Too many failed sign-ins."})
    if user is None or not user.is_active:
        return Status(401, {"detail": "Wrong username or password."})
    # A token is a sign-in: the signal records last_login and lets django-axes reset the count.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return {"token": ApiToken.issue(user)}


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


class LabSettingsIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    currency: str | None = Field(None, min_length=3, max_length=3)
    time_zone: str | None = Field(None, max_length=64)
    payment_instructions: str | None = Field(None, max_length=4000)
    plan_work_on_publish: StrictBool | None = None
    contacts: str | None = Field(None, max_length=1000)
    # Checked in the service, so the 422 names the allowed values whoever calls it.
    paper_size: str | None = Field(None, max_length=10, description="a4 or letter")
    open_registration: StrictBool | None = None
    require_two_factor: StrictBool | None = None


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
    return admin_lab(request.user, slug)


@router.patch("/labs/{slug}/settings", response={200: LabSettingsOut, **WRITE_ERRORS})
def update_lab_settings(request: HttpRequest, slug: LabSlug, data: LabSettingsIn):
    changes = {k: v for k, v in data.dict(include=data.model_fields_set).items() if v is not None}
    admin_lab(request.user, slug)
    return services.update_settings(request.user, slug, changes)


class MemberOut(Out):
    id: int
    username: str
    name: str
    role: Role
    is_active: bool


class MemberIn(Schema):
    username: str = Field(min_length=1, max_length=150, pattern=r"^[\w.@+-]+$")
    password: str = Field(min_length=1, max_length=200)
    role: Role = Role.TECHNICIAN
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)
    email: str = Field("", max_length=254)


class MemberPatchIn(Schema):
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


@router.post("/labs/{slug}/members", response={201: MemberOut, **WRITE_ERRORS})
def add_member(request: HttpRequest, slug: LabSlug, data: MemberIn):
    admin_lab(request.user, slug)
    m = services.add_member(request.user, slug, **data.dict())
    return Status(201, _member_out(m))


@router.patch("/labs/{slug}/members/{user_id}", response={200: MemberOut, **WRITE_ERRORS})
def update_member(request: HttpRequest, slug: LabSlug, user_id: int, data: MemberPatchIn):
    admin_lab(request.user, slug)
    return _member_out(services.set_member_active(request.user, slug, user_id, active=data.is_active))
