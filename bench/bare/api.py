"""The bare app's endpoints: the same paths and JSON shapes as Crownline's for the requests
bench/versus.py makes, written the way a plain Django + django-ninja app would write them.

Per request: one query for the bearer token with the caller's labs and roles (a join, the
tenant filter's input), then the request's own queries; a write locks the order row
(SELECT … FOR UPDATE), checks the status, updates the row, inserts the event, all in one
transaction. Lab staff only (the benchmark signs in as lab admins); a token without an
active membership is 401.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
from decimal import Decimal

import pydantic
import pydantic_core
from django.db import transaction
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import HttpError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.security import HttpBearer

from bare.models import Membership, Order, OrderEvent, OrderLine, Payment, Task

# Response models: ninja's Schema (the idiom) or a plain pydantic model (BARE_SCHEMA=pydantic,
# what Crownline's `crownline.schemas.Out` does: no DjangoGetter around every value).
Out = pydantic.BaseModel if os.environ.get("BARE_SCHEMA") == "pydantic" else Schema

_ALL = ["plan-work", "edit-tasks", "print"]
_PAY = ["view-payment-instructions", "comment"]
# The lifecycle's allowed actions (Action enum order) per role and status, as Crownline lists them.
ALLOWED = {
    "lab_admin": {
        "draft": ["publish", "cancel", "cancel-payment", "edit", *_ALL, *_PAY],
        "published": ["takedown", "start-production", "cancel", "record-payment", "cancel-payment", "edit",
                      "plan-work", "edit-tasks", "mark-task", "print", *_PAY],
        "production": ["produce", "cancel", "record-payment", "cancel-payment", "edit", "plan-work", "edit-tasks",
                       "mark-task", "print", *_PAY],
        "produced": ["ship", "cancel", "record-payment", "cancel-payment", *_ALL, *_PAY],
        "shipped": ["deliver", "record-payment", "cancel-payment", "update-tracking", *_ALL, *_PAY],
        "delivered": ["record-payment", "cancel-payment", "update-tracking", *_ALL, *_PAY],
        "completed": ["record-payment", "cancel-payment", "update-tracking", *_ALL, *_PAY],
        "cancelled": ["reopen", "cancel-payment", *_ALL, "comment"],
    },
    "technician": {
        "draft": [*_ALL, *_PAY],
        "published": ["start-production", "plan-work", "edit-tasks", "mark-task", "print", *_PAY],
        "production": ["produce", "plan-work", "edit-tasks", "mark-task", "print", *_PAY],
        "produced": ["ship", *_ALL, *_PAY],
        "shipped": ["deliver", "update-tracking", *_ALL, *_PAY],
        "delivered": ["update-tracking", *_ALL, *_PAY],
        "completed": ["update-tracking", *_ALL, *_PAY],
        "cancelled": [*_ALL, "comment"],
    },
}
CANCELLABLE = {"draft", "published", "production", "produced"}
TASK_STATUSES = {"published", "production"}
PAYABLE = {"published", "production", "produced", "shipped", "delivered", "completed"}


# ---- who is calling ---------------------------------------------------------------------


class Caller:
    def __init__(self, user_id: int, username: str, labs: dict[int, tuple[str, str]]) -> None:
        self.user_id, self.username, self.labs = user_id, username, labs  # lab id -> (role, slug)

    def role(self, lab_id: int) -> str:
        return self.labs[lab_id][0]


class Bearer(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        key_hash = hashlib.sha256(token.encode()).hexdigest()
        rows = list(
            Membership.objects.filter(
                is_active=True, user__is_active=True, user__tokens__key_hash=key_hash,
                user__tokens__revoked_at=None, user__tokens__expires_at__gt=timezone.now(),
            ).values_list("user_id", "user__username", "lab_id", "role", "lab__slug")
        )
        if not rows:
            return None
        return Caller(rows[0][0], rows[0][1], {lab: (role, slug) for _, _, lab, role, slug in rows})


class CompiledJsonRenderer(JSONRenderer):
    """BARE_RENDERER=pydantic: JSON written by pydantic-core, as Crownline's renderer does."""

    def render(self, request: HttpRequest, data: object, *, response_status: int) -> bytes:
        return pydantic_core.to_json(data, fallback=NinjaJSONEncoder().default)


