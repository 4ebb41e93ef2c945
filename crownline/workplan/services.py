"""Changing an order's work plan: plan, add, edit, reorder, remove, mark tasks.

Every change goes through the order's own transaction (`orders.changes.acting`): it
locks the order row and writes an order event, so work-plan changes and status changes
on one order never interleave. A work-plan change does not bump the order's version
(`EventKind.changes_order`): ticking a task must not make a colleague's open form stale.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, QuerySet, TextField
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from crownline.errors import Conflict, Forbidden, InvalidInput, NotFound
from crownline.numbers import money_problem
from crownline.orders import guards
from crownline.orders.changes import Change, acting, commit, refuse
from crownline.orders.lifecycle import Action, EventKind
from crownline.orders.models import Order, OrderSQL
from crownline.tenancy.models import Membership
from crownline.workplan.models import Task

NAME_MAX = 200
_UNSET: Any = object()


@dataclass
class TaskInput:
    name: str | None = None
    assignee: int | None = _UNSET
    pay: Decimal | None = None
    position: int | None = None


def _records_done(change: Change) -> bool:
    # Work added after production is over is a record of work done, and must not
    # re-open the Produce precondition of an order that already passed it (nor of one
    # cancelled after Produce, which a reopen brings back to Produced).
    return guards.production_is_over(change.status, cancelled_from=change.order.cancelled_from)


def _next_position(order: Order) -> int:
    return (order.tasks.aggregate(m=Max("position"))["m"] or 0) + 1


def _room_for(order: Order, adding: int) -> bool:
    return order.tasks.count() + adding <= settings.CROWNLINE_MAX_TASKS_PER_ORDER


def _check_room(order: Order, adding: int) -> None:
    """A work plan has a documented size: every task is a row on every print and page of the
    order, so an unbounded plan would let one order tie up the print workers. Counted under the
    order's row lock (`acting`), so two writers cannot both take the last place."""
    if not _room_for(order, adding):
        limit = settings.CROWNLINE_MAX_TASKS_PER_ORDER
        raise Conflict(
            f"An order has at most {limit} tasks (CROWNLINE_MAX_TASKS_PER_ORDER); this one has "
            f"{order.tasks.count()}, so {adding} more do not fit. Remove tasks first.",
            rule="max-tasks-per-order", limit=limit,
        )


def plan_missing_tasks(change: Change, *, skip_when_full: bool = False) -> list[Task]:
    """One task per template for each service line that has no planned tasks yet.

    A plan that would pass the task limit is refused (409), or with `skip_when_full` not made at
    all: a half plan would look complete."""
    order = change.order
    planned_lines = set(order.tasks.exclude(line=None).values_list("line_id", flat=True))
    position = _next_position(order)
    done = _records_done(change)
    now = timezone.now() if done else None
    created = []
    for line in order.lines.select_related("service").prefetch_related("service__task_templates"):
        if line.id in planned_lines:
            continue
        for template in line.service.task_templates.all():
            created.append(
                Task(
                    order=order, line=line, template=template, position=position, name=template.name,
                    pay=template.default_pay, done=done, done_at=now, done_by=change.user if done else None,
                )
            )
            position += 1
    if created and not _room_for(order, len(created)):
        if skip_when_full:
            return []
        _check_room(order, len(created))
    if created:
        Task.objects.bulk_create(created)
        commit(change, EventKind.PLAN_WORK, data={"tasks": len(created)})
        if hasattr(order, "tasks_total"):  # the counts the answer shows came with the locked row
            order.tasks_total += len(created)
            order.tasks_done += len(created) if done else 0
    return created


def plan_automatically(user, number: str, *, expected_version: int | None = None) -> Order:
    with acting(user, number, Action.PLAN_WORK, expected_version=expected_version) as change:
        plan_missing_tasks(change)
    return change.order


def _assignee(order: Order, user_id: int | None) -> int | None:
    if user_id is None:
        return None
    if not Membership.objects.filter(lab_id=order.lab_id, user_id=user_id, is_active=True).exists():
        raise InvalidInput("assignee", f"user {user_id} is not an active member of this lab")
    return user_id


