"""Order endpoints: thin wrappers that parse input, call one service, render the order."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from ninja import Field as F
from ninja import Header, Query, Router, Schema
from ninja import Status as Reply

from crownline.errors import InvalidInput, NotFound, PreconditionFailed, PreconditionRequired
from crownline.orders import comments, drafting, payments, services
from crownline.orders.access import get_order_for, visible_orders
from crownline.orders.drafting import LineInput, OrderInput
from crownline.orders.lifecycle import Status
from crownline.orders.listing import count_orders, search
from crownline.orders.models import Order, lines_with_services
from crownline.orders.pagination import CURSOR_ORDERINGS, BadCursor, decode_cursor, encode_cursor
from crownline.orders.schemas import (
    CommentIn,
    CommentOut,
    DeliverIn,
    EventOut,
    OrderCreateIn,
    OrderOut,
    OrderPage,
    OrderPatchIn,
    PaymentIn,
    PaymentInstructionsOut,
    PaymentOut,
    ProductionIn,
    ReasonIn,
    TrackingIn,
    event_out,
    order_out,
    visible_to,
)
from crownline.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut
from crownline.tenancy.access import lab_roles

router = Router(tags=["orders"])

ORDERINGS = {"created": ("created_at", "id"), "-created": ("-created_at", "-id"),
             "due_date": ("due_date", "id"), "-due_date": ("-due_date", "-id")}


def _task_count(**only) -> Coalesce:
    from crownline.workplan.models import Task

    counted = Task.objects.filter(order=OuterRef("pk"), **only).order_by().values("order").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), 0)


def detailed(qs: QuerySet[Order]) -> QuerySet[Order]:
    """Everything `order_out` reads, in a fixed number of queries whatever the page holds.

    The task counts are per-row subqueries, not a JOIN + GROUP BY: grouped, the database
    would have to count the tasks of every matching order before it could sort and cut
    out one page (seconds at a million orders); as subqueries it counts the page's only.
    """
    return qs.select_related("lab", "customer", "patient").prefetch_related(lines_with_services()).annotate(
        tasks_total=_task_count(), tasks_done=_task_count(done=True)
    )


def render(request: HttpRequest, number: str, response: HttpResponse | None = None) -> dict:
    order, standing = get_order_for(request.user, number, shape=detailed)
    if response is not None:
        response["ETag"] = order.etag
    return order_out(order, standing)


def render_changed(request: HttpRequest, order: Order, response: HttpResponse) -> dict:
    """The answer to an action: the order as the action's service left it.

    The service locked and updated this very row (with its lab, customer and patient), so
    the answer is rendered from it, with the lines and the task counts read after the
    change: two queries instead of loading the order again from scratch.
    """
    prefetch_related_objects([order], lines_with_services())
    counts = order.tasks.aggregate(total=Count("pk"), done=Count("pk", filter=Q(done=True)))
    order.tasks_total, order.tasks_done = counts["total"], counts["done"]
    response["ETag"] = order.etag
    return order_out(order, lab_roles(request.user)[order.lab_id])


def expected_version(if_match: str | None, *, required: bool, number: str) -> int | None:
    """Parse If-Match ("<number>-<version>", quoted, optionally weak) into a version."""
    if not if_match:
        if required:
            raise PreconditionRequired("Send If-Match with the order's ETag to edit it.")
        return None
    if if_match.strip() == "*":
        return None  # RFC 9110: "*" matches any current version
    tag = if_match.strip().removeprefix("W/").strip('"')
    prefix, _, version = tag.rpartition("-")
    if prefix.upper() != number.upper().lstrip("#") or not version.isdigit():
        raise PreconditionFailed("If-Match does not match this order's ETag; reload it.")
    return int(version)


class OrderFilters(Schema):
    status: Status | None = None
    customer: int | None = None
    lab: str | None = F(None, max_length=60)
    q: str | None = F(None, max_length=100, description="order number or patient name")
    ordering: str = F("-created", pattern="^-?(created|due_date)$")
    page: int = F(1, ge=1, le=100000)
    page_size: int = F(50, ge=1, le=settings.CROWNLINE_MAX_PAGE_SIZE)
    cursor: str | None = F(
        None, max_length=200,
        description="`next_cursor` of the previous page: keyset paging, as fast on page 5,000 as on page 1 "
        "(orderings created and -created; `page` is then ignored)",
    )


def _after_cursor(qs: QuerySet[Order], cursor: str, ordering: str) -> QuerySet[Order]:
    """The orders after the cursor's row: `created_at <= x AND NOT (created_at = x AND id >= y)`
    (mirrored for ascending), which the (lab, status, created_at) index serves as a range."""
    if ordering not in CURSOR_ORDERINGS:
        raise InvalidInput("cursor", f"cursor paging works with ordering {' or '.join(sorted(CURSOR_ORDERINGS))}")
    try:
        value, last_id = decode_cursor(cursor, ordering)
        at = dt.datetime.fromisoformat(value)
    except (BadCursor, ValueError) as exc:
        raise InvalidInput("cursor", str(exc)) from exc
    if ordering.startswith("-"):
        return qs.filter(created_at__lte=at).exclude(created_at=at, id__gte=last_id)
    return qs.filter(created_at__gte=at).exclude(created_at=at, id__lte=last_id)


@router.get("", response={200: OrderPage, **READ_ERRORS})
def list_orders(request: HttpRequest, filters: Query[OrderFilters]):
    roles = lab_roles(request.user)
    lab_id = None
    if filters.lab:
        from crownline.tenancy.models import Lab

        lab_id = Lab.objects.filter(slug=filters.lab, id__in=list(roles)).values_list("id", flat=True).first()
        if lab_id is None:
            raise NotFound(f"You do not work with a lab called {filters.lab!r}.")
    qs = visible_orders(request.user, lab_id=lab_id)
    if filters.status:
        qs = qs.filter(status=filters.status.value)
    if filters.customer:
        qs = qs.filter(customer_id=filters.customer)
    if filters.q:
        qs = qs.filter(search(filters.q, [lab_id] if lab_id else list(roles)))
    ordered = detailed(qs.order_by(*ORDERINGS[filters.ordering]))
    if filters.cursor:
        page = list(_after_cursor(ordered, filters.cursor, filters.ordering)[: filters.page_size])
    else:
        start = (filters.page - 1) * filters.page_size
        page = list(ordered[start : start + filters.page_size])
    if not filters.cursor and len(page) < filters.page_size and (page or filters.page == 1):
        # The last page, reached by its number: the count is known without a query (most
        # searches and short queues end on their first page).
        count = start + len(page)
    else:
        count = count_orders(qs)
    next_cursor = None
    if len(page) == filters.page_size and filters.ordering in CURSOR_ORDERINGS:
        next_cursor = encode_cursor(filters.ordering, page[-1].created_at.isoformat(), page[-1].id)
    return {
        "items": [order_out(o, roles[o.lab_id]) for o in page],
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "next_cursor": next_cursor,
    }


def _order_input(data: OrderCreateIn | OrderPatchIn) -> OrderInput:
    lines = None
    if data.lines is not None:
        lines = [LineInput(**line.dict()) for line in data.lines]
    given = set(data.model_fields_set)
    return OrderInput(
        customer=getattr(data, "customer", None),
        patient=data.patient,
        patient_name=data.patient_name,
        due_date=data.due_date,
        notes=data.notes,
        lines=lines,
        given=given,
    )


@router.post("", response={201: OrderOut, **WRITE_ERRORS})
def create_order(request: HttpRequest, data: OrderCreateIn, response: HttpResponse):
    order = drafting.create_order(request.user, _order_input(data), lab_slug=data.lab)
    return Reply(201, render(request, order.number, response))


@router.get("/{number}", response={200: OrderOut, **READ_ERRORS})
def get_order(request: HttpRequest, number: str, response: HttpResponse):
    return render(request, number, response)


@router.patch("/{number}", response={200: OrderOut, 428: ErrorOut, **WRITE_ERRORS})
def edit_order(
    request: HttpRequest,
    number: str,
    data: OrderPatchIn,
    response: HttpResponse,
    if_match: str | None = Header(None, alias="If-Match"),
):
    get_order_for(request.user, number)  # 404 before 428 for an order the caller cannot see
    version = expected_version(if_match, required=True, number=number)
    drafting.edit_order(request.user, number, _order_input(data), expected_version=version)
    return render(request, number, response)


# ---- life-cycle actions: one endpoint each, so each documents its own input ----------

IfMatch = Header(None, alias="If-Match", description="optional: refuse with 412 if the order changed")
ACTION_RESPONSES = {200: OrderOut, **WRITE_ERRORS}


def _act(request, number, response, if_match, service, **kwargs):
    version = expected_version(if_match, required=False, number=number)
    order = service(request.user, number, expected_version=version, **kwargs)
    return render_changed(request, order, response)


@router.post("/{number}/actions/publish", response=ACTION_RESPONSES)
def publish(request: HttpRequest, number: str, response: HttpResponse, if_match: str | None = IfMatch):
    return _act(request, number, response, if_match, services.publish_order)


@router.post("/{number}/actions/takedown", response=ACTION_RESPONSES)
def takedown(
    request: HttpRequest, number: str, response: HttpResponse, data: ReasonIn | None = None,
    if_match: str | None = IfMatch,
):
    reason = data.reason if data else ""
    return _act(request, number, response, if_match, services.takedown_order, reason=reason)


@router.post("/{number}/actions/start-production", response=ACTION_RESPONSES)
def start_production(
    request: HttpRequest, number: str, data: ProductionIn, response: HttpResponse, if_match: str | None = IfMatch
):
    return _act(
        request, number, response, if_match, services.start_production, production_date=data.production_date
    )


@router.post("/{number}/actions/produce", response=ACTION_RESPONSES)
def produce(request: HttpRequest, number: str, response: HttpResponse, if_match: str | None = IfMatch):
    return _act(request, number, response, if_match, services.produce_order)


@router.post("/{number}/actions/ship", response=ACTION_RESPONSES)
def ship(request: HttpRequest, number: str, data: TrackingIn, response: HttpResponse, if_match: str | None = IfMatch):
    return _act(
        request, number, response, if_match, services.ship_order,
        tracking_number=data.tracking_number, carrier=data.carrier,
    )


@router.post("/{number}/actions/update-tracking", response=ACTION_RESPONSES)
def update_tracking(
    request: HttpRequest, number: str, data: TrackingIn, response: HttpResponse, if_match: str | None = IfMatch
):
    return _act(
        request, number, response, if_match, services.update_tracking,
        tracking_number=data.tracking_number, carrier=data.carrier,
    )


@router.post("/{number}/actions/deliver", response=ACTION_RESPONSES)
def deliver(
    request: HttpRequest, number: str, response: HttpResponse, data: DeliverIn | None = None,
    if_match: str | None = IfMatch,
):
    delivered_on = data.delivered_on if data else None
    return _act(request, number, response, if_match, services.deliver_order, delivered_on=delivered_on)


@router.post("/{number}/actions/cancel", response=ACTION_RESPONSES)
def cancel(
    request: HttpRequest, number: str, response: HttpResponse, data: ReasonIn | None = None,
    if_match: str | None = IfMatch,
):
    reason = data.reason if data else ""
    return _act(request, number, response, if_match, services.cancel_order, reason=reason)


@router.post("/{number}/actions/reopen", response=ACTION_RESPONSES)
def reopen(request: HttpRequest, number: str, response: HttpResponse, if_match: str | None = IfMatch):
    return _act(request, number, response, if_match, services.reopen_order)


KNOWN_ACTIONS = ["publish", "takedown", "start-production", "produce", "ship", "update-tracking",
                 "deliver", "cancel", "reopen"]


@router.post("/{number}/actions/{action}", response={404: ErrorOut, 401: ErrorOut}, include_in_schema=False)
def unknown_action(request: HttpRequest, number: str, action: str):
    get_order_for(request.user, number)
    raise NotFound(f"Unknown action {action!r}. Known actions: {', '.join(KNOWN_ACTIONS)}.")


# ---- money --------------------------------------------------------------------------


@router.get("/{number}/payments", response={200: list[PaymentOut], 403: ErrorOut, **READ_ERRORS})
def list_payments(request: HttpRequest, number: str):
    return list(payments.payments_for(request.user, number))


@router.post("/{number}/payments", response={201: PaymentOut, **WRITE_ERRORS})
def record_payment(request: HttpRequest, number: str, data: PaymentIn, if_match: str | None = IfMatch):
    payment = payments.record_payment(
        request.user, number, amount=data.amount, method=data.method, reference=data.reference,
        expected_version=expected_version(if_match, required=False, number=number),
    )
    return Reply(201, payment)


@router.post("/{number}/payments/{payment_id}/cancel", response={200: PaymentOut, **WRITE_ERRORS})
def cancel_payment(
    request: HttpRequest, number: str, payment_id: int, data: ReasonIn | None = None,
    if_match: str | None = IfMatch,
):
    return payments.cancel_payment(
        request.user, number, payment_id, reason=data.reason if data else "",
        expected_version=expected_version(if_match, required=False, number=number),
    )


@router.get(
    "/{number}/payment-instructions",
    response={200: PaymentInstructionsOut, 403: ErrorOut, 409: ErrorOut, **READ_ERRORS},
)
def payment_instructions(request: HttpRequest, number: str):
    return payments.payment_instructions(request.user, number)


# ---- history and comments -------------------------------------------------------------


@router.get("/{number}/events", response={200: list[EventOut], **READ_ERRORS})
def list_events(request: HttpRequest, number: str):
    order, standing = get_order_for(request.user, number)
    return [event_out(e, standing) for e in order.events.select_related("actor") if visible_to(e, standing)]


@router.get("/{number}/comments", response={200: list[CommentOut], **READ_ERRORS})
def list_comments(request: HttpRequest, number: str):
    return [
        {"id": c.id, "author": c.author.get_username() if c.author else None, "body": c.body,
         "internal": c.internal, "created_at": c.created_at}
        for c in comments.comments_for(request.user, number)
    ]


@router.post("/{number}/comments", response={201: CommentOut, **WRITE_ERRORS})
def add_comment(request: HttpRequest, number: str, data: CommentIn):
    c = comments.add_comment(request.user, number, body=data.body, internal=data.internal)
    return Reply(201, {"id": c.id, "author": request.user.get_username(), "body": c.body, "internal": c.internal,
                 "created_at": c.created_at})

