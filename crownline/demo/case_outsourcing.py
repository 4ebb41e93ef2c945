"""Demo data of partner labs and outsourcing (issue 13)."""

from __future__ import annotations

from crownline.tenancy.models import Lab


def seed_outsourcing(lab: Lab, partner: Lab, admin, partner_admin) -> None:
    """After both labs' orders: the labs linked, an order sent to the partner and moving there."""
