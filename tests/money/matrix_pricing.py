"""Authorization matrix rows of the money routes: pricing (see tests/test_authorization_matrix.py).

Actors, in column order: lab A admin, lab A technician, dentist A1, dentist A2, lab B admin,
dentist B, anonymous. `values(cast, order)` returns the path values these rows use
(`order` is the row's order, or None for lab-level rows).

Pricebooks, exchange rates and customers' billing are the lab admin's: the lab's technicians
and dentists are refused (403), other labs' people do not see lab A (404). On pages, lab B's
admin works in lab B, where lab A's pricebook or customer does not exist (404).
"""

from __future__ import annotations

import uuid
from typing import Any

from crownline.pricing.models import Pricebook
from tests.matrix import LOGIN, OTHERS, PAGE_OTHERS, TODAY, VERSION, Row, order_row, page_row  # noqa: F401

ADMIN_ONLY = (403, 403, 403, 404, 404, 401)
ADMIN_PAGE = (403, 403, 403, 200, 403, LOGIN)  # lab B's admin sees lab B's page
ADMIN_OBJECT_PAGE = (403, 403, 403, 404, 403, LOGIN)

API: dict[str, Row] = {
    "GET /api/v1/labs/{slug}/pricebooks": Row("GET", None, (200, *ADMIN_ONLY)),
    "POST /api/v1/labs/{slug}/pricebooks": Row(
        "POST",
        None,
        (201, *ADMIN_ONLY),
        body={
            "name": "Gold",
            "prices": [{"service": "{service_id}", "rule": "percent_off", "value": "10"}],
            "customers": ["{customer_a2}"],
        },
    ),
    "GET /api/v1/labs/{slug}/pricebooks/{pricebook_id}": Row("GET", None, (200, *ADMIN_ONLY)),
    "PATCH /api/v1/labs/{slug}/pricebooks/{pricebook_id}": Row(
        "PATCH", None, (200, *ADMIN_ONLY), body={"notes": "From January"}
    ),
    "DELETE /api/v1/labs/{slug}/pricebooks/{pricebook_id}": Row("DELETE", None, (204, *ADMIN_ONLY)),
    "GET /api/v1/labs/{slug}/exchange-rates": Row("GET", None, (200, *ADMIN_ONLY)),
    "POST /api/v1/labs/{slug}/exchange-rates": Row(
        "POST", None, (201, *ADMIN_ONLY), body={"currency": "CHF", "rate": "0.9318", "valid_on": TODAY}
    ),
    "PATCH /api/v1/labs/{slug}/customers/{customer_id}": Row(
        "PATCH", None, (200, *ADMIN_ONLY), body={"payment_terms_days": 14, "invoice_details": "Dr. A2, Main St 1"}
    ),
}

PAGES: dict[str, Row] = {
    "GET lab/pricebooks/": Row("GET", None, (200, *ADMIN_PAGE)),
    "GET lab/pricebooks/new/": Row("GET", None, (200, *ADMIN_PAGE)),
    "GET lab/pricebooks/<int:pricebook_id>/": Row("GET", None, (200, *ADMIN_OBJECT_PAGE)),
    "POST lab/pricebooks/<int:pricebook_id>/delete/": Row("POST", None, (302, *ADMIN_OBJECT_PAGE)),
    "GET lab/rates/": Row("GET", None, (200, *ADMIN_PAGE)),
    "GET lab/customers/<int:customer_id>/": Row("GET", None, (200, *ADMIN_OBJECT_PAGE)),
}


def values(cast, order) -> dict[str, Any]:
    # Lab A bills in CHF too, so a CHF rate may be recorded; a fresh pricebook per call (the
    # DELETE rows delete it), priced for nobody.
    if cast.lab_a.payment_currencies != "CHF":
        cast.lab_a.payment_currencies = "CHF"
        cast.lab_a.save(update_fields=["payment_currencies"])
    book = Pricebook.objects.create(lab=cast.lab_a, name=f"Matrix {uuid.uuid4().hex[:12]}")
    return {"pricebook_id": book.pk, "customer_id": cast.customer_a2.pk, "customer_a2": cast.customer_a2.pk}
