"""Work-plan endpoints of an order."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from crownline.customers.access import lab_roles
from crownline.http import IfMatch, Prefer, expected_version, minimal, prefers_minimal
from crownline.orders.access import get_order_for
from crownline.schemas import READ_ERRORS, WRITE_ERRORS, PathId
from crownline.workplan import services
from crownline.workplan.models import Task
from crownline.workplan.presenting import task_out
from crownline.workplan.schemas import TaskCreateIn, TaskOut, TaskPatchIn

router = Router(tags=["work plan"])


def _tasks(request: HttpRequest, number: str) -> list[dict]:
    order, standing = get_order_for(request.user, number)
    tasks = Task.objects.filter(order=order).select_related("assignee", "done_by")
    return [task_out(t, standing, request.user) for t in tasks]


def _one(request: HttpRequest, number: str, task_id: int) -> dict:
    order, standing = get_order_for(request.user, number)
    task = Task.objects.select_related("assignee", "done_by").get(order=order, pk=task_id)
    return task_out(task, standing, request.user)


def _version(number: str, if_match: str | None) -> int | None:
    return expected_version(if_match, required=False, number=number)


@router.get("/{number}/tasks", response={200: list[TaskOut], **READ_ERRORS})
def list_tasks(request: HttpRequest, number: str):
    return _tasks(request, number)


@router.post("/{number}/work-plan/auto", response={200: list[TaskOut], **WRITE_ERRORS})
def plan_automatically(request: HttpRequest, number: str, if_match: str | None = IfMatch):
    services.plan_automatically(request.user, number, expected_version=_version(number, if_match))
    return _tasks(request, number)


@router.post("/{number}/tasks", response={201: TaskOut, **WRITE_ERRORS})
def add_task(request: HttpRequest, number: str, data: TaskCreateIn, if_match: str | None = IfMatch):
    task = services.add_task(
        request.user, number, services.TaskInput(**data.dict()), expected_version=_version(number, if_match)
    )
    return Status(201, _one(request, number, task.pk))


@router.patch("/{number}/tasks/{task_id}", response={200: TaskOut, **WRITE_ERRORS})
def edit_task(request: HttpRequest, number: str, task_id: PathId, data: TaskPatchIn, if_match: str | None = IfMatch):
    # Only the fields the caller sent: "assignee": null un-assigns, a missing key leaves it.
    fields = data.dict(include=data.model_fields_set)
    services.edit_task(
        request.user, number, task_id, services.TaskInput(**fields), expected_version=_version(number, if_match)
    )
    return _one(request, number, task_id)


@router.delete("/{number}/tasks/{task_id}", response={204: None, **WRITE_ERRORS})
def remove_task(request: HttpRequest, number: str, task_id: PathId, if_match: str | None = IfMatch):
    services.remove_task(request.user, number, task_id, expected_version=_version(number, if_match))
    return Status(204, None)


# Marking a task answers with the task the service wrote (no query after the write), or with
# 204 and the order's ETag under `Prefer: return=minimal`.
MARK_RESPONSES = {200: TaskOut, 204: None, **WRITE_ERRORS}


def _mark(request: HttpRequest, number: str, task_id: int, done: bool, if_match: str | None, prefer: str | None):
    task = services.set_task_done(request.user, number, task_id, done, expected_version=_version(number, if_match))
    if prefers_minimal(prefer):
        return minimal(task.order.etag)
    return task_out(task, lab_roles(request.user)[task.order.lab_id], request.user)


@router.post("/{number}/tasks/{task_id}/done", response=MARK_RESPONSES)
def mark_done(
    request: HttpRequest, number: str, task_id: PathId, if_match: str | None = IfMatch, prefer: str | None = Prefer
):
    return _mark(request, number, task_id, True, if_match, prefer)


@router.delete("/{number}/tasks/{task_id}/done", response=MARK_RESPONSES)
def mark_not_done(
    request: HttpRequest, number: str, task_id: PathId, if_match: str | None = IfMatch, prefer: str | None = Prefer
):
    return _mark(request, number, task_id, False, if_match, prefer)
