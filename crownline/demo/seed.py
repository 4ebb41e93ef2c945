"""Demo data built through the real service functions, so it obeys every rule a user does."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from crownline.catalog.models import Service, TaskTemplate
from crownline.customers.models import Clinic, Customer
from crownline.demo import (
    case_copies,
    case_files,
    case_outsourcing,
    case_schedule,
    money_balances,
    money_invoices,
    money_pricing,
    trust,
)
from crownline.orders import comments, discounts, drafting, payments, services
from crownline.orders.drafting import LineInput, OrderInput
from crownline.tenancy.models import Lab, Membership
from crownline.workplan import services as workplan

DEFAULT_PASSWORD = "crownline-demo"  # noqa: S105 - a documented demo password, printed on start

CATALOGUE = [
    ("Zirconia crown", "Crowns", "180.00", [("Model and die", "12.00"), ("Design", "15.00"),
                                            ("Milling", "10.00"), ("Glaze and stain", "14.00")]),
    ("E.max crown", "Crowns", "210.00", [("Model and die", "12.00"), ("Wax-up", "16.00"),
                                         ("Press", "12.00"), ("Stain and glaze", "14.00")]),
    ("PFM bridge unit", "Bridges", "160.00", [("Framework", "20.00"), ("Porcelain build-up", "25.00"),
                                              ("Finishing", "8.00")]),
    ("Full denture", "Removables", "450.00", [("Bite block", "15.00"), ("Teeth set-up", "30.00"),
                                              ("Processing", "25.00"), ("Finishing", "10.00")]),
    ("Night guard", "Appliances", "95.00", [("Scan and design", "8.00"), ("Print", "5.00")]),
]


def _user(username: str, password: str, first: str, last: str):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"first_name": first, "last_name": last})
    # Only when it differs: a password change ends every API token of the login.
    if created or not user.check_password(password):
        user.set_password(password)
        user.save()
    return user


def _lab(slug: str, name: str, **settings) -> Lab:
    lab, _ = Lab.objects.get_or_create(slug=slug, defaults={"name": name, **settings})
    return lab


def _catalogue(lab: Lab) -> list[Service]:
    result = []
    for name, group, price, steps in CATALOGUE:
        service, created = Service.objects.get_or_create(
            lab=lab, name=name, defaults={"group": group, "price": Decimal(price), "currency": lab.currency}
        )
        if created:
            for position, (step, pay) in enumerate(steps, start=1):
                TaskTemplate.objects.create(service=service, position=position, name=step, default_pay=Decimal(pay))
        result.append(service)
    return result


def seed(password: str = DEFAULT_PASSWORD) -> int:
    """Create or refresh the demo; returns how many orders it created (0 when already there)."""
    with transaction.atomic():
        demo = _lab(
            "demo-dental-lab", "Demo Dental Lab", currency="EUR", time_zone="Europe/Berlin",
            payment_instructions="Bank transfer to Demo Dental Lab GmbH\nIBAN DE89 3704 0044 0532 0130 00\n"
            "BIC COBADEFFXXX\nPayment due within 14 days; quote the order number.",
            contacts="Hauptstraße 1, 10115 Berlin · +49 30 1234567 · lab@demo.example",
        )
        second = _lab("second-lab", "Second Lab", currency="USD", time_zone="America/New_York",
                      payment_instructions="Pay by check to Second Lab LLC.")
        admin = _user("lab-admin", password, "Anna", "Admin")
        tech = _user("technician", password, "Tom", "Technician")
        tech2 = _user("technician-2", password, "Tara", "Bench")
        secure_tech = _user("secure-tech", password, "Sam", "Secure")
        dentist = _user("dentist", password, "Dana", "Dentist")
        other_admin = _user("other-admin", password, "Oscar", "Owner")
        other_dentist = _user("other-dentist", password, "Olga", "Orthodontist")
        for user, lab, role in [(admin, demo, "lab_admin"), (tech, demo, "technician"),
                                (tech2, demo, "technician"), (secure_tech, demo, "technician"),
                                (other_admin, second, "lab_admin")]:
            Membership.objects.get_or_create(user=user, lab=lab, defaults={"role": role})
        clinic, _ = Clinic.objects.get_or_create(lab=demo, name="Smile Clinic", defaults={"phone": "+49 30 555 0101"})
        Customer.objects.get_or_create(lab=demo, user=dentist, defaults={"name": "Dr. Dana Dentist", "clinic": clinic})
        Customer.objects.get_or_create(lab=demo, name="Dr. Paul Paper", defaults={"email": "paper@clinic.example"})
        Customer.objects.get_or_create(lab=second, user=other_dentist, defaults={"name": "Dr. Olga Orthodontist"})
        demo_services = _catalogue(demo)
        second_services = _catalogue(second)
        trust.seed_tokens(admin, dentist)
        trust.seed_invitations(admin, demo, second)
        trust.seed_two_factor(secure_tech)
        fresh = not demo.orders.exists()
        # Prices first: the clinic's pricebook and the tax rates price the orders made below.
        money_pricing.seed_pricing(demo)
        # The work schedule before the orders: publishing sets their due dates from it.
        case_schedule.seed_schedule(demo)
        if not fresh:
            return 0
        created = _orders(demo, demo_services, admin=admin, tech=tech, dentist=dentist, tech2=tech2)
        _discount(demo, admin)
        _swiss_order(demo, demo_services, admin)
        money_invoices.seed_invoices(demo)
        money_balances.seed_balances(demo)
        created += _orders(second, second_services, admin=other_admin, tech=other_admin, dentist=other_dentist)
        # The case (issue 13): files first (copies and outsourcing send some along).
        case_files.seed_files(demo, admin, tech, dentist)
        case_copies.seed_copies(demo, admin, tech, dentist)
        case_schedule.seed_markers(demo, admin, tech, dentist)
        case_outsourcing.seed_outsourcing(demo, second, admin, other_admin)
    return created


# Where each demo order stops: every status appears, some more than once.
STORY = ["draft", "published", "published", "production", "production", "produced", "shipped",
         "delivered", "completed", "completed", "cancelled"]


def _orders(lab: Lab, catalogue: list[Service], *, admin, tech, dentist, tech2=None) -> int:
    today = lab.local_date()
    patients = ["Maria Lopez", "J. Schmidt", "Patient 2291", "Ahmed Karim", "Lena Vogel", "Chen Wei",
                "R. Novak", "Sofia Rossi", "Patient 3307", "Tom Baker", "Eva Lind"]
    for i, stop in enumerate(STORY):
        lines = [LineInput(service=catalogue[i % len(catalogue)].id, quantity=1 + i % 2,
                           teeth=[11 + i % 7] if i % 5 != 3 else [], shade="A2" if i % 2 else "B1")]
        if i % 3 == 0:
            lines.append(LineInput(service=catalogue[(i + 2) % len(catalogue)].id, teeth=[36], shade="A3"))
        order = drafting.create_order(dentist, OrderInput(
            # One order leaves its due date to the work schedule: publishing sets it from the
            # services' production days (issue 13), and the order page explains it.
            patient_name=patients[i], due_date=None if i == 2 else today + dt.timedelta(days=3 + i), lines=lines,
            notes="Please check the occlusion." if i % 4 == 0 else "",
        ), lab_slug=lab.slug)
        n = order.number
        if stop == "draft":
            continue
        services.publish_order(dentist, n)
        if stop == "cancelled":
            services.cancel_order(admin, n, reason="The patient postponed the treatment.")
            continue
        workplan.plan_automatically(tech, n)
        if stop == "published":
            continue
        services.start_production(tech, n, production_date=lab.local_date())
        order.refresh_from_db()
        tasks = list(order.tasks.order_by("position"))
        for k, task in enumerate(tasks):
            if stop != "production" or k < len(tasks) // 2:
                workplan.set_task_done(tech, n, task.pk, True)
        if stop == "production":
            if tech2 is not None and i == STORY.index("production"):
                _busy_order(n, tasks, admin=admin, tech=tech, dentist=dentist, tech2=tech2)
            continue
        services.produce_order(tech, n)
        if stop == "produced":
            continue
        services.ship_order(tech, n, tracking_number=f"1Z999AA1{i:010d}", carrier="UPS")
        if stop == "shipped":
            continue
        services.deliver_order(dentist, n)
        if stop == "completed":
            payments.record_payment(admin, n, method="bank transfer", reference=f"TRX-{i:04d}")
    return len(STORY)


def _discount(lab: Lab, admin) -> None:
    """A loyalty discount on one order in production, so the order page shows the breakdown."""
    order = lab.orders.filter(status="production").order_by("id").first()
    if order is not None:
        discounts.set_discount(admin, order.number, kind="percent", value=Decimal("5"))


def _swiss_order(lab: Lab, catalogue: list[Service], admin) -> None:
    """An order of the customer billed in CHF: priced in francs at the lab's latest CHF rate."""
    swiss = Customer.objects.filter(lab=lab, billing_currency="CHF").first()
    if swiss is not None:
        order = drafting.create_order(admin, OrderInput(
            customer=swiss.pk, patient_name="Urs Meier", due_date=lab.local_date() + dt.timedelta(days=10),
            lines=[LineInput(service=catalogue[0].id, teeth=[21], shade="A1")],
        ), lab_slug=lab.slug)
        services.publish_order(admin, order.number)


def _busy_order(number: str, tasks, *, admin, tech, dentist, tech2) -> None:
    """One order in production shows the limits and the pay rule: a task of technician-2 whose pay
    the other technicians do not see (nor may they take it), and more comments than a print holds."""
    workplan.edit_task(admin, number, tasks[-1].pk, workplan.TaskInput(assignee=tech2.pk, pay=Decimal("18.50")))
    for k in range(25):
        comments.add_comment(dentist if k % 2 else tech, number, body=f"Note {k + 1}: please check the margin on 11.")
    comments.add_comment(admin, number, body="Rush bonus approved for this case.", internal=True)
