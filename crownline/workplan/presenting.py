"""A task as one reader may see it: the API's answer, and what a print reads."""

from __future__ import annotations

from typing import Any

from crownline.roles import LabRole
from crownline.workplan.models import Task


def person(user) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.get_username(), "name": user.get_full_name() or user.get_username()}


def shows_pay(task: Task, standing: LabRole, viewer) -> bool:
    """The one pay rule of every door: the lab admin sees all pay, a technician the pay of the
    tasks assigned to them, a customer none. A technician cannot make a colleague's task theirs
    (`services.edit_task` refuses), so "their own" never reaches another person's pay."""
    return standing.role.sees_pay or (standing.is_staff and task.assignee_id == viewer.pk)


def task_out(task: Task, standing: LabRole, viewer) -> dict[str, Any]:
    staff = standing.role.sees_internal
    sees_pay = shows_pay(task, standing, viewer)
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
