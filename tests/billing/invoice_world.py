"""Orders worth invoicing: lines at two tax rates, a discount, in any status (for the invoice tests)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from crownline.orders import discounts, drafting, services
from crownline.orders.drafting import LineInput, OrderInput
from crownline.orders.models import Order
from crownline.workplan import services as workplan
from tests.factories import PATH, PatientFactory, ServiceFactory

D = Decimal


def taxed_services(lab):
    """A crown taxed at 19 % and a model at 7 % (figures no other number on a page contains)."""
    crown = ServiceFactory(lab=lab, name="Zirconia crown", price=D("271.13"), tax_rate=D("19.00"), templates=[])
    model = ServiceFactory(lab=lab, name="Study model", price=D("48.37"), tax_rate=D("7.00"), templates=[])
    return crown, model


def walk(admin, number: str, status: str) -> Order:
    """Move the order through the services to `status` (as tests.factories.make_order does)."""
    lab = Order.objects.get(number=number).lab
    steps = PATH[1 : PATH.index(status) + 1]
    if "published" in steps:
        services.publish_order(admin, number)
    if "production" in steps:
        workplan.add_task(admin, number, workplan.TaskInput(name="Make it"))
        services.start_production(admin, number, production_date=lab.local_date())
    if "produced" in steps:
        for task in Order.objects.get(number=number).tasks.all():
            workplan.set_task_done(admin, number, task.pk, True)
        services.produce_order(admin, number)
    if "shipped" in steps:
        services.ship_order(admin, number, tracking_number="1Z999AA10123456784", carrier="UPS")
    if "delivered" in steps:
        services.deliver_order(admin, number)
    return Order.objects.get(number=number)


def two_rate_order(
    cast,
    *,
    customer=None,
    status: str = "delivered",
    discount: tuple[str, str] | None = None,
    patient: str = "Erika Mustermann",
    crown_and_model=None,
) -> Order:
    """An order of two crowns (teeth 11, 21, shade A2) and a model, optionally discounted."""
    customer = customer or cast.customer_a1
    lab = customer.lab
    crown, model = crown_and_model or taxed_services(lab)
    order = drafting.create_order(
        cast.admin_a,
        OrderInput(
            customer=customer.pk,
            patient=PatientFactory(customer=customer, name=patient).pk,
            due_date=lab.local_date() + dt.timedelta(days=7),
            lines=[LineInput(service=crown.pk, quantity=2, teeth=[11, 21], shade="A2"), LineInput(service=model.pk)],
        ),
        lab_slug=lab.slug,
    )
    if discount:
        discounts.set_discount(cast.admin_a, order.number, kind=discount[0], value=D(discount[1]))
    return walk(cast.admin_a, order.number, status) if status != "draft" else Order.objects.get(pk=order.pk)
