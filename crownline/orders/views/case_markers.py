"""The markers on an order: on hold, sent for fitting: the order page's part (issue 13).

`urlpatterns` joins crownline/orders/urls.py; `page_context` adds to the order page's context.
"""

from __future__ import annotations

from typing import Any

from crownline.orders.models import Order
from crownline.roles import LabRole

urlpatterns: list = []


def page_context(order: Order, standing: LabRole) -> dict[str, Any]:
    return {}
