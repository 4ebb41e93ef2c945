"""The Orders page: tabs per status, search, filters, ordering and pages.

It asks `orders.lists`, as the API does, so both doors list and count alike.

Views are thin: they load through the access helpers, call the same service functions
as the API, and show a DomainError's message instead of acting. Nothing here decides
what is allowed; the buttons come from `lifecycle.allowed_actions` for the caller's role.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from crownline.customers.models import Customer
from crownline.orders import lists
from crownline.orders.lifecycle import Status
from crownline.pages import lab_context, lab_page
from crownline.tenancy.models import Membership

PAGE_SIZE = 25
ORDERING_LABELS = {"-created": "Newest first", "created": "Oldest first", "due_date": "Due date, soonest first",
                   "-due_date": "Due date, latest first"}


def _date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _id(raw: str) -> int | None:
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 19 else None


def _flag(raw: str) -> bool | None:
    return {"1": True, "true": True, "0": False, "false": False}.get(raw.lower())


# The markers' filters (issue 13), as the API names them, with their labels on the page.
MARKER_FILTERS = {"on_hold": "On hold", "at_fitting": "At fitting", "remake": "Remakes", "late": "Late or at risk"}


def _list_query(request: HttpRequest, lab_id: int, is_staff: bool, today: dt.date) -> lists.OrderQuery:
    """The list's parameters, as the API names them; a value that does not parse is ignored."""
    get = request.GET
    ordering = get.get("ordering", "")
    return lists.OrderQuery(
        lab_id=lab_id,
        status=Status._value2member_map_.get(get.get("status", "")),  # type: ignore[arg-type]
        customer=_id(get.get("customer", "")) if is_staff else None,
        assignee=_id(get.get("assignee", "")) if is_staff else None,
        due_from=_date(get.get("due_from", "")),
        due_to=_date(get.get("due_to", "")),
        q=get.get("q", "").strip()[:100],
        ordering=ordering if ordering in lists.ORDERINGS else lists.DEFAULT_ORDERING,
        **{name: _flag(get.get(name, "")) for name in MARKER_FILTERS},  # type: ignore[arg-type]
        today=today,
    )


def _query(request: HttpRequest, *drop: str) -> str:
    """The current query string without some keys, for links that change only those."""
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    return params.urlencode()


@lab_page
def order_list(request: HttpRequest) -> HttpResponse:
    here = lab_context(request)
    today = here.lab.local_date()
    query = _list_query(request, here.lab.id, here.is_staff, today)
    matching = lists.matching(request.user, query)
    # The tabs' counts; at a million orders they are remembered (crownline.orders.listing).
    counts = lists.tab_counts(matching)
    count = counts.get(query.status, 0) if query.status else sum(counts.values())
    page_number = _id(request.GET.get("page", "")) or 1
    page_number = min(page_number, max(1, -(-count // PAGE_SIZE)))
    page = lists.page_of(
        lists.with_status(matching, query.status), ordering=query.ordering, page=page_number, page_size=PAGE_SIZE,
        count=count, shape=lambda qs: qs.select_related("customer", "patient"),
    )
    rows = [(o, lists.badges_of(o, today)) for o in page.items]
    tabs = [("", "All", sum(counts.values()))] + [(s.value, s.name.title(), counts.get(s.value, 0)) for s in Status]
    filters = {"due_from": query.due_from, "due_to": query.due_to, "customer": query.customer,
               "assignee": query.assignee,
               "markers": [(name, label, getattr(query, name)) for name, label in MARKER_FILTERS.items()],
               "any_marker": any(getattr(query, name) is not None for name in MARKER_FILTERS)}
    if here.is_staff:
        filters["customers"] = Customer.objects.filter(lab=here.lab).order_by("name")
        filters["members"] = Membership.objects.filter(lab=here.lab, is_active=True).select_related("user")
    return render(request, "orders/list.html", {
        "nav": "orders", "rows": rows, "page": page, "tabs": tabs, "status": query.status or "", "q": query.q,
        "ordering": query.ordering, "orderings": ORDERING_LABELS, "filters": filters,
        "query": _query(request, "status", "page"), "page_query": _query(request, "page"),
        "show_money": here.role.sees_money,
    })
