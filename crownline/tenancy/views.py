"""The lab switcher."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from crownline.tenancy.context import choose_lab


@login_required
@require_POST
def switch_lab(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("lab", "")
    if not raw.isdigit() or not choose_lab(request, int(raw)):
        messages.error(request, "You do not work with that lab.")
    # Every page but the list belongs to one lab: after switching, start from the list.
    return redirect("orders:list")
