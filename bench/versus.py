"""Crownline beside a bare Django + django-ninja app doing the same minimum work (issue #18).

    .venv/bin/python bench/versus.py                         # seed crownline_bench_2000; every op, -c 4 and 32
    .venv/bin/python bench/versus.py --reuse --duration 10   # reuse the seed
    .venv/bin/python bench/versus.py --reuse --ops detail,transition --connections 32
    .venv/bin/python bench/versus.py --reuse --crownline-gunicorn "--worker-class gthread --threads 4"
    .venv/bin/python bench/versus.py --reuse --env CROWNLINE_REDIS_URL=redis://127.0.0.1:6379/0
    .venv/bin/python bench/versus.py --sqlite --reuse        # SQLite, one process each
    .venv/bin/python bench/versus.py --reuse --bare-fast     # the bare app serialises as Crownline does

Both apps run at the same time under gunicorn on 127.0.0.1 (4 sync workers each by default;
--sqlite: one), on the same database: Crownline as bench/run.py serves it (CROWNLINE_DEBUG=0),
the bare app from bench/bare/ (two middlewares, DEBUG off, persistent connections, unmanaged
models over Crownline's tables). One token per lab admin is issued by Crownline's sign-in
(POST /api/v1/auth/token); the bare app reads the same token table, so both get the very
same requests. For each operation and each --connections value, wrk (one Lua script per
operation, generated here) drives one app and then the other, the order alternating, so both
see the same machine. The writes are spread over many orders and each is valid when it runs:
cancel/reopen of orders whose state is read just before the run, task done/not done toggled,
payments of 0.01 on delivered orders with money due. Every non-2xx answer is counted and the
first few are printed.

Output: a Markdown table on stdout, JSON and Markdown in bench/results/ (not committed).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import re
import shlex
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import run  # noqa: E402  (bench/ is not a package)
import seed  # noqa: E402

RESULTS = run.RESULTS
BIN = run.BIN
OPS = ("detail", "list10", "list100", "transition", "task", "payment")
TITLES = {"detail": "order detail", "list10": "list of 10", "list100": "list of 100",
          "transition": "life-cycle action (cancel/reopen)", "task": "task done/not done",
          "payment": "payment (0.01)"}
WRITES = ("transition", "task", "payment")
SETTLE = 3.0  # seconds without a change before a write pool is read
TARGET = 2 / 3  # Crownline serves at least two thirds of what the bare app serves


# ---- the database, PostgreSQL or SQLite ---------------------------------------------------


class Db:
    """The few reads the harness makes, on either database (`?` placeholders)."""

    def __init__(self, *, pg: str | None = None, sqlite: Path | None = None) -> None:
        self.pg, self.sqlite = pg, sqlite

    def rows(self, sql: str, *params) -> list[tuple]:
        if self.pg:
            with psycopg.connect(self.pg, autocommit=True) as conn:
                return conn.execute(sql.replace("%", "%%").replace("?", "%s"), params).fetchall()
        conn = sqlite3.connect(self.sqlite, timeout=30)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()


def admins(db: Db) -> dict[str, dict]:
    """lab slug -> {login, id} of the benchmark's lab admins."""
    found = db.rows("SELECT l.slug, l.id, u.username FROM tenancy_membership m JOIN auth_user u ON u.id = m.user_id "
                    "JOIN tenancy_lab l ON l.id = m.lab_id WHERE u.username LIKE 'bench-admin-%' "
                    "AND m.role = 'lab_admin' AND m.is_active ORDER BY l.slug")
    return {slug: {"id": lab_id, "login": login} for slug, lab_id, login in found}


