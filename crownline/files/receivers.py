"""The files app's answer to what the orders layer tells it (`crownline.orders.signals`).

Connected in `FilesConfig.ready()`; runs inside the copy's transaction, the source order locked.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.dispatch import receiver

from crownline.files import services
from crownline.orders.changes import Change
from crownline.orders.models import Order
from crownline.orders.signals import order_copied


@receiver(order_copied, dispatch_uid="files-copy-along")
def copy_files_along(*, change: Change, copy: Order, file_ids: Iterable[int] = (), **_: Any) -> None:
    # A customer copies only what they see: the shared files (an internal id is "not on the source").
    services.copy_files(change.order, copy, file_ids or (), user=change.user, shared_only=not change.standing.is_staff)
