"""Authorization matrix rows of the case's files routes (issue 13; see tests/test_authorization_matrix.py).

Actors, in column order: lab A admin, lab A technician, dentist A1, dentist A2, lab B admin,
dentist B, anonymous. `values(cast, order)` returns the path values these rows use
(`order` is the row's order, or None for lab-level rows).
"""

from __future__ import annotations

from typing import Any

from tests.matrix import LOGIN, OTHERS, PAGE_OTHERS, TODAY, VERSION, Row, order_row, page_row  # noqa: F401

API: dict[str, Row] = {}
PAGES: dict[str, Row] = {}


def values(cast, order) -> dict[str, Any]:
    return {}
