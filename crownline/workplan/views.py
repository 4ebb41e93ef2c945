"""Work-plan pages: the panel's buttons on the order page, and a technician's "My tasks".

Every write calls `workplan.services` with the order version the form was rendered for.
"""

from __future__ import annotations

import itertools

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from crownline.errors import DomainError, NotFound
from crownline.orders.access import get_order_for, visible_orders
from crownline.orders.lifecycle import Action, Status, is_allowed
from crownline.orders.views.order_page import order_page, refused
from crownline.pages import VersionForm, lab_context, lab_page
from crownline.tenancy.models import Membership
from crownline.workplan import services
from crownline.workplan.forms import MarkForm, TaskForm
from crownline.workplan.models import Task
from crownline.workplan.services import TaskInput


def _invalid(request: HttpRequest, number: str, *, dialog: str = "", form=None) -> HttpResponse:
    if form is not None and "version" in form.errors:
        messages.error(request, "This form is incomplete; reload the page and try again.")
        return order_page(request, number, status=400)
    return order_page(request, number, status=200 if request.htmx else 422, dialog=dialog, form=form)


def _members(number: str, user):
    order, _ = get_order_for(user, number)
    return Membership.objects.filter(lab_id=order.lab_id, is_active=True).select_related("user")


@lab_page
@require_POST
def plan_automatically(request: HttpRequest, number: str) -> HttpResponse:
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _invalid(request, number, form=form)
    order, _ = get_order_for(request.user, number)
    before = order.tasks.count()
    try:
        services.plan_automatically(request.user, number, expected_version=form.cleaned_data["version"])
    except DomainError as exc:
        return refused(request, number, exc)
    added = order.tasks.count() - before
    if added:
        messages.success(request, f"{added} tasks planned from the order's services.")
    else:
        messages.info(request, "Every service line is planned already; nothing was added.")
    return redirect("orders:detail", number=number)


@lab_page
@require_POST
def add_task(request: HttpRequest, number: str) -> HttpResponse:
    form = TaskForm(request.POST, members=_members(number, request.user))
    if not form.is_valid():
        return _invalid(request, number, dialog="add-task", form=form)
    data = form.cleaned_data
    try:
        services.add_task(
            request.user, number, TaskInput(name=data["name"], assignee=data["assignee"], pay=data["pay"]),
            expected_version=data["version"],
        )
    except DomainError as exc:
        return refused(request, number, exc, dialog="add-task", form=form)
    messages.success(request, f"Task “{data['name']}” added.")
    return redirect("orders:detail", number=number)


@lab_page
@require_POST
def edit_task(request: HttpRequest, number: str, task_id: int) -> HttpResponse:
    form = TaskForm(request.POST, members=_members(number, request.user))
    if not form.is_valid():
        messages.error(request, "Task not saved: " + "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        return order_page(request, number, status=422)
    data = form.cleaned_data
    order, _ = get_order_for(request.user, number)
    task = Task.objects.filter(order=order, pk=task_id).first()
    try:
        if task is None:
            raise NotFound("No such task on this order.")
        if request.POST.get("remove"):
            services.remove_task(request.user, number, task_id, expected_version=data["version"])
            messages.success(request, f"Task “{task.name}” removed.")
        else:
            move = {"up": task.position - 1, "down": task.position + 1}.get(request.POST.get("move", ""))
            services.edit_task(
                request.user, number, task_id,
                TaskInput(name=data["name"], assignee=data["assignee"], pay=data["pay"], position=move),
                expected_version=data["version"],
            )
            messages.success(request, "Task saved.")
    except DomainError as exc:
        return refused(request, number, exc)
    return redirect("orders:detail", number=number)


@lab_page
@require_POST
def mark_task(request: HttpRequest, number: str, task_id: int) -> HttpResponse:
    form = MarkForm(request.POST)
    from_mine = request.POST.get("next") == "mine"
    if not form.is_valid():
        return _invalid(request, number, form=form)
    try:
        services.set_task_done(
            request.user, number, task_id, form.cleaned_data["done"], expected_version=form.cleaned_data["version"]
        )
    except DomainError as exc:
        if from_mine:
            messages.error(request, exc.detail)
            return redirect("workplan:mine")
        return refused(request, number, exc)
    return redirect("workplan:mine" if from_mine else "orders:detail", **({} if from_mine else {"number": number}))


@lab_page
def my_tasks(request: HttpRequest) -> HttpResponse:
    here = lab_context(request)
    orders = visible_orders(request.user, lab_id=here.lab.id)
    mine = Task.objects.filter(assignee=request.user, done=False, order__in=orders)
    # A held order leaves My tasks until it is released (issue 13); the page says how many wait.
    held = mine.filter(order__on_hold=True).count()
    tasks = (
        mine.filter(order__on_hold=False)
        .select_related("order", "order__customer", "order__patient")
        .order_by("order__due_date", "order__number", "position")
    )
    groups = []
    for order, items in itertools.groupby(tasks, key=lambda t: t.order):
        can_mark = here.is_staff and is_allowed(Status(order.status), here.standing.role, Action.MARK_TASK)
        groups.append((order, list(items), can_mark))
    return render(request, "workplan/mine.html", {
        "nav": "tasks", "groups": groups, "standing": here.standing, "held": held,
    })
