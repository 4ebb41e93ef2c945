"""Idempotency-Key for API writes, after the IETF draft "The Idempotency-Key HTTP Header Field".

A client that did not hear back (timeout, dropped connection) retries with the same key
and gets the first answer replayed instead of acting twice. The same key with another
body is a client error (422); a retry while the first request is still running is 409.
Keys belong to the caller crownline.auth.CallerMiddleware resolved (placed before this one).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from crownline.auth import caller
from crownline.idempotency.models import IdempotencyRecord

RETENTION = dt.timedelta(hours=24)
# A request still "in progress" after this long died with its worker (kill -9, crash): its key
# is freed so the client's retry can act, instead of hearing 409 for a day.
ABANDONED_AFTER = dt.timedelta(minutes=2)
WRITE_METHODS = frozenset({"POST", "PATCH"})
API_PREFIX = "/api/v1/"
MAX_KEY_LENGTH = 255


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    # Prefer is part of the request: a retry that asks for the body must not get a bodiless 204.
    for part in (request.method or "", request.path, request.META.get("QUERY_STRING", ""),
                 request.META.get("HTTP_PREFER", "")):
        digest.update(part.encode() + b"\0")
    digest.update(request.body)
    return digest.hexdigest()


def _error(status: int, detail: str) -> HttpResponse:
    return JsonResponse({"detail": detail, "errors": [{"field": "Idempotency-Key", "message": detail}]}
                        if status == 422 else {"detail": detail}, status=status)


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get("Idempotency-Key")
        if key is None or request.method not in WRITE_METHODS or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        key = key.strip().strip('"')
        if not key or len(key) > MAX_KEY_LENGTH:
            return _error(422, f"an Idempotency-Key has 1 to {MAX_KEY_LENGTH} characters")
        user = caller(request)
        if user is None:
            return self.get_response(request)  # the API answers 401; nothing to remember
        try:
            fingerprint = _fingerprint(request)
        except RequestDataTooBig:
            return self.get_response(request)  # the API refuses it with 413 itself
        record, replay = self._claim(user, key, fingerprint, request.META.get("HTTP_PREFER", ""))
        if replay is not None:
            return replay
        try:
            response = self.get_response(request)
        except BaseException:
            record.delete()
            raise
        if response.status_code >= 500:
            record.delete()  # a failure of ours is not an answer: the retry may act
            return response
        record.done = True
        record.status_code = response.status_code
        record.content_type = response.get("Content-Type", "")
        record.etag = response.get("ETag", "")
        record.body = response.content
        record.save(update_fields=["done", "status_code", "content_type", "etag", "body"])
        return response

    def _claim(
        self, user, key: str, fingerprint: str, request_prefer: str
    ) -> tuple[IdempotencyRecord, HttpResponse | None]:
        """Record the key as in progress (committed at once, so a concurrent retry sees it)."""
        now = timezone.now()
        IdempotencyRecord.objects.filter(user=user, key=key, created_at__lt=now - RETENTION).delete()
        IdempotencyRecord.objects.filter(user=user, key=key, done=False, created_at__lt=now - ABANDONED_AFTER).delete()
        try:
            with transaction.atomic():
                return IdempotencyRecord.objects.create(user=user, key=key, fingerprint=fingerprint), None
        except IntegrityError:
            pass
        existing = IdempotencyRecord.objects.get(user=user, key=key)
        if existing.fingerprint != fingerprint:
            return existing, _error(422, "this Idempotency-Key was used with another request")
        if not existing.done:
            return existing, _error(409, "a request with this Idempotency-Key is still being processed")
        replay = HttpResponse(bytes(existing.body), status=existing.status_code, content_type=existing.content_type)
        if existing.etag:
            replay["ETag"] = existing.etag
        if existing.status_code == 204 and "minimal" in request_prefer.lower():
            replay["Preference-Applied"] = "return=minimal"  # the fingerprint holds the same Prefer
        replay["Idempotent-Replayed"] = "true"
        return existing, replay
