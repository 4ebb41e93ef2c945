"""The work plan's answers to what the orders layer tells it (`crownline.orders.signals`).

Connected in `WorkplanConfig.ready()`; each runs inside the order's transaction, with the
order row locked.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from crownline.orders.changes import Change
from crownline.orders.signals import lines_removed, order_published
from crownline.workplan import services


@receiver(order_published, dispatch_uid="workplan-plan-on-publish")
def plan_on_publish(*, change: Change, **_: Any) -> None:
    services.plan_on_publish(change)


@receiver(lines_removed, dispatch_uid="workplan-drop-open-tasks")
def drop_open_tasks(*, change: Change, line_ids: list[int], **_: Any) -> None:
    services.drop_open_tasks_of_lines(change.order, line_ids)