def _check_pay(change: Change, pay: Decimal | None) -> None:
    if pay is None:
        return
    if not change.standing.role.sees_pay:
        raise Forbidden("Only a lab admin sets task pay.")
    if problem := money_problem(pay, currency=change.order.lab.currency):
        raise InvalidInput("pay", problem)


def _check_name(name: str | None) -> str | None:
    if name is None:
        return None
    name = name.strip()
    if not 1 <= len(name) <= NAME_MAX:
        raise InvalidInput("name", f"a task name has 1 to {NAME_MAX} characters")
    return name


def _check_reassign(change: Change, task: Task) -> None:
    """A technician hands on their own tasks and takes unassigned ones; moving a colleague's is
    the lab admin's call. Taking it would also make its pay "their own" in every answer."""
    if change.standing.role.reassigns_any_task or task.assignee_id in (None, change.user.pk):
        return
    raise Forbidden(
        "A technician reassigns only their own tasks and unassigned ones; this task is a colleague's. "
        "Ask a lab admin to move it."
    )


def _task(order: Order, task_id: int) -> Task:
    task = Task.objects.filter(order=order, pk=task_id).first()
    if task is None:
        raise NotFound("No such task on this order.")
    return task


def _move(order: Order, task: Task, position: int) -> None:
    """Put the task at a 1-based position and renumber the rest densely."""
    tasks = [t for t in order.tasks.order_by("position", "id") if t.pk != task.pk]
    position = max(1, min(position, len(tasks) + 1))
    tasks.insert(position - 1, task)
    for i, t in enumerate(tasks, start=1):
        if t.position != i:
            t.position = i
            Task.objects.filter(pk=t.pk).update(position=i)


def add_task(user, number: str, data: TaskInput, *, expected_version: int | None = None) -> Task:
    name = _check_name(data.name)
    if name is None:
        raise InvalidInput("name", "a task needs a name")
    with acting(user, number, Action.EDIT_TASKS, expected_version=expected_version) as change:
        _check_pay(change, data.pay)
        order = change.order
        _check_room(order, 1)
        done = _records_done(change)
        task = Task.objects.create(
            order=order,
            name=name,
            position=_next_position(order),
            assignee_id=_assignee(order, None if data.assignee is _UNSET else data.assignee),
            pay=data.pay or Decimal("0"),
            done=done,
            done_at=timezone.now() if done else None,
            done_by=user if done else None,
        )
        if data.position is not None:
            _move(order, task, data.position)
        commit(change, EventKind.ADD_TASK, data={"task": task.pk, "name": name})
    return task


def edit_task(user, number: str, task_id: int, data: TaskInput, *, expected_version: int | None = None) -> Task:
    name = _check_name(data.name)
    with acting(user, number, Action.EDIT_TASKS, expected_version=expected_version) as change:
        _check_pay(change, data.pay)
        task = _task(change.order, task_id)
        changed: dict[str, Any] = {}
        if name is not None:
            task.name = changed["name"] = name
        if data.assignee is not _UNSET:
            assignee = _assignee(change.order, data.assignee)
            if assignee != task.assignee_id:  # the page's form always sends the current assignee
                _check_reassign(change, task)
            task.assignee_id = changed["assignee"] = assignee
        if data.pay is not None:
            task.pay = data.pay
            changed["pay"] = str(data.pay)
        task.save()
        if data.position is not None:
            _move(change.order, task, data.position)
            changed["position"] = data.position
        if not changed:
            raise InvalidInput("body", "nothing to change")
        commit(change, EventKind.EDIT_TASK, data={"task": task.pk, **changed})
    task.refresh_from_db()
    return task


def remove_task(user, number: str, task_id: int, *, expected_version: int | None = None) -> None:
    with acting(user, number, Action.EDIT_TASKS, expected_version=expected_version) as change:
        order = change.order
        task = _task(order, task_id)
        refuse(
            guards.check_task_removal(
                change.status, tasks_left=order.tasks.count() - 1, cancelled_from=order.cancelled_from
            )
        )
        task.delete()
        _move_all(order)
        commit(change, EventKind.REMOVE_TASK, data={"task": task_id, "name": task.name})


