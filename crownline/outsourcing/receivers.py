"""Outsourcing's answer to the orders layer's signals (`crownline.orders.signals`); connected in
`OutsourcingConfig.ready()`, run inside the order's transaction with its row locked."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from crownline.orders.changes import Change
from crownline.orders.signals import status_moved
from crownline.outsourcing.following import mirror_status


@receiver(status_moved, dispatch_uid="outsourcing-mirror-partner-status")
def mirror_partner_status(*, change: Change, **_: Any) -> None:
    mirror_status(change.order)
