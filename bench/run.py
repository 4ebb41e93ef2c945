"""How fast Crownline serves a busy lab, and how that changes with the size of its history.

    .venv/bin/pip install -e ".[bench]"
    .venv/bin/python bench/run.py --orders 100000                  # seed, serve, load, report
    .venv/bin/python bench/run.py --orders 1000000 --reuse         # reuse an earlier seed
    .venv/bin/python bench/run.py --compare --reuse                # 10,000 vs 1,000,000 orders

One run: seed a PostgreSQL database (bench/seed.py; kept as crownline_bench_<orders> for
--reuse), start the app under gunicorn on 127.0.0.1 in production mode, and drive it from a
separate locust process (bench/locustfile.py) in three phases:

1. mixed: --users people doing what a lab does (lists, deep pages, search by number,
   detail, transitions, tasks, payments), for --duration seconds;
2. transitions: --transition-users people only moving orders on (the write path's
   throughput);
3. baseline: pgbench on the same database running bench/transition.sql (the SQL of one
   transition) with as many clients, so the app's transitions per second can be read as
   a fraction of what the database alone does.

Reports requests/s, p50/p95/p99 and errors per operation, the database size and the
machine, and writes JSON and a PNG chart into bench/results/.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
sys.path.insert(0, str(BENCH))

import seed  # noqa: E402  (bench/ is not a package)

from crownline.orders.pagination import encode_cursor  # noqa: E402

BIN = Path(sys.executable).parent
# How often each status comes up when a lab looks at its work queues (page 1 of a status).
LIST_STATUSES = (["published"] * 3 + ["production"] * 4 + ["produced"] * 2 + ["shipped"] * 2
                 + ["delivered"] * 2 + ["completed", "cancelled", "draft"])
POOL_MAX = 60_000


# ---- what the load acts on ------------------------------------------------------------


def pools(url: str) -> dict:
    """Orders for each kind of request, split so that no two kinds touch the same order."""
    out: dict = {"password": seed.PASSWORD, "labs": [], "by_lab": {}}
    with psycopg.connect(url, autocommit=True) as db:
        labs = db.execute("SELECT id, slug FROM tenancy_lab WHERE slug LIKE 'bench-lab-%%' ORDER BY slug").fetchall()
        for k, (lab_id, slug) in enumerate(labs, start=1):

            def q(sql: str, *args, lab_id=lab_id) -> list:
                return db.execute(sql, (lab_id, *args)).fetchall()

            sample = [r[0] for r in q("SELECT number FROM orders_order WHERE lab_id = %s ORDER BY random() LIMIT 5000")]
            deep = []
            for status in ("completed", "cancelled", "delivered"):
                # Random rows of the status: a cursor right after each is a page at a random depth.
                for created_at, order_id in q(
                    "SELECT created_at, id FROM orders_order WHERE lab_id = %s AND status = %s "
                    "ORDER BY random() LIMIT 20", status
                ):
                    cursor = encode_cursor("-created", created_at.isoformat(), order_id)
                    deep.append({"status": status, "cursor": cursor})
            forward = [[n, s] for n, s in q(
                "SELECT number, status FROM orders_order WHERE lab_id = %s AND (status IN ('produced', 'shipped') "
                "OR (status = 'published' AND id %% 2 = 0)) ORDER BY random() LIMIT %s", POOL_MAX)]
            # Orders a run left cancelled (it stops between cancel and reopen) come back
            # into the next run's pool, to be reopened first: runs do not drain it.
            cycle = [[n, s] for n, s in q(
                "SELECT number, status FROM orders_order WHERE lab_id = %s AND id %% 2 = 0 AND (status = 'production' "
                "OR (status = 'cancelled' AND cancelled_from = 'production')) ORDER BY random() LIMIT 4000")]
            tasks = [[n, t, d] for n, t, d in q(
                "SELECT o.number, t.id, t.done FROM workplan_task t JOIN orders_order o ON o.id = t.order_id "
                "WHERE o.lab_id = %s AND ((o.status = 'published' AND o.id %% 2 = 1) "
                "OR (o.status = 'production' AND o.id %% 2 = 1)) ORDER BY random() LIMIT %s", POOL_MAX)]
            payable = [[n, int(due * 100)] for n, due in q(
                "SELECT number, total - amount_paid FROM orders_order WHERE lab_id = %s AND status = 'delivered' "
                "AND total > amount_paid ORDER BY random() LIMIT %s", POOL_MAX)]
            out["labs"].append(slug)
            out["by_lab"][slug] = {
                "login": f"bench-admin-{k}", "sample": sample, "deep": deep, "list_statuses": LIST_STATUSES,
                "forward": forward, "cycle": cycle, "tasks": tasks, "payable": payable,
            }
    return out


# ---- the app under gunicorn -----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(name: str, wsgi: str, env: dict[str, str], *, cwd: Path, workers: int, extra: list[str]):
    """One app under gunicorn on a free port of 127.0.0.1; yields its base URL once it answers."""
    port = free_port()
    log = open(RESULTS / f"{name}.log", "a")  # noqa: SIM115
    cmd = [str(BIN / "gunicorn"), wsgi, "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--backlog", "2048",
           "--timeout", "120", *extra]
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            if proc.poll() is not None:
                raise RuntimeError(f"{name}: gunicorn exited with {proc.returncode}; see {log.name}")
            try:
                with urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=5) as r:  # noqa: S310
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError(f"{name}: gunicorn did not answer within two minutes")
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()



@contextlib.contextmanager
def serving(env: dict[str, str], workers: int):
    """Crownline in production mode under gunicorn, every worker warmed up before the clock runs."""
    env = env | {
        "CROWNLINE_DEBUG": "0",
        "CROWNLINE_SECRET_KEY": secrets.token_urlsafe(50),
        "CROWNLINE_ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on the loopback: no redirect to HTTPS, no proxy in front.
        "CROWNLINE_SSL_REDIRECT": "0",
    }
    with gunicorn("gunicorn", "crownline.wsgi:application", env, cwd=ROOT, workers=workers, extra=[]) as base:
        for _ in range(4 * workers):  # every worker imports and builds its API once before the clock runs
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=10):  # noqa: S310
                pass
        yield base


# ---- the load -------------------------------------------------------------------------


def run_locust(base: str, pool: dict, *, mode: str, users: int, duration: int, wait: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        pools_file, out_file = Path(tmp) / "pools.json", Path(tmp) / "stats.json"
        pools_file.write_text(json.dumps(pool))
        env = os.environ | {
            "CROWNLINE_BENCH_POOLS": str(pools_file), "CROWNLINE_BENCH_OUT": str(out_file),
            "CROWNLINE_BENCH_USERS": str(users), "CROWNLINE_BENCH_MODE": mode,
            "CROWNLINE_BENCH_WAIT": str(wait), "CROWNLINE_BENCH_DURATION": str(duration),
        }
        # The run ends itself `duration` seconds after the last person signed in; -t is a backstop.
        cmd = [str(BIN / "locust"), "-f", str(BENCH / "locustfile.py"), "--headless", "--host", base,
               "-u", str(users), "-r", str(users), "-t", f"{duration + 180}s", "--only-summary",
               "--loglevel", "WARNING", "--stop-timeout", "10"]
        print(f"  locust {mode}: {users} users, {duration} s ...", flush=True)
        with open(RESULTS / "locust.log", "a") as log:
            subprocess.run(cmd, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, check=False,
                           timeout=duration + 300)
        if not out_file.exists():
            raise RuntimeError(f"locust wrote no statistics; see {RESULTS / 'locust.log'}")
        return json.loads(out_file.read_text())


def run_pgbench(db: str, *, clients: int, duration: int) -> dict:
    url = seed.database_url(db)
    with psycopg.connect(url, autocommit=True) as conn:
        lo, hi = conn.execute("SELECT min(id), max(id) FROM orders_order").fetchone()
    print(f"  pgbench: {clients} clients, {duration} s ...", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = ["pgbench", "-n", "-c", str(clients), "-j", "2", "-T", str(duration), "-f", str(BENCH / "transition.sql"),
               "-D", f"lo={lo}", "-D", f"hi={hi}", "-l", "--log-prefix", f"{tmp}/tx", url]
        done = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=duration + 120)
        latencies = sorted(
            int(line.split()[2]) / 1000 for f in Path(tmp).glob("tx*") for line in f.read_text().splitlines() if line
        )
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DELETE FROM orders_orderevent WHERE action = 'bench-baseline'")
    tps = float(re.search(r"tps = ([\d.]+) \(without initial", done.stdout).group(1))
    failed = re.search(r"number of failed transactions: (\d+)", done.stdout)
    return {"clients": clients, "duration": duration, "tps": round(tps, 1), "transactions": len(latencies),
            "failed": int(failed.group(1)) if failed else 0, **percentiles(latencies)}


def percentiles(sorted_ms: list[float]) -> dict:
    if not sorted_ms:
        return {"p50": None, "p95": None, "p99": None}

    def at(p: float) -> float:
        return round(sorted_ms[min(len(sorted_ms) - 1, int(p * len(sorted_ms)))], 1)

    return {"p50": at(0.50), "p95": at(0.95), "p99": at(0.99)}


# ---- the machine and the data -----------------------------------------------------------


def machine() -> dict:
    mem = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return {"cores": os.cpu_count(), "memory_gb": round(int(mem.split()[1]) / 1024 / 1024, 1), "cpu": cpu,
            "python": platform.python_version(), "system": platform.platform()}


def database_facts(db: str) -> dict:
    with psycopg.connect(seed.database_url(db), autocommit=True) as conn:
        size, version = conn.execute("SELECT pg_database_size(current_database()), current_setting('server_version')"
                                     ).fetchone()
        counts = dict(conn.execute(
            "SELECT 'orders', count(*) FROM orders_order UNION ALL SELECT 'lines', count(*) FROM orders_orderline "
            "UNION ALL SELECT 'tasks', count(*) FROM workplan_task UNION ALL SELECT 'events', count(*) "
            "FROM orders_orderevent UNION ALL SELECT 'payments', count(*) FROM orders_payment").fetchall())
    return {"name": db, "size_mb": round(size / 1024 / 1024), "postgres": version, "rows": counts}


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# ---- one run, a comparison, the report --------------------------------------------------


def prepare(orders: int, db: str, *, reuse: bool) -> dict:
    meta = seed.seeded_meta(db)
    if reuse and meta and meta.get("orders") == orders:
        print(f"reusing {db} (seeded {meta['seeded_at']})", flush=True)
    else:
        print(f"seeding {orders:,} orders into {db} ...", flush=True)
        subprocess.run([sys.executable, str(BENCH / "seed.py"), "--orders", str(orders), "--db", db], check=True)
        meta = seed.seeded_meta(db)
    seed.migrate(seed.app_env(db=db))  # a reused database gets any index added since it was seeded
    with psycopg.connect(seed.database_url(db), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE orders_order")
        # A lab's server has its data in memory after a while; so does the benchmark before the
        # clock runs (pg_prewarm 'read' puts the tables and their indexes into the OS page cache).
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        conn.execute(
            "SELECT pg_prewarm(c.oid::regclass, 'read') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i')"
        )
    return meta or {}


def run_once(args: argparse.Namespace, orders: int) -> dict:
    db = args.db if args.db and not args.compare else f"crownline_bench_{orders}"
    seeded = prepare(orders, db, reuse=args.reuse)
    url = seed.database_url(db)
    result: dict = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "orders": orders, "seeded": seeded,
        "machine": machine(), "settings": {k: getattr(args, k) for k in (
            "workers", "users", "duration", "wait", "transition_users", "transition_duration")},
        "load_before": load_average(),
    }
    result["database"] = database_facts(db)
    with serving(seed.app_env(db=db), args.workers) as base:
        result["mixed"] = run_locust(base, pools(url), mode="mixed", users=args.users, duration=args.duration,
                                     wait=args.wait)
        result["load_after_mixed"] = load_average()
        if args.transition_duration:
            result["transitions"] = run_locust(base, pools(url), mode="transitions", users=args.transition_users,
                                               duration=args.transition_duration, wait=0)
    if args.transition_duration:
        result["pgbench"] = run_pgbench(db, clients=args.transition_users, duration=args.transition_duration)
        app_tps = result["transitions"]["ops"].get("transition", {}).get("rps", 0)
        result["app_vs_database"] = round(app_tps / result["pgbench"]["tps"], 3) if result["pgbench"]["tps"] else None
    result["load_after"] = load_average()
    result["database_after"] = database_facts(db)
    return result


def table(result: dict) -> str:
    rows = ["| Operation | req/s | p50 ms | p95 ms | p99 ms | errors |", "|---|---:|---:|---:|---:|---:|"]
    for name, op in result["mixed"]["ops"].items():
        rows.append(f"| {name} | {op['rps']} | {op['p50']} | {op['p95']} | {op['p99']} | {op['failures']} |")
    if "transitions" in result:
        op = result["transitions"]["ops"].get("transition")
        if op:
            rows.append(f"| transitions only, {result['settings']['transition_users']} users | **{op['rps']}** | "
                        f"{op['p50']} | {op['p95']} | {op['p99']} | {op['failures']} |")
        pg = result["pgbench"]
        rows.append(f"| pgbench, same SQL, {pg['clients']} clients | {pg['tps']} | {pg['p50']} | {pg['p95']} | "
                    f"{pg['p99']} | {pg['failed']} |")
    return "\n".join(rows)


def summary(result: dict) -> str:
    m, d = result["machine"], result["database"]
    lines = [
        f"{result['orders']:,} orders · {result['date']} · {m['cores']} cores, {m['memory_gb']} GB ({m['cpu']}) · "
        f"PostgreSQL {d['postgres']}, database {d['size_mb']:,} MB · "
        f"gunicorn {result['settings']['workers']} workers · "
        f"mixed load {result['settings']['users']} users, mean think time {result['settings']['wait']} s, "
        f"{result['settings']['duration']} s · "
        f"load average before {result['load_before']}",
        "",
        table(result),
    ]
    if result.get("app_vs_database") is not None:
        lines += ["", f"App transitions/s as a fraction of the database's alone: {result['app_vs_database']:.0%}"]
    errors = result["mixed"].get("errors", []) + result.get("transitions", {}).get("errors", [])
    if errors:
        lines += ["", "Errors:"] + [f"- {e['name']}: {e['occurrences']} x {e['error'][:160]}" for e in errors[:10]]
    return "\n".join(lines)


def chart(results: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(results[0]["mixed"]["ops"])
    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 5.5))
    width = 0.8 / len(results)
    for k, result in enumerate(results):
        ops = result["mixed"]["ops"]
        xs = [i + k * width for i in range(len(names))]
        label = f"{result['orders']:,} orders"
        left.bar(xs, [ops.get(n, {}).get("p95") or 0 for n in names], width, label=f"p95, {label}")
        left.scatter(xs, [ops.get(n, {}).get("p50") or 0 for n in names], color="black", s=12, zorder=3)
        right.bar(xs, [ops.get(n, {}).get("rps") or 0 for n in names], width, label=label)
    for ax, title in ((left, "latency, ms (bar p95, dot p50)"), (right, "requests per second (mixed load)")):
        ax.set_xticks([i + width * (len(results) - 1) / 2 for i in range(len(names))])
        ax.set_xticklabels(names, rotation=30, ha="right", fontsize=8)
        ax.set_title(title)
        ax.legend(fontsize=8)
    r = results[-1]
    fig.suptitle(f"Crownline, {r['machine']['cores']} cores, gunicorn {r['settings']['workers']} workers, "
                 f"{r['settings']['users']} users · {r['date']}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def growth(results: list[dict]) -> str:
    small, big = results[0], results[-1]
    rows = [f"| Operation | p50 {small['orders']:,} | p50 {big['orders']:,} | p95 {small['orders']:,} | "
            f"p95 {big['orders']:,} | p95 growth |", "|---|---:|---:|---:|---:|---:|"]
    for name, a in small["mixed"]["ops"].items():
        b = big["mixed"]["ops"].get(name)
        if not b or not a["p95"]:
            continue
        rows.append(f"| {name} | {a['p50']} | {b['p50']} | {a['p95']} | {b['p95']} | {b['p95'] / a['p95']:.2f}x |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=100_000, help="orders in the database (default 100,000)")
    parser.add_argument("--db", help="database name (default crownline_bench_<orders>)")
    parser.add_argument("--reuse", action="store_true", help="reuse the database if it holds that many orders")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--users", type=int, default=16, help="concurrent people in the mixed load (default 16)")
    parser.add_argument("--duration", type=int, default=60, help="seconds of mixed load (default 60)")
    parser.add_argument("--wait", type=float, default=0.5,
                        help="mean think time between one person's requests, seconds (default 0.5: a very busy "
                        "lab, well below saturation, so latencies show the cost of the data; 0 saturates)")
    parser.add_argument("--transition-users", type=int, default=32, help="people in the transitions phase")
    parser.add_argument("--transition-duration", type=int, default=30,
                        help="seconds of the transitions phase and of pgbench (0 skips both)")
    parser.add_argument("--compare", action="store_true", help="run at each of --compare-sizes and compare")
    parser.add_argument("--compare-sizes", default="10000,1000000", help="default 10000,1000000")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    sizes = [int(s) for s in args.compare_sizes.split(",")] if args.compare else [args.orders]
    results = []
    for orders in sizes:
        print(f"== {orders:,} orders ==", flush=True)
        result = run_once(args, orders)
        results.append(result)
        print(summary(result), flush=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    name = f"{stamp}-{'compare-' + '-'.join(map(str, sizes)) if args.compare else sizes[0]}"
    report = {"runs": results}
    if args.compare and len(results) > 1:
        report["growth"] = growth(results)
        print("\nLatency growth with the data:\n" + report["growth"])
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2, default=str))
    (RESULTS / f"{name}.md").write_text("\n\n".join(summary(r) for r in results)
                                        + ("\n\n" + report["growth"] if "growth" in report else "") + "\n")
    chart(results, RESULTS / f"{name}.png")
    print(f"\nwrote {RESULTS / name}.json, .md and .png")


if __name__ == "__main__":
    main()
