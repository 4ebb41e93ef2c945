"""Authorization matrix rows of the money routes: invoices (see tests/test_authorization_matrix.py).

Actors, in column order: lab A admin, lab A technician, dentist A1, dentist A2, lab B admin,
dentist B, anonymous. `values(cast, order)` returns the path values these rows use
(`order` is the row's order, or None for lab-level rows).

The invoice rows name `{number}`: an invoice of dentist A1 in lab A, issued the first time a
path asks for it (so the matrix's other routes pay nothing for it). A technician is refused the
money (403); dentist A1 reads their own invoice; everyone else finds nothing (404).
"""

from __future__ import annotations

from typing import Any

from crownline.billing import invoices
from tests.factories import make_order
from tests.matrix import LOGIN, OTHERS, PAGE_OTHERS, TODAY, VERSION, Row, order_row, page_row  # noqa: F401

CREDIT = {"reason": "remake", "amount": "1.00"}

API: dict[str, Row] = {
    # Dentists list their own invoices; a technician sees no money.
    "GET /api/v1/labs/{slug}/invoices": Row("GET", None, (200, 403, 200, 200, 404, 404, 401)),
    # The row's order: delivered, of dentist A1, not yet invoiced.
    "POST /api/v1/labs/{slug}/invoices": Row(
        "POST", "delivered", (201, 403, 403, 403, 404, 404, 401), body={"orders": ["{number}"]}
    ),
    "GET /api/v1/invoices/{number}": Row("GET", None, (200, 403, 200, 404, 404, 404, 401)),
    "GET /api/v1/invoices/{number}/invoice.pdf": Row("GET", None, (200, 403, 200, 404, 404, 404, 401)),
    "POST /api/v1/invoices/{number}/credit-notes": Row("POST", None, (201, 403, 403, 404, 404, 404, 401), body=CREDIT),
}
PAGES: dict[str, Row] = {
    # Lab B's admin works in lab B: its invoice pages are theirs.
    "GET billing/invoices/": Row("GET", None, (200, 403, 403, 403, 200, 403, LOGIN)),
    "GET billing/invoices/new/": Row("GET", None, (200, 403, 403, 403, 200, 403, LOGIN)),
    # Lab B's admin names lab A's order in lab B, where it does not exist (422, nothing issued).
    "POST billing/invoices/new/": Row(
        "POST", "delivered", (302, 403, 403, 403, 422, 403, LOGIN), form={"orders": "{number}"}
    ),
    "GET billing/invoices/<str:number>/": Row("GET", None, (200, 403, 200, 404, 404, 404, LOGIN)),
    "POST billing/invoices/<str:number>/credit-notes/": Row(
        "POST", None, (302, 403, 403, 404, 404, 404, LOGIN), form={"how": "amount", **CREDIT}
    ),
    "GET billing/invoices/<str:number>/invoice.pdf": Row("GET", None, (200, 403, 200, 404, 404, 404, LOGIN)),
}


class _Invoice:
    """Dentist A1's invoice, issued when a path is first formatted with it."""

    def __init__(self, cast) -> None:
        self.cast = cast

    def number(self) -> str:
        made = getattr(self.cast, "_matrix_invoice", None)
        if made is None:
            order = make_order(
                self.cast.admin_a, self.cast.customer_a1, status="delivered", service=self.cast.service_a
            )
            made = invoices.create_invoice(self.cast.admin_a, "lab-a", [order.number]).number
            self.cast._matrix_invoice = made
        return made

    def __format__(self, spec: str) -> str:
        return format(self.number(), spec)

    def __str__(self) -> str:
        return self.number()


def values(cast, order) -> dict[str, Any]:
    # The row's order, when it has one, takes `number` back (the matrix sets it after this).
    return {"number": _Invoice(cast)}