def workload(db: Db, op: str, labs: dict[str, dict], rng: random.Random) -> list[dict]:
    """The requests of one operation as {lab, method, path, body, [alt_method, alt_path, alt_body]}.

    Read just before each wrk run: the writes of the previous run moved orders on. Entries
    with an `alt` request toggle (the first request, then the alternative, then the first ...).
    The pools do not overlap: transitions take even-numbered orders in published/production (and
    every draft, produced and cancelled one that does not reopen into the tasks' pool), tasks the
    odd-numbered ones, payments the delivered ones.
    """
    lab_of = {v["id"]: slug for slug, v in labs.items()}
    out: list[dict] = []
    if op == "detail":
        for number, lab_id in db.rows("SELECT number, lab_id FROM orders_order ORDER BY id"):
            out.append({"lab": lab_of[lab_id], "method": "GET", "path": f"/api/v1/orders/{number}"})
        rng.shuffle(out)
        return out[:2000]
    if op in ("list10", "list100"):
        size = 10 if op == "list10" else 100
        for slug, lab in labs.items():
            counts = db.rows("SELECT status, count(*) FROM orders_order WHERE lab_id = ? GROUP BY status", lab["id"])
            # Full pages only, so that both apps count the matching orders as a full page does.
            for status in ["", *sorted(s for s, n in counts if n >= size)]:
                query = f"lab={slug}&page_size={size}" + (f"&status={status}" if status else "")
                out.append({"lab": slug, "method": "GET", "path": f"/api/v1/orders?{query}"})
        return out
    if op == "transition":
        rows = db.rows(
            "SELECT number, lab_id, status FROM orders_order WHERE status IN ('draft', 'produced') "
            "OR (status IN ('published', 'production') AND id % 2 = 0) "
            "OR (status = 'cancelled' AND (cancelled_from IN ('draft', 'produced') OR id % 2 = 0)) ORDER BY id")
        for number, lab_id, status in rows:
            cancel = {"method": "POST", "path": f"/api/v1/orders/{number}/actions/cancel",
                      "body": json.dumps({"reason": "benchmark"})}
            reopen = {"method": "POST", "path": f"/api/v1/orders/{number}/actions/reopen", "body": "{}"}
            first, then = (reopen, cancel) if status == "cancelled" else (cancel, reopen)
            out.append({"lab": lab_of[lab_id], **first, "alt": then})
    elif op == "task":
        rows = db.rows(
            "SELECT o.number, o.lab_id, t.id, t.done FROM workplan_task t JOIN orders_order o ON o.id = t.order_id "
            "WHERE o.status IN ('published', 'production') AND o.id % 2 = 1 ORDER BY t.id")
        for number, lab_id, task_id, done in rows:
            path = f"/api/v1/orders/{number}/tasks/{task_id}/done"
            mark, unmark = {"method": "POST", "path": path, "body": "{}"}, {"method": "DELETE", "path": path}
            first, then = (unmark, mark) if done else (mark, unmark)
            out.append({"lab": lab_of[lab_id], **first, "alt": then})
    elif op == "payment":
        body = json.dumps({"amount": "0.01", "method": "bank transfer"})
        for number, lab_id in db.rows("SELECT number, lab_id FROM orders_order WHERE status = 'delivered' "
                                      "AND total - amount_paid >= 10 ORDER BY id"):
            out.append({"lab": lab_of[lab_id], "method": "POST", "path": f"/api/v1/orders/{number}/payments",
                        "body": body})
    else:
        raise ValueError(op)
    rng.shuffle(out)
    return out


def settled_workload(db: Db, op: str, labs: dict[str, dict], rng: random.Random) -> list[dict]:
    """`workload` once the writes of the run before have all landed.

    wrk stops with requests in flight (and queued in the servers' backlogs); the servers still
    carry them out after wrk is gone, a loaded machine seconds later. Read the pool until it
    stays the same for SETTLE seconds (a request that lands later makes one toggle fail once:
    its next request is the other action, which is right again).
    """
    if op not in WRITES:
        time.sleep(1)  # the last requests of the run before are still being answered
        return workload(db, op, labs, rng)
    before, since = sorted(map(json.dumps, workload(db, op, labs, random.Random(0)))), time.monotonic()
    deadline = since + 120
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = sorted(map(json.dumps, workload(db, op, labs, random.Random(0))))
        if now != before:
            before, since = now, time.monotonic()
        elif time.monotonic() - since >= SETTLE:
            break
    items = [json.loads(x) for x in before]
    rng.shuffle(items)
    return items


# ---- wrk ------------------------------------------------------------------------------------

