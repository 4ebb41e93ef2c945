"""What a change to an order tells the layers above it, inside the change's own transaction.

The orders layer does not import the work plan (it sits below it), yet publishing plans
the work when the lab asks for it, and removing a line drops its unfinished tasks. The
order services send these signals while the order row is still locked; the work plan
connects its receivers in `WorkplanConfig.ready()`. A receiver that raises rolls the
whole change back.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent by `services.publish_order` after the status changed: `change` (a `changes.Change`).
order_published = Signal()

# Sent by the drafting service before it deletes lines of an order: `change`, `line_ids`.
lines_removed = Signal()

# Sent by the copy and remake services after the new order is written: `change` (of the source
# order, locked), `copy` (the new Order), `file_ids` (the source's files to copy along). The
# files app copies them (crownline.files).
order_copied = Signal()

# Sent by `changes.acting` after an action moved an order's status, before its transaction
# ends: `change`, `from_status`. Outsourcing mirrors a partner order's moves on the sender's.
status_moved = Signal()
