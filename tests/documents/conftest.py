"""An order worth printing: three services, teeth (one primary), a work plan with pay, comments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from crownline.orders import comments, drafting, services
from crownline.orders.drafting import LineInput, OrderInput
from crownline.orders.models import Order
from crownline.workplan import services as workplan
from crownline.workplan.models import Task
from tests.factories import ServiceFactory

# Figures chosen so that no other number on the form can contain them by chance.
PRICES = {"Zirconia crown": Decimal("271.13"), "Porcelain veneer": Decimal("318.29"), "Night guard": Decimal("94.57")}
CUSTOM_TASK_PAY = Decimal("47.31")
TEMPLATE_PAY = Decimal("13.77")
PUBLIC_COMMENT = "Please match the neighbouring incisor."
INTERNAL_COMMENT = "Technician bonus for rush job approved."


@dataclass
class Printable:
    order: Order
    number: str
    patient: str
    services: list[str]
    tasks: list[str]


@pytest.fixture
def printable(cast) -> Printable:
    lab = cast.lab_a
    lab.contacts = "Hauptstrasse 1, Berlin"
    lab.save()
    cast.tech_a.first_name, cast.tech_a.last_name = "Tomasz", "Werkbank"
    cast.tech_a.save()
    made = {
        name: ServiceFactory(lab=lab, name=name, price=price, templates=[])
        for name, price in PRICES.items()
    }
    for position, name in enumerate(["Scan impression", "Mill framework", "Glaze"], start=1):
        made["Zirconia crown"].task_templates.create(position=position, name=name, default_pay=TEMPLATE_PAY)
    made["Porcelain veneer"].task_templates.create(position=1, name="Layer ceramic", default_pay=TEMPLATE_PAY)
    made["Night guard"].task_templates.create(position=1, name="Thermoform splint", default_pay=TEMPLATE_PAY)
    order = drafting.create_order(
        cast.admin_a,
        OrderInput(
            customer=cast.customer_a1.pk,
            patient_name="Erika Mustermann",
            due_date=lab.local_date() + dt.timedelta(days=10),
            notes="Deliver before the patient's appointment.",
            lines=[
                LineInput(service=made["Zirconia crown"].pk, quantity=2, teeth=[11, 21], shade="A2"),
                LineInput(service=made["Porcelain veneer"].pk, teeth=[55], shade="B1"),
                LineInput(service=made["Night guard"].pk),
            ],
        ),
        lab_slug=lab.slug,
    )
    n = order.number
    services.publish_order(cast.admin_a, n)
    workplan.plan_automatically(cast.admin_a, n)
    workplan.add_task(
        cast.admin_a, n, workplan.TaskInput(name="Final quality check", assignee=cast.tech_a.pk, pay=CUSTOM_TASK_PAY)
    )
    comments.add_comment(cast.dentist_a1, n, body=PUBLIC_COMMENT)
    comments.add_comment(cast.admin_a, n, body=INTERNAL_COMMENT, internal=True)
    services.start_production(cast.admin_a, n, production_date=lab.local_date())
    order = Order.objects.get(number=n)
    return Printable(
        order=order,
        number=n,
        patient="Erika Mustermann",
        services=list(PRICES),
        tasks=list(Task.objects.filter(order=order).values_list("name", flat=True)),
    )
