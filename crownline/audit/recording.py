"""Writing a refusal to the audit log: one entry per signed-in refusal, folded ones for anonymous.

Folding must hold with many workers at once on SQLite and PostgreSQL alike, so no count is
read and written back: an entry's count only grows by `UPDATE … SET count = count + 1`, and the
first refusal of a minute inserts under the unique (source, window) constraint; a worker that
loses that race adds to the winner's entry instead. The hourly cap is read before inserting,
so two workers racing at the cap may add one entry too many: the cap bounds the log, it is not
an exact count.
"""

from __future__ import annotations

import datetime as dt
import ipaddress

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from crownline.audit.models import AuditEntry

IPV6_PREFIX = 64  # one IPv6 customer line is a /64: counting its addresses apart would not fold anything


def source_of(address: str | None) -> str:
    """What anonymous refusals are folded by: the IPv4 address, or the IPv6 address's /64 network."""
    if not address:
        return "unknown"
    parsed = ipaddress.ip_address(address)
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_PREFIX}", strict=False))
    return str(parsed)


def record_signed_in(user, address: str | None, **fields: object) -> None:
    AuditEntry.objects.create(user=user, username=user.get_username(), remote_addr=address, **fields)


def record_anonymous(address: str | None, now: dt.datetime | None = None, **fields: object) -> None:
    """Count one anonymous refusal into its source's entry for this minute (or the hour's last)."""
    now = now or timezone.now()
    source = source_of(address)
    window = now.replace(second=0, microsecond=0)
    if _bump(AuditEntry.objects.filter(source=source, window=window), now):
        return
    this_hour = AuditEntry.objects.filter(source=source, window__gte=window.replace(minute=0))
    if this_hour.count() >= settings.CROWNLINE_AUDIT_ANONYMOUS_ROWS_PER_HOUR:
        latest = this_hour.order_by("-window").values_list("pk", flat=True).first()
        _bump(AuditEntry.objects.filter(pk=latest), now)
        return
    try:
        with transaction.atomic():
            AuditEntry.objects.create(
                source=source, window=window, last_seen_at=now, remote_addr=address, user=None, username="", **fields
            )
    except IntegrityError:
        # Another worker opened this minute's entry between our update and our insert.
        _bump(AuditEntry.objects.filter(source=source, window=window), now)


def _bump(entries, now: dt.datetime) -> int:
    return entries.update(count=F("count") + 1, last_seen_at=now)
