"""Writes one at a time, in one process: what a life-cycle action, a task mark and a payment cost.

    .venv/bin/python bench/actions.py --db hc_db --pairs 400

For before/after comparisons of the write path (issue 18): it signs in as the demo lab's admin
and technician (`crownline demo` made them), makes one order with three lines in production,
then sends, through Django's test client in this process (the app as `crownline.wsgi` loads
it, in production mode), `--pairs` cancel/reopen pairs, as many task marks (done, not done,
alternately) and as many payments of 0.01, each once with the full answer and once with
`Prefer: return=minimal`. It reports per request the median and p95 wall time, the CPU time
of this process (Python: Django, ninja, psycopg; the database's own time is not in it) and
the SQL statements sent. Only public API paths, so an older checkout runs it too (it then
ignores Prefer and answers in full).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="hc_db", help="a PostgreSQL database with `crownline demo` data")
    parser.add_argument("--sqlite", help="a SQLite file instead (migrated, with `crownline demo` data)")
    parser.add_argument("--pairs", type=int, default=400)
    args = parser.parse_args()
    url = f"sqlite:///{args.sqlite}" if args.sqlite else f"postgres://postgres@127.0.0.1:5432/{args.db}"
    os.environ.update({
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "crownline.settings",
        "CROWNLINE_DEBUG": "0",
        "CROWNLINE_SECRET_KEY": "bench-only-" + "x" * 40,
        "CROWNLINE_ALLOWED_HOSTS": "testserver",
        "CROWNLINE_SSL_REDIRECT": "0",
        "CROWNLINE_DATA_DIR": os.environ.get("CROWNLINE_DATA_DIR", "/tmp/hc-data"),
    })
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from crownline import wsgi  # noqa: F401  (the app as gunicorn loads it)
    from crownline.customers.models import Customer
    from crownline.orders import drafting, services
    from crownline.orders.drafting import LineInput, OrderInput
    from crownline.tenancy.models import ApiToken, Lab
    from crownline.workplan import services as workplan
    from crownline.workplan.models import Task

    users = get_user_model().objects
    admin, tech = users.get(username="lab-admin"), users.get(username="technician")
    lab = Lab.objects.get(slug="demo-dental-lab")
    customer = Customer.objects.filter(lab=lab).order_by("id").first()
    service_ids = list(lab.services.order_by("id").values_list("id", flat=True)[:3])
    lines = [LineInput(service=s, teeth=[11]) for s in service_ids]
    order = drafting.create_order(
        admin, OrderInput(customer=customer.pk, patient_name="Bench Patient", lines=lines), lab_slug=lab.slug
    )
    services.publish_order(admin, order.number)
    workplan.plan_automatically(admin, order.number)
    services.start_production(admin, order.number, production_date=lab.local_date())
    task_id = Task.objects.filter(order=order).order_by("position").values_list("id", flat=True).first()
    as_admin = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(admin)}", secure=True)
    as_tech = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(tech)}", secure=True)
    base = f"/api/v1/orders/{order.number}"

    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    sql: dict[str, int] = {}

    statements = [0]

    def count(execute, sql_text, params, many, context):
        statements[0] += 1
        return execute(sql_text, params, many, context)

    def send(name: str, client: Client, method: str, path: str, body: str = "", prefer: str = "") -> None:
        extra = {"HTTP_PREFER": prefer} if prefer else {}
        statements[0] = 0
        with connection.execute_wrapper(count):  # counts statements (BEGIN and COMMIT are not statements here)
            start, start_cpu = time.perf_counter(), time.process_time()
            response = getattr(client, method)(path, body, content_type="application/json", **extra)
            elapsed, elapsed_cpu = time.perf_counter() - start, time.process_time() - start_cpu
        if response.status_code not in (200, 201, 204):
            sys.exit(f"{name}: {method.upper()} {path} answered {response.status_code}: {response.content[:300]}")
        wall.setdefault(name, []).append(elapsed * 1000)
        cpu.setdefault(name, []).append(elapsed_cpu * 1000)
        sql[name] = statements[0]

    for prefer, label in (("", "full answer"), ("return=minimal", "Prefer: return=minimal")):
        for i in range(args.pairs + 10):
            send(f"cancel ({label})", as_admin, "post", f"{base}/actions/cancel", '{"reason": "bench"}', prefer)
            send(f"reopen ({label})", as_admin, "post", f"{base}/actions/reopen", "", prefer)
            verb = "post" if i % 2 == 0 else "delete"
            send(f"task mark ({label})", as_tech, verb, f"{base}/tasks/{task_id}/done", "", prefer)
            send(f"payment ({label})", as_admin, "post", f"{base}/payments", '{"amount": "0.01"}', prefer)
            if i == 9:  # the first rounds warm the caches: not counted
                for series in (wall, cpu):
                    for name in [n for n in series if label in n]:
                        series[name].clear()

    print(f"{connection.vendor} {connection.settings_dict['NAME']} · {args.pairs} of each · one request at a time")
    print("| Request | SQL statements | wall median ms | wall p95 ms | CPU median ms | CPU mean ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, values in wall.items():
        values = sorted(values)
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        print(f"| {name} | {sql[name]} | {statistics.median(values):.2f} | {p95:.2f} | "
              f"{statistics.median(cpu[name]):.2f} | {statistics.fmean(cpu[name]):.2f} |")


if __name__ == "__main__":
    main()
