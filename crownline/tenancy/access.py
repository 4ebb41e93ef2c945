"""Who the caller is in each lab: the one place that turns a user into lab roles."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import BigIntegerField, CharField, F, Value

from crownline.customers.models import Customer
from crownline.orders.lifecycle import Role
from crownline.tenancy.models import Lab, Membership


@dataclass(frozen=True)
class LabRole:
    """The caller's standing in one lab. A customer also carries their customer record ids."""

    lab_id: int
    role: Role
    customer_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_staff(self) -> bool:
        return self.role is not Role.CUSTOMER


def lab_roles(user: AbstractBaseUser | AnonymousUser) -> dict[int, LabRole]:
    """Every lab the user may act in, with their role there (one query, cached per request object).

    A staff membership wins over a customer record in the same lab: the lab's own people
    act as the lab.
    """
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_crownline_lab_roles", None)
    if cached is not None:
        return cached
    # One query for both kinds of standing: the customer records (role NULL) and the
    # active memberships (customer NULL), as a UNION of two index lookups.
    rows = (
        Customer.objects.filter(user=user)
        .annotate(customer=F("id"), standing=Value(None, output_field=CharField()))
        .values_list("lab_id", "customer", "standing")
        .union(
            Membership.objects.filter(user=user, is_active=True)
            .annotate(customer=Value(None, output_field=BigIntegerField()), standing=F("role"))
            .values_list("lab_id", "customer", "standing"),
            all=True,
        )
    )
    customers: dict[int, set[int]] = {}
    staff: dict[int, str] = {}
    for lab_id, customer_id, role in rows:
        if role is None:
            customers.setdefault(lab_id, set()).add(customer_id)
        else:
            staff[lab_id] = role
    roles = {lab_id: LabRole(lab_id, Role.CUSTOMER, frozenset(ids)) for lab_id, ids in customers.items()}
    roles |= {lab_id: LabRole(lab_id, Role(role)) for lab_id, role in staff.items()}
    user._crownline_lab_roles = roles  # type: ignore[union-attr]
    return roles


def forget_lab_roles(user: AbstractBaseUser) -> None:
    """Drop the cached roles after the user's memberships changed within this request."""
    if hasattr(user, "_crownline_lab_roles"):
        del user._crownline_lab_roles


def staff_lab_for(user, lab: Lab | str, *, admin_only: bool = False) -> Lab | None:
    """The lab (by object or slug) if the user is staff there (optionally: its admin), else None."""
    roles = lab_roles(user)
    if isinstance(lab, str):
        lab = Lab.objects.filter(slug=lab, id__in=list(roles)).first()
        if lab is None:
            return None
    standing = roles.get(lab.id)
    if standing is None or not standing.is_staff:
        return None
    if admin_only and standing.role is not Role.ADMIN:
        return None
    return lab
