"""Changes to a lab's service catalogue (lab admins only)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction

from crownline.catalog.models import Service, TaskTemplate
from crownline.errors import Conflict, InvalidInput, NotFound
from crownline.numbers import money_problem, tax_rate_problem
from crownline.tenancy.access import lab_as_admin

PRODUCTION_DAYS_MAX = 365


@dataclass
class TemplateInput:
    name: str
    default_pay: Decimal = Decimal("0")


def _write_templates(service: Service, templates: list[TemplateInput]) -> None:
    service.task_templates.all().delete()
    for position, t in enumerate(templates, start=1):
        name = t.name.strip()
        if not name:
            raise InvalidInput(f"task_templates[{position - 1}].name", "a task name is not empty")
        if problem := money_problem(t.default_pay, currency=service.lab.currency):
            raise InvalidInput(f"task_templates[{position - 1}].default_pay", problem)
        TaskTemplate.objects.create(service=service, position=position, name=name, default_pay=t.default_pay)


def save_service(
    user,
    slug: str,
    *,
    service_id: int | None = None,
    fields: dict,
    templates: list[TemplateInput] | None = None,
) -> Service:
    with transaction.atomic():
        lab = lab_as_admin(user, slug)
        if service_id is None:
            service = Service(lab=lab, currency=lab.currency)
        else:
            service = Service.objects.select_for_update().filter(lab=lab, pk=service_id).first()
            if service is None:
                raise NotFound("No such service.")
        for name, value in fields.items():
            setattr(service, name, value.strip() if isinstance(value, str) else value)
        if not service.name:
            raise InvalidInput("name", "a service needs a name")
        if service.price is None:
            raise InvalidInput("price", "a service needs a price")
        if problem := money_problem(service.price, currency=lab.currency):
            raise InvalidInput("price", problem)
        if service.tax_rate is not None and (problem := tax_rate_problem(service.tax_rate)):
            raise InvalidInput("tax_rate", problem)
        if service.production_days is not None and not 0 <= service.production_days <= PRODUCTION_DAYS_MAX:
            raise InvalidInput("production_days", f"production takes 0 to {PRODUCTION_DAYS_MAX} working days")
        try:
            with transaction.atomic():
                service.save()
        except IntegrityError as exc:
            raise Conflict(f"The lab already has a service called {service.name!r}.") from exc
        if templates is not None:
            _write_templates(service, templates)
    return service
