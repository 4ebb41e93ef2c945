"""Authorization matrix rows of the case's copies routes (issue 13; see tests/test_authorization_matrix.py).

Actors, in column order: lab A admin, lab A technician, dentist A1, dentist A2, lab B admin,
dentist B, anonymous. `values(cast, order)` returns the path values these rows use
(`order` is the row's order, or None for lab-level rows).

Copying and remaking are for whoever may create the customer's orders: the lab admin and the
order's dentist (a technician creates no orders: 403); a remake once the dentist received the
case. Changing the customer is the lab admin's. Nobody outside the order finds it (404).
"""

from __future__ import annotations

from typing import Any

from tests.matrix import LOGIN, OTHERS, PAGE_OTHERS, TODAY, VERSION, Row, order_row, page_row  # noqa: F401

REMAKE = {"reason": "fit", "payer": "customer"}

API: dict[str, Row] = {
    "POST /api/v1/orders/{number}/copy": order_row(
        "POST", "delivered", 201, 403, 201, body={"patient_name": "Ann Repeat"}
    ),
    "POST /api/v1/orders/{number}/remakes": order_row("POST", "delivered", 201, 403, 201, body=REMAKE),
    "GET /api/v1/orders/{number}/remakes": order_row("GET", "delivered", 200, 200, 200),
    "POST /api/v1/orders/{number}/change-customer": order_row(
        "POST", "published", 200, 403, 403, body={"customer": "{copies_customer}"}
    ),
}
PAGES: dict[str, Row] = {
    "POST orders/<str:number>/copy/": page_row("POST", "delivered", 302, 403, 302, form={"lines": "{copies_line}"}),
    "POST orders/<str:number>/remake/": page_row(
        "POST", "delivered", 302, 403, 302, form={"lines": "{copies_line}", **REMAKE}
    ),
    "POST orders/<str:number>/change-customer/": page_row(
        "POST", "published", 302, 403, 403, form={**VERSION, "customer": "{copies_customer}"}
    ),
}


def values(cast, order) -> dict[str, Any]:
    line = order.lines.order_by("position").first() if order is not None else None
    return {"copies_line": line.pk if line else 0, "copies_customer": cast.customer_a2.pk}
