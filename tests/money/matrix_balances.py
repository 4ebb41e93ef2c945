"""Authorization matrix rows of the money routes: balances (see tests/test_authorization_matrix.py).

Actors, in column order: lab A admin, lab A technician, dentist A1, dentist A2, lab B admin,
dentist B, anonymous. `values(cast, order)` returns the path values these rows use
(`order` is the row's order, or None for lab-level rows).

The customer rows name dentist A2's customer record (`customer_id`, the same value the pricing
rows use): A2 reads their own balance and statements, A1 does not find them. Pages work in the
lab the user works in: lab B's admin and dentist look for lab A's customer in lab B (404).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from crownline.billing import balances
from tests.matrix import LOGIN, OTHERS, PAGE_OTHERS, TODAY, VERSION, Row, order_row, page_row  # noqa: F401

# Lab-level money routes of the lab admin.
ADMIN_ONLY = (403, 403, 403, 404, 404, 401)
# A customer's money: the admin, and the customer themself (dentist A2).
CUSTOMER_A2 = (200, 403, 404, 200, 404, 404, 401)
CUSTOMER = "/api/v1/labs/{slug}/customers/{customer_id}"

API: dict[str, Row] = {
    f"GET {CUSTOMER}/balance": Row("GET", None, CUSTOMER_A2),
    f"POST {CUSTOMER}/balance/advances": Row("POST", None, (201, *ADMIN_ONLY), body={"amount": "25.00"}),
    f"POST {CUSTOMER}/balance/advances/{{advance_id}}/cancel": Row(
        "POST", None, (200, *ADMIN_ONLY), body={"reason": "typo"}
    ),
    "GET /api/v1/labs/{slug}/pending": Row("GET", None, (200, *ADMIN_ONLY)),
    # The row's order is a delivered order of dentist A1: paying it completes it.
    "POST /api/v1/labs/{slug}/pending/mark-paid": Row(
        "POST", "delivered", (201, *ADMIN_ONLY), body={"orders": ["{number}"], "method": "bank transfer"}
    ),
    f"GET {CUSTOMER}/statements/{{month}}": Row("GET", None, CUSTOMER_A2),
    f"GET {CUSTOMER}/statements/{{month}}.pdf": Row("GET", None, CUSTOMER_A2),
    f"GET {CUSTOMER}/statements/{{month}}.csv": Row("GET", None, CUSTOMER_A2),
}

# The lab's admin pages: lab B's admin has them for lab B (200 on lists, 404 for lab A's rows).
ADMIN_PAGE = (403, 403, 403, 404, 403, LOGIN)
PAGES: dict[str, Row] = {
    "GET billing/pending/": Row("GET", None, (200, 403, 403, 403, 200, 403, LOGIN)),
    # Dentist A2 has nothing pending: the confirmation sends the admin back to the list.
    "GET billing/pending/<int:customer_id>/mark-paid/": Row("GET", None, (302, *ADMIN_PAGE)),
    # Lab B's admin names an order that is not in lab B: refused (422), nothing paid.
    "POST billing/pending/mark-paid/": Row(
        "POST", "delivered", (302, 403, 403, 403, 422, 403, LOGIN), form={"orders": "{number}", "method": "cash"}
    ),
    "GET billing/balances/": Row("GET", None, (200, 403, 403, 403, 200, 403, LOGIN)),
    "GET billing/balances/<int:customer_id>/": Row("GET", None, (200, *ADMIN_PAGE)),
    "POST billing/balances/<int:customer_id>/advances/": Row("POST", None, (302, *ADMIN_PAGE), form={"amount": "25"}),
    "POST billing/balances/<int:customer_id>/advances/<int:advance_id>/cancel/": Row(
        "POST", None, (302, *ADMIN_PAGE), form={"reason": "typo"}
    ),
    "POST billing/pay-from-balance/<str:number>/": Row("POST", "delivered", (302, *ADMIN_PAGE)),
    "GET billing/statements/<int:customer_id>/<str:month>.pdf": Row("GET", None, (*CUSTOMER_A2[:6], LOGIN)),
    "GET billing/statements/<int:customer_id>/<str:month>.csv": Row("GET", None, (*CUSTOMER_A2[:6], LOGIN)),
    # The dentist's own page: staff are sent nowhere (403), every dentist sees their own bills.
    "GET billing/bills/": Row("GET", None, (403, 403, 200, 200, 403, 200, LOGIN)),
}


def values(cast, order) -> dict[str, Any]:
    # A fresh advance of dentist A2 per call (the cancel rows cancel it); the row's order's
    # customer gets the funds to pay it, so paying from the balance succeeds for the admin.
    advance = balances.add_advance(cast.admin_a, "lab-a", cast.customer_a2.pk, amount=Decimal("40.00"))
    if order is not None and order.amount_due > 0:
        balances.add_advance(cast.admin_a, "lab-a", order.customer_id, amount=order.amount_due)
    return {
        "customer_id": cast.customer_a2.pk,
        "advance_id": advance.pk,
        "month": f"{cast.lab_a.local_date():%Y-%m}",
    }
