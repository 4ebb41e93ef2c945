"""Seed a benchmark database with a busy lab's history: N orders, fast.

    python bench/seed.py --orders 100000                  # PostgreSQL database crownline_bench_100000
    python bench/seed.py --orders 1000000 --db crownline_bench_big
    python bench/seed.py --orders 10000 --sqlite /tmp/bench-sqlite   # a data directory

The reference data (2 labs, their catalogues, 2 lab admins, 10 technicians, 50 dentists
with logins) goes through the Django ORM. The orders and everything hanging off them
(3 lines, 5 tasks, the events of every transition the order went through, tracking
numbers, payments) are generated here and streamed with PostgreSQL COPY, with the
secondary indexes dropped during the load and rebuilt afterwards; SQLite gets plain
executemany. Every order is one the app accepts: a unique 10-hex number, totals equal
to its lines, amount_paid equal to its payments, one event per transition.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("CROWNLINE_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PASSWORD = "crownline-bench"  # noqa: S105 - the documented password of the benchmark's fake users
CHUNK = 5000

# Where the orders of a lab that has worked for a few years stand: most are done and paid,
# a few percent are on the bench right now.
STATUS_SHARES = [
    ("completed", 0.86), ("cancelled", 0.04), ("delivered", 0.03), ("shipped", 0.015),
    ("produced", 0.01), ("production", 0.025), ("published", 0.015), ("draft", 0.005),
]
FORWARD = ["draft", "published", "production", "produced", "shipped", "delivered", "completed"]
CANCELLED_FROM = [("draft", 0.3), ("published", 0.4), ("production", 0.25), ("produced", 0.05)]
ACTION_INTO = {"published": "publish", "production": "start-production", "produced": "produce",
               "shipped": "ship", "delivered": "deliver", "completed": "record-payment"}
HISTORY_DAYS = 3 * 365
ACTIVE_DAYS = 30

CATALOGUE = [
    ("Zirconia crown", 18000, [("Model and die", 1200), ("Design", 1500), ("Milling", 1000), ("Glaze", 1400)]),
    ("E.max crown", 21000, [("Model and die", 1200), ("Wax-up", 1600), ("Press", 1200), ("Stain", 1400)]),
    ("PFM bridge unit", 16000, [("Framework", 2000), ("Porcelain build-up", 2500), ("Finishing", 800)]),
    ("Full denture", 45000, [("Bite block", 1500), ("Teeth set-up", 3000), ("Processing", 2500)]),
    ("Night guard", 9500, [("Scan and design", 800), ("Print", 500)]),
]
FIRST = ["Maria", "Jonas", "Ahmed", "Lena", "Chen", "Sofia", "Tom", "Eva", "Paul", "Nina", "Omar", "Ida",
         "Luca", "Mia", "Karl", "Zoe", "Ivan", "Anna", "Raj", "Lea"]
LAST = ["Lopez", "Schmidt", "Karim", "Vogel", "Wei", "Rossi", "Baker", "Lind", "Novak", "Berg", "Costa",
        "Meyer", "Okafor", "Dubois", "Sato", "Nowak", "Haas", "Silva", "Klein", "Moreau"]

TABLES = {
    "orders_order": ["id", "number", "status", "cancelled_from", "version", "due_date", "notes", "currency", "total",
                     "amount_paid", "published_at", "production_date", "delivered_on", "tracking_number", "carrier",
                     "created_at", "updated_at", "created_by_id", "customer_id", "lab_id", "patient_id",
                     # The money breakdown (issue 12): list prices, no pricebook, discount or tax.
                     "list_total", "subtotal", "discount_kind", "discount_value", "discount_amount", "tax_amount",
                     "invoice_number",
                     # The case (issue 13): no markers; the due date as entered. The nullable
                     # columns (fitting dates, copies, remakes, appointment, partner) stay NULL.
                     "on_hold", "hold_reason", "due_date_source", "due_date_note", "remake_reason", "remake_payer"],
    "orders_orderline": ["id", "position", "quantity", "teeth", "shade", "unit_price", "order_id", "service_id",
                         "list_price", "price_note", "tax_rate"],
    "workplan_task": ["id", "position", "name", "pay", "done", "done_at", "created_at", "assignee_id", "done_by_id",
                      "line_id", "order_id", "template_id"],
    "orders_orderevent": ["id", "actor_role", "action", "from_status", "to_status", "data", "created_at", "actor_id",
                          "order_id"],
    "orders_trackingnumber": ["id", "number", "carrier", "created_at", "created_by_id", "order_id"],
    "orders_payment": ["id", "amount", "method", "reference", "recorded_at", "voided_at", "void_reason", "order_id",
                       "recorded_by_id", "voided_by_id", "from_balance"],
}


@dataclass
class LabRefs:
    id: int
    currency: str
    admin: int
    techs: list[int]
    customers: list[tuple[int, int]]  # (customer id, its dentist's user id)
    services: list[tuple[int, int, list[tuple[int, str, int]]]]  # (id, price cents, [(template id, name, pay)])
    patients: dict[int, list[int]] = field(default_factory=dict)  # customer id -> patient ids


def money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def pick(rng: random.Random, shares: list[tuple[str, float]]) -> str:
    x, acc = rng.random(), 0.0
    for value, share in shares:
        acc += share
        if x < acc:
            return value
    return shares[0][0]


# ---- the database --------------------------------------------------------------------


def database_url(db: str) -> str:
    return f"{PG_SERVER}/{db}"


def create_database(db: str) -> None:
    if not db.startswith("crownline_bench"):
        sys.exit("the benchmark only creates databases whose names start with crownline_bench")
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db}"')


def app_env(*, db: str | None = None, sqlite: Path | None = None) -> dict[str, str]:
    """The environment the app (migrate, gunicorn) runs with against the benchmark database."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if sqlite is not None:
        env["CROWNLINE_DATA_DIR"] = str(sqlite.parent)  # the app's SQLite file is <data dir>/crownline.sqlite3
    else:
        env["DATABASE_URL"] = database_url(db or "")
        env.setdefault("CROWNLINE_DATA_DIR", "/tmp/crownline-bench-data")
    return env


