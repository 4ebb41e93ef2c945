"""The signed-in person's API tokens: what each is called, when it was last used, when it ends."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from crownline.errors import NotFound
from crownline.tenancy import tokens

SHOWN = 100


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    mine = list(tokens.tokens_of(request.user)[:SHOWN])
    return render(request, "accounts/tokens.html", {
        "nav": "account", "live": [t for t in mine if t.is_live], "ended": [t for t in mine if not t.is_live],
    })


@login_required
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = tokens.revoke(request.user, token_id)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    messages.success(request, f"The token “{token.name}” no longer works.")
    return redirect("account:tokens")
