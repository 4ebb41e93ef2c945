"""Running one call in a forked child process, with a time limit: how a PDF render is bounded.

WeasyPrint cannot be interrupted inside a thread. A child forked from the worker starts with
everything the worker has loaded (libraries, fonts, the document itself: nothing is imported
or pickled on the way in), sends its result back through a pipe, and is killed when it runs
past the limit, so the worker answers and is free again. The child touches no database
connection and ends with os._exit (multiprocessing does), so the worker's connections and
files stay the worker's.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from multiprocessing.connection import Connection
from typing import Any

from crownline.errors import Unavailable


class TookTooLong(Exception):
    """The child ran past the limit and was killed."""


class ChildDied(Exception):
    """The child ended without an answer (killed from outside, e.g. out of memory)."""


def call(fn: Callable[..., Any], *args: Any, timeout: float,
         start_lock: AbstractContextManager[Any] | None = None) -> Any:
    """`fn(*args)` in a forked child: its result, or its `Unavailable` raised again here.

    `start_lock` is held while forking: a fork copies only the calling thread, so a C library
    lock another thread holds at that moment would stay held forever in the child."""
    # 'fork', not 'spawn': the child must start with the worker's loaded libraries and
    # arguments in memory, not import Django and WeasyPrint again (seconds).
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_run, args=(fn, args, sender), daemon=True)
    with start_lock or nullcontext():
        child.start()
    sender.close()  # the child holds the only writing end: its death reads as end-of-file here
    try:
        if not receiver.poll(timeout):
            raise TookTooLong
        outcome, payload = receiver.recv()
    except EOFError as exc:
        raise ChildDied from exc
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if outcome == "ok":
        return payload
    if outcome == "unavailable":
        raise Unavailable(payload)
    raise RuntimeError(f"the child process failed: {payload}")


def _run(fn: Callable[..., Any], args: tuple, sender: Connection) -> None:
    # The child shares the worker's memory until it writes to it; a garbage collection would
    # touch every inherited object and so copy the whole heap. Frozen, they are left alone.
    gc.freeze()
    try:
        sender.send(("ok", fn(*args)))
    except Unavailable as exc:  # sent as its text: an exception does not always survive pickling
        sender.send(("unavailable", exc.detail))
    except Exception as exc:  # raised again in the worker, where the request is
        sender.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        sender.close()
