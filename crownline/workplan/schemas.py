"""Work-plan tasks as each role may see them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from crownline.schemas import Out


class PersonOut(Out):
    id: int
    username: str
    name: str


class TaskOut(Out):
    id: int
    position: int
    name: str
    line: int | None
    assignee: PersonOut | None
    pay: Decimal | None = Field(description="lab admins see all pay; a technician their own; customers none")
    done: bool
    done_by: str | None
    done_at: dt.datetime | None


class TaskCreateIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    assignee: int | None = None
    pay: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    position: int | None = Field(None, ge=1, le=10000)


class TaskPatchIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    assignee: int | None = None
    pay: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    position: int | None = Field(None, ge=1, le=10000)