LUA = r"""
local items = %(items)s
local tokens = %(tokens)s
local nthreads = %(threads)d
local made = 0
local threads = {}

function setup(thread)
  thread:set("tid", made)
  table.insert(threads, thread)
  made = made + 1
end

local function fmt(lab, r)
  local headers = {["Authorization"] = "Bearer " .. tokens[lab], ["Accept"] = "application/json"}
  if r.body then headers["Content-Type"] = "application/json" end
  return wrk.format(r.method, r.path, headers, r.body)
end

function init(args)
  mine = {}
  for i, it in ipairs(items) do
    if (i - 1) %% nthreads == tid then
      local entry = {reqs = {fmt(it.lab, it)}, state = 1}
      if it.alt then entry.reqs[2] = fmt(it.lab, it.alt) end
      table.insert(mine, entry)
    end
  end
  pos = 0
  -- wrk calls request() of the first thread once before the run, to count the requests it
  -- returns (script_verify_request); that call must not advance a toggle.
  verifying = (tid == 0)
  bad = 0
  shown = 0
  samples = ""
end

-- A toggling entry comes round again only after #mine other requests; as long as that is more
-- than the connections of this thread, its previous request has been answered by then.
function request()
  if verifying then
    verifying = false
    return mine[1].reqs[mine[1].state]
  end
  pos = pos %% #mine + 1
  local e = mine[pos]
  local r = e.reqs[e.state]
  if #e.reqs == 2 then e.state = 3 - e.state end
  return r
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    bad = bad + 1
    if shown < 3 then
      shown = shown + 1
      samples = samples .. status .. " " .. string.sub(body or "", 1, 300):gsub("\n", " ") .. "\n"
    end
  end
end

function done(summary, latency, requests)
  local b, s = 0, ""
  for _, t in ipairs(threads) do
    b = b + t:get("bad")
    s = s .. t:get("samples")
  end
  local e = summary.errors
  io.write(string.format(
    'VERSUS {"requests":%%d,"duration_us":%%d,"non2xx":%%d,"connect":%%d,"read":%%d,"write":%%d,"timeout":%%d,' ..
    '"p50_us":%%d,"p90_us":%%d,"p99_us":%%d,"mean_us":%%.1f,"max_us":%%d}\n',
    summary.requests, summary.duration, b, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max))
  io.write("VERSUS_SAMPLES_BEGIN\n" .. s .. "VERSUS_SAMPLES_END\n")
end
"""


def lua_string(value: str) -> str:
    if not value.isascii() or any(ord(c) < 32 for c in value):
        raise ValueError(f"not a plain ASCII string: {value!r}")
    return json.dumps(value)  # plain ASCII: a JSON string is a Lua string


def lua_table(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{lua_string(k)}] = {lua_table(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "{" + ", ".join(lua_table(v) for v in value) + "}"
    if isinstance(value, str):
        return lua_string(value)
    raise TypeError(type(value))


def wrk(base: str, items: list[dict], tokens: dict[str, str], *, connections: int, threads: int, duration: int,
        tmp: Path) -> dict:
    script = tmp / "op.lua"
    script.write_text(LUA % {"items": lua_table(items), "tokens": lua_table(tokens), "threads": threads})
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s", "--timeout", "10s", "--latency",
           "-s", str(script), base]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 120, check=False)
    match = re.search(r"^VERSUS (\{.*\})$", done.stdout, re.M)
    if done.returncode != 0 or not match:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout[-2000:]} {done.stderr[-2000:]}")
    raw = json.loads(match.group(1))
    samples = done.stdout.split("VERSUS_SAMPLES_BEGIN\n", 1)[1].split("VERSUS_SAMPLES_END", 1)[0].strip()
    seconds = raw["duration_us"] / 1e6
    errors = raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    return {
        "requests": raw["requests"], "seconds": round(seconds, 2), "rps": round(raw["requests"] / seconds, 1),
        "p50": round(raw["p50_us"] / 1000, 1), "p90": round(raw["p90_us"] / 1000, 1),
        "p99": round(raw["p99_us"] / 1000, 1), "mean": round(raw["mean_us"] / 1000, 1),
        "max": round(raw["max_us"] / 1000, 1), "non2xx": raw["non2xx"], "socket_errors": errors,
        "failures": samples.splitlines() if samples else [], "pool": len(items),
    }