api = NinjaAPI(title="bare", auth=Bearer(), urls_namespace="bare",
               renderer=CompiledJsonRenderer() if os.environ.get("BARE_RENDERER") == "pydantic" else None)


# ---- shapes -------------------------------------------------------------------------------


class Ref(Out):
    id: int
    name: str


class LineOut(Out):
    id: int
    position: int
    service: Ref
    quantity: int
    teeth: list[int]
    shade: str
    unit_price: Decimal | None
    line_total: Decimal | None


class OrderOut(Out):
    number: str
    display_number: str
    lab: str
    status: str
    cancelled_from: str | None
    version: int
    customer: Ref
    patient: Ref | None
    lines: list[LineOut]
    due_date: dt.date | None
    notes: str
    production_date: dt.date | None
    published_at: dt.datetime | None
    delivered_on: dt.date | None
    tracking_number: str
    carrier: str
    currency: str
    total: Decimal | None
    amount_paid: Decimal | None
    amount_due: Decimal
    tasks_total: int
    tasks_done: int
    created_at: dt.datetime
    updated_at: dt.datetime
    allowed_actions: list[str]


class OrderPage(Out):
    items: list[OrderOut]
    count: int
    page: int
    page_size: int
    next_cursor: str | None


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
    pay: Decimal | None
    done: bool
    done_by: str | None
    done_at: dt.datetime | None


class PaymentOut(Out):
    id: int
    amount: Decimal
    method: str
    reference: str
    recorded_at: dt.datetime
    voided_at: dt.datetime | None
    void_reason: str


class ErrorOut(Out):
    detail: str


class ReasonIn(Schema):
    reason: str = Field("", max_length=500)


class PaymentIn(Schema):
    amount: Decimal | None = Field(None, gt=0, max_digits=12, decimal_places=2)
    method: str = Field("", max_length=50)
    reference: str = Field("", max_length=100)


class ListFilters(Schema):
    status: str | None = None
    lab: str | None = None
    page: int = Field(1, ge=1, le=100000)
    page_size: int = Field(50, ge=1, le=100)


def _count(**only: object) -> Coalesce:
    counted = Task.objects.filter(order=OuterRef("pk"), **only).order_by().values("order").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")), 0)


def _lines() -> Prefetch:
    return Prefetch("lines", queryset=OrderLine.objects.select_related("service"))


def _orders(caller: Caller):
    """The tenant filter: orders of the caller's labs, with what an answer shows."""
    return (
        Order.objects.filter(lab_id__in=list(caller.labs))
        .select_related("lab", "customer", "patient")
        .annotate(tasks_total=_count(), tasks_done=_count(done=True))
    )


def _number(number: str) -> str:
    return number.strip().lstrip("#").upper()


def order_out(o: Order, role: str, lines: list[OrderLine]) -> dict:
    money = role != "technician"
    actions = ALLOWED[role][o.status]
    if o.amount_paid <= 0:
        actions = [a for a in actions if a != "cancel-payment"]
    return {
        "number": o.number, "display_number": f"#{o.number}", "lab": o.lab.slug, "status": o.status,
        "cancelled_from": o.cancelled_from or None, "version": o.version,
        "customer": {"id": o.customer_id, "name": o.customer.name},
        "patient": {"id": o.patient_id, "name": o.patient.name} if o.patient_id else None,
        "lines": [
            {"id": line.id, "position": line.position, "service": {"id": line.service_id, "name": line.service.name},
             "quantity": line.quantity, "teeth": line.teeth, "shade": line.shade,
             "unit_price": line.unit_price if money else None,
             "line_total": line.unit_price * line.quantity if money else None}
            for line in lines
        ],
        "due_date": o.due_date, "notes": o.notes, "production_date": o.production_date,
        "published_at": o.published_at, "delivered_on": o.delivered_on, "tracking_number": o.tracking_number,
        "carrier": o.carrier, "currency": o.currency, "total": o.total if money else None,
        "amount_paid": o.amount_paid if money else None, "amount_due": max(o.total - o.amount_paid, Decimal(0)),
        "tasks_total": o.tasks_total, "tasks_done": o.tasks_done, "created_at": o.created_at,
        "updated_at": o.updated_at, "allowed_actions": actions,
    }


