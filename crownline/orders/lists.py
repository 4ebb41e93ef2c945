"""The order list, one query for both doors: filters, search, ordering, counts and paging.

`GET /api/v1/orders` and the Orders page build an `OrderQuery` from their parameters and
call the same functions, so a reader sees the same orders, in the same order, with the
same totals through either door. Counting and searching live in `listing`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import Q, QuerySet

from crownline.customers.access import lab_roles
from crownline.errors import InvalidInput, NotFound
from crownline.orders.access import visible_orders
from crownline.orders.lifecycle import Status
from crownline.orders.listing import count_orders, search, status_counts
from crownline.orders.models import Order, OrderQuerySet
from crownline.orders.pagination import CURSOR_ORDERINGS, BadCursor, decode_cursor, encode_cursor
from crownline.tenancy.models import Lab

# Each ordering ends on the id, so equal dates keep one stable order (and cursors work).
ORDERINGS: dict[str, tuple[str, str]] = {
    "-created": ("-created_at", "-id"),
    "created": ("created_at", "id"),
    "due_date": ("due_date", "id"),
    "-due_date": ("-due_date", "-id"),
}
DEFAULT_ORDERING = "-created"
# Statuses in which a passed due date means the lab is late.
LATE_STATUSES = frozenset({Status.DRAFT, Status.PUBLISHED, Status.PRODUCTION, Status.PRODUCED})


@dataclass(frozen=True)
class OrderQuery:
    """What a reader asks the list for; every field is optional."""

    lab_id: int | None = None
    status: Status | None = None
    customer: int | None = None
    assignee: int | None = None
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    q: str = ""
    ordering: str = DEFAULT_ORDERING
    # The case's markers (issue 13): True keeps only such orders, False leaves them out.
    on_hold: bool | None = None
    at_fitting: bool | None = None
    remake: bool | None = None
    late: bool | None = None
    # The day "late" is judged on (the lab's today; the server's when the list spans labs).
    today: dt.date | None = None


@dataclass(frozen=True)
class OrderPage:
    items: list[Order]
    count: int
    page: int
    page_size: int
    next_cursor: str | None

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages


def lab_id_named(user, slug: str) -> int:
    """The id of a lab the caller works with, by its slug (404 for any other)."""
    lab_id = Lab.objects.filter(slug=slug, id__in=list(lab_roles(user))).values_list("id", flat=True).first()
    if lab_id is None:
        raise NotFound(f"You do not work with a lab called {slug!r}.")
    return lab_id


def matching(user, query: OrderQuery) -> QuerySet[Order]:
    """The caller's orders that match every filter but the status (the tabs count over these)."""
    qs = visible_orders(user, lab_id=query.lab_id)
    roles = lab_roles(user)
    if query.customer:
        qs = qs.filter(customer_id=query.customer)
    if query.assignee:
        # Only where the caller sees who works on what: a customer learns nothing by filtering.
        staff_labs = [lab_id for lab_id, standing in roles.items() if standing.role.sees_internal]
        assigned = Order.objects.filter(tasks__assignee_id=query.assignee).values("pk")
        qs = qs.filter(lab_id__in=staff_labs, pk__in=assigned)
    if query.due_from:
        qs = qs.filter(due_date__gte=query.due_from)
    if query.due_to:
        qs = qs.filter(due_date__lte=query.due_to)
    if query.q.strip():
        lab_ids = [query.lab_id] if query.lab_id else list(roles)
        qs = qs.filter(search(query.q, lab_ids))
    return _with_markers(qs, query, [query.lab_id] if query.lab_id else list(roles))


AT_FITTING = Q(fitting_sent_on__isnull=False, fitting_back_on__isnull=True)


def late_condition(today: dt.date) -> Q:
    """Not shipped yet and either past its due date, or at risk for the patient's appointment:
    due on or after it (the parcel needs shipping days), or the appointment is today or past.
    A draft with an appointment and no due date yet is not flagged: the order form warns it."""
    at_risk = Q(appointment_date__isnull=False) & (
        Q(due_date__gte=models.F("appointment_date")) | Q(appointment_date__lte=today)
    )
    return Q(status__in=[s.value for s in LATE_STATUSES]) & (Q(due_date__lt=today) | at_risk)


