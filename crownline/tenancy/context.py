"""Which lab a page works in: the one chosen with the lab switcher, kept in the session.

A user in one lab never sees the switcher; a user in several labs picks one, and every
page (order list, new order, my tasks) is scoped to it. The choice is a convenience,
not a permission: each query still goes through the access helpers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from crownline.tenancy.access import LabRole, lab_roles
from crownline.tenancy.models import Lab

SESSION_KEY = "crownline_lab_id"


@dataclass(frozen=True)
class LabContext:
    lab: Lab
    standing: LabRole
    labs: list[Lab]

    @property
    def role(self) -> str:
        return self.standing.role.value

    @property
    def is_staff(self) -> bool:
        return self.standing.is_staff

    @property
    def is_admin(self) -> bool:
        return self.standing.role.value == "lab_admin"


def lab_context(request: HttpRequest) -> LabContext | None:
    """The lab the user works in now (the session's choice if still valid, else their first)."""
    cached = getattr(request, "_crownline_lab_context", False)
    if cached is not False:
        return cached
    context = None
    roles = lab_roles(request.user) if request.user.is_authenticated else {}
    if roles:
        labs = list(Lab.objects.filter(id__in=list(roles)).order_by("name", "id"))
        chosen = next((lab for lab in labs if lab.id == request.session.get(SESSION_KEY)), labs[0])
        context = LabContext(chosen, roles[chosen.id], labs)
    request._crownline_lab_context = context  # type: ignore[attr-defined]
    return context


def choose_lab(request: HttpRequest, lab_id: int) -> bool:
    """Remember the lab for this session; False when the user has nothing to do with it."""
    if lab_id not in lab_roles(request.user):
        return False
    request.session[SESSION_KEY] = lab_id
    if hasattr(request, "_crownline_lab_context"):
        del request._crownline_lab_context
    return True


def current_lab(request: HttpRequest) -> dict:
    """Template context processor: `here` is the LabContext (or None when signed out)."""
    return {"here": lab_context(request)}
