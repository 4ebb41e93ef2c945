"""The audit log: every refused request — who, what, when, from where. Append-only."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField(max_length=150, blank=True, help_text="kept even if the user is deleted")
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    status_code = models.PositiveSmallIntegerField()
    detail = models.CharField(max_length=500, blank=True)
    remote_addr = models.GenericIPAddressField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        who = self.username or "anonymous"
        return f"{self.created_at:%Y-%m-%d %H:%M} {who} {self.method} {self.path} {self.status_code}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise RuntimeError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("audit entries are append-only")
