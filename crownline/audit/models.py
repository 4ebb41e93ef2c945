"""The audit log: every refused request — who, what, when, from where. Append-only.

A signed-in caller's refusal is one entry each: those are the interesting ones (a dentist
probing another lab's orders). Anonymous refusals are mostly noise in bulk (scanners, expired
bookmarks, a script without its token), and one entry each would let anyone fill the log and
the disk with a loop. So they are folded: one entry per source address and minute, counting
the refusals in `count`, and at most `CROWNLINE_AUDIT_ANONYMOUS_ROWS_PER_HOUR` entries per
source and clock hour, the last of which counts everything after (crownline/audit/recording.py).
"""

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
    # Folded anonymous refusals only (blank/None on a signed-in caller's entry): the source they
    # came from (an IPv4 address, or the /64 network of an IPv6 one), the minute they were
    # folded by, how many there were and when the last came. Method, path, status and detail
    # are those of the first.
    source = models.CharField(max_length=64, blank=True)
    window = models.DateTimeField(null=True)
    count = models.PositiveIntegerField(default=1, help_text="refusals this entry stands for")
    last_seen_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "audit entries"
        constraints = [
            # Two workers folding the same minute meet here and the loser adds to the winner's
            # entry. A signed-in caller's entry has no window, and NULLs never collide.
            models.UniqueConstraint(fields=["source", "window"], name="audit_one_entry_per_source_and_minute"),
        ]

    def __str__(self) -> str:
        who = self.username or "anonymous"
        times = f" ({self.count} times)" if self.count > 1 else ""
        return f"{self.created_at:%Y-%m-%d %H:%M} {who} {self.method} {self.path} {self.status_code}{times}"

    def save(self, *args, **kwargs) -> None:
        # The one change an entry ever sees is its count going up, by a queryset update in
        # crownline/audit/recording.py; nothing edits what was recorded.
        if self.pk is not None:
            raise RuntimeError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("audit entries are append-only")
