"""Demo data of the work schedule and due dates, markers (issue 13)."""

from __future__ import annotations

from crownline.tenancy.models import Lab


def seed_schedule(lab: Lab) -> None:
    """Before the orders: the lab's working week, days off, production days per service."""


def seed_markers(lab: Lab, admin, tech, dentist) -> None:
    """After the orders: an order on hold, one sent for fitting, one with an appointment date."""
