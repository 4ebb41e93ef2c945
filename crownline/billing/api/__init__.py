"""The billing API: invoices and credit notes (`invoices`), balances, pending payments and
statements (`balances`). One router, mounted at the API's root by crownline.api."""

from __future__ import annotations

from ninja import Router

from crownline.billing.api import balances, invoices

router = Router(tags=["billing"])
router.add_router("", invoices.router)
router.add_router("", balances.router)
