"""A person's API tokens: issued at sign-in, listed and revoked by their owner, ended by the
system when the person's standing changes (password, deactivation, removal from a lab).

The model (`tenancy.models.ApiToken`) holds what a token is; this module is what people and
the other services do with tokens. Only a token's hash is ever stored.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from crownline.errors import NotFound
from crownline.numbers import ID_MAX
from crownline.tenancy.models import ApiToken, TokenEnd, forget_callers

DEFAULT_NAME = "API token"
NAME_MAX = 100


def token_name(name: str | None, user_agent: str) -> str:
    """The name a new token is listed under: the client's own choice, else its User-Agent's
    product (`curl/8.5.0` → "curl/8.5.0"), else "API token". Control characters are dropped, so
    the list shows what a person can read."""
    chosen = (name or "").strip() or user_agent.strip().split(" ", 1)[0]
    printable = "".join(ch for ch in chosen if ch.isprintable()).strip()
    return printable[:NAME_MAX] or DEFAULT_NAME


def issue(user, *, name: str | None = None, user_agent: str = "", second_factor: bool = False) -> tuple[str, ApiToken]:
    """A new token for a user who has just proven who they are: (the raw value, its row)."""
    return ApiToken.new(user, name=token_name(name, user_agent), second_factor=second_factor)


def tokens_of(user) -> QuerySet[ApiToken]:
    """The person's own tokens, newest first, live and ended alike (the list shows why one ended)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def revoke(user, token_id: int, *, reason: TokenEnd = TokenEnd.REVOKED) -> ApiToken:
    """Ends one of the person's own tokens. Another person's token, or none, is the same 404;
    revoking an ended token again changes nothing."""
    token = ApiToken.objects.filter(user=user, pk=token_id).first() if 1 <= token_id <= ID_MAX else None
    if token is None:
        raise NotFound("No such token.")
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=timezone.now(), revoked_reason=reason)
        forget_callers([token.key_hash])
        token.refresh_from_db()
    return token


def revoke_all(user, reason: TokenEnd) -> int:
    """Ends every live token of the person (deactivation, removal, password change, or on request)."""
    return ApiToken.revoke_all(user.pk, reason)

