"""The schedule API (issue 13): the lab's week and exceptions, and the due date an order would get.

Everyone of the lab reads the week, the exceptions and the due-date computation (a dentist
plans the patient's appointment around the lab's holidays); only the lab's admin writes.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply
from pydantic import BeforeValidator, ConfigDict, StrictBool, WithJsonSchema

from crownline.catalog.models import Service
from crownline.customers.access import admin_lab, lab_standing
from crownline.errors import InvalidInput
from crownline.numbers import ID_MAX
from crownline.schedule import services
from crownline.schedule.calendar import WEEKDAY_NAMES, Day
from crownline.schedule.due_dates import ServiceDays, due_date_for
from crownline.schemas import NOT_BLANK, READ_ERRORS, WRITE_ERRORS, In, LabSlug, Out, PathId
from crownline.schemas import Day as Date

router = Router(tags=["schedule"])
CLOCK = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
MAX_SERVICES = 50


def _clock(value: object) -> object:
    # A time of day in the lab's zone, "08:00": pydantic would also read seconds since midnight
    # and an offset ("08:00+02:00"), which cannot be compared with the lab's plain times.
    if isinstance(value, dt.time) and value.tzinfo is None:
        return value
    if not isinstance(value, str) or not re.fullmatch(CLOCK, value):
        raise ValueError("a time is written HH:MM")
    return value


# Declared as the plain pattern (no "format": "time" beside it), which clients and fuzzers can meet.
Clock = Annotated[
    dt.time, BeforeValidator(_clock), WithJsonSchema({"type": "string", "pattern": CLOCK, "examples": ["08:00"]})
]


class DayIn(In):
    working: StrictBool
    opens: Clock
    closes: Clock
    break_start: Clock | None = None
    break_end: Clock | None = None


class DayOut(Out):
    weekday: int = Field(description="0 = Monday")
    name: str
    working: bool
    opens: str = Field(description="HH:MM, the lab's time zone")
    closes: str
    break_start: str | None
    break_end: str | None


class ScheduleOut(Out):
    week: list[DayOut]
    shipping_days: int = Field(description="working days a parcel takes to the dentist (the lab's settings)")


_EXAMPLE_WEEK = [
    {
        "working": i < 5,
        "opens": "08:00",
        "closes": "13:00" if i == 4 else "17:00",
        "break_start": "12:00" if i < 4 else None,
        "break_end": "12:30" if i < 4 else None,
    }
    for i in range(7)
]


class ScheduleIn(In):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"week": _EXAMPLE_WEEK}]})

    week: list[DayIn] = Field(min_length=7, max_length=7, description="seven days, Monday first")


class ExceptionIn(In):
    date: Date
    reason: str = Field(min_length=1, max_length=services.REASON_MAX, json_schema_extra=NOT_BLANK)
    yearly: StrictBool = Field(False, description="repeats every year (29 Feb: the 28th in common years)")
    working: StrictBool = Field(False, description="true: a normally-off day that is worked")


class ExceptionOut(Out):
    id: int
    date: dt.date
    reason: str
    yearly: bool
    working: bool


class DueDateQuery(Schema):
    services: str = Field(
        "",
        max_length=400,
        description="the order's service ids, comma-separated: 1,2 (none: from the appointment alone)",
    )
    appointment: Date | None = Field(None, description="the patient's appointment, YYYY-MM-DD")


class DueDateOut(Out):
    due_date: dt.date | None
    source: str = Field(description="production, appointment, or '' when no service has production days")
    note: str = Field(description="how it was computed, in words")
    latest_publish: dt.date | None = Field(description="publish by then to meet the appointment")
    at_risk: bool = Field(description="published today, the case reaches the dentist after the appointment")
    late_by: int = Field(description="days after the appointment")
    warning: str


def _clock_out(value: dt.time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def _week_out(week: tuple[Day, ...]) -> list[dict]:
    return [
        {
            "weekday": i,
            "name": WEEKDAY_NAMES[i],
            "working": d.working,
            "opens": _clock_out(d.opens),
            "closes": _clock_out(d.closes),
            "break_start": _clock_out(d.break_start),
            "break_end": _clock_out(d.break_end),
        }
        for i, d in enumerate(week)
    ]


def _schedule_out(lab) -> dict:
    return {"week": _week_out(services.week_of(lab)), "shipping_days": lab.shipping_days}


@router.get("/labs/{slug}/schedule", response={200: ScheduleOut, **READ_ERRORS})
def get_schedule(request: HttpRequest, slug: LabSlug):
    lab, _ = lab_standing(request.user, slug)
    return _schedule_out(lab)


@router.put("/labs/{slug}/schedule", response={200: ScheduleOut, **WRITE_ERRORS})
def put_schedule(request: HttpRequest, slug: LabSlug, data: ScheduleIn):
    lab = admin_lab(request.user, slug)
    services.save_week(request.user, slug, [Day(**d.dict()) for d in data.week])
    return _schedule_out(lab)


@router.get("/labs/{slug}/schedule/exceptions", response={200: list[ExceptionOut], **READ_ERRORS})
def list_exceptions(request: HttpRequest, slug: LabSlug):
    lab, _ = lab_standing(request.user, slug)
    return services.exceptions_of(lab)


@router.post("/labs/{slug}/schedule/exceptions", response={201: ExceptionOut, **WRITE_ERRORS})
def add_exception(request: HttpRequest, slug: LabSlug, data: ExceptionIn):
    admin_lab(request.user, slug)
    return Reply(201, services.add_exception(request.user, slug, services.ExceptionInput(**data.dict())))


@router.delete("/labs/{slug}/schedule/exceptions/{exception_id}", response={204: None, **WRITE_ERRORS})
def delete_exception(request: HttpRequest, slug: LabSlug, exception_id: PathId):
    admin_lab(request.user, slug)
    services.delete_exception(request.user, slug, exception_id)
    return Reply(204, None)


def service_ids(raw: str) -> list[int]:
    """'1,2' -> [1, 2], '' -> []; 422 naming `services` for anything else."""
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if len(parts) > MAX_SERVICES:
        raise InvalidInput("services", f"name at most {MAX_SERVICES} service ids, comma-separated")
    ids = []
    for part in parts:
        if not (part.isascii() and part.isdigit() and len(part) <= 19 and 1 <= int(part) <= ID_MAX):
            raise InvalidInput("services", f"{part[:20]!r} is not a service id")
        ids.append(int(part))
    return ids


@router.get("/labs/{slug}/due-date", response={200: DueDateOut, **READ_ERRORS})
def due_date(request: HttpRequest, slug: LabSlug, query: Query[DueDateQuery]):
    lab, _ = lab_standing(request.user, slug)
    ids = service_ids(query.services)
    rows = (
        []
        if not ids
        else list(Service.objects.filter(lab=lab, id__in=ids).values_list("id", "name", "production_days"))
    )
    missing = set(ids) - {row[0] for row in rows}
    if missing:
        raise InvalidInput("services", f"no service {sorted(missing)} in this lab's catalogue")
    due = due_date_for(lab, [ServiceDays(name, days) for _, name, days in rows], appointment=query.appointment)
    return {
        "due_date": due.due_date,
        "source": due.source,
        "note": due.note,
        "latest_publish": due.latest_publish,
        "at_risk": due.at_risk,
        "late_by": due.late_by,
        "warning": due.warning,
    }
