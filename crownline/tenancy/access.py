"""Who holds a staff membership in which lab: the ground floor of every permission.

A customer reaches a lab through a customer record, which this layer does not know; the
full standing of a caller (staff or customer) is `crownline.customers.access.lab_roles`.
The lab's own writes (settings, team, catalogue) need a staff membership, which is all
this module answers.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from crownline.errors import Forbidden, NotFound
from crownline.roles import LabRole, Role
from crownline.tenancy.models import Lab, Membership


def staff_roles(user: AbstractBaseUser | AnonymousUser) -> dict[int, LabRole]:
    """The labs where the user holds an active membership, with the role (cached per user object)."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_crownline_staff_roles", None)
    every = getattr(user, "_crownline_lab_roles", None)
    if cached is None and every is not None:
        # The caller's full standing is known already (customers.access.lab_roles, perhaps from
        # the shared cache): a staff membership wins there, so its staff entries are these.
        cached = {lab_id: role for lab_id, role in every.items() if role.is_staff}
        user._crownline_staff_roles = cached  # type: ignore[union-attr]
    if cached is None:
        rows = Membership.objects.filter(user=user, is_active=True).values_list("lab_id", "role")
        cached = {lab_id: LabRole(lab_id, Role(role)) for lab_id, role in rows}
        user._crownline_staff_roles = cached  # type: ignore[union-attr]
    return cached


def staff_lab_for(user, lab: Lab | str, *, admin_only: bool = False) -> Lab | None:
    """The lab (by object or slug) if the user is staff there (optionally: its admin), else None."""
    roles = staff_roles(user)
    if isinstance(lab, str):
        lab = Lab.objects.filter(slug=lab, id__in=list(roles)).first()
        if lab is None:
            return None
    standing = roles.get(lab.id)
    if standing is None or (admin_only and standing.role is not Role.ADMIN):
        return None
    return lab


def lab_as_admin(user, slug: str) -> Lab:
    """The lab if the user is its admin: 403 for its technicians, 404 for anyone else.

    The doors first ask `customers.access.admin_lab`, which also answers 403 to the lab's
    customers (they see the lab); this check is the service's own, on every write.
    """
    lab = staff_lab_for(user, slug)
    if lab is None:
        raise NotFound("No such lab.")
    if staff_lab_for(user, lab, admin_only=True) is None:
        raise Forbidden("Only the lab's admin may do this.")
    return lab
