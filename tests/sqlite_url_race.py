"""8 threads publishing one order at once, on the database the environment names.

Run by tests/test_database_settings.py as `python -m tests.sqlite_url_race` in a subprocess (DATABASE_URL=sqlite:///…,
DJANGO_SETTINGS_MODULE=crownline.settings): migrates the database, creates a lab with a
customer, a service and a draft order with a line and a patient, releases 8 threads together
behind a barrier, each calling `publish_order`, and prints a JSON summary on stdout: each
thread's outcome ("ok", "refused" with the DomainError's status code, or "crashed" with the
error) and how many publish events the order has. Not collected by pytest (no `test_` prefix).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import django

THREADS = 8


def main() -> None:
    django.setup()

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from crownline.catalog.models import Service, TaskTemplate
    from crownline.customers.models import Customer
    from crownline.orders.drafting import LineInput, OrderInput, create_order
    from crownline.orders.models import Order
    from crownline.orders.services import publish_order
    from crownline.tenancy.models import Lab, Membership
    from tests.races import race

    call_command("migrate", interactive=False, verbosity=0)

    User = get_user_model()
    admin = User.objects.create_user("race-admin")
    lab = Lab.objects.create(name="Race Lab", slug="race-lab", currency="EUR", time_zone="Europe/Berlin")
    Membership.objects.create(user=admin, lab=lab, role="lab_admin")
    customer = Customer.objects.create(lab=lab, name="Dr. Race")
    service = Service.objects.create(lab=lab, name="Crown", group="Crowns", price=Decimal("100.00"), currency="EUR")
    TaskTemplate.objects.create(service=service, position=1, name="Design", default_pay=Decimal("10.00"))
    order = create_order(
        admin,
        OrderInput(
            customer=customer.pk,
            patient_name="Patient Race",
            due_date=lab.local_date() + dt.timedelta(days=7),
            lines=[LineInput(service=service.pk, teeth=[11], shade="A2")],
        ),
        lab_slug=lab.slug,
    )
    connection.close()

    def publish(_: int) -> None:
        user = User.objects.get(pk=admin.pk)  # lab roles are cached on the user object
        publish_order(user, order.number)

    results, alive = race(publish, THREADS, timeout=120)
    outcomes = [
        {"outcome": kind, "status_code": error.status_code, "detail": error.detail} if kind == "refused"
        else {"outcome": kind, "error": f"{type(error).__name__}: {error}"} if kind == "crashed"
        else {"outcome": kind}
        for kind, error in results
    ]
    published = Order.objects.get(pk=order.pk)
    summary = {
        "vendor": connection.vendor,
        "outcomes": outcomes,
        "alive": alive,
        "status": published.status,
        "publish_events": published.events.filter(action="publish").count(),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
