"""The files pages (issue 13); `page_context` adds this app's part to the order page's context."""

from __future__ import annotations

from typing import Any

from crownline.orders.models import Order
from crownline.roles import LabRole


def page_context(order: Order, standing: LabRole) -> dict[str, Any]:
    return {}
