"""Who the caller is in each lab: staff through a membership, a customer through a customer
record. The one place that turns a user into lab roles; every door and every service above
this layer asks it.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import BigIntegerField, CharField, F, Value

from crownline.customers.models import Customer
from crownline.errors import Forbidden, NotFound
from crownline.roles import LabRole, Role
from crownline.tenancy.models import Lab, Membership


def lab_roles(user: AbstractBaseUser | AnonymousUser) -> dict[int, LabRole]:
    """Every lab the user may act in, with their role there (one query, cached per user object).

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


def lab_standing(user, slug: str) -> tuple[Lab, LabRole]:
    """The lab and the caller's role in it; 404 for a lab the caller has nothing to do with."""
    roles = lab_roles(user)
    lab = Lab.objects.filter(slug=slug, id__in=list(roles)).first()
    if lab is None:
        raise NotFound("No such lab.")
    return lab, roles[lab.id]


def admin_lab(user, slug: str) -> Lab:
    """The lab if the caller is its admin; a lab they cannot see is 404, one they only work in
    (or order from) is 403."""
    lab, standing = lab_standing(user, slug)
    if standing.role is not Role.ADMIN:
        raise Forbidden("Only the lab's admin may do this.")
    return lab