# ---- reads --------------------------------------------------------------------------------


@api.get("/orders", response={200: OrderPage, 404: ErrorOut})
def list_orders(request: HttpRequest, filters: Query[ListFilters]):
    caller: Caller = request.auth
    qs = _orders(caller)
    if filters.lab:
        lab_id = next((k for k, (_, slug) in caller.labs.items() if slug == filters.lab), None)
        if lab_id is None:
            raise HttpError(404, f"You do not work with a lab called {filters.lab!r}.")
        qs = qs.filter(lab_id=lab_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    start = (filters.page - 1) * filters.page_size
    items = list(qs.order_by("-created_at", "-id").prefetch_related(_lines())[start : start + filters.page_size])
    full = len(items) == filters.page_size
    count = qs.count() if full else start + len(items)
    cursor = None
    if full:
        raw = json.dumps(["-created", items[-1].created_at.isoformat(), items[-1].id], separators=(",", ":"))
        cursor = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
    return {
        "items": [order_out(o, caller.role(o.lab_id), o.lines.all()) for o in items],
        "count": count, "page": filters.page, "page_size": filters.page_size, "next_cursor": cursor,
    }


@api.get("/orders/{number}", response={200: OrderOut, 404: ErrorOut})
def get_order(request: HttpRequest, number: str, response: HttpResponse):
    order = _orders(request.auth).filter(number=_number(number)).prefetch_related(_lines()).first()
    if order is None:
        raise HttpError(404, "No such order.")
    response["ETag"] = f'"{order.number}-{order.version}"'
    return order_out(order, request.auth.role(order.lab_id), order.lines.all())


# ---- writes: lock, check, update, event, in one transaction ----------------------------------


def _locked(caller: Caller, number: str, *, full: bool = False) -> Order:
    qs = _orders(caller) if full else Order.objects.filter(lab_id__in=list(caller.labs))
    order = qs.select_for_update(of=("self",)).filter(number=_number(number)).first()
    if order is None:
        raise HttpError(404, "No such order.")
    return order


def _event(order: Order, caller: Caller, action: str, to_status: str, data: dict, from_status: str = "") -> None:
    OrderEvent.objects.create(order_id=order.pk, actor_id=caller.user_id, actor_role=caller.role(order.lab_id),
                              action=action, from_status=from_status or order.status, to_status=to_status, data=data)


def _move(caller: Caller, number: str, action: str, response: HttpResponse, reason: str = "") -> dict:
    with transaction.atomic():
        order = _locked(caller, number, full=True)
        role, status = caller.role(order.lab_id), order.status
        if action not in ALLOWED[role][status]:
            raise HttpError(409, f"Cannot {action}: the order is {status}.")
        if action == "cancel":
            if not reason.strip():
                raise HttpError(422, "reason: the lab gives a reason when it cancels an order")
            to, cancelled_from, data = "cancelled", status, {"reason": reason.strip()}
        else:
            to, cancelled_from, data = order.cancelled_from, "", {}
        now = timezone.now()
        Order.objects.filter(pk=order.pk).update(status=to, cancelled_from=cancelled_from,
                                                 version=order.version + 1, updated_at=now)
        _event(order, caller, action, to, data)
        order.status, order.cancelled_from, order.version, order.updated_at = to, cancelled_from, order.version + 1, now
    response["ETag"] = f'"{order.number}-{order.version}"'
    return order_out(order, role, list(OrderLine.objects.filter(order_id=order.pk).select_related("service")))


@api.post("/orders/{number}/actions/cancel", response={200: OrderOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut})
def cancel(request: HttpRequest, number: str, response: HttpResponse, data: ReasonIn | None = None):
    return _move(request.auth, number, "cancel", response, reason=data.reason if data else "")


@api.post("/orders/{number}/actions/reopen", response={200: OrderOut, 404: ErrorOut, 409: ErrorOut})
def reopen(request: HttpRequest, number: str, response: HttpResponse):
    return _move(request.auth, number, "reopen", response)


def _mark(caller: Caller, number: str, task_id: int, done: bool) -> dict:
    with transaction.atomic():
        order = _locked(caller, number)
        role = caller.role(order.lab_id)
        if order.status not in TASK_STATUSES:
            raise HttpError(409, f"Cannot mark a task: the order is {order.status}.")
        task = Task.objects.select_related("assignee").filter(order_id=order.pk, pk=task_id).first()
        if task is None:
            raise HttpError(404, "No such task.")
        if task.done != done:
            task.done, task.done_by_id = done, caller.user_id if done else None
            task.done_at = timezone.now() if done else None
            Task.objects.filter(pk=task.pk).update(done=task.done, done_by_id=task.done_by_id, done_at=task.done_at)
            _event(order, caller, "mark-task-done" if done else "unmark-task-done", order.status,
                   {"task": task.pk, "name": task.name})
    a = task.assignee
    return {
        "id": task.id, "position": task.position, "name": task.name, "line": task.line_id,
        "assignee": {"id": a.pk, "username": a.username,
                     "name": f"{a.first_name} {a.last_name}".strip() or a.username} if a else None,
        "pay": task.pay if role == "lab_admin" or task.assignee_id == caller.user_id else None,
        "done": task.done, "done_by": (caller.username if task.done_by_id == caller.user_id else None)
        if task.done_by_id else None, "done_at": task.done_at,
    }


TASK_RESPONSES = {200: TaskOut, 404: ErrorOut, 409: ErrorOut}


@api.post("/orders/{number}/tasks/{task_id}/done", response=TASK_RESPONSES)
def mark_done(request: HttpRequest, number: str, task_id: int):
    return _mark(request.auth, number, task_id, True)


@api.delete("/orders/{number}/tasks/{task_id}/done", response=TASK_RESPONSES)
def mark_not_done(request: HttpRequest, number: str, task_id: int):
    return _mark(request.auth, number, task_id, False)


@api.post("/orders/{number}/payments", response={201: PaymentOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
                                                 422: ErrorOut})
def record_payment(request: HttpRequest, number: str, data: PaymentIn):
    caller: Caller = request.auth
    with transaction.atomic():
        order = _locked(caller, number)
        if caller.role(order.lab_id) != "lab_admin":
            raise HttpError(403, "A technician may not record a payment.")
        if order.status not in PAYABLE:
            raise HttpError(409, f"Cannot record a payment: the order is {order.status}.")
        due = max(order.total - order.amount_paid, Decimal(0))
        amount = due if data.amount is None else data.amount
        if not Decimal(0) < amount <= due:
            raise HttpError(422, f"amount: more than zero and at most what is due ({due})")
        payment = Payment.objects.create(order_id=order.pk, amount=amount, method=data.method.strip(),
                                         reference=data.reference.strip(), recorded_by_id=caller.user_id,
                                         void_reason="")
        paid = order.amount_paid + amount
        to = "completed" if order.status == "delivered" and paid >= order.total else order.status
        Order.objects.filter(pk=order.pk).update(amount_paid=paid, status=to, version=order.version + 1,
                                                 updated_at=timezone.now())
        _event(order, caller, "record-payment", to, {"payment": payment.pk, "amount": str(amount),
                                                     "method": payment.method, "reference": payment.reference})
    return 201, {"id": payment.pk, "amount": payment.amount, "method": payment.method, "reference": payment.reference,
                 "recorded_at": payment.recorded_at, "voided_at": None, "void_reason": ""}
