"""The three kinds of people and what each may see: the one place these rules live.

Pure Python on purpose (no Django import), at the bottom of the layers: every app, both
doors and the printed documents ask a `Role` what its holder may see instead of comparing
roles themselves, so "who sees money" is decided here once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "lab_admin"
    TECHNICIAN = "technician"
    CUSTOMER = "customer"

    @property
    def label(self) -> str:
        return {"lab_admin": "lab admin", "technician": "technician", "customer": "customer"}[self.value]

    @property
    def is_staff(self) -> bool:
        """The lab's own people: they see every order of the lab and act as the lab."""
        return self is not Role.CUSTOMER

    @property
    def sees_money(self) -> bool:
        """Prices, totals, amounts paid, payments and their methods: the lab admin and the paying
        customer. A technician works the bench and sees only what is still due (to hand over a
        case against payment)."""
        return self is not Role.TECHNICIAN

    @property
    def sees_pay(self) -> bool:
        """Every technician's task pay: the lab admin only (a technician sees their own)."""
        return self is Role.ADMIN

    @property
    def sees_internal(self) -> bool:
        """Internal comments, who is assigned and who did what, the work plan's history: the lab
        keeps these to itself; a customer never learns they exist."""
        return self.is_staff

    @property
    def sets_prices(self) -> bool:
        return self is Role.ADMIN

    @property
    def reassigns_any_task(self) -> bool:
        """Moving a colleague's task: the lab admin only. A technician takes over an unassigned
        task or hands on their own; taking a colleague's would also show them its pay."""
        return self is Role.ADMIN


@dataclass(frozen=True)
class LabRole:
    """The caller's standing in one lab. A customer also carries their customer record ids."""

    lab_id: int
    role: Role
    customer_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_staff(self) -> bool:
        return self.role.is_staff
