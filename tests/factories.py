"""Factories for the people and things tests need, and orders driven to any status.

Orders are moved through the real service functions (never by assigning a status), so
every test order has the history a real one would have.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.core import mail

from crownline.catalog.models import Service, TaskTemplate
from crownline.customers.models import Customer, Patient
from crownline.invitations import services as invitations
from crownline.invitations.models import Invitation
from crownline.orders import drafting, payments, services
from crownline.orders.drafting import LineInput, OrderInput
from crownline.orders.models import Order
from crownline.tenancy.models import Lab, Membership
from crownline.workplan import services as workplan

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class LabFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lab

    name = factory.Sequence(lambda n: f"Lab {n}")
    slug = factory.Sequence(lambda n: f"lab-{n}")
    currency = "EUR"
    time_zone = "Europe/Berlin"
    payment_instructions = "IBAN DE00 0000 0000 0000; quote the order number."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    lab = factory.SubFactory(LabFactory)
    role = "technician"


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    lab = factory.SubFactory(LabFactory)
    name = factory.Sequence(lambda n: f"Dr. Customer {n}")


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    customer = factory.SubFactory(CustomerFactory)
    lab = factory.LazyAttribute(lambda p: p.customer.lab)
    name = factory.Sequence(lambda n: f"Patient {n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    lab = factory.SubFactory(LabFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    group = "Crowns"
    price = Decimal("100.00")
    currency = "EUR"

    @factory.post_generation
    def templates(obj, create, extracted, **kwargs):
        names = extracted if extracted is not None else ["Model", "Design", "Finish"]
        for position, name in enumerate(names, start=1):
            TaskTemplate.objects.create(service=obj, position=position, name=name, default_pay=Decimal("10.00"))


# The order of the happy path; `make_order` walks it up to the status asked for.
PATH = ["draft", "published", "production", "produced", "shipped", "delivered", "completed"]


def make_order(lab_admin, customer: Customer, *, status: str = "draft", service: Service | None = None,
               lines: int = 1, paid: bool = False, plan: bool = True) -> Order:
    """An order of `customer`, moved by the lab admin through the services to `status`.

    "cancelled" cancels a published order. `paid=True` pays it in full once published.
    """
    lab = customer.lab
    service = service or ServiceFactory(lab=lab)
    order = drafting.create_order(
        lab_admin,
        OrderInput(
            customer=customer.pk,
            patient=PatientFactory(customer=customer).pk,
            due_date=lab.local_date() + dt.timedelta(days=7),
            lines=[LineInput(service=service.pk, teeth=[11 + i], shade="A2") for i in range(lines)],
        ),
        lab_slug=lab.slug,
    )
    n = order.number
    target = "published" if status == "cancelled" else status
    steps = PATH[: PATH.index(target) + 1]
    if "published" in steps:
        services.publish_order(lab_admin, n)
        if plan:
            workplan.plan_automatically(lab_admin, n)
        if paid:
            payments.record_payment(lab_admin, n)
    if "production" in steps:
        services.start_production(lab_admin, n, production_date=lab.local_date())
    if "produced" in steps:
        for task in Order.objects.get(number=n).tasks.all():
            workplan.set_task_done(lab_admin, n, task.pk, True)
        services.produce_order(lab_admin, n)
    if "shipped" in steps:
        services.ship_order(lab_admin, n, tracking_number="1Z999AA10123456784", carrier="UPS")
    if "delivered" in steps:
        services.deliver_order(lab_admin, n)
    if "completed" in steps and Order.objects.get(number=n).status != "completed":
        payments.record_payment(lab_admin, n)
    if status == "cancelled":
        services.cancel_order(lab_admin, n, reason="test")
    return Order.objects.get(number=n)


def link_token(message) -> str:
    """The token of the invitation link an e-mail (from django.core.mail.outbox) carries."""
    return re.search(r"/invitations/([A-Za-z0-9_-]+)/", message.body).group(1)


def invite(lab_admin, lab, email: str = "new.person@example.com", role: str = "customer",
           **kwargs) -> tuple[Invitation, str]:
    """An invitation sent by the lab admin through the service, and its link's token."""
    if role == "customer" and "customer" not in kwargs:
        kwargs.setdefault("name", "Dr. Invited")
    invitation = invitations.invite(lab_admin, lab.slug, email=email, role=role, **kwargs)
    return invitation, link_token(mail.outbox[-1])


def sent_an_hour_ago(invitation: Invitation) -> Invitation:
    """The invitation as if mailed an hour ago: past the pause before it may be resent."""
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=invitation.sent_at - dt.timedelta(hours=1))
    invitation.refresh_from_db()
    return invitation