# ---- the two servers --------------------------------------------------------------------------


def crownline_env(base_env: dict[str, str], passthrough: list[str]) -> dict[str, str]:
    env = base_env | {
        "CROWNLINE_DEBUG": "0",
        "CROWNLINE_SECRET_KEY": "versus-" + os.urandom(24).hex(),
        "CROWNLINE_ALLOWED_HOSTS": "127.0.0.1",
        "CROWNLINE_SSL_REDIRECT": "0",
    }
    return env | dict(kv.split("=", 1) for kv in passthrough)


def bare_env(database_url: str, passthrough: list[str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CROWNLINE_", "DATABASE_URL"))}
    env |= {"BARE_DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "bare.settings"}
    return env | dict(kv.split("=", 1) for kv in passthrough)


def sign_in(base: str, login: str) -> str:
    """A Crownline token for the login, as bench/locustfile.py gets one."""
    body = json.dumps({"username": login, "password": seed.PASSWORD}).encode()
    request = urllib.request.Request(f"{base}/api/v1/auth/token", data=body,  # noqa: S310
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=60) as r:  # noqa: S310
        return json.loads(r.read())["token"]


def check_same_answer(bases: dict[str, str], tokens: dict[str, str], items: list[dict]) -> list[str]:
    """The two apps' answers to one detail request: the JSON keys must agree (values may be formatted
    differently, e.g. Decimal places)."""
    item = items[0]
    keys = {}
    for name, base in bases.items():
        req = urllib.request.Request(base + item["path"],  # noqa: S310
                                     headers={"Authorization": f"Bearer {tokens[item['lab']]}"})
        with urllib.request.urlopen(req, timeout=30) as r:  # noqa: S310
            keys[name] = sorted(json.loads(r.read()))
    values = list(keys.values())
    return [] if all(v == values[0] for v in values) else [f"different keys: {keys}"]


# ---- the run ----------------------------------------------------------------------------------


def prepare_sqlite(orders: int, data_dir: Path, *, reuse: bool) -> Path:
    path = data_dir / "crownline.sqlite3"
    if reuse and path.exists():
        with contextlib.closing(sqlite3.connect(path)) as conn:
            try:
                n = conn.execute("SELECT count(*) FROM orders_order").fetchone()[0]
            except sqlite3.Error:
                n = -1
        if n == orders:
            print(f"reusing {path}", flush=True)
            seed.migrate(seed.app_env(sqlite=path))
            return path
    print(f"seeding {orders:,} orders into {path} ...", flush=True)
    subprocess.run([sys.executable, str(BENCH / "seed.py"), "--orders", str(orders), "--sqlite", str(data_dir)],
                   check=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=2000, help="orders in the seed (default 2,000)")
    parser.add_argument("--db", help="PostgreSQL database (default crownline_bench_<orders>)")
    parser.add_argument("--reuse", action="store_true", help="reuse the seed if it holds that many orders")
    parser.add_argument("--sqlite", action="store_true", help="SQLite, one process per app (the embedded default)")
    parser.add_argument("--sqlite-dir", type=Path,
                        help="SQLite data directory (default $CROWNLINE_DATA_DIR or /tmp/crownline-bench-data, "
                        "then sqlite-<orders>)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of unmeasured load per op and app first")
    parser.add_argument("--connections", default="4,32", help="wrk connections, comma-separated (default 4,32)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--workers", type=int, help="gunicorn workers per app (default 4; --sqlite 1)")
    parser.add_argument("--ops", default=",".join(OPS), help=f"subset of {','.join(OPS)}")
    parser.add_argument("--crownline-only", action="store_true", help="do not start or measure the bare app")
    parser.add_argument("--crownline-gunicorn", default="", metavar="ARGS",
                        help="extra gunicorn arguments for Crownline, e.g. \"--worker-class gthread --threads 4\"")
    parser.add_argument("--bare-gunicorn", default="", metavar="ARGS", help="extra gunicorn arguments for the bare app")
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                        help="environment for Crownline, e.g. CROWNLINE_REDIS_URL=redis://127.0.0.1:6379/0")
    parser.add_argument("--bare-env", action="append", default=[], metavar="KEY=VALUE",
                        help="environment for the bare app, e.g. BARE_SCHEMA=pydantic")
    parser.add_argument("--bare-fast", action="store_true",
                        help="the bare app's answers through plain pydantic models and pydantic-core's JSON, as "
                        "Crownline's are (BARE_SCHEMA=pydantic BARE_RENDERER=pydantic); default: ninja's Schema and "
                        "JSON renderer, the idiom")
    parser.add_argument("--seed", type=int, default=1, help="shuffles the request pools")
    args = parser.parse_args()
    if args.bare_fast:
        args.bare_env += ["BARE_SCHEMA=pydantic", "BARE_RENDERER=pydantic"]
    ops = [o for o in args.ops.split(",") if o]
    if unknown := set(ops) - set(OPS):
        parser.error(f"unknown ops: {', '.join(sorted(unknown))}")
    connections = [int(c) for c in args.connections.split(",")]
    workers = args.workers or (1 if args.sqlite else 4)
    RESULTS.mkdir(exist_ok=True)
    rng = random.Random(args.seed)

    if args.sqlite:
        data_dir = args.sqlite_dir or Path(os.environ.get("CROWNLINE_DATA_DIR", "/tmp/crownline-bench-data")) / (
            f"sqlite-{args.orders}")
        path = prepare_sqlite(args.orders, data_dir, reuse=args.reuse)
        db, base_env, bare_url = Db(sqlite=path), seed.app_env(sqlite=path), f"sqlite:///{path}"
        where = {"engine": "sqlite", "path": str(path), "size_mb": round(path.stat().st_size / 2**20)}
    else:
        name = args.db or f"crownline_bench_{args.orders}"
        run.prepare(args.orders, name, reuse=args.reuse)
        url = seed.database_url(name)
        db, base_env, bare_url = Db(pg=url), seed.app_env(db=name), url
        where = {"engine": "postgresql", **run.database_facts(name)}

    labs = admins(db)
    result: dict = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "machine": run.machine(), "database": where,
        "settings": {"orders": args.orders, "duration": args.duration, "warmup": args.warmup,
                     "connections": connections, "threads": args.threads, "workers": workers,
                     "crownline_gunicorn": args.crownline_gunicorn, "bare_gunicorn": args.bare_gunicorn,
                     "env": args.env, "bare_env": args.bare_env, "ops": ops},
        "commit": subprocess.run(["git", "log", "-1", "--format=%h %s"], cwd=run.ROOT, capture_output=True,
                                 text=True, check=False).stdout.strip(),
        "dirty": bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=run.ROOT,
                                     capture_output=True, text=True, check=False).stdout.strip()),
        "load_before": run.load_average(), "runs": [],
    }
    apps = ["crownline"] if args.crownline_only else ["bare", "crownline"]
    with contextlib.ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        bases = {
            "crownline": stack.enter_context(run.gunicorn(
                "versus-crownline", "crownline.wsgi:application", crownline_env(base_env, args.env), cwd=run.ROOT,
                workers=workers, extra=shlex.split(args.crownline_gunicorn))),
        }
        if not args.crownline_only:
            bases["bare"] = stack.enter_context(run.gunicorn(
                "versus-bare", "bare.wsgi:application", bare_env(bare_url, args.bare_env), cwd=BENCH, workers=workers,
                extra=shlex.split(args.bare_gunicorn)))
        tokens = {slug: sign_in(bases["crownline"], lab["login"]) for slug, lab in labs.items()}
        if not args.crownline_only:
            result["shape_check"] = check_same_answer(bases, tokens, workload(db, "detail", labs, rng))
        step = 0
        for op in ops:
            for app in apps:  # warm-up: imports, connections, caches of every worker
                if args.warmup:
                    wrk(bases[app], settled_workload(db, op, labs, rng), tokens, connections=max(connections),
                        threads=args.threads, duration=args.warmup, tmp=Path(tmp))
            for c in connections:
                order = apps if step % 2 == 0 else apps[::-1]
                step += 1
                row: dict = {"op": op, "connections": c}
                for app in order:
                    items = settled_workload(db, op, labs, rng)
                    if op in ("transition", "task") and len(items) < 2 * c:
                        print(f"  warning: {op} has {len(items)} rows for {c} connections", flush=True)
                    row[app] = wrk(bases[app], items, tokens, connections=c, threads=args.threads,
                                   duration=args.duration, tmp=Path(tmp))
                    r = row[app]
                    print(f"  {op:10} c={c:<3} {app:9} {r['rps']:8.1f} req/s  p50 {r['p50']:6.1f}  "
                          f"p99 {r['p99']:6.1f} ms  non-2xx {r['non2xx']}  socket errors {r['socket_errors']}",
                          flush=True)
                    for failure in r["failures"]:
                        print(f"      {failure}", flush=True)
                if "bare" in row and row["bare"]["rps"]:
                    row["ratio"] = round(row["crownline"]["rps"] / row["bare"]["rps"], 3)
                result["runs"].append(row)
    result["load_after"] = run.load_average()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    name = f"versus-{stamp}-{'sqlite' if args.sqlite else 'pg'}"
    md = report(result)
    print("\n" + md)
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2, default=str))
    (RESULTS / f"{name}.md").write_text(md + "\n")
    print(f"\nwrote {RESULTS / name}.json and .md")


