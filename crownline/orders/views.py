"""Order pages: the list, the order page and its payment instructions, comments.

Views are thin: they load through the access helpers, call the same service functions
as the API, and show a DomainError's message instead of acting. Nothing here decides
what is allowed; the buttons come from `lifecycle.allowed_actions` for the caller's role.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from crownline.customers.models import Customer
from crownline.errors import DomainError, InvalidInput, NotFound
from crownline.orders import comments, lifecycle, payments
from crownline.orders.access import get_order_for, visible_orders
from crownline.orders.forms import CommentForm, PaymentForm, ProductionForm, ReasonForm, TrackingForm
from crownline.orders.lifecycle import Role, Status
from crownline.orders.listing import search, status_counts
from crownline.orders.models import Order, lines_with_services
from crownline.orders.timeline import timeline
from crownline.tenancy.context import lab_context
from crownline.tenancy.models import Membership
from crownline.workplan.forms import TaskForm

PAGE_SIZE = 25
# Statuses in which a passed due date means the lab is late.
LATE_STATUSES = (Status.DRAFT, Status.PUBLISHED, Status.PRODUCTION, Status.PRODUCED)
SORTS = {"due": ("due_date", "id"), "-due": ("-due_date", "-id"), "new": ("-created_at", "-id")}


def lab_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in and working in at least one lab (else a page that says so)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if lab_context(request) is None:
            return render(request, "no_lab.html", status=403)
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.detail) from exc

    return wrapper


def _date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _filtered(request: HttpRequest, qs, here) -> tuple[Any, dict[str, Any]]:
    """The list's filters: customer and assignee (lab staff only), due date range (everyone)."""
    get = request.GET
    filters: dict[str, Any] = {"due_from": _date(get.get("due_from", "")), "due_to": _date(get.get("due_to", ""))}
    if filters["due_from"]:
        qs = qs.filter(due_date__gte=filters["due_from"])
    if filters["due_to"]:
        qs = qs.filter(due_date__lte=filters["due_to"])
    if here.is_staff:
        filters["customers"] = Customer.objects.filter(lab=here.lab).order_by("name")
        filters["members"] = Membership.objects.filter(lab=here.lab, is_active=True).select_related("user")
        customer, assignee = get.get("customer", ""), get.get("assignee", "")
        filters["customer"] = int(customer) if customer.isdigit() else None
        filters["assignee"] = int(assignee) if assignee.isdigit() else None
        if filters["customer"]:
            qs = qs.filter(customer_id=filters["customer"])
        if filters["assignee"]:
            qs = qs.filter(tasks__assignee_id=filters["assignee"]).distinct()
    return qs, filters


def _query(request: HttpRequest, *drop: str) -> str:
    """The current query string without some keys, for links that change only those."""
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    return params.urlencode()


@lab_page
def order_list(request: HttpRequest) -> HttpResponse:
    here = lab_context(request)
    base = visible_orders(request.user, lab_id=here.lab.id)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        base = base.filter(search(q, [here.lab.id], customers=True))
    base, filters = _filtered(request, base, here)
    # The tabs' counts; at a million orders they are remembered (crownline.orders.listing).
    counts = status_counts(base)
    status = request.GET.get("status", "")
    one_status = status in Status._value2member_map_
    qs = base.filter(status=status) if one_status else base
    sort = request.GET.get("sort", "new")
    qs = qs.order_by(*SORTS.get(sort, SORTS["new"])).select_related("customer", "patient")
    paginator = Paginator(qs, PAGE_SIZE)
    paginator.count = counts.get(status, 0) if one_status else sum(counts.values())
    page = paginator.get_page(request.GET.get("page"))
    today = here.lab.local_date()
    rows = [(o, bool(o.due_date and o.due_date < today and o.status in LATE_STATUSES)) for o in page]
    tabs = [("", "All", sum(counts.values()))] + [(s.value, s.name.title(), counts.get(s.value, 0)) for s in Status]
    return render(request, "orders/list.html", {
        "nav": "orders", "rows": rows, "page": page, "tabs": tabs, "status": status, "q": q, "sort": sort,
        "filters": filters, "query": _query(request, "status", "page"), "page_query": _query(request, "page"),
        "show_money": here.standing.role is not Role.TECHNICIAN,
    })


def _can(order: Order, role: Role) -> dict[str, bool]:
    allowed = {a.value.replace("-", "_") for a in lifecycle.allowed_actions(Status(order.status), role)}
    return {a.value.replace("-", "_"): a.value.replace("-", "_") in allowed for a in lifecycle.Action}


# The print dialog's choices, in print order (crownline.documents.options.Section).
PRINT_SECTIONS = [
    ("parties", "Customer and patient"), ("lines", "Services and tooth chart"), ("workplan", "Work plan"),
    ("comments", "Comments"), ("payment", "Payment instructions"),
]


