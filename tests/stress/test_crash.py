"""kill -9 the app's workers under load, restart, and find every order whole.

A transaction either happened completely (status, event, version, payment) or not at all:
PostgreSQL rolls back what a killed worker left open, and the invariants below hold.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
from django.db import connection

from crownline.orders.models import Order
from crownline.tenancy.models import ApiToken
from tests.factories import make_order
from tests.invariants import assert_order_whole

STATUSES = ["published", "production", "produced", "shipped", "delivered"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(port: int) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{db['NAME']}",
        "CROWNLINE_DEBUG": "0",
        "CROWNLINE_SECRET_KEY": "crash-test-" + "s" * 50,
        "CROWNLINE_ALLOWED_HOSTS": "127.0.0.1",
        "CROWNLINE_SSL_REDIRECT": "0",
    }
    server = subprocess.Popen(  # noqa: S603 - our own app under gunicorn
        [sys.executable, "-m", "gunicorn", "crownline.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--timeout", "30", "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    # Ready means a worker answers, not merely that the master listens: on a busy machine
    # booting Django in a worker takes seconds.
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/v1/openapi.json")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def _workers(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True, check=False)  # noqa: S603, S607
    return [int(pid) for pid in out.stdout.split()]


def _call(port: int, token: str, method: str, path: str, body: dict | None = None) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, "/api/v1" + path, json.dumps(body) if body is not None else None,
                     {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        return conn.getresponse().status
    finally:
        conn.close()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_killing_workers_mid_load_leaves_every_order_whole(cast):
    numbers = [make_order(cast.admin_a, cast.customer_a1, status=STATUSES[i % len(STATUSES)],
                          service=cast.service_a).number for i in range(10)]
    token = ApiToken.issue(cast.admin_a)
    today = cast.lab_a.local_date().isoformat()
    port = _free_port()
    server = _start_server(port)
    statuses: list[int] = []
    after_restart: list[int] = []
    phase = {"restarted": False}
    errors: list[str] = []
    stop = threading.Event()

    def load(seed: int) -> None:
        rng = random.Random(seed)
        while not stop.is_set():
            n = rng.choice(numbers)
            path, body = rng.choice([
                (f"/orders/{n}/actions/start-production", {"production_date": today}),
                (f"/orders/{n}/actions/ship", {"tracking_number": f"T{rng.randrange(10**6)}"}),
                (f"/orders/{n}/actions/deliver", {}),
                (f"/orders/{n}/actions/update-tracking", {"tracking_number": f"U{rng.randrange(10**6)}"}),
                (f"/orders/{n}/payments", {"amount": "5.00"}),
                (f"/orders/{n}/work-plan/auto", None),
                (f"/orders/{n}/tasks", {"name": "Extra"}),
            ])
            try:
                status = _call(port, token, "POST", path, body)
                (after_restart if phase["restarted"] else statuses).append(status)
            except OSError as exc:  # a request cut off by kill -9: expected, counted
                errors.append(type(exc).__name__)

    threads = [threading.Thread(target=load, args=(i,)) for i in range(6)]
    try:
        for t in threads:
            t.start()
        time.sleep(2)
        for pid in _workers(server.pid):
            os.kill(pid, signal.SIGKILL)
        time.sleep(2)
        os.kill(server.pid, signal.SIGKILL)  # the whole server dies too ...
        for pid in _workers(server.pid):
            os.kill(pid, signal.SIGKILL)
        server.wait(timeout=10)
        time.sleep(0.5)
        server = _start_server(port)  # ... and comes back
        phase["restarted"] = True
        time.sleep(2)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    assert 500 not in statuses + after_restart
    ok = {200, 201}
    assert sum(s in ok for s in statuses) > 5, f"the load must have acted before the crash: {statuses} {errors}"
    assert sum(s in ok for s in after_restart) > 5, "and after the restart"
    connection.close()
    for order in Order.objects.filter(number__in=numbers):
        assert_order_whole(order)
