"""The authorization matrix's row types and actors, shared by the matrix and the rows each
part of the money routes keeps beside its tests (tests/money/matrix_*.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ACTORS = ["admin_a", "tech_a", "dentist_a1", "dentist_a2", "admin_b", "dentist_b", "anon"]
LOGIN = "login"  # a page refusing an anonymous visitor sends them to the sign-in page
# Most order routes: the order's own lab and customer reach it, nobody else even sees it.
OTHERS = (404, 404, 404, 401)
PAGE_OTHERS = (404, 404, 404, LOGIN)


@dataclass(frozen=True)
class Row:
    method: str
    status: str | None  # the order's status for this route, or None for lab-level routes
    expected: tuple
    body: dict[str, Any] | None = None
    form: dict[str, str] = field(default_factory=dict)
    paid: bool = False
    # A multipart upload (API): field name -> (file name, bytes, content type); `body` then
    # holds the form's other fields.
    files: dict[str, tuple[str, bytes, str]] | None = None


def order_row(method, status, a, t, d1, body=None, paid=False) -> Row:
    return Row(method, status, (a, t, d1, *OTHERS), body=body, paid=paid)


def page_row(method, status, a, t, d1, form=None, paid=False) -> Row:
    return Row(method, status, (a, t, d1, *PAGE_OTHERS), form=form or {}, paid=paid)


TODAY = "{today}"
VERSION = {"version": "{version}"}