def bad(r: dict | None) -> str:
    return "-" if r is None else str(r["non2xx"] + r["socket_errors"])


def latency(r: dict | None) -> str:
    return "-" if r is None else f"{r['p50']} / {r['p99']}"


def report(result: dict) -> str:
    s, m, d = result["settings"], result["machine"], result["database"]
    extra = " ".join(filter(None, [s["crownline_gunicorn"], *s["env"]]))
    bare_extra = " ".join(filter(None, [s["bare_gunicorn"], *s["bare_env"]]))
    head = (f"{result['date']} · {d['engine']} · {s['orders']:,} orders · {m['cores']} cores ({m['cpu']}) · "
            f"gunicorn {s['workers']} worker(s) each{', Crownline: ' + extra if extra else ''}"
            f"{', bare: ' + bare_extra if bare_extra else ''}"
            f" · wrk {s['threads']} threads, {s['duration']} s per run · commit {result['commit']}"
            f"{' (+ uncommitted changes)' if result['dirty'] else ''} · load average before {result['load_before']}, "
            f"after {result['load_after']}")
    rows = [head, "",
            "| Operation | c | bare req/s | Crownline req/s | Crownline / bare | bare p50 / p99 ms | "
            "Crownline p50 / p99 ms | non-2xx bare / Crownline |",
            "|---|---:|---:|---:|---:|---:|---:|---:|"]
    failures = []
    for row in result["runs"]:
        b, c = row.get("bare"), row["crownline"]
        ratio = row.get("ratio")
        mark = "" if ratio is None else (" ✓" if ratio >= TARGET else " ✗")
        rows.append(
            f"| {TITLES[row['op']]} | {row['connections']} | {b['rps'] if b else '-'} | {c['rps']} | "
            f"{f'{ratio:.2f}' if ratio is not None else '-'}{mark} | "
            f"{latency(b)} | {latency(c)} | {bad(b)} / {bad(c)} |")
        for app in ("bare", "crownline"):
            for f in (row.get(app) or {}).get("failures", []):
                failures.append(f"- {row['op']} c={row['connections']} {app}: {f[:200]}")
    if result.get("shape_check"):
        rows += ["", "Answers differ: " + "; ".join(result["shape_check"])]
    rows += ["", f"✓ / ✗: Crownline serves at least {TARGET:.0%} of what the bare app serves (issue #18)."]
    if failures:
        rows += ["", "Failures (first few per run):", *failures]
    return "\n".join(rows)


if __name__ == "__main__":
    main()
