"""The load a busy lab puts on Crownline, for locust (started by bench/run.py).

Every simulated person signs in once (POST /api/v1/auth/token) as the lab admin of one of
the two benchmark labs and then, with a short think time, does what a lab does all day:
looks at its work queues (order list filtered by status, first page and a deep page
reached with a keyset cursor), looks orders up by the number on the paper form, opens
them, moves them on in the life cycle, ticks tasks off and books payments.

run.py hands over the orders to act on in a JSON file (CROWNLINE_BENCH_POOLS): each
person gets a disjoint share, so every write is one the life cycle allows.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import time
from collections import deque
from pathlib import Path

import gevent
from gevent.event import Event
from locust import between, constant, events, task
from locust.contrib.fasthttp import FastHttpUser

POOLS = json.loads(Path(os.environ["CROWNLINE_BENCH_POOLS"]).read_text())
TOTAL_USERS = int(os.environ.get("CROWNLINE_BENCH_USERS", "1"))
WAIT = float(os.environ.get("CROWNLINE_BENCH_WAIT", "0"))
MODE = os.environ.get("CROWNLINE_BENCH_MODE", "mixed")  # "mixed" or "transitions"
DURATION = float(os.environ.get("CROWNLINE_BENCH_DURATION", "30"))
_slot = itertools.count()
# Nobody starts working before everyone has signed in (password hashing is deliberately
# slow); the statistics are reset at that moment and the run lasts DURATION from there.
_signed_in = itertools.count(1)
_everyone_in = Event()
_window: dict[str, float] = {}

NEXT_ACTION = {"published": "start-production", "produced": "ship", "shipped": "deliver"}


def share(items: list, k: int, n: int) -> list:
    return [list(x) if isinstance(x, list) else x for x in items[k % n :: n]]


class LabPerson(FastHttpUser):
    abstract = True
    wait_time = between(0, 2 * WAIT) if WAIT else constant(0)

    def on_start(self) -> None:
        k = next(_slot)
        self.lab = POOLS["labs"][k % len(POOLS["labs"])]
        pools = POOLS["by_lab"][self.lab]
        with self.client.post("/api/v1/auth/token", json={"username": pools["login"], "password": POOLS["password"]},
                              name="sign in", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"sign in: {r.status_code}")
                raise RuntimeError("cannot sign in")
            token = r.json()["token"]
        self.headers = {"Authorization": f"Bearer {token}"}
        if next(_signed_in) == TOTAL_USERS:
            self.environment.stats.reset_all()
            _window["start"] = time.time()
            gevent.spawn_later(DURATION, self._stop)
            _everyone_in.set()
        n_labs = len(POOLS["labs"])
        self.people_in_lab = len(range(k % n_labs, TOTAL_USERS, n_labs))
        k //= n_labs
        self.sample = pools["sample"]
        self.statuses = pools["list_statuses"]
        self.deep = pools["deep"]
        self.forward = deque(share(pools["forward"], k, self.people_in_lab))
        self.cycle = deque(share(pools["cycle"], k, self.people_in_lab))
        self.task_pool = deque(share(pools["tasks"], k, self.people_in_lab))
        self.payable = deque(share(pools["payable"], k, self.people_in_lab))
        self.today = dt.datetime.now(dt.UTC).date().isoformat()
        _everyone_in.wait(timeout=300)

    def _stop(self) -> None:
        _window["end"] = time.time()
        self.environment.runner.quit()

    def get(self, url: str, name: str) -> None:
        with self.client.get(url, headers=self.headers, name=name, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}: {r.text[:200]}")

    def post(self, url: str, name: str, body: dict | None = None, method: str = "POST") -> bool:
        with self.client.request(method, url, json=body or {}, headers=self.headers, name=name,
                                 catch_response=True) as r:
            if r.status_code not in (200, 201):
                r.failure(f"{r.status_code}: {r.text[:200]}")
                return False
            return True

    # ---- reads -----------------------------------------------------------------------

    def list_first_page(self) -> None:
        status = random.choice(self.statuses)
        self.get(f"/api/v1/orders?lab={self.lab}&status={status}&page_size=50", "list: status, page 1")

    def list_deep_page(self) -> None:
        deep = random.choice(self.deep)
        self.get(f"/api/v1/orders?lab={self.lab}&status={deep['status']}&page_size=50&cursor={deep['cursor']}",
                 "list: status, deep page (cursor)")

    def search(self) -> None:
        number = random.choice(self.sample)
        # From the paper form: the whole number, or its first six characters.
        q = number if random.random() < 0.5 else number[:6]
        self.get(f"/api/v1/orders?q={q}&page_size=50", "search by number")

    def detail(self) -> None:
        self.get(f"/api/v1/orders/{random.choice(self.sample)}", "order detail")

    # ---- writes ----------------------------------------------------------------------

    def transition(self) -> None:
        """The next life-cycle step of an order: forward while there are orders to move on,
        then cancel / reopen of orders in production (both are transitions, and repeatable)."""
        if self.forward:
            number, status = self.forward.popleft()
            action = NEXT_ACTION[status]
            body = {"published": {"production_date": self.today},
                    "produced": {"tracking_number": f"BENCH{random.getrandbits(40):010X}", "carrier": "DHL"},
                    "shipped": {}}[status]
            if self.post(f"/api/v1/orders/{number}/actions/{action}", "transition", body) and status == "produced":
                self.forward.append([number, "shipped"])
            return
        if not self.cycle:
            gevent.sleep(0.1)  # nothing left to move on: idle, rather than spin and starve the server
            return
        item = self.cycle.popleft()
        number, status = item
        if status == "production":
            ok = self.post(f"/api/v1/orders/{number}/actions/cancel", "transition", {"reason": "benchmark"})
            item[1] = "cancelled" if ok else status
        else:
            ok = self.post(f"/api/v1/orders/{number}/actions/reopen", "transition")
            item[1] = "production" if ok else status
        self.cycle.append(item)

    def mark_task(self) -> None:
        """Tick a task off; once all of this person's tasks are done, untick and tick again."""
        if not self.task_pool:
            gevent.sleep(0.1)
            return
        item = self.task_pool.popleft()
        number, task_id, done = item
        ok = self.post(f"/api/v1/orders/{number}/tasks/{task_id}/done", "mark task",
                       method="DELETE" if done else "POST")
        if ok:
            item[2] = not done
        self.task_pool.append(item)

    def payment(self) -> None:
        """A part payment of 5.00 on a delivered order; the last one completes the order."""
        while self.payable:
            item = self.payable[0]
            number, due_cents = item
            if due_cents <= 0:
                self.payable.popleft()
                continue
            amount = min(500, due_cents)
            if self.post(f"/api/v1/orders/{number}/payments", "record payment",
                         {"amount": f"{amount // 100}.{amount % 100:02d}", "method": "bank transfer"}):
                item[1] -= amount
            else:
                self.payable.popleft()
            return


