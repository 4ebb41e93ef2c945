"""Writes an audit entry for every request the app refused on authorization or state grounds.

It sits in the middleware chain rather than in each view so that API endpoints and pages,
present and future, are covered alike; the refused request's own transaction has already
been rolled back, so the entry survives it. It names the caller crownline.auth.CallerMiddleware
resolved (placed before it), without looking a token up again, and the address
crownline.netaddr finds through the trusted proxies. Anonymous refusals are folded per address
and minute (crownline/audit/recording.py), so a flood cannot fill the log.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from crownline.audit.recording import record_anonymous, record_signed_in
from crownline.auth import caller
from crownline.netaddr import client_address

# 401/403: authorization refused; 404 on an object route: "not yours" looks like "missing";
# 409/412: a transition or edit refused for the order's state or version.
AUDITED = frozenset({401, 403, 404, 409, 412})
SKIPPED_PREFIXES = ("/static/", "/favicon")
INVITATION_TOKEN = re.compile(r"(/invitations/)[A-Za-z0-9_-]{20,}")


def _detail(response: HttpResponse) -> str:
    if response.get("Content-Type", "").startswith("application/json") and not response.streaming:
        try:
            body = json.loads(response.content)
        except ValueError:
            return ""
        if isinstance(body, dict):
            return str(body.get("detail", ""))[:500]
    return ""


def _text(value: str | None, length: int) -> str:
    # Whatever a client sends must fit the column, and PostgreSQL refuses NUL characters in text
    # (a 500 while writing the log of a refusal); a method is any token a client makes up.
    return (value or "").replace("\x00", "\N{REPLACEMENT CHARACTER}")[:length]


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code in AUDITED and not request.path.startswith(SKIPPED_PREFIXES):
            fields = {
                "method": _text(request.method, 10),
                # An invitation link's token is a credential (its hash alone is stored): not logged.
                "path": _text(INVITATION_TOKEN.sub(r"\1…", request.path), 500),
                "status_code": response.status_code,
                "detail": _text(_detail(response), 500),
            }
            user = caller(request)
            if user is not None:
                record_signed_in(user, client_address(request), **fields)
            else:
                record_anonymous(client_address(request), **fields)
        return response