def _with_markers(qs: QuerySet[Order], query: OrderQuery, lab_ids: list[int]) -> QuerySet[Order]:
    # Each is a plain column test on the order row: the (lab, created) indexes still serve the
    # page, and a held-orders list is the small partial index `order_lab_on_hold`.
    if query.on_hold is not None:
        qs = qs.filter(on_hold=query.on_hold)
    if query.at_fitting is not None:
        qs = qs.filter(AT_FITTING) if query.at_fitting else qs.exclude(AT_FITTING)
    if query.remake is not None:
        qs = qs.filter(remake_of__isnull=not query.remake)
    if query.late is not None:
        late = late_condition(query.today) if query.today else _late_in_each_lab(lab_ids)
        qs = qs.filter(late) if query.late else qs.exclude(late)
    return qs


def _late_in_each_lab(lab_ids: list[int]) -> Q:
    """Late as each lab judges it, on its own today (a list may span labs in several time
    zones; at a day's edge their todays differ). One query for the labs' time zones."""
    by_day: dict[dt.date, list[int]] = {}
    for lab in Lab.objects.filter(pk__in=lab_ids).only("id", "time_zone"):
        by_day.setdefault(lab.local_date(), []).append(lab.pk)
    late = Q(pk__in=[])
    for today, ids in by_day.items():
        late |= Q(lab_id__in=ids) & late_condition(today)
    return late


def with_status(qs: QuerySet[Order], status: Status | None) -> QuerySet[Order]:
    return qs.filter(status=status.value) if status else qs


def tab_counts(qs: QuerySet[Order]) -> dict[str, int]:
    """How many of the matching orders are in each status (see `listing.status_counts`)."""
    return status_counts(qs)


def _after_cursor(qs: QuerySet[Order], cursor: str, ordering: str) -> QuerySet[Order]:
    """The orders after the cursor's row: `created_at <= x AND NOT (created_at = x AND id >= y)`
    (mirrored for ascending), which the (lab, status, created_at) index serves as a range."""
    if ordering not in CURSOR_ORDERINGS:
        raise InvalidInput("cursor", f"cursor paging works with ordering {' or '.join(sorted(CURSOR_ORDERINGS))}")
    try:
        value, last_id = decode_cursor(cursor, ordering)
        at = dt.datetime.fromisoformat(value)
    except (BadCursor, ValueError) as exc:
        raise InvalidInput("cursor", str(exc)) from exc
    if ordering.startswith("-"):
        return qs.filter(created_at__lte=at).exclude(created_at=at, id__gte=last_id)
    return qs.filter(created_at__gte=at).exclude(created_at=at, id__lte=last_id)


def page_of(
    qs: QuerySet[Order], *, ordering: str, page: int = 1, page_size: int, cursor: str | None = None,
    count: int | None = None, shape: Callable[[QuerySet[Order]], QuerySet[Order]] = OrderQuerySet.detailed,
) -> OrderPage:
    """One page of `qs` (already filtered, status included) with everything a row shows.

    `count` when the caller knows it already (the page's tab counts); else a page that is
    not full counts itself, and only a full page asks `count_orders`. `shape` loads what
    the rows show (by default everything the API's answer reads).
    """
    ordered = shape(qs.order_by(*ORDERINGS[ordering]))
    if cursor:
        items = list(_after_cursor(ordered, cursor, ordering)[:page_size])
    else:
        start = (page - 1) * page_size
        items = list(ordered[start : start + page_size])
    if count is None:
        if not cursor and len(items) < page_size and (items or page == 1):
            # The last page, reached by its number: the count is known without a query (most
            # searches and short queues end on their first page).
            count = start + len(items)
        else:
            count = count_orders(qs)
    next_cursor = None
    if len(items) == page_size and ordering in CURSOR_ORDERINGS:
        next_cursor = encode_cursor(ordering, items[-1].created_at.isoformat(), items[-1].id)
    return OrderPage(items, count, page, page_size, next_cursor)


def is_overdue(order: Order, today: dt.date) -> bool:
    return bool(order.due_date and order.due_date < today and order.status in LATE_STATUSES)


def is_at_risk(order: Order, today: dt.date) -> bool:
    """At risk for the patient's appointment (see `late_condition`), not merely overdue."""
    if not order.appointment_date or order.status not in LATE_STATUSES:
        return False
    return bool(order.due_date and order.due_date >= order.appointment_date) or order.appointment_date <= today


@dataclass(frozen=True)
class Badges:
    """What a list row flags beside the status: all read from the order row, no query."""

    overdue: bool
    at_risk: bool
    on_hold: bool
    at_fitting: bool
    remake: bool


def badges_of(order: Order, today: dt.date) -> Badges:
    return Badges(
        overdue=is_overdue(order, today), at_risk=is_at_risk(order, today), on_hold=order.on_hold,
        at_fitting=order.fitting_sent_on is not None and order.fitting_back_on is None,
        remake=order.remake_of_id is not None,
    )
