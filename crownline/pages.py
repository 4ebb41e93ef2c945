"""What every page of the web door shares: the lab a page works in, the page decorators,
the version form and how a refusal reads.

Which lab a page works in is the one chosen with the lab switcher, kept in the session. A
user in one lab never sees the switcher; a user in several labs picks one, and every page
(order list, new order, my tasks) is scoped to it. The choice is a convenience, not a
permission: each query still goes through the access helpers, and every write through a
service that checks the role again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from crownline.customers.access import lab_roles
from crownline.errors import DomainError, InvalidInput, NotFound
from crownline.roles import LabRole, Role
from crownline.tenancy.models import Lab

SESSION_KEY = "crownline_lab_id"


@dataclass(frozen=True)
class LabContext:
    lab: Lab
    standing: LabRole
    labs: list[Lab]

    @property
    def role(self) -> Role:
        return self.standing.role

    @property
    def is_staff(self) -> bool:
        return self.standing.is_staff

    @property
    def is_admin(self) -> bool:
        return self.standing.role is Role.ADMIN


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


def lab_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in and working in at least one lab (else a page that says so); a NotFound from
    the access helpers is the 404 page."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if lab_context(request) is None:
            return render(request, "no_lab.html", status=403)
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.detail) from exc

    return wrapper


def admin_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page of the current lab's admin. The services check the role again on every write."""

    @lab_page
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not lab_context(request).is_admin:
            return render(request, "tenancy/not_admin.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


class VersionForm(forms.Form):
    """Each write form carries the order version it was rendered for: a stale or repeated
    submission is refused by the service's version check instead of acting twice."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def refusal_text(exc: DomainError) -> str:
    """A service's refusal as a person reads it (an input problem without its field prefix)."""
    return exc.message if isinstance(exc, InvalidInput) else exc.detail


def show_error(request: HttpRequest, exc: DomainError, form: forms.Form) -> None:
    """A service's refusal next to its field when the form has it, else as a page message."""
    if isinstance(exc, InvalidInput) and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        messages.error(request, refusal_text(exc))
