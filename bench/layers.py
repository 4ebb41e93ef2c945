"""Where one request's time goes, per layer: an in-process profile of each benchmarked operation.

    .venv/bin/python bench/layers.py --db crownline_bench_2000 --requests 400
    .venv/bin/python bench/layers.py --sqlite /tmp/bench-sqlite --requests 400
    CROWNLINE_REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/layers.py ...

The app is loaded as gunicorn loads it (`crownline.wsgi`, production settings) and every
request goes through the WSGI handler in this process with a bearer token of the first lab's
admin, as the load tests send them. Each operation runs `--requests` times after a warm-up;
the wall clock and the CPU time per request are measured without the profiler, then the same
requests run under cProfile and every function's own time is put into one layer by the file
it lives in:

- middleware: Django's and our middleware classes, sessions, messages, CSRF, axes, CSP;
- authentication: the bearer token and the caller's lab roles (crownline.auth, tokens, roles);
- ninja/pydantic: routing, parsing and validating input, validating the response;
- serialization: turning the answer into JSON (pydantic_core, json);
- ORM: Django's query building and model instances (django.db.models, sql compiler);
- database: the driver (psycopg), most of it waiting for the server;
- our code: the rest of crownline (access, life cycle, services, presenting);
- Django core: the handler, URL resolving, request and response objects, signals, the rest.

Besides the time, it counts per request the SQL statements sent (BEGIN and COMMIT included
where the driver sends them as statements; with the database cache, its reads and writes too)
and the Python function calls the profiler saw: both are the same on a busy machine and on an
idle one, where the milliseconds are not.

Profiling inflates cheap, frequent calls more than slow ones, so the shares are read as
"where the time goes", and the un-profiled ms per request as the cost.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LAYERS = [
    # (layer, substrings of the file path); first match wins.
    ("authentication", ("crownline/auth.py", "crownline/customers/access.py", "crownline/tenancy/access.py",
                        "crownline/customers/callers.py", "crownline/tenancy/tokens.py", "django/contrib/auth/")),
    ("middleware", ("/middleware", "django/contrib/sessions", "django/contrib/messages", "/axes/", "/csp/",
                    "crownline/bodylimit.py", "crownline/http.py", "crownline/audit/", "crownline/idempotency/",
                    "crownline/accounts/middleware.py", "crownline/netaddr.py", "django/middleware/")),
    ("serialization", ("pydantic_core", "/json/", "crownline/schemas.py")),
    ("ninja/pydantic", ("/ninja/", "/pydantic/", "/annotated_types/", "typing.py")),
    ("ORM", ("django/db/models", "django/db/backends/base", "django/db/transaction.py", "django/db/utils.py",
             "django/db/backends/utils.py")),
    ("database", ("/psycopg/", "psycopg_binary", "django/db/backends/postgresql", "django/db/backends/sqlite3",
                  "sqlite3", "{method 'execute'", "{method 'fetchone'", "{method 'fetchall'", "{method 'fetchmany'")),
    ("our code", ("crownline/",)),
]


def layer_of(filename: str) -> str:
    for name, needles in LAYERS:
        if any(n in filename for n in needles):
            return name
    return "Django core and the rest"


def per_layer(profile: cProfile.Profile) -> dict[str, float]:
    stats = pstats.Stats(profile, stream=io.StringIO())
    totals: dict[str, float] = defaultdict(float)
    for (filename, _line, function), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        where = filename if filename != "~" else function
        totals[layer_of(where)] += tottime
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="crownline_bench_2000", help="PostgreSQL database (bench/seed.py)")
    parser.add_argument("--sqlite", help="a SQLite data directory seeded by bench/seed.py --sqlite instead")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--ops", default="detail,list10,list100,transition,task,payment")
    parser.add_argument("--json", help="write the numbers here too")
    args = parser.parse_args()
    env = {
        "DJANGO_SETTINGS_MODULE": "crownline.settings", "CROWNLINE_DEBUG": "0",
        "CROWNLINE_SECRET_KEY": "bench-only-" + "x" * 40, "CROWNLINE_ALLOWED_HOSTS": "testserver",
        "CROWNLINE_SSL_REDIRECT": "0",
    }
    if args.sqlite:
        os.environ.pop("DATABASE_URL", None)
        env["CROWNLINE_DATA_DIR"] = args.sqlite
    else:
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.db}"
        env["CROWNLINE_DATA_DIR"] = "/tmp/crownline-bench-data"
    os.environ.update(env)

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from crownline import wsgi  # noqa: F401  (the app as gunicorn loads it: views loaded, GC frozen)
    from crownline.orders.models import Order
    from crownline.tenancy.models import ApiToken
    from crownline.workplan.models import Task

    admin = get_user_model().objects.get(username="bench-admin-1")
    lab_id = admin.memberships.get().lab_id
    orders = Order.objects.filter(lab_id=lab_id)
    sample = list(orders.order_by("-id").values_list("number", flat=True)[:200])
    cycle = list(orders.filter(status="production").order_by("id").values_list("number", flat=True)[:200])
    tasks = list(Task.objects.filter(order__lab_id=lab_id, order__status="production")
                 .order_by("id").values_list("order__number", "id", "done")[:200])
    payable = list(orders.filter(status="delivered").order_by("id").values_list("number", flat=True)[:200])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(admin)}", secure=True)
    state: dict = {"cancelled": set(), "done": {t[1]: t[2] for t in tasks}}

    def detail(i: int):
        return client.get(f"/api/v1/orders/{sample[i % len(sample)]}")

    def list10(i: int):
        return client.get("/api/v1/orders", {"page_size": 10, "status": ("production", "completed")[i % 2]})

    def list100(i: int):
        return client.get("/api/v1/orders", {"page_size": 100, "status": ("production", "completed")[i % 2]})

    def transition(i: int):
        number = cycle[(i // 2) % len(cycle)]
        if number in state["cancelled"]:
            state["cancelled"].discard(number)
            return client.post(f"/api/v1/orders/{number}/actions/reopen", content_type="application/json")
        state["cancelled"].add(number)
        return client.post(f"/api/v1/orders/{number}/actions/cancel", {"reason": "benchmark"},
                           content_type="application/json")

    def task(i: int):
        number, task_id, _ = tasks[i % len(tasks)]
        done = state["done"][task_id]
        state["done"][task_id] = not done
        path = f"/api/v1/orders/{number}/tasks/{task_id}/done"
        return client.delete(path) if done else client.post(path, content_type="application/json")

    def payment(i: int):
        number = payable[i % len(payable)]
        return client.post(f"/api/v1/orders/{number}/payments", {"amount": "0.01", "method": "bank transfer"},
                           content_type="application/json")

    ops = {"detail": detail, "list10": list10, "list100": list100, "transition": transition, "task": task,
           "payment": payment}
    results = {}
    counter = 0
    for name in args.ops.split(","):
        op = ops[name]

        def run(n: int, op=op, name=name) -> list[float]:
            nonlocal counter
            wall = []
            for _ in range(n):
                start = time.perf_counter()
                response = op(counter)
                wall.append((time.perf_counter() - start) * 1000)
                counter += 1
                if response.status_code >= 300:
                    sys.exit(f"{name}: answered {response.status_code}: {response.content[:300]!r}")
            return wall

        run(20)
        statements: list[str] = []

        def counted(execute, sql, *rest, statements=statements):
            statements.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(counted):
            run(10)
        cpu0 = time.process_time()
        wall = run(args.requests)
        cpu = (time.process_time() - cpu0) * 1000 / args.requests
        profile = cProfile.Profile()
        profile.enable()
        run(args.requests)
        profile.disable()
        layers = per_layer(profile)
        total = sum(layers.values())
        calls = pstats.Stats(profile, stream=io.StringIO()).total_calls  # type: ignore[attr-defined]
        results[name] = {"wall_ms_median": round(statistics.median(wall), 2), "cpu_ms": round(cpu, 2),
                         "calls": round(calls / args.requests), "sql": round(len(statements) / 10, 1),
                         "layers": {k: round(100 * v / total, 1) for k, v in layers.items()}}

    names = [n for n, _ in LAYERS] + ["Django core and the rest"]
    print(f"{args.sqlite or args.db} · {args.requests} requests per operation · one process, bearer token")
    print("| Operation | wall ms (median) | CPU ms | SQL statements | Python calls | " + " | ".join(names) + " |")
    print("|---|---:|---:|---:|---:|" + "---:|" * len(names))
    for name, r in results.items():
        print(f"| {name} | {r['wall_ms_median']} | {r['cpu_ms']} | {r['sql']} | {r['calls']:,} | "
              + " | ".join(f"{r['layers'].get(n, 0)} %" for n in names) + " |")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