def _dialog_forms(order: Order, is_staff: bool) -> dict[str, Any]:
    """Fresh forms for the action dialogs, each carrying the version of the order shown."""
    today = order.lab.local_date()
    v = {"version": order.version}
    forms = {
        "start_production": ProductionForm(initial={**v, "production_date": today}, auto_id="start-production-%s"),
        "ship": TrackingForm(initial=v, auto_id="ship-%s"),
        "update_tracking": TrackingForm(initial=v, auto_id="update-tracking-%s"),
        "cancel": ReasonForm(initial=v, auto_id="cancel-%s"),
        "record_payment": PaymentForm(initial={**v, "amount": order.amount_due}, auto_id="record-payment-%s"),
    }
    forms["cancel"].fields["reason"].required = is_staff  # shown as required; the service enforces it
    forms["start_production"].fields["production_date"].widget.attrs["max"] = today.isoformat()
    return forms


def order_page(
    request: HttpRequest, number: str, *, status: int = 200, dialog: str = "", form: Any = None,
    comment_form: CommentForm | None = None,
) -> HttpResponse:
    """Render the order as the caller may see it; `dialog` re-opens an action's dialog with `form`'s errors."""
    # One lookup: the access helper's query also fetches what the page reads.
    order, standing = get_order_for(
        request.user, number,
        shape=lambda qs: qs.select_related("customer", "patient").prefetch_related(lines_with_services()),
    )
    role = standing.role
    members = (
        Membership.objects.filter(lab=order.lab, is_active=True).select_related("user") if standing.is_staff else []
    )
    dialogs = _dialog_forms(order, standing.is_staff)
    dialogs["add_task"] = TaskForm(initial={"version": order.version}, members=members, auto_id="add-task-%s")
    if dialog and form is not None:
        form.auto_id = f"{dialog}-%s"
        dialogs[dialog.replace("-", "_")] = form
    tasks = list(order.tasks.select_related("assignee"))
    done = sum(t.done for t in tasks)
    context = {
        "nav": "orders", "order": order, "standing": standing, "role": role.value,
        "is_admin": role is Role.ADMIN, "is_staff": standing.is_staff, "can": _can(order, role),
        "lines": list(order.lines.all()), "tasks": tasks, "tasks_done": done,
        "open_tasks": [t.name for t in tasks if not t.done],
        "progress": round(100 * done / len(tasks)) if tasks else 0,
        "timeline": timeline(order.events.select_related("actor"), standing),
        "comments": comments.comments_for(request.user, number),
        "comment_form": comment_form or CommentForm(),
        "payments": list(order.payments.all()) if role is not Role.TECHNICIAN else [],
        "members": members,
        "dialog": dialog, "dialogs": dialogs, "print_sections": PRINT_SECTIONS,
        "show_money": role is not Role.TECHNICIAN,
        "overdue": bool(order.due_date and order.due_date < order.lab.local_date() and order.status in LATE_STATUSES),
    }
    return render(request, "orders/detail.html", context, status=status)


@lab_page
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    return order_page(request, number)


def refused(request: HttpRequest, number: str, exc: DomainError, *, dialog: str = "", form: Any = None) -> HttpResponse:
    """The order page again, unchanged, saying why the action was refused.

    htmx only swaps successful responses, so its requests get 200 with the message.
    """
    if isinstance(exc, NotFound):
        raise Http404(exc.detail)
    status = 200 if request.htmx else exc.status_code
    if isinstance(exc, InvalidInput) and form is not None and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
        return order_page(request, number, status=status, dialog=dialog, form=form)
    if exc.status_code == 412:
        messages.error(request, "Someone else changed this order since you opened it. Nothing was done: "
                                "here is its current state.")
    else:
        messages.error(request, exc.message if isinstance(exc, InvalidInput) else exc.detail)
    return order_page(request, number, status=status)


@lab_page
def payment_instructions(request: HttpRequest, number: str) -> HttpResponse:
    order, _ = get_order_for(request.user, number)
    try:
        info = payments.payment_instructions(request.user, number)
    except DomainError as exc:
        return refused(request, number, exc)
    return render(request, "orders/payment_instructions.html", {"nav": "orders", "order": order, "info": info})


@lab_page
@require_POST
def add_comment(request: HttpRequest, number: str) -> HttpResponse:
    form = CommentForm(request.POST)
    if not form.is_valid():
        return order_page(request, number, status=422, comment_form=form)
    try:
        data = form.cleaned_data
        comments.add_comment(request.user, number, body=data["body"], internal=data["internal"])
    except InvalidInput as exc:
        if exc.field in form.fields:
            form.add_error(exc.field, exc.message)
            return order_page(request, number, status=422, comment_form=form)
        return refused(request, number, exc)
    except DomainError as exc:
        return refused(request, number, exc)
    messages.success(request, "Comment added.")
    return redirect(reverse("orders:detail", args=[number]) + "#comments")

