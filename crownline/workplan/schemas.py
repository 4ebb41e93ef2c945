"""Work-plan tasks as each role may see them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from crownline.orders.lifecycle import Role
from crownline.schemas import Out
from crownline.tenancy.access import LabRole
from crownline.workplan.models import Task


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


def person(user) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.get_username(), "name": user.get_full_name() or user.get_username()}


def task_out(task: Task, standing: LabRole, viewer) -> dict[str, Any]:
    staff = standing.is_staff
    sees_pay = standing.role is Role.ADMIN or (standing.role is Role.TECHNICIAN and task.assignee_id == viewer.pk)
    return {
        "id": task.id,
        "position": task.position,
        "name": task.name,
        "line": task.line_id,
        "assignee": person(task.assignee) if staff else None,
        "pay": task.pay if sees_pay else None,
        "done": task.done,
        "done_by": task.done_by.get_username() if staff and task.done_by else None,
        "done_at": task.done_at,
    }
