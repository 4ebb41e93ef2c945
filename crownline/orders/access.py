"""The one place that decides which orders a caller may see, as whom, and what they may do.

Every read of an order goes through `visible_orders` or `get_order_for`: the tenant and
role filter is part of the query, and "missing" and "not yours" raise the same 404.
`authorize` then asks the life cycle whether the caller's role may take an action now.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.db.models import Q, QuerySet

from crownline.customers.access import lab_roles
from crownline.errors import Conflict, Forbidden, NotFound
from crownline.orders import lifecycle
from crownline.orders.lifecycle import Action, Status
from crownline.orders.models import Order
from crownline.roles import LabRole

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


def authorize(order: Order, standing: LabRole, action: Action) -> None:
    """403 when the role may never take the action; 409 when the status does not allow it now."""
    if not lifecycle.may_ever(standing.role, action):
        raise Forbidden(f"A {standing.role.label} may not {action.value.replace('-', ' ')}.")
    status = Status(order.status)
    if not lifecycle.is_allowed(status, standing.role, action):
        allowed = [a.value for a in lifecycle.allowed_actions(status, standing.role)]
        raise Conflict(
            f"Cannot {action.value.replace('-', ' ')}: the order is {status.value}. "
            f"Allowed now: {', '.join(allowed) or 'nothing'}.",
            status=status.value,
            allowed_actions=allowed,
        )
