"""The markers on an order: on hold, sent for fitting (issue 13). Mounted under /orders by crownline.api.

Each answers the changed order (or 204 with `Prefer: return=minimal`), like the life-cycle
actions; an optional `If-Match` refuses with 412 when the order changed since it was loaded.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router

from crownline.http import IfMatch, Prefer
from crownline.orders import markers
from crownline.orders.api import ACTION_RESPONSES, _act
from crownline.schemas import NOT_BLANK, Day, In

router = Router(tags=["orders"])


class HoldIn(In):
    reason: str = Field(
        min_length=1,
        max_length=markers.REASON_MAX,
        json_schema_extra=NOT_BLANK,
        description="why the order waits (the lab and the dentist read it)",
    )


class ReleaseIn(In):
    reason: str = Field("", max_length=markers.REASON_MAX)


class FittingIn(In):
    sent_on: Day | None = Field(None, description="the day the try-in went out (default today; not in the future)")
    note: str = Field("", max_length=markers.NOTE_MAX)


class FittingBackIn(In):
    back_on: Day | None = Field(None, description="the day it came back (default today; not before it was sent)")
    note: str = Field("", max_length=markers.NOTE_MAX)


@router.post("/{number}/hold", response=ACTION_RESPONSES, summary="Put an order on hold")
def hold(
    request: HttpRequest,
    number: str,
    data: HoldIn,
    response: HttpResponse,
    if_match: str | None = IfMatch,
    prefer: str | None = Prefer,
):
    return _act(request, number, response, if_match, prefer, markers.hold_order, reason=data.reason)


@router.delete("/{number}/hold", response=ACTION_RESPONSES, summary="Release an order from hold")
def release(
    request: HttpRequest,
    number: str,
    response: HttpResponse,
    data: ReleaseIn | None = None,
    if_match: str | None = IfMatch,
    prefer: str | None = Prefer,
):
    reason = data.reason if data else ""
    return _act(request, number, response, if_match, prefer, markers.release_order, reason=reason)


@router.post("/{number}/fitting", response=ACTION_RESPONSES, summary="Send the case for fitting (a try-in)")
def send_for_fitting(
    request: HttpRequest,
    number: str,
    response: HttpResponse,
    data: FittingIn | None = None,
    if_match: str | None = IfMatch,
    prefer: str | None = Prefer,
):
    data = data or FittingIn()
    return _act(
        request, number, response, if_match, prefer, markers.send_for_fitting, sent_on=data.sent_on, note=data.note
    )


@router.post("/{number}/fitting/return", response=ACTION_RESPONSES, summary="Record the case back from fitting")
def return_from_fitting(
    request: HttpRequest,
    number: str,
    response: HttpResponse,
    data: FittingBackIn | None = None,
    if_match: str | None = IfMatch,
    prefer: str | None = Prefer,
):
    data = data or FittingBackIn()
    return _act(
        request, number, response, if_match, prefer, markers.return_from_fitting, back_on=data.back_on, note=data.note
    )