class MixedLoad(LabPerson):
    """Reads dominate: a lab looks at an order many times for every change it makes."""

    @task(25)
    def t_list(self) -> None:
        self.list_first_page()

    @task(5)
    def t_deep(self) -> None:
        self.list_deep_page()

    @task(15)
    def t_search(self) -> None:
        self.search()

    @task(25)
    def t_detail(self) -> None:
        self.detail()

    @task(10)
    def t_transition(self) -> None:
        self.transition()

    @task(12)
    def t_task(self) -> None:
        self.mark_task()

    @task(5)
    def t_payment(self) -> None:
        self.payment()


class TransitionsOnly(LabPerson):
    """Every person only moves orders on: the throughput of the life cycle's write path."""

    @task
    def t_transition(self) -> None:
        self.transition()


if MODE == "transitions":
    del MixedLoad
else:
    del TransitionsOnly


@events.quitting.add_listener
def _(environment, **_kw) -> None:
    """Write per-operation numbers for run.py: requests/s over the measured window, percentiles, errors."""
    environment.process_exit_code = 0  # failures are reported, not turned into an exit code
    seconds = _window.get("end", time.time()) - _window.get("start", time.time())
    ops = {}
    for entry in sorted(environment.stats.entries.values(), key=lambda e: e.name):
        if entry.name == "sign in" or not entry.num_requests:
            continue
        ops[entry.name] = {
            "requests": entry.num_requests, "failures": entry.num_failures,
            "rps": round(entry.num_requests / seconds, 1) if seconds > 0 else None,
            "p50": entry.get_response_time_percentile(0.5), "p95": entry.get_response_time_percentile(0.95),
            "p99": entry.get_response_time_percentile(0.99), "avg": round(entry.avg_response_time, 1),
        }
    total = environment.stats.total
    errors = [{"name": e.name, "error": str(e.error), "occurrences": e.occurrences}
              for e in environment.stats.errors.values()]
    out = {"seconds": round(seconds, 1), "ops": ops, "errors": errors,
           "total": {"requests": total.num_requests, "failures": total.num_failures,
                     "rps": round(total.num_requests / seconds, 1) if seconds > 0 else None}}
    Path(os.environ["CROWNLINE_BENCH_OUT"]).write_text(json.dumps(out, indent=2))
