"""Demo data of files on orders (issue 13)."""

from __future__ import annotations

from crownline.tenancy.models import Lab


def seed_files(lab: Lab, admin, tech, dentist) -> None:
    """After the orders: scans, photos and a PDF on some orders, shared and internal."""
