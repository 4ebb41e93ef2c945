"""Demo data of copies, remakes and a changed customer (issue 13)."""

from __future__ import annotations

from crownline.tenancy.models import Lab


def seed_copies(lab: Lab, admin, tech, dentist) -> None:
    """After the orders and their files: a copied order, a remake, a changed customer."""
