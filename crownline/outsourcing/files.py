"""The files that go with a hand-off, copied by the files app onto the partner's order."""

from __future__ import annotations

from crownline.files.models import OrderFile
from crownline.files.services import copy_files as _copy_files
from crownline.orders.models import Order


def copy_files(source: Order, target: Order, file_ids: list[int], *, user) -> int:
    """Copies the chosen files of the sender's order (shared or internal: the sending lab
    chooses) onto the partner's; how many went. Ids not on the source: 422 on `files`."""
    return len(_copy_files(source, target, file_ids, user=user, shared_only=False))


def files_of(order: Order) -> list[OrderFile]:
    """The order's files, for the Send dialog's choice (the lab's staff see them all)."""
    return list(OrderFile.objects.filter(order=order).order_by("pk"))