def migrate(env: dict[str, str]) -> None:
    crownline = Path(sys.executable).with_name("crownline")
    subprocess.run([str(crownline), "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT)


# ---- reference data, through the ORM --------------------------------------------------


def reference_data(rng: random.Random, n_orders: int) -> list[LabRefs]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from crownline.catalog.models import Service, TaskTemplate
    from crownline.customers.models import Customer, Patient
    from crownline.tenancy.models import Lab, Membership

    User = get_user_model()
    hashed = make_password(PASSWORD)  # one hash for all: hashing 62 times would take longer than the seed

    def user(username: str) -> int:
        return User.objects.create(username=username, password=hashed, first_name=username).pk

    labs = []
    for k, (slug, currency) in enumerate([("bench-lab-a", "EUR"), ("bench-lab-b", "USD")], start=1):
        lab = Lab.objects.create(name=f"Bench Lab {slug[-1].upper()}", slug=slug, currency=currency,
                                 payment_instructions="Bank transfer, quote the order number.")
        admin = user(f"bench-admin-{k}")
        Membership.objects.create(user_id=admin, lab=lab, role="lab_admin")
        techs = []
        for t in range(5):
            techs.append(user(f"bench-tech-{k}-{t + 1}"))
            Membership.objects.create(user_id=techs[-1], lab=lab, role="technician")
        customers = []
        for c in range(25):
            dentist = user(f"bench-dentist-{k}-{c + 1:02d}")
            name = f"Dr. {rng.choice(FIRST)} {rng.choice(LAST)}"
            customers.append((Customer.objects.create(lab=lab, user_id=dentist, name=name).pk, dentist))
        services = []
        for name, price, steps in CATALOGUE:
            service = Service.objects.create(lab=lab, name=name, price=money(price), currency=currency)
            templates = [
                (TaskTemplate.objects.create(service=service, position=p, name=s, default_pay=money(pay)).pk, s, pay)
                for p, (s, pay) in enumerate(steps, start=1)
            ]
            services.append((service.pk, price, templates))
        refs = LabRefs(lab.pk, currency, admin, techs, customers, services)
        # About one patient per four orders: dentists send the same patient back now and then.
        per_customer = max(2, n_orders // 4 // 50)
        for customer_id, _ in customers:
            batch = [Patient(lab=lab, customer_id=customer_id, name=patient_name(rng)) for _ in range(per_customer)]
            refs.patients[customer_id] = [p.pk for p in Patient.objects.bulk_create(batch, batch_size=5000)]
        labs.append(refs)
    return labs


def patient_name(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return f"Patient {rng.randrange(1000, 99999)}"
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


# ---- the orders ---------------------------------------------------------------------


@dataclass
class Counters:
    line: int = 0
    task: int = 0
    event: int = 0
    tracking: int = 0
    payment: int = 0


def timeline(rng: random.Random, n: int, now: dt.datetime) -> list[tuple[dt.datetime, str]]:
    """(created_at, status) for every order, oldest first: ids grow with time, as in real life."""
    rows = []
    for _ in range(n):
        status = pick(rng, STATUS_SHARES)
        days = HISTORY_DAYS if status in ("completed", "cancelled") else ACTIVE_DAYS
        rows.append((now - dt.timedelta(seconds=rng.uniform(3600, days * 86400)), status))
    rows.sort()
    return rows


def unique_numbers(rng: random.Random, n: int) -> list[str]:
    seen: set[int] = set()
    while len(seen) < n:
        seen.add(rng.getrandbits(40))
    numbers = [f"{x:010X}" for x in seen]
    rng.shuffle(numbers)
    return numbers


def order_rows(
    rng: random.Random, order_id: int, number: str, created: dt.datetime, status: str, lab: LabRefs,
    ids: Counters, now: dt.datetime,
) -> dict[str, list[tuple]]:
    """The rows of one order, for every table: consistent with where the order stands."""
    cancelled_from = pick(rng, CANCELLED_FROM) if status == "cancelled" else ""
    reached = cancelled_from or status
    path = FORWARD[: FORWARD.index(reached) + 1]
    steps = len(path) + (1 if cancelled_from else 0)
    gap = min(dt.timedelta(days=2), (now - created) / (steps + 1))
    at = [created + gap * k for k in range(steps + 1)]
    customer_id, dentist = rng.choice(lab.customers)
    tech = rng.choice(lab.techs)
    out: dict[str, list[tuple]] = {t: [] for t in TABLES}

    total = 0
    line_ids = []
    for position in range(1, 4):
        service_id, price, templates = rng.choice(lab.services)
        quantity = 1 + (rng.random() < 0.25)
        total += price * quantity
        ids.line += 1
        line_ids.append((ids.line, templates))
        teeth = json.dumps([rng.choice((11, 12, 21, 22, 36, 46))])
        out["orders_orderline"].append(
            (ids.line, position, quantity, teeth, rng.choice(("A1", "A2", "A3", "B1")), money(price), order_id,
             service_id, money(price), "", "0")
        )
    # Five tasks: two for the first two lines, one for the third; done as far as the work got.
    if reached in ("draft", "published"):
        done_count = 0
    elif reached == "production":
        done_count = rng.randrange(0, 5)
    else:
        done_count = 5
    position = 0
    for (line_id, templates), take in zip(line_ids, (2, 2, 1), strict=True):
        for template_id, name, pay in templates[:take]:
            position += 1
            ids.task += 1
            done = position <= done_count
            done_at = at[min(3, len(at) - 1)] if done else None
            out["workplan_task"].append(
                (ids.task, position, name, money(pay), done, done_at, at[1] if len(at) > 1 else created, tech,
                 tech if done else None, line_id, order_id, template_id)
            )

    def event(k: int, actor: int, role: str, action: str, frm: str, to: str, data: dict) -> None:
        ids.event += 1
        out["orders_orderevent"].append((ids.event, role, action, frm, to, json.dumps(data), at[k], actor, order_id))

    event(0, dentist, "customer", "create", "", "draft", {"lines": 3})
    published_at = production_date = delivered_on = None
    tracking = carrier = ""
    paid = 0
    for k, (frm, to) in enumerate(itertools.pairwise(path), start=1):
        data: dict = {}
        actor, role = (dentist, "customer") if to == "published" else (tech, "technician")
        if to == "published":
            published_at = at[k]
        elif to == "production":
            production_date = at[k].date()
            data = {"production_date": production_date.isoformat()}
        elif to == "shipped":
            tracking, carrier = f"1Z{rng.getrandbits(48):012X}", rng.choice(("DHL", "UPS", "courier"))
            ids.tracking += 1
            out["orders_trackingnumber"].append((ids.tracking, tracking, carrier, at[k], tech, order_id))
            data = {"tracking_number": tracking, "carrier": carrier, "previous": ""}
        elif to == "delivered":
            delivered_on = at[k].date()
            data = {"delivered_on": delivered_on.isoformat()}
        elif to == "completed":
            actor, role = lab.admin, "lab_admin"
            ids.payment += 1
            paid = total
            out["orders_payment"].append(
                (ids.payment, money(total), "bank transfer", f"#{number}", at[k], None, "", order_id, lab.admin, None,
                 False)
            )
            data = {"payment": ids.payment, "amount": money(total), "method": "bank transfer",
                    "reference": f"#{number}"}
        event(k, actor, role, ACTION_INTO[to], frm, to, data)
    if status == "delivered" and rng.random() < 0.3:
        # A deposit: part of the money came in, the order stays Delivered.
        paid = total // 2
        ids.payment += 1
        out["orders_payment"].append(
            (ids.payment, money(paid), "card", "", at[-1], None, "", order_id, lab.admin, None, False)
        )
        event(len(at) - 1, lab.admin, "lab_admin", "record-payment", "delivered", "delivered",
              {"payment": ids.payment, "amount": money(paid), "method": "card", "reference": ""})
    if cancelled_from:
        event(steps, lab.admin, "lab_admin", "cancel", cancelled_from, "cancelled",
              {"reason": "The patient postponed the treatment."})
    patients = lab.patients[customer_id]
    version = len(out["orders_orderevent"])  # every change bumped it once; creation left it at 1
    out["orders_order"].append(
        (order_id, number, status, cancelled_from, version, (created + dt.timedelta(days=10)).date(),
         "", lab.currency, money(total), money(paid), published_at, production_date, delivered_on, tracking,
         carrier, created, at[-1], dentist, customer_id, lab.id, rng.choice(patients),
         money(total), money(total), "", "0", "0", "0", "", False, "", "manual", "", "", "")
    )
    return out


def generate(rng: random.Random, n: int, labs: list[LabRefs]) -> Iterator[dict[str, list[tuple]]]:
    """Chunks of rows per table, CHUNK orders at a time."""
    now = dt.datetime.now(dt.UTC)
    numbers = unique_numbers(rng, n)
    ids = Counters()
    chunk: dict[str, list[tuple]] = {t: [] for t in TABLES}
    for i, (created, status) in enumerate(timeline(rng, n, now)):
        # Lab A is the bigger one: 60 % of the orders.
        lab = labs[0] if rng.random() < 0.6 else labs[1]
        for table, rows in order_rows(rng, i + 1, numbers[i], created, status, lab, ids, now).items():
            chunk[table].extend(rows)
        if (i + 1) % CHUNK == 0:
            yield chunk
            chunk = {t: [] for t in TABLES}
    if chunk["orders_order"]:
        yield chunk


# ---- loading ------------------------------------------------------------------------


def load_postgres(url: str, chunks: Iterator[dict[str, list[tuple]]], n: int) -> None:
    tables = list(TABLES)
    with psycopg.connect(url, autocommit=True) as admin:
        secondary = admin.execute(
            "SELECT indexname, indexdef FROM pg_indexes i WHERE schemaname = 'public' AND tablename = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            (tables,),
        ).fetchall()
        for name, _ in secondary:
            admin.execute(f'DROP INDEX "{name}"')
    # One connection and one COPY stream per table, all open at once: the server parses
    # them in parallel while this process generates the rows.
    conns = [psycopg.connect(url) for _ in tables]
    copies, contexts = {}, []
    try:
        for table, conn in zip(tables, conns, strict=True):
            # The rows are consistent by construction; skipping the per-row foreign-key
            # triggers is what makes a million orders a matter of minutes (superuser only).
            conn.execute("SET session_replication_role = replica")
            ctx = conn.cursor().copy(f"COPY {table} ({', '.join(TABLES[table])}) FROM STDIN")
            copies[table] = ctx.__enter__()
            contexts.append(ctx)
        with tqdm(total=n, unit="order", desc="orders", smoothing=0.1) as bar:
            for chunk in chunks:
                for table, rows in chunk.items():
                    copy = copies[table]
                    for row in rows:
                        copy.write_row(row)
                bar.update(len(chunk["orders_order"]))
        for ctx in contexts:
            ctx.__exit__(None, None, None)
        for conn in conns:
            conn.commit()
    finally:
        for conn in conns:
            conn.close()
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute("SET maintenance_work_mem = '512MB'")
        for _name, definition in tqdm(secondary, desc="indexes", unit="index"):
            admin.execute(definition)
        for table in tables:
            admin.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT max(id) FROM {table}), 1))"
            )
        print("VACUUM ANALYZE ...", flush=True)
        admin.execute("VACUUM ANALYZE")


