"""The one place that decides which orders a caller may see, and as whom.

Every read of an order goes through `visible_orders` or `get_order_for`: the tenant and
role filter is part of the query, and "missing" and "not yours" raise the same 404.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.db.models import Q, QuerySet

from crownline.errors import NotFound
from crownline.orders.models import Order
from crownline.tenancy.access import LabRole, lab_roles

_NUMBER = re.compile(r"^#?([0-9A-Fa-f]{10})$")


def visible_orders(user, *, lab_id: int | None = None) -> QuerySet[Order]:
    """Orders the user may see: all of their labs' orders as staff, their own as a customer."""
    roles = lab_roles(user)
    if lab_id is not None:
        roles = {k: v for k, v in roles.items() if k == lab_id}
    staff_labs = [r.lab_id for r in roles.values() if r.is_staff]
    customer_ids = [cid for r in roles.values() if not r.is_staff for cid in r.customer_ids]
    if not staff_labs and not customer_ids:
        return Order.objects.none()
    return Order.objects.filter(Q(lab_id__in=staff_labs) | Q(customer_id__in=customer_ids))


def normalise_number(number: str) -> str:
    match = _NUMBER.match(number.strip())
    if not match:
        raise NotFound("No such order.")
    return match.group(1).upper()


def get_order_for(
    user, number: str, *, for_update: bool = False, shape: Callable[[QuerySet[Order]], QuerySet[Order]] | None = None
) -> tuple[Order, LabRole]:
    """The order with this number as the user may see it, and the user's role in its lab.

    `shape` adds what the caller will read (related rows, annotations) to the same query,
    so rendering an order costs no second lookup.

    With `for_update`, the order row is locked until the surrounding transaction ends
    (PostgreSQL; SQLite serialises writers with IMMEDIATE transactions instead), so
    every change to one order happens one after the other.
    """
    qs = visible_orders(user).filter(number=normalise_number(number)).select_related("lab")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    if shape is not None:
        qs = shape(qs)
    order = qs.first()
    if order is None:
        raise NotFound("No such order.")
    return order, lab_roles(user)[order.lab_id]
