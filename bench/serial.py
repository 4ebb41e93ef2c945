"""One request at a time, in one process: what each read costs on a seeded database, without load.

    .venv/bin/python bench/serial.py --db crownline_bench_1000000 --rounds 40

The mixed load of `bench/run.py` shares the two cores between locust, gunicorn and
PostgreSQL, and its p95 moves by 5 to 10 ms between runs. This script takes the noise out for
before/after comparisons of the read path: it signs in as the first lab's admin (as the
load test does), then sends, round after round, the same requests through Django's test
client in this process (the app as `crownline.wsgi` loads it, in production mode) and
reports the median and p95 of each, in milliseconds. It only uses the public API paths and
the Orders page, so the same script measures an older checkout too (run it with that
checkout's interpreter, from that checkout).
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

STATUSES = ["published", "production", "produced", "shipped", "delivered", "completed", "cancelled", "draft"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="crownline_bench_1000000")
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    os.environ.update({
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.db}",
        "DJANGO_SETTINGS_MODULE": "crownline.settings",
        "CROWNLINE_DEBUG": "0",
        "CROWNLINE_SECRET_KEY": "bench-only-" + "x" * 40,
        "CROWNLINE_ALLOWED_HOSTS": "testserver",
        "CROWNLINE_SSL_REDIRECT": "0",
        "CROWNLINE_DATA_DIR": "/tmp/crownline-bench-data",
    })
    from django.contrib.auth import get_user_model
    from django.test import Client

    from crownline import wsgi  # noqa: F401  (the app as gunicorn loads it: views loaded, GC frozen)
    from crownline.orders.models import Order
    from crownline.tenancy.models import ApiToken

    admin = get_user_model().objects.get(username="bench-admin-1")
    lab_id = admin.memberships.get().lab_id
    numbers = list(Order.objects.filter(lab_id=lab_id).order_by("-id").values_list("number", flat=True)[:200])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(admin)}", secure=True)
    page = Client(secure=True)
    page.force_login(admin)

    timings: dict[str, list[float]] = {}

    def measure(name: str, client: Client, path: str, params: dict | None = None) -> None:
        start = time.perf_counter()
        response = client.get(path, params or {})
        timings.setdefault(name, []).append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            sys.exit(f"{name}: {path} {params} answered {response.status_code}")

    for r in range(args.rounds + 3):
        status = STATUSES[r % len(STATUSES)]
        number = numbers[r % len(numbers)]
        measure("API list: status, page 1", api, "/api/v1/orders", {"status": status})
        measure("API list: everything, page 1", api, "/api/v1/orders")
        measure("API search by number", api, "/api/v1/orders", {"q": number[:6]})
        measure("API search by patient name", api, "/api/v1/orders", {"q": "Novak"})
        measure("API order detail", api, f"/api/v1/orders/{number}")
        measure("API order history", api, f"/api/v1/orders/{number}/events")
        measure("page: Orders, a status tab", page, "/orders/", {"status": status})
        measure("page: order", page, f"/orders/{number}/")
        if r == 2:
            timings.clear()  # the first rounds warm the caches and the remembered counts

    print(f"{args.db} · {args.rounds} rounds · one request at a time · milliseconds")
    print("| Request | median | p95 |")
    print("|---|---:|---:|")
    for name, values in timings.items():
        values.sort()
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        print(f"| {name} | {statistics.median(values):.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
