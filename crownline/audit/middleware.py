"""Writes an audit entry for every request the app refused on authorization or state grounds.

It sits in the middleware chain rather than in each view so that API endpoints and pages,
present and future, are covered alike; the refused request's own transaction has already
been rolled back, so the entry survives it. It names the caller crownline.auth.CallerMiddleware
resolved (placed before it), without looking a token up again.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from crownline.audit.models import AuditEntry
from crownline.auth import caller

# 401/403: authorization refused; 404 on an object route: "not yours" looks like "missing";
# 409/412: a transition or edit refused for the order's state or version.
AUDITED = frozenset({401, 403, 404, 409, 412})
SKIPPED_PREFIXES = ("/static/", "/favicon")


def _detail(response: HttpResponse) -> str:
    if response.get("Content-Type", "").startswith("application/json") and not response.streaming:
        try:
            body = json.loads(response.content)
        except ValueError:
            return ""
        if isinstance(body, dict):
            return str(body.get("detail", ""))[:500]
    return ""


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code in AUDITED and not request.path.startswith(SKIPPED_PREFIXES):
            user = caller(request)
            AuditEntry.objects.create(
                user=user,
                username=user.get_username() if user else "",
                method=request.method or "",
                path=request.path[:500],
                status_code=response.status_code,
                detail=_detail(response),
                remote_addr=request.META.get("REMOTE_ADDR") or None,
            )
        return response