def _move_all(order: Order) -> None:
    for i, t in enumerate(order.tasks.order_by("position", "id"), start=1):
        if t.position != i:
            Task.objects.filter(pk=t.pk).update(position=i)


def set_task_done(user, number: str, task_id: int, done: bool, *, expected_version: int | None = None) -> Task:
    """Mark a task done (or not), in three round trips: the locked order with the task (and the
    names its answer shows), the task's update, the event. The answer is the written task."""
    with acting(
        user, number, Action.MARK_TASK, expected_version=expected_version, shape=_with_task(task_id)
    ) as change:
        task = _task_from_json(change.order, change.order.task_json)
        if task.done == done:
            return task  # already as asked: a double click must not write a second event
        task.done = done
        task.done_by = user if done else None
        task.done_at = timezone.now() if done else None
        task.save(update_fields=["done", "done_by", "done_at"])
        kind = EventKind.MARK_TASK_DONE if done else EventKind.UNMARK_TASK_DONE
        commit(change, kind, data={"task": task.pk, "name": task.name})
    return task


def _with_task(task_id: int):
    """Adds one task of the order, with its assignee's and marker's names, as JSON to the query
    that locks the order (a subquery: it locks nothing itself)."""

    def shape(qs: QuerySet[Order]) -> QuerySet[Order]:
        return qs.annotate(task_json=OrderSQL(_TASK_JSON, TextField(), (task_id,)))

    return shape


_TASK_JSON = (
    "SELECT {json_object}('id', {task}.id, 'position', {task}.position, 'name', {task}.name, "
    "'line_id', {task}.line_id, 'pay', {task}.pay, 'done', {task}.done, 'done_at', {task}.done_at, "
    "'assignee_id', {task}.assignee_id, 'assignee_username', assignee.username, "
    "'assignee_first_name', assignee.first_name, 'assignee_last_name', assignee.last_name, "
    "'done_by_id', {task}.done_by_id, 'done_by_username', done_by.username) "
    "FROM {task} LEFT JOIN {user} assignee ON assignee.id = {task}.assignee_id "
    "LEFT JOIN {user} done_by ON done_by.id = {task}.done_by_id "
    "WHERE {task}.order_id = {order} AND {task}.id = %s"
)


def _task_from_json(order: Order, text: str | None) -> Task:
    if not text:
        raise NotFound("No such task on this order.")
    row = json.loads(text, parse_float=Decimal)
    user_model = get_user_model()
    done_at = parse_datetime(row["done_at"]) if row["done_at"] else None
    if done_at is not None and timezone.is_naive(done_at):  # SQLite keeps UTC without an offset
        done_at = timezone.make_aware(done_at, dt.UTC)
    task = Task(
        id=row["id"], order=order, position=row["position"], name=row["name"], line_id=row["line_id"],
        pay=Decimal(str(row["pay"])).quantize(Decimal("0.01")), done=bool(row["done"]), done_at=done_at,
        assignee_id=row["assignee_id"], done_by_id=row["done_by_id"],
    )
    if row["assignee_id"] is not None:
        task.assignee = user_model(
            id=row["assignee_id"], username=row["assignee_username"], first_name=row["assignee_first_name"],
            last_name=row["assignee_last_name"],
        )
    if row["done_by_id"] is not None:
        task.done_by = user_model(id=row["done_by_id"], username=row["done_by_username"])
    task._state.adding, task._state.db = False, order._state.db
    return task


def drop_open_tasks_of_lines(order: Order, line_ids: list[int]) -> None:
    """Lines removed from an order take their unfinished tasks with them; done work stays."""
    if line_ids:
        Task.objects.filter(order=order, line_id__in=line_ids, done=False).delete()
        _move_all(order)  # the remaining tasks close up: positions stay 1..n


def plan_on_publish(change: Change) -> None:
    """The lab's "plan the work when an order is published": an order without tasks gets its plan."""
    if change.order.lab.plan_work_on_publish and not change.order.tasks.exists():
        # Publishing must not fail over the lab's own templates: a plan too big is left to the lab.
        plan_missing_tasks(change, skip_when_full=True)