def _sqlite_value(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def load_sqlite(path: Path, chunks: Iterator[dict[str, list[tuple]]], n: int) -> None:
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous = OFF")
    with tqdm(total=n, unit="order", desc="orders") as bar:
        for chunk in chunks:
            with db:
                for table, rows in chunk.items():
                    cols = TABLES[table]
                    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
                    db.executemany(sql, ([_sqlite_value(v) for v in row] for row in rows))
            bar.update(len(chunk["orders_order"]))
    db.execute("ANALYZE")
    db.close()


# ---- the command ----------------------------------------------------------------------


def setup_django(env: dict[str, str]) -> None:
    # `env` is the whole environment the app runs with: a DATABASE_URL of the caller's shell
    # must not send a --sqlite seed's reference data to another database.
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crownline.settings")
    import django

    django.setup()


def seed(n: int, *, db: str | None = None, sqlite: Path | None = None, seed_value: int = 42) -> dict:
    """Create the database from scratch, migrate it and fill it; returns what was made."""
    started = time.monotonic()
    if sqlite is not None:
        sqlite = sqlite / "crownline.sqlite3"
        sqlite.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite}{suffix}").unlink(missing_ok=True)
        env = app_env(sqlite=sqlite)
    else:
        assert db is not None
        create_database(db)
        env = app_env(db=db)
    migrate(env)
    setup_django(env)
    rng = random.Random(seed_value)
    labs = reference_data(rng, n)
    from django.db import connections

    connections.close_all()
    chunks = generate(rng, n, labs)
    if sqlite is not None:
        load_sqlite(sqlite, chunks, n)
    else:
        load_postgres(database_url(db or ""), chunks, n)
    meta = {"orders": n, "seeded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "seconds": round(time.monotonic() - started, 1)}
    if sqlite is None:
        with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
            conn.execute(f"COMMENT ON DATABASE \"{db}\" IS '{json.dumps(meta)}'")
    return meta


def seeded_meta(db: str) -> dict | None:
    """What `seed` recorded on the database, or None if it is missing or was never finished."""
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", (db,)
        ).fetchone()
    if not row or not row[0]:
        return None
    return json.loads(row[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--db", help="PostgreSQL database name (default crownline_bench_<orders>)")
    parser.add_argument("--sqlite", type=Path, metavar="DATA_DIR",
                        help="seed SQLite in this data directory (CROWNLINE_DATA_DIR) instead of PostgreSQL")
    parser.add_argument("--seed", type=int, default=42, help="random seed (the same seed gives the same data)")
    args = parser.parse_args()
    db = None if args.sqlite else (args.db or f"crownline_bench_{args.orders}")
    meta = seed(args.orders, db=db, sqlite=args.sqlite, seed_value=args.seed)
    print(f"seeded {meta['orders']:,} orders into {args.sqlite or db} in {meta['seconds']} s")


if __name__ == "__main__":
    main()
