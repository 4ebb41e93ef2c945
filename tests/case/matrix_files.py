"""Authorization matrix rows of the case's files routes (issue 13; see tests/test_authorization_matrix.py).

Actors, in column order: lab A admin, lab A technician, dentist A1, dentist A2, lab B admin,
dentist B, anonymous. `values(cast, order)` returns the path values these rows use
(`order` is the row's order, or None for lab-level rows).

The order's lab and its customer read, download and upload; anyone else does not see the
order (404). {file_id} is a shared file dentist A1 uploaded (so all three may delete it; who
may delete what beyond that: tests/files/test_delete_and_copy.py). The page's upload row
carries no file (the matrix posts plain forms): the form is refused (422) to those who see it.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from crownline.files import previews, services
from crownline.files.models import OrderFile
from tests.matrix import LOGIN, OTHERS, PAGE_OTHERS, TODAY, VERSION, Row, order_row, page_row  # noqa: F401


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(out, format="PNG")
    return out.getvalue()


PNG = _png()

API: dict[str, Row] = {
    "GET /api/v1/orders/{number}/files": order_row("GET", "published", 200, 200, 200),
    "POST /api/v1/orders/{number}/files": Row(
        "POST", "published", (201, 201, 201, *OTHERS), files={"file": ("shade.png", PNG, "image/png")}
    ),
    "GET /api/v1/orders/{number}/files/{file_id}": order_row("GET", "published", 200, 200, 200),
    "DELETE /api/v1/orders/{number}/files/{file_id}": order_row("DELETE", "published", 204, 204, 204),
    "GET /api/v1/orders/{number}/files/{file_id}/content": order_row("GET", "production", 200, 200, 200),
    "GET /api/v1/orders/{number}/files/{file_id}/preview.png": order_row("GET", "production", 200, 200, 200),
}

PAGES: dict[str, Row] = {
    "POST orders/<str:number>/files/": page_row("POST", "published", 422, 422, 422),
    "GET orders/<str:number>/files/<int:file_id>/": page_row("GET", "production", 200, 200, 200),
    "GET orders/<str:number>/files/<int:file_id>/preview.png": page_row("GET", "production", 200, 200, 200),
    "POST orders/<str:number>/files/<int:file_id>/delete/": page_row("POST", "published", 302, 302, 302),
}


def values(cast, order) -> dict[str, Any]:
    if order is None:
        return {}
    # One file per order, reused by every call on it: refusals change nothing, and each success
    # gets an order of its own.
    file = OrderFile.objects.filter(order=order).first()
    if file is None:
        uploader = cast.admin_a if order.status == "cancelled" else cast.dentist_a1
        file = services.upload_file(uploader, order.number, SimpleUploadedFile("shade.png", PNG), shared=True)
        previews.make_preview(file.pk)
    return {"file_id": file.pk}
