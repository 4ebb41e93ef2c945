"""Copies, remakes and changing an order's customer (issue 13). Mounted under /orders by crownline.api."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["orders"])
