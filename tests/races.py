"""Threads released together behind a barrier: the race of the concurrency tests, in the test
process (tests/orders/test_concurrency.py) and in a subprocess on a database given by URL
(tests/sqlite_url_race.py)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection

from crownline.errors import DomainError


def race(work: Callable[[int], Any], threads: int, *, timeout: float = 60) -> tuple[list[tuple[str, Any]], int]:
    """Run `work(i)` in `threads` threads released together. Returns each thread's outcome,
    ("ok", result), ("refused", the DomainError) or ("crashed", the error), and how many
    threads were still running after `timeout` seconds."""
    barrier = threading.Barrier(threads)
    results: list[tuple[str, Any]] = [("not run", None)] * threads

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = ("ok", work(i))
        except DomainError as error:
            results[i] = ("refused", error)
        except BaseException as error:  # reported to the caller, with the thread's error
            results[i] = ("crashed", error)
        finally:
            connection.close()

    running = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join(timeout=timeout)
    return results, sum(thread.is_alive() for thread in running)
