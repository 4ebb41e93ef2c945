"""The order page: rendering it as the caller may see it, with an action's dialog re-opened
on invalid input, and showing it again, unchanged, when a service refused an action.

Every page view that acts on an order (the action buttons, the work-plan panel, comments)
answers with `order_page` or `refused`. Here too: the order page itself, its payment
instructions and its comment form. Nothing here decides what is allowed: the buttons
come from `lifecycle.allowed_actions` for the caller's role, and the services refuse.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from crownline.documents.options import Section
from crownline.errors import DomainError, InvalidInput, NotFound
from crownline.files import views as files_pages
from crownline.orders import comments, lifecycle, payments
from crownline.orders.access import get_order_for
from crownline.orders.forms import CommentForm, DiscountForm, PaymentForm, ProductionForm, ReasonForm, TrackingForm
from crownline.orders.history import history_of
from crownline.orders.lifecycle import Action, Status
from crownline.orders.lists import is_overdue
from crownline.orders.models import Order, OrderQuerySet
from crownline.orders.views import case_copy, case_markers
from crownline.outsourcing import views as outsourcing_pages
from crownline.pages import lab_page, refusal_text
from crownline.roles import Role
from crownline.tenancy.models import Membership
from crownline.workplan.forms import TaskForm


def _can(order: Order, role: Role) -> dict[str, bool]:
    """`can.<action>` for the template, one flag per `Action` (dashes as underscores)."""
    status = Status(order.status)
    return {a.value.replace("-", "_"): lifecycle.is_allowed(status, role, a) for a in Action}


# The print dialog's choices, in print order.
PRINT_SECTIONS = [(section.value, section.label) for section in Section]


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
        "discount": DiscountForm(
            initial={**v, "kind": order.discount_kind or "percent",
                     "value": order.discount_value if order.discount_kind else None},
            auto_id="discount-%s",
        ),
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
        shape=OrderQuerySet.with_content,
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
        # Newest first on the page; the same entries as the API's history, which is oldest first.
        "timeline": history_of(order, role)[::-1],
        "comments": comments.comments_for(request.user, number),
        "comment_form": comment_form or CommentForm(),
        "payments": list(order.payments.all()) if role.sees_money else [],
        "members": members,
        "dialog": dialog, "dialogs": dialogs, "print_sections": PRINT_SECTIONS,
        "show_money": role.sees_money,
        "overdue": is_overdue(order, order.lab.local_date()),
    }
    # The case's parts of the page (issue 13), each from its own module.
    for part in (case_copy, case_markers, files_pages, outsourcing_pages):
        context |= part.page_context(order, standing)
    return render(request, "orders/detail.html", context, status=status)


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
        messages.error(request, refusal_text(exc))
    return order_page(request, number, status=status)


@lab_page
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    return order_page(request, number)


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

