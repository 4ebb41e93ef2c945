"""Remembered answers to API writes sent with an Idempotency-Key header."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class IdempotencyRecord(models.Model):
    """One key of one caller: the request it came with and, once done, the answer given.

    Keys belong to the caller (and so never collide across labs or people); a record older
    than the retention window is forgotten and the key may be used afresh.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="hash of method, path and body")
    done = models.BooleanField(default=False)
    status_code = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    etag = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_record_per_caller_key")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
