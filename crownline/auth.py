"""How API callers prove who they are: a bearer token, or the browser's session."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from crownline.tenancy.models import user_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


# Session auth keeps Django's CSRF check for unsafe methods, so a page's cookie cannot be
# replayed by another site.
API_AUTH = [BearerToken(), django_auth]
