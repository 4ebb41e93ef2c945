"""The files pages (issue 13); `page_context` adds this app's part to the order page's context.

The pages themselves (upload, download, preview, delete) are in `views.pages`: the order page
imports this package for `page_context`, and the pages import the order page.
"""

from __future__ import annotations

from typing import Any

from crownline.files.access import visible_files
from crownline.files.forms import UploadForm
from crownline.files.services import CUSTOMER_DELETES_IN
from crownline.orders import lifecycle
from crownline.orders.lifecycle import Action, Status
from crownline.orders.models import Order
from crownline.roles import LabRole


def page_context(order: Order, standing: LabRole) -> dict[str, Any]:
    status = Status(order.status)
    return {
        "files": list(visible_files(order, standing)),
        "files_form": UploadForm(auto_id="upload-file-%s"),
        "can_attach_files": lifecycle.is_allowed(status, standing.role, Action.ATTACH_FILE),
        "can_delete_files": lifecycle.is_allowed(status, standing.role, Action.DELETE_FILE),
        # A customer deletes their own files until the lab works from them (the service's rule).
        "customer_deletes_files": status in CUSTOMER_DELETES_IN,
    }
