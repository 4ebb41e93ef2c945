"""The outsourcing API (issue 13)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["outsourcing"])
