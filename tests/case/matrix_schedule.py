"""Authorization matrix rows of the case's schedule routes (issue 13; see tests/test_authorization_matrix.py).

Actors, in column order: lab A admin, lab A technician, dentist A1, dentist A2, lab B admin,
dentist B, anonymous. `values(cast, order)` returns the path values these rows use
(`order` is the row's order, or None for lab-level rows).

Everyone of lab A reads the week, the exceptions and the due-date computation (dentists plan
appointments around the lab's holidays); only its admin writes (403 for the others of lab A).
On pages, lab B's admin works in lab B and sees lab B's schedule.
"""

from __future__ import annotations

import itertools
from typing import Any

from crownline.schedule.models import ScheduleException
from tests.matrix import LOGIN, OTHERS, PAGE_OTHERS, TODAY, VERSION, Row, order_row, page_row  # noqa: F401

READ = (200, 200, 200, 200, 404, 404, 401)
WRITE_OK = (403, 403, 403, 404, 404, 401)
ADMIN_PAGE = (403, 403, 403, 200, 403, LOGIN)
ADMIN_OBJECT_PAGE = (403, 403, 403, 404, 403, LOGIN)
WEEK = [{"working": i < 5, "opens": "08:00", "closes": "17:00"} for i in range(7)]
_DAYS = itertools.count(1)

API: dict[str, Row] = {
    "GET /api/v1/labs/{slug}/schedule": Row("GET", None, READ),
    "PUT /api/v1/labs/{slug}/schedule": Row("PUT", None, (200, *WRITE_OK), body={"week": WEEK}),
    "GET /api/v1/labs/{slug}/schedule/exceptions": Row("GET", None, READ),
    "POST /api/v1/labs/{slug}/schedule/exceptions": Row(
        "POST", None, (201, *WRITE_OK), body={"date": "{exception_date}", "reason": "Lab outing"}
    ),
    "DELETE /api/v1/labs/{slug}/schedule/exceptions/{exception_id}": Row("DELETE", None, (204, *WRITE_OK)),
    "GET /api/v1/labs/{slug}/due-date": Row("GET", None, READ),
}
PAGES: dict[str, Row] = {
    "GET lab/schedule/": Row("GET", None, (200, *ADMIN_PAGE)),
    "POST lab/schedule/exceptions/": Row(
        "POST",
        None,
        (302, *ADMIN_PAGE[:3], 302, *ADMIN_PAGE[4:]),
        form={"date": "{exception_date}", "reason": "Lab outing"},
    ),
    "POST lab/schedule/exceptions/<int:exception_id>/delete/": Row("POST", None, (302, *ADMIN_OBJECT_PAGE)),
}


def values(cast, order) -> dict[str, Any]:
    # A fresh exception per call (the DELETE rows delete it) and a free date for the POST rows.
    day = next(_DAYS)
    exception = ScheduleException.objects.create(
        lab=cast.lab_a, date=f"2027-01-{1 + day % 28:02d}", reason="Matrix", yearly=bool(day % 2)
    )
    free = f"2028-{1 + day // 28 % 12:02d}-{1 + day % 28:02d}"
    ScheduleException.objects.filter(date=free).delete()
    return {"exception_id": exception.pk, "exception_date": free}
