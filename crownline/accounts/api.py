"""Signing in and out over the API, and the caller's own tokens.

`POST /auth/token` is the API's sign-in: the password, then the two-factor code when the login
has an authenticator app. Each sign-in issues a new named token that ends after
`CROWNLINE_TOKEN_DAYS`; `POST /auth/sign-out` ends the token it is called with, and
`GET/DELETE /auth/tokens…` list and end the caller's own tokens.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import authenticate, logout
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from crownline.accounts import throttle, two_factor
from crownline.schemas import ErrorOut, Out, PathId
from crownline.tenancy import tokens
from crownline.tenancy.models import ApiToken, TokenEnd

router = Router(tags=["signing in"])

LIST_LIMIT = 100


class TokenIn(Schema):
    model_config = ConfigDict(extra="forbid")  # a misspelt `otp` is refused, not silently dropped

    username: str = Field(max_length=150)
    password: str = Field(max_length=200)
    otp: str | None = Field(
        None, max_length=32,
        description="the six-digit code of the authenticator app, or a recovery code; needed when the login "
        "has two-factor sign-in (without it the answer is 401 saying so)")
    name: str | None = Field(
        None, max_length=100, description="what the token is for, shown in the token list; "
        "by default the client's User-Agent product, else \"API token\"")


class TokenOut(Out):
    token: str = Field(description="send as `Authorization: Bearer <token>`; shown only this once")
    id: int
    name: str
    expires_at: dt.datetime


class TokenInfoOut(Out):
    id: int
    name: str
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None = Field(description="to the minute")
    revoked_at: dt.datetime | None
    revoked_reason: str = Field(description="why it ended early: " + ", ".join(TokenEnd.values) + "; or empty")
    live: bool = Field(description="works now: neither expired nor revoked")
    current: bool = Field(description="the token this request was sent with")


def _refused(status: int, detail: str):
    return Status(status, {"detail": detail})


@router.post(
    "/auth/token", auth=None,
    response={200: TokenOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut},
)
def issue_token(request: HttpRequest, data: TokenIn):
    """Sign in: a new token for the password (and the two-factor code when the login has one)."""
    try:
        user = authenticate(request, username=data.username, password=data.password)
    except PermissionDenied:
        # django-axes refused: too many failed sign-ins (passwords or codes) for this account or address.
        return _refused(429, "Too many failed sign-ins.")
    if user is None or not user.is_active:
        return _refused(401, "Wrong username or password.")
    second_factor = two_factor.has_device(user)
    if second_factor:
        if not data.otp:
            return _refused(401, "This login has two-factor sign-in: send the code from the authenticator app "
                                 "(or a recovery code) as `otp`.")
        if two_factor.verify(user, data.otp) is None:
            throttle.count_failure(request, data.username)  # past the limit django-axes answers 429
            return _refused(401, "Wrong two-factor code.")
    elif two_factor.required_for(user):
        return _refused(403, "A lab you work for requires two-factor sign-in: set it up on "
                             f"{reverse('account:security')} first, then sign in with the code.")
    # A token is a sign-in: the signal records last_login and lets django-axes reset the count.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    raw, token = tokens.issue(user, name=data.name, user_agent=request.headers.get("User-Agent", ""),
                              second_factor=second_factor)
    return {"token": raw, "id": token.pk, "name": token.name, "expires_at": token.expires_at}


@router.post("/auth/sign-out", response={204: None, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def sign_out(request: HttpRequest):
    """Ends the token this request is sent with; called with the session cookie, ends the session.

    The caller's other tokens keep working (scripts elsewhere may use them): end them one by one
    with `DELETE /auth/tokens/{id}`, or all at once by changing the password."""
    token: ApiToken | None = request.auth_token
    if token is not None:
        tokens.revoke(request.user, token.pk, reason=TokenEnd.SIGNED_OUT)
    else:
        logout(request)
    return Status(204, None)


@router.get("/auth/tokens", response={200: list[TokenInfoOut], 401: ErrorOut})
def list_tokens(request: HttpRequest):
    """The caller's own tokens, newest first (at most 100), live and ended."""
    current = request.auth_token.pk if request.auth_token is not None else None
    return [_info(t, current) for t in tokens.tokens_of(request.user)[:LIST_LIMIT]]


@router.delete("/auth/tokens/{token_id}", response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                                     422: ErrorOut})
def revoke_token(request: HttpRequest, token_id: PathId):
    """Ends one of the caller's own tokens; another person's token is not found (404)."""
    tokens.revoke(request.user, token_id)
    return Status(204, None)


def _info(token: ApiToken, current: int | None) -> dict:
    return {"id": token.pk, "name": token.name, "created_at": token.created_at, "expires_at": token.expires_at,
            "last_used_at": token.last_used_at, "revoked_at": token.revoked_at,
            "revoked_reason": token.revoked_reason, "live": token.is_live, "current": token.pk == current}
