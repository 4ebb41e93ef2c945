"""The lab's service catalogue: read by everyone of the lab, written by its admin."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Router, Status
from pydantic import StrictBool, StrictInt

from crownline.catalog import services
from crownline.catalog.models import Service
from crownline.customers.access import admin_lab, lab_roles
from crownline.errors import InvalidInput, NotFound
from crownline.pricing.schemas import TaxRate, TaxRateOut
from crownline.roles import Role
from crownline.schemas import (
    NOT_BLANK,
    PATCH_CONFIG,
    READ_ERRORS,
    WRITE_ERRORS,
    In,
    LabSlug,
    Money,
    MoneyOut,
    Out,
    PathId,
)
from crownline.tenancy.models import Lab

router = Router(tags=["catalogue"])


class TemplateIO(In):
    name: str = Field(min_length=1, max_length=200, json_schema_extra=NOT_BLANK)
    default_pay: Money | None = Decimal("0")


class TemplateOut(Out):
    name: str
    default_pay: MoneyOut | None


class ServiceOut(Out):
    id: int
    name: str
    group: str
    price: MoneyOut | None = Field(description="null for technicians, who see no prices")
    currency: str
    tax_rate: TaxRateOut | None = Field(
        description="percent; null for technicians. The lab's default rate when the service names none"
    )
    own_tax_rate: bool | None = Field(description="the service names its own rate (false: the lab's default)")
    is_active: bool
    production_days: int | None = Field(description="working days the lab takes to make it; null: not set")
    task_templates: list[TemplateOut] | None


class ServiceIn(In):
    name: str = Field(min_length=1, max_length=200, json_schema_extra=NOT_BLANK)
    group: str = Field("", max_length=100)
    price: Money
    tax_rate: TaxRate | None = Field(None, description="percent; null or absent: the lab's default rate")
    is_active: StrictBool = True
    production_days: StrictInt | None = Field(None, ge=0, le=365, description="working days it takes; due dates use it")
    task_templates: list[TemplateIO] = Field(default_factory=list, max_length=50)


class ServicePatchIn(In):
    model_config = PATCH_CONFIG

    name: str | None = Field(None, min_length=1, max_length=200, json_schema_extra=NOT_BLANK)
    group: str | None = Field(None, max_length=100)
    price: Money | None = None
    tax_rate: TaxRate | None = Field(None, description="percent; null: the lab's default rate")
    is_active: StrictBool | None = None
    production_days: StrictInt | None = Field(None, ge=0, le=365, description="working days it takes; null: not set")
    task_templates: list[TemplateIO] | None = Field(None, max_length=50)


def _service_out(s: Service, role: Role) -> dict:
    templates = None
    if role.sees_internal:
        templates = [
            {"name": t.name, "default_pay": t.default_pay if role.sees_pay else None}
            for t in s.task_templates.all()
        ]
    money = role.sees_money
    return {"id": s.id, "name": s.name, "group": s.group, "price": s.price if money else None,
            "currency": s.currency, "tax_rate": s.effective_tax_rate() if money else None,
            "own_tax_rate": s.tax_rate is not None if money else None,
            "is_active": s.is_active, "production_days": s.production_days, "task_templates": templates}


def _templates(items: list[TemplateIO] | None) -> list[services.TemplateInput] | None:
    if items is None:
        return None
    return [services.TemplateInput(t.name, t.default_pay or Decimal("0")) for t in items]


@router.get("/labs/{slug}/services", response={200: list[ServiceOut], **READ_ERRORS})
def list_services(request: HttpRequest, slug: LabSlug):
    roles = lab_roles(request.user)
    lab = Lab.objects.filter(slug=slug, id__in=list(roles)).first()
    if lab is None:
        raise NotFound("No such lab.")
    role = roles[lab.id].role
    qs = lab.services.prefetch_related("task_templates")
    if role is Role.CUSTOMER:
        qs = qs.filter(is_active=True)
    return [_service_out(s, role) for s in qs]


@router.post("/labs/{slug}/services", response={201: ServiceOut, **WRITE_ERRORS})
def create_service(request: HttpRequest, slug: LabSlug, data: ServiceIn):
    admin_lab(request.user, slug)
    fields = data.dict(exclude={"task_templates"})
    service = services.save_service(request.user, slug, fields=fields, templates=_templates(data.task_templates))
    return Status(201, _service_out(service, Role.ADMIN))


@router.patch("/labs/{slug}/services/{service_id}", response={200: ServiceOut, **WRITE_ERRORS})
def update_service(request: HttpRequest, slug: LabSlug, service_id: PathId, data: ServicePatchIn):
    admin_lab(request.user, slug)
    given = data.model_fields_set
    if not given:
        raise InvalidInput("body", "nothing to change")
    # A null tax rate means "the lab's default", null production days "not set"; other nulls "unchanged".
    fields = {k: v for k, v in data.dict(include=given, exclude={"task_templates"}).items()
              if v is not None or k in ("tax_rate", "production_days")}
    service = services.save_service(
        request.user, slug, service_id=service_id, fields=fields,
        templates=_templates(data.task_templates) if "task_templates" in given else None,
    )
    return _service_out(service, Role.ADMIN)
