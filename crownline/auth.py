"""How API callers prove who they are: a bearer token, or the browser's session."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from crownline.tenancy.models import ApiToken, hash_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_token(token), user__is_active=True)
            .first()
        )
        if found is None:
            return None
        request.user = found.user
        return found.user


# Session auth keeps Django's CSRF check for unsafe methods, so a page's cookie cannot be
# replayed by another site.
API_AUTH = [BearerToken(), django_auth]
