"""Benchmark: how long one order form takes to print, end to end through the API.

Not a test. Sets up a throw-away SQLite database (migrated from scratch in a temporary
CROWNLINE_DATA_DIR, so DATABASE_URL is ignored), creates an order with 3 service lines and
10 tasks, then asks `GET /api/v1/orders/{number}/print.pdf` N times and prints the median
and 95th-percentile time per form. The first few renders warm WeasyPrint's font caches and
are reported apart, not counted.

    .venv/bin/python bench/print_forms.py [--forms 100] [--warmup 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path


def setup_django(data_dir: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.pop("DATABASE_URL", None)
    os.environ["CROWNLINE_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "crownline.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_order() -> tuple[str, str]:
    """An order in production with 3 lines and 10 tasks; returns (order number, admin's token)."""
    from django.contrib.auth import get_user_model

    from crownline.catalog.models import Service
    from crownline.customers.models import Customer
    from crownline.orders import comments, drafting, services
    from crownline.orders.drafting import LineInput, OrderInput
    from crownline.tenancy.models import ApiToken, Lab, Membership
    from crownline.workplan import services as workplan

    lab = Lab.objects.create(
        name="Bench Dental Lab", slug="bench", contacts="Benchstrasse 1, 10115 Berlin\n+49 30 1234567",
        payment_instructions="IBAN DE89 3704 0044 0532 0130 00; quote the order number.",
    )
    admin = get_user_model().objects.create_user("bench-admin")
    tech = get_user_model().objects.create_user("bench-tech", first_name="Tina", last_name="Technician")
    Membership.objects.create(user=admin, lab=lab, role="lab_admin")
    Membership.objects.create(user=tech, lab=lab, role="technician")
    customer = Customer.objects.create(lab=lab, name="Dr. Bench Dentist", email="dentist@example.org")
    catalogue = {
        "Zirconia crown": ["Scan", "Design", "Mill", "Sinter"],
        "Porcelain veneer": ["Model", "Layer ceramic", "Glaze"],
        "Implant abutment": ["Design abutment", "Mill titanium", "Polish"],
    }
    lines = []
    for name, tasks in catalogue.items():
        service = Service.objects.create(lab=lab, name=name, price=Decimal("180.00"), currency="EUR")
        for position, task in enumerate(tasks, start=1):
            service.task_templates.create(position=position, name=task, default_pay=Decimal("12.50"))
        lines.append(service)
    order = drafting.create_order(
        admin,
        OrderInput(
            customer=customer.pk, patient_name="Erika Mustermann", due_date=lab.local_date() + dt.timedelta(days=7),
            notes="Match the shade of 21.",
            lines=[
                LineInput(service=lines[0].pk, quantity=2, teeth=[11, 21], shade="A2"),
                LineInput(service=lines[1].pk, teeth=[12, 22], shade="B1"),
                LineInput(service=lines[2].pk, teeth=[36], shade="A3"),
            ],
        ),
        lab_slug=lab.slug,
    )
    services.publish_order(admin, order.number)
    workplan.plan_automatically(admin, order.number)  # 4 + 3 + 3 = 10 tasks
    for task in order.tasks.all():
        workplan.edit_task(admin, order.number, task.pk, workplan.TaskInput(assignee=tech.pk))
    comments.add_comment(admin, order.number, body="Rush: the patient flies home on Friday.", internal=True)
    services.start_production(admin, order.number, production_date=lab.local_date())
    return order.number, ApiToken.issue(admin)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="crownline-bench-") as data_dir:
        setup_django(data_dir)
        from django.test import Client

        from crownline.workplan.models import Task

        number, token = make_order()
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        url = f"/api/v1/orders/{number}/print.pdf"

        cpu: list[float] = []

        def one() -> float:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            elapsed = time.perf_counter() - start
            cpu.append(time.process_time() - start_cpu)
            assert response.status_code == 200 and response.content.startswith(b"%PDF"), response.content[:300]
            return elapsed

        warm = [one() for _ in range(args.warmup)]
        del cpu[:]
        times = sorted(one() for _ in range(args.forms))
        print(f"order #{number}: 3 lines, {Task.objects.filter(order__number=number).count()} tasks, A4, all sections")
        print(f"warm-up: {', '.join(f'{t * 1000:.0f} ms' for t in warm)} (not counted)")
        print(f"{args.forms} forms, wall clock: median {statistics.median(times) * 1000:.0f} ms, "
              f"p95 {p95(times) * 1000:.0f} ms, min {times[0] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms per form")
        # CPU time is what the form costs this process; wall clock also counts waiting for a busy machine.
        print(f"{args.forms} forms, CPU time: median {statistics.median(cpu) * 1000:.0f} ms, "
              f"p95 {p95(sorted(cpu)) * 1000:.0f} ms per form")
        print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")


def p95(ordered: list[float]) -> float:
    """The nearest-rank 95th percentile of sorted values."""
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


if __name__ == "__main__":
    main()
