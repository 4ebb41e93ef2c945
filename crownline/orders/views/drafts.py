"""The order form: a new order (Save as draft / Send), editing a draft, and the lab admin correcting
a published or in-production order.

A customer orders for themselves; a lab admin picks the customer. The form parses; the
drafting service validates teeth, services, dates and patient, and its InvalidInput is
shown next to the field it names.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from crownline.catalog.models import Service
from crownline.customers.models import Customer
from crownline.errors import DomainError, Forbidden, InvalidInput
from crownline.numbers import parse_count
from crownline.orders import drafting, services
from crownline.orders.access import get_order_for
from crownline.orders.drafting import LineInput, OrderInput
from crownline.orders.forms import LineFormSet, OrderForm, attach_error
from crownline.orders.lifecycle import Action, Status, is_allowed
from crownline.pages import lab_context, lab_page, refusal_text
from crownline.roles import Role
from crownline.schedule.due_dates import DueDate, ServiceDays, due_date_for

# FDI chart rows as a dentist looks at the patient: upper right, upper left / lower right, lower left.
FDI_PERMANENT = [[18, 17, 16, 15, 14, 13, 12, 11], [21, 22, 23, 24, 25, 26, 27, 28],
                 [48, 47, 46, 45, 44, 43, 42, 41], [31, 32, 33, 34, 35, 36, 37, 38]]


def _formsets(request: HttpRequest, lab, initial_lines=None):
    active = list(Service.objects.filter(lab=lab, is_active=True).order_by("group", "name"))
    kwargs = {"form_kwargs": {"services": active}, "prefix": "lines"}
    if request.method == "POST":
        data = request.POST.copy()
        if "add_line" in data:  # "Add another service" without JavaScript: one more empty row
            rows = parse_count(data.get("lines-TOTAL_FORMS", "1"))
            # A tampered row count is left to the formset, which refuses it as a broken form.
            if rows is not None:
                data["lines-TOTAL_FORMS"] = str(rows + 1)
        return LineFormSet(data, **kwargs)
    return LineFormSet(initial=initial_lines, **kwargs)


def _field(form, name: str):
    """A bound form's value of `name`, cleaned alone (None when it does not parse): the preview
    also shows on "Add another service", which does not validate the whole form."""
    try:
        return form.fields[name].clean(form[name].value())
    except (forms.ValidationError, KeyError, TypeError, ValueError):
        return None


def _due_preview(request, form, lines, order) -> DueDate | None:
    """What publishing now would make the due date, when the form names an appointment (or has
    no due date of its own): the order form shows it and warns when the appointment is at risk."""
    if form.is_bound:
        appointment, due_date = _field(form, "appointment_date"), _field(form, "due_date")
        service_ids = [sid for f in lines.forms if (sid := _field(f, "service")) and not f["DELETE"].value()]
    else:
        appointment = order.appointment_date if order else None
        due_date = order.due_date if order else None
        service_ids = [ln.service_id for ln in order.lines.all()] if order else []
    if not service_ids or (due_date and not appointment):
        return None
    lab = lab_context(request).lab
    days = [ServiceDays(name, n) for name, n in
            Service.objects.filter(lab=lab, id__in=service_ids).values_list("name", "production_days")]
    due = due_date_for(lab, days, appointment=appointment)
    return due if due.due_date else None


def _render(request, form, lines, *, order=None, status=200) -> HttpResponse:
    return render(request, "orders/order_form.html", {
        "nav": "new", "form": form, "lines": lines, "order": order, "fdi": FDI_PERMANENT,
        "due_preview": _due_preview(request, form, lines, order),
    }, status=status)


def _input(form: OrderForm, lines) -> OrderInput:
    data = form.cleaned_data
    rows = [f.cleaned_data for f in lines.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
    return OrderInput(
        customer=data.get("customer"),
        patient_name=data["patient_name"] or None,
        due_date=data["due_date"],
        appointment_date=data["appointment_date"],
        notes=data["notes"],
        lines=[LineInput(service=r["service"], quantity=r["quantity"], teeth=r["teeth"], shade=r["shade"],
                         id=r.get("id")) for r in rows],
        given={"due_date", "appointment_date", "notes"} | ({"patient_name"} if data["patient_name"] else set()),
    )


def _refuse(request, exc: DomainError, form, lines, *, order=None) -> HttpResponse:
    if isinstance(exc, InvalidInput) and attach_error(exc, form, lines):
        return _render(request, form, lines, order=order, status=422)
    messages.error(request, refusal_text(exc))
    return _render(request, form, lines, order=order, status=exc.status_code)


@lab_page
def new_order(request: HttpRequest) -> HttpResponse:
    here = lab_context(request)
    if here.standing.role is Role.TECHNICIAN:
        messages.error(request, "A technician may not create orders.")
        return redirect("orders:list")
    customers = None if here.standing.role is Role.CUSTOMER else Customer.objects.filter(lab=here.lab).order_by("name")
    form = OrderForm(request.POST or None, customers=customers)
    lines = _formsets(request, here.lab)
    if request.method != "POST" or "add_line" in request.POST or not (form.is_valid() & lines.is_valid()):
        return _render(request, form, lines, status=422 if request.method == "POST" and "add_line" not in
                       request.POST else 200)
    try:
        order = drafting.create_order(request.user, _input(form, lines), lab_slug=here.lab.slug)
    except DomainError as exc:
        return _refuse(request, exc, form, lines)
    return _after_save(request, order)


def _after_save(request: HttpRequest, order) -> HttpResponse:
    if request.POST.get("intent") == "send" and order.status == Status.DRAFT:
        try:
            services.publish_order(request.user, order.number, expected_version=order.version)
        except DomainError as exc:
            detail = refusal_text(exc)
            messages.error(request, f"Saved as a draft but not sent: {detail}")
            return redirect("orders:detail", number=order.number)
        messages.success(request, f"Order {order.display_number} sent to the lab.")
    elif order.status == Status.DRAFT:
        messages.success(request, f"Draft {order.display_number} saved.")
        if order.appointment_date and (due := _due_preview(request, OrderForm(), None, order)) and due.warning:
            messages.warning(request, f"Late for the appointment: {due.warning}.")
    else:
        messages.success(request, f"Order {order.display_number} saved.")
    return redirect("orders:detail", number=order.number)


@lab_page
def edit_draft(request: HttpRequest, number: str) -> HttpResponse:
    order, standing = get_order_for(request.user, number)
    # Drafts for their dentist and the lab admin; published and in-production orders for the
    # lab admin alone (the life cycle decides, as everywhere).
    if not is_allowed(Status(order.status), standing.role, Action.EDIT):
        messages.error(request, f"This order cannot be edited now: it is {order.status}.")
        return redirect("orders:detail", number=order.number)
    initial = {"patient_name": order.patient.name if order.patient else "", "due_date": order.due_date,
               "appointment_date": order.appointment_date, "notes": order.notes, "version": order.version}
    form = OrderForm(request.POST or None, initial=initial)
    lines = _formsets(request, order.lab, [
        {"id": ln.id, "service": ln.service_id, "quantity": ln.quantity, "teeth": ", ".join(map(str, ln.teeth)),
         "shade": ln.shade} for ln in order.lines.all()
    ])
    if request.method != "POST" or "add_line" in request.POST or not (form.is_valid() & lines.is_valid()):
        status = 422 if request.method == "POST" and "add_line" not in request.POST else 200
        return _render(request, form, lines, order=order, status=status)
    version = parse_count(request.POST.get("version", ""))
    try:
        if version is None:
            raise Forbidden("This form is incomplete; reload the page and try again.")
        order = drafting.edit_order(request.user, number, _input(form, lines), expected_version=version)
    except DomainError as exc:
        if exc.status_code == 412:
            messages.error(request, "Someone else changed this order since you opened it; nothing was saved.")
            return redirect("orders:detail", number=order.number)
        return _refuse(request, exc, form, lines, order=order)
    return _after_save(request, order)
