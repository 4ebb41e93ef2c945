"""What the order lists (API and pages) share: searching, and counting without the reader waiting.

Counting is the one part of a list whose cost grows with the lab's history: a lab with a
million orders has half a million Completed ones, and counting them takes longer than
everything else the list does. Every count therefore first counts at most `BIG_COUNT` rows
(a few milliseconds however many match): below that, the count is exact and nothing else
is asked, the cache included (with the database cache a cache read is a query). A list a
process has once found big skips that step from then on (`_known_big`, a per-process hint,
never a count). Counts of
`BIG_COUNT` or more are remembered in Django's cache (`settings.CACHES`: a table of the
database or Redis, shared by every worker and app server) and served from there; once a
remembered count is older than `FRESH_SECONDS`, the next request still answers with it and
counts again *after* its response has gone out (Django's `request_finished` signal), so no
reader waits for a recount. The first time, PostgreSQL's planner estimate stands in until
that recount.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.signals import request_finished
from django.db import DatabaseError, connection
from django.db.models import Count, Q, QuerySet, Value

from crownline.customers.models import Customer, Patient
from crownline.orders.lifecycle import Status
from crownline.orders.models import Order

log = logging.getLogger(__name__)

BIG_COUNT = 10_000
FRESH_SECONDS = 60
# A remembered count nobody asked for in this long is dropped; the next reader counts.
KEEP_SECONDS = 3600

T = TypeVar("T")

_later = threading.local()


def _key(kind: str, qs: QuerySet) -> str | None:
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:  # a caller with no labs: `.none()` has no SQL at all
        return None
    return f"orders-{kind}:" + hashlib.sha256(f"{sql}|{params}".encode()).hexdigest()


def _count_later(key: str, compute: Callable[[], object]) -> None:
    if not hasattr(_later, "jobs"):
        _later.jobs = []
    _later.jobs.append((key, compute))


def _remembered(key: str, compute: Callable[[], T], first: Callable[[], tuple[T, bool]]) -> T:
    """For a list already found big: the remembered value, recounted after the response once
    stale. When nothing is remembered, `first()` answers (value, whether it is an estimate)
    and its value is remembered; an estimate is counted exactly after the response."""
    entry = cache.get(key)
    if entry is None:
        value, estimated = first()
        cache.set(key, (value, time.time()), KEEP_SECONDS)
        if estimated:
            _count_later(key, compute)
        return value
    value, counted_at = entry
    if time.time() - counted_at > FRESH_SECONDS:
        # Mark it fresh now so that the next requests do not queue the same recount.
        cache.set(key, (value, time.time()), KEEP_SECONDS)
        _count_later(key, compute)
    return value


def _recount_after_response(**_: object) -> None:
    jobs, _later.jobs = getattr(_later, "jobs", []), []
    for key, compute in jobs:
        try:
            cache.set(key, (compute(), time.time()), KEEP_SECONDS)
        except DatabaseError:  # the answer has gone out; the old count stays until the next try
            log.exception("recounting orders failed")


request_finished.connect(_recount_after_response, dispatch_uid="crownline-orders-recount")


def _is_big(qs: QuerySet[Order]) -> tuple[int, bool]:
    """(exact count, False) when under BIG_COUNT, else (BIG_COUNT, True): counts at most
    BIG_COUNT rows, a few milliseconds however many orders match."""
    capped = qs.order_by()[:BIG_COUNT].count()
    return capped, capped >= BIG_COUNT


def _estimate(qs: QuerySet[Order]) -> int | None:
    """PostgreSQL's planner estimate of how many rows `qs` returns (from the table's
    statistics, without reading them); None on SQLite, which has no such estimate."""
    if connection.vendor != "postgresql":
        return None
    return int(json.loads(qs.order_by().explain(format="json"))[0]["Plan"]["Plan Rows"])


# The keys this process has found big: a hint, never a count. Their lists skip the capped
# count and read the shared cache straight away. A list that was big stays big for a long
# while; should one shrink, its recount (a minute later at most) is exact anyway.
_known_big: set[str] = set()
_KNOWN_BIG_MAX = 10_000


def _big_key(kind: str, qs: QuerySet[Order], keyed: QuerySet) -> tuple[str | None, int]:
    """(the cache key, 0) when the list `qs` is big, else (None, its exact count)."""
    key = _key(kind, keyed)
    if key is None:
        return None, 0
    if key in _known_big:
        return key, 0
    capped, big = _is_big(qs)
    if not big:
        return None, capped
    if len(_known_big) >= _KNOWN_BIG_MAX:
        _known_big.clear()
    _known_big.add(key)
    return key, 0


def count_orders(qs: QuerySet[Order]) -> int:
    """`qs.count()`, remembered when it is big (see the module's docstring).

    The first big count of a query (nothing remembered yet) is the planner's estimate (PostgreSQL),
    corrected by an exact count right after that response, so that no reader waits for
    half a million rows to be counted, not even the first. A small list never reads the cache."""
    key, exact = _big_key("count", qs, qs)
    if key is None:
        return exact

    def first() -> tuple[int, bool]:
        estimate = _estimate(qs)
        return (max(estimate, BIG_COUNT), True) if estimate is not None else (qs.count(), False)

    return _remembered(key, qs.count, first)


def status_counts(qs: QuerySet[Order]) -> dict[str, int]:
    """How many of the orders are in each status (statuses without orders are left out);
    remembered when there are `BIG_COUNT` or more in all, and estimated at first, like `count_orders`."""
    grouped = qs.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
    key, _ = _big_key("status-counts", qs, grouped)
    if key is None:
        return dict(grouped)

    def first() -> tuple[dict[str, int], bool]:
        if connection.vendor != "postgresql":
            return dict(grouped), False
        estimates = {status.value: _estimate(qs.filter(status=status.value)) or 0 for status in Status}
        return {status: n for status, n in estimates.items() if n}, True

    return _remembered(key, lambda: dict(grouped), first)


# More patients (or customers) than this matching a search term: the term is too broad
# for a list of ids, and the order query joins instead.
SEARCH_IDS_MAX = 500


def search(term: str, lab_ids: list[int]) -> Q:
    """Orders whose number starts with the term or whose patient's or customer's name contains it.

    The matching patients and customers of the caller's labs are looked up first, in one
    query (a trigram index on PostgreSQL), so the order query is index lookups OR-ed together
    instead of a join that scans every order of the lab. A term too broad for a list of ids
    (more than SEARCH_IDS_MAX of a kind) becomes a subquery instead."""
    term = term.strip().lstrip("#")
    matches = {
        "patient": Patient.objects.filter(lab_id__in=lab_ids, name__icontains=term),
        "customer": Customer.objects.filter(lab_id__in=lab_ids, name__icontains=term),
    }
    limit = 2 * (SEARCH_IDS_MAX + 1)
    rows = list(
        matches["patient"].annotate(kind=Value("patient")).values_list("kind", "id")
        .union(matches["customer"].annotate(kind=Value("customer")).values_list("kind", "id"), all=True)[:limit]
    )
    # Cut off at the limit, a kind's count is not known: both become subqueries.
    cut = len(rows) == limit
    found = Q(number__startswith=term.upper())
    for field, qs in matches.items():
        ids = [pk for kind, pk in rows if kind == field]
        found |= Q(**{f"{field}__in": qs.values("id")}) if cut or len(ids) > SEARCH_IDS_MAX else Q(
            **{f"{field}_id__in": ids}
        )
    return found
