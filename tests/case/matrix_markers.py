"""Authorization matrix rows of the case's markers routes (issue 13; see tests/test_authorization_matrix.py).

Actors, in column order: lab A admin, lab A technician, dentist A1, dentist A2, lab B admin,
dentist B, anonymous. `values(cast, order)` returns the path values these rows use
(`order` is the row's order, or None for lab-level rows).

Markers are the lab's staff's: the order's dentist sees the order and is refused (403). The
rows that release a hold or record a case back use a shipped order, which `values` holds and
sends for fitting first (a shipped order cannot be held or sent any more, so no other row
of the matrix reads one in that state as unusual).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from crownline.orders.lifecycle import Status
from crownline.orders.models import Order
from tests.matrix import LOGIN, OTHERS, PAGE_OTHERS, TODAY, VERSION, Row, order_row, page_row  # noqa: F401

API: dict[str, Row] = {
    "POST /api/v1/orders/{number}/hold": order_row("POST", "production", 200, 200, 403, body={"reason": "Waiting"}),
    "DELETE /api/v1/orders/{number}/hold": order_row("DELETE", "shipped", 200, 200, 403),
    "POST /api/v1/orders/{number}/fitting": order_row("POST", "production", 200, 200, 403, body={"note": "Try-in"}),
    "POST /api/v1/orders/{number}/fitting/return": order_row("POST", "shipped", 200, 200, 403, body={}),
}
PAGES: dict[str, Row] = {
    "POST orders/<str:number>/hold/": page_row("POST", "production", 302, 302, 403, form={**VERSION, "reason": "x"}),
    "POST orders/<str:number>/release/": page_row("POST", "shipped", 302, 302, 403, form=VERSION),
    "POST orders/<str:number>/fitting/": page_row("POST", "production", 302, 302, 403, form=VERSION),
    "POST orders/<str:number>/fitting/return/": page_row("POST", "shipped", 302, 302, 403, form=VERSION),
}


def values(cast, order) -> dict[str, Any]:
    if order is not None and order.status == Status.SHIPPED and not order.on_hold:
        # Straight to the row: the matrix tests who may release and record, not the way there.
        sent = order.lab.local_date() - dt.timedelta(days=1)
        Order.objects.filter(pk=order.pk).update(on_hold=True, hold_reason="Matrix", fitting_sent_on=sent)
        order.refresh_from_db()
    return {}
