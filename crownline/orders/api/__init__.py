"""Order endpoints: thin wrappers that parse input, call one service, render the order."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Field as F
from ninja import Header, Query, Router, Schema
from ninja import Status as Reply

from crownline.billing import balances
from crownline.customers.access import lab_roles
from crownline.errors import NotFound, PreconditionFailed
from crownline.http import IfMatch, Prefer, expected_version, minimal, prefers_minimal
from crownline.orders import comments, discounts, drafting, lists, payments, services
from crownline.orders.access import get_order_for
from crownline.orders.drafting import LineInput, OrderInput
from crownline.orders.history import history_of
from crownline.orders.lifecycle import ORDER_ACTIONS, Action, Status
from crownline.orders.models import Order, OrderQuerySet
from crownline.orders.presenting import order_out
from crownline.orders.schemas import (
    CommentIn,
    CommentOut,
    DeliverIn,
    DiscountIn,
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
)
from crownline.schemas import READ_ERRORS, REQUIRED_HEADERS, WRITE_ERRORS, Day, ErrorOut, Id, PathId

router = Router(tags=["orders"])


def render(request: HttpRequest, number: str, response: HttpResponse | None = None) -> dict:
    order, standing = get_order_for(request.user, number, shape=OrderQuerySet.answered)
    if response is not None:
        response["ETag"] = order.etag
    return order_out(order, standing)


def render_changed(request: HttpRequest, order: Order, response: HttpResponse) -> dict:
    """The answer to an action: the order as the action's service left it, with no query.

    The service locked this very row with everything the answer shows
    (`OrderQuerySet.answered`: lab, customer, patient, lines, task counts) and applied its
    change to it, so the answer is the written row.
    """
    response["ETag"] = order.etag
    return order_out(order, lab_roles(request.user)[order.lab_id])


class OrderFilters(Schema):
    status: Status | None = None
    customer: Id | None = None
    assignee: Id | None = F(None, description="orders with a task assigned to this user "
                             "(in the labs where the caller is staff)")
    due_from: Day | None = None
    due_to: Day | None = None
    lab: str | None = F(None, max_length=60)
    q: str | None = F(None, max_length=100, description="order number, patient or customer name")
    ordering: str = F(lists.DEFAULT_ORDERING, pattern="^-?(created|due_date)$")
    on_hold: bool | None = F(None, description="true: only held orders; false: none of them")
    at_fitting: bool | None = F(None, description="true: only cases out for fitting (sent, not back)")
    remake: bool | None = F(None, description="true: only remakes of another order")
    late: bool | None = F(None, description="true: not shipped and past the due date, or at risk for the "
                          "patient's appointment")
    page: int = F(1, ge=1, le=100000)
    page_size: int = F(50, ge=1, le=settings.CROWNLINE_MAX_PAGE_SIZE)
    cursor: str | None = F(
        None, max_length=200,
        description="`next_cursor` of the previous page: keyset paging, as fast on page 5,000 as on page 1 "
        "(orderings created and -created; `page` is then ignored)",
    )


@router.get("", response={200: OrderPage, **READ_ERRORS})
def list_orders(request: HttpRequest, filters: Query[OrderFilters]):
    query = lists.OrderQuery(
        lab_id=lists.lab_id_named(request.user, filters.lab) if filters.lab else None,
        status=filters.status, customer=filters.customer, assignee=filters.assignee,
        due_from=filters.due_from, due_to=filters.due_to, q=filters.q or "", ordering=filters.ordering,
        on_hold=filters.on_hold, at_fitting=filters.at_fitting, remake=filters.remake, late=filters.late,
    )
    qs = lists.with_status(lists.matching(request.user, query), query.status)
    page = lists.page_of(
        qs, ordering=query.ordering, page=filters.page, page_size=filters.page_size, cursor=filters.cursor,
        shape=OrderQuerySet.answered,
    )
    roles = lab_roles(request.user)
    return {
        "items": [order_out(o, roles[o.lab_id]) for o in page.items],
        "count": page.count,
        "page": page.page,
        "page_size": page.page_size,
        "next_cursor": page.next_cursor,
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
        appointment_date=data.appointment_date,
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


@router.patch(
    "/{number}", response={200: OrderOut, 428: ErrorOut, **WRITE_ERRORS}, openapi_extra={REQUIRED_HEADERS: ["If-Match"]}
)
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

ACTION_RESPONSES = {200: OrderOut, 204: None, **WRITE_ERRORS}


def _version(request: HttpRequest, number: str, if_match: str | None) -> int | None:
    try:
        return expected_version(if_match, required=False, number=number)
    except PreconditionFailed:
        # An order the caller cannot see is 404 whatever If-Match says (as for PATCH): an
        # If-Match that names another order is no reason to tell a stranger about this one.
        get_order_for(request.user, number)
        raise


def _act(request, number, response, if_match, prefer, service, **kwargs):
    order = service(request.user, number, expected_version=_version(request, number, if_match), **kwargs)
    if prefers_minimal(prefer):
        return minimal(order.etag)
    return render_changed(request, order, response)


@router.post(f"/{{number}}/actions/{Action.PUBLISH}", response=ACTION_RESPONSES)
def publish(
    request: HttpRequest, number: str, response: HttpResponse, if_match: str | None = IfMatch,
    prefer: str | None = Prefer,
):
    return _act(request, number, response, if_match, prefer, services.publish_order)


@router.post(f"/{{number}}/actions/{Action.TAKEDOWN}", response=ACTION_RESPONSES)
def takedown(
    request: HttpRequest, number: str, response: HttpResponse, data: ReasonIn | None = None,
    if_match: str | None = IfMatch, prefer: str | None = Prefer,
):
    reason = data.reason if data else ""
    return _act(request, number, response, if_match, prefer, services.takedown_order, reason=reason)


@router.post(f"/{{number}}/actions/{Action.START_PRODUCTION}", response=ACTION_RESPONSES)
def start_production(
    request: HttpRequest, number: str, data: ProductionIn, response: HttpResponse, if_match: str | None = IfMatch,
    prefer: str | None = Prefer,
):
    return _act(
        request, number, response, if_match, prefer, services.start_production,
        production_date=data.production_date,
    )


@router.post(f"/{{number}}/actions/{Action.PRODUCE}", response=ACTION_RESPONSES)
def produce(
    request: HttpRequest, number: str, response: HttpResponse, if_match: str | None = IfMatch,
    prefer: str | None = Prefer,
):
    return _act(request, number, response, if_match, prefer, services.produce_order)


@router.post(f"/{{number}}/actions/{Action.SHIP}", response=ACTION_RESPONSES)
def ship(
    request: HttpRequest, number: str, data: TrackingIn, response: HttpResponse, if_match: str | None = IfMatch,
    prefer: str | None = Prefer,
):
    return _act(
        request, number, response, if_match, prefer, services.ship_order,
        tracking_number=data.tracking_number, carrier=data.carrier,
    )


@router.post(f"/{{number}}/actions/{Action.UPDATE_TRACKING}", response=ACTION_RESPONSES)
def update_tracking(
    request: HttpRequest, number: str, data: TrackingIn, response: HttpResponse, if_match: str | None = IfMatch,
    prefer: str | None = Prefer,
):
    return _act(
        request, number, response, if_match, prefer, services.update_tracking,
        tracking_number=data.tracking_number, carrier=data.carrier,
    )


@router.post(f"/{{number}}/actions/{Action.DELIVER}", response=ACTION_RESPONSES)
def deliver(
    request: HttpRequest, number: str, response: HttpResponse, data: DeliverIn | None = None,
    if_match: str | None = IfMatch, prefer: str | None = Prefer,
):
    delivered_on = data.delivered_on if data else None
    return _act(request, number, response, if_match, prefer, services.deliver_order, delivered_on=delivered_on)


@router.post(f"/{{number}}/actions/{Action.CANCEL}", response=ACTION_RESPONSES)
def cancel(
    request: HttpRequest, number: str, response: HttpResponse, data: ReasonIn | None = None,
    if_match: str | None = IfMatch, prefer: str | None = Prefer,
):
    reason = data.reason if data else ""
    return _act(request, number, response, if_match, prefer, services.cancel_order, reason=reason)


@router.post(f"/{{number}}/actions/{Action.REOPEN}", response=ACTION_RESPONSES)
def reopen(
    request: HttpRequest, number: str, response: HttpResponse, if_match: str | None = IfMatch,
    prefer: str | None = Prefer,
):
    return _act(request, number, response, if_match, prefer, services.reopen_order)


@router.post("/{number}/actions/{action}", response={404: ErrorOut, 401: ErrorOut}, include_in_schema=False)
def unknown_action(request: HttpRequest, number: str, action: str):
    get_order_for(request.user, number)
    raise NotFound(f"Unknown action {action!r}. Known actions: {', '.join(ORDER_ACTIONS)}.")


# ---- money --------------------------------------------------------------------------


@router.post("/{number}/discount", response=ACTION_RESPONSES)
def set_discount(
    request: HttpRequest, number: str, data: DiscountIn, response: HttpResponse, if_match: str | None = IfMatch,
    prefer: str | None = Prefer,
):
    return _act(request, number, response, if_match, prefer, discounts.set_discount, kind=data.kind, value=data.value)


@router.delete("/{number}/discount", response=ACTION_RESPONSES)
def remove_discount(
    request: HttpRequest, number: str, response: HttpResponse, if_match: str | None = IfMatch,
    prefer: str | None = Prefer,
):
    return _act(request, number, response, if_match, prefer, discounts.set_discount, kind=None)


@router.get("/{number}/payments", response={200: list[PaymentOut], 403: ErrorOut, **READ_ERRORS})
def list_payments(request: HttpRequest, number: str):
    return list(payments.payments_for(request.user, number))


@router.post("/{number}/payments", response={201: PaymentOut, 204: None, **WRITE_ERRORS})
def record_payment(
    request: HttpRequest, number: str, data: PaymentIn, if_match: str | None = IfMatch, prefer: str | None = Prefer,
):
    version = _version(request, number, if_match)
    if data.from_balance:  # the funds are checked under the customer's row lock (billing.balances)
        payment = balances.pay_from_balance(
            request.user, number, amount=data.amount, method=data.method, reference=data.reference,
            expected_version=version,
        )
    else:
        payment = payments.record_payment(
            request.user, number, amount=data.amount, method=data.method, reference=data.reference,
            expected_version=version,
        )
    # The service wrote the order's new version on the very object the payment points to.
    if prefers_minimal(prefer):
        return minimal(payment.order.etag)
    return Reply(201, payment)


@router.post("/{number}/payments/{payment_id}/cancel", response={200: PaymentOut, 204: None, **WRITE_ERRORS})
def cancel_payment(
    request: HttpRequest, number: str, payment_id: PathId, data: ReasonIn | None = None,
    if_match: str | None = IfMatch, prefer: str | None = Prefer,
):
    payment = payments.cancel_payment(
        request.user, number, payment_id, reason=data.reason if data else "",
        expected_version=_version(request, number, if_match),
    )
    if prefers_minimal(prefer):
        return minimal(payment.order.etag)
    return payment


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
    return history_of(order, standing.role)  # EventOut reads the entries' attributes


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

