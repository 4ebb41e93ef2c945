"""The order page's "Send to partner lab" dialog: one POST, answered with the order page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from crownline.errors import DomainError, InvalidInput
from crownline.numbers import parse_count
from crownline.orders.views.order_page import order_page, refused
from crownline.outsourcing import sending
from crownline.outsourcing.forms import OutsourceForm
from crownline.pages import lab_page


def _ids(values: list[str], field: str) -> list[int]:
    ids = [parse_count(v) for v in values]
    if any(i is None or i < 1 for i in ids):
        raise InvalidInput(field, "not a valid choice")
    return [i for i in ids if i is not None]


def _choices(request: HttpRequest) -> list[sending.LineChoice]:
    choices = []
    for line in _ids(request.POST.getlist("line")[:100], "lines"):
        raw = request.POST.get(f"service-{line}", "")
        service = _ids([raw], "lines")[0] if raw else None
        choices.append(sending.LineChoice(line, service))
    return choices


@lab_page
@require_POST
def outsource(request: HttpRequest, number: str) -> HttpResponse:
    form = OutsourceForm(request.POST)
    if not form.is_valid():
        return order_page(request, number, status=422, dialog="outsource", form=form)
    try:
        handoff = sending.send_order(
            request.user,
            number,
            partner=form.cleaned_data["partner"],
            lines=_choices(request),
            files=_ids(request.POST.getlist("file")[:100], "files"),
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )
    except DomainError as exc:
        return refused(request, number, exc)
    messages.success(
        request, f"Sent to {handoff.partner_order.lab.name}: their order {handoff.partner_order.display_number}."
    )
    return redirect(reverse("orders:detail", args=[number]))
