"""Due dates from the work schedule: production days counted in working days, or worked back
from the patient's appointment (issue 13).

Production days: the order is due the largest production days of its services after the day
it is published (the next working day when it is published on a day off or after closing).

The appointment: the case must reach the dentist by then. The lab ships `Lab.shipping_days`
working days before it, so it is due that day; the latest publish date that still meets it lies
the production days before that. Published later, the order is due as production days allow,
and the explanation says how late it reaches the dentist.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from crownline.schedule.calendar import Calendar, NoWorkingDays, short
from crownline.schedule.services import calendar_for
from crownline.tenancy.models import Lab

NOTE_MAX = 300  # Order.due_date_note
PRODUCTION, APPOINTMENT = "production", "appointment"


@dataclass(frozen=True)
class ServiceDays:
    name: str
    days: int | None  # None: the service names no production time


@dataclass(frozen=True)
class DueDate:
    due_date: dt.date | None
    source: str  # "production", "appointment", or "" when nothing gives one
    note: str
    latest_publish: dt.date | None = None  # the appointment's: publish by then to meet it
    late_by: int = 0  # days the case reaches the dentist after the appointment
    warning: str = ""

    @property
    def at_risk(self) -> bool:
        return self.late_by > 0


def _days(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _longest(services: Iterable[ServiceDays]) -> ServiceDays | None:
    known = [s for s in services if s.days is not None]
    return max(known, key=lambda s: s.days or 0) if known else None


def _clip(text: str) -> str:
    return text if len(text) <= NOTE_MAX else text[: NOTE_MAX - 1] + "…"


def _production_phrase(longest: ServiceDays | None) -> str:
    if longest is None:
        return "no production days set for its services"
    name = longest.name if len(longest.name) <= 60 else longest.name[:59] + "…"
    return f"{_days(longest.days or 0, 'production day')} ({name})"


def from_production(cal: Calendar, moment: dt.datetime, services: Iterable[ServiceDays]) -> DueDate:
    """Published at `moment` (the lab's local time): due after the longest production days."""
    longest = _longest(services)
    if longest is None:
        return DueDate(None, "", "")
    start = cal.counting_from(moment)
    due = cal.add_working_days(start, longest.days or 0)
    note = f"{_production_phrase(longest)} from {short(start)}, counting working days only: due {short(due)}"
    return DueDate(due, PRODUCTION, _clip(note))


def from_appointment(
    cal: Calendar, moment: dt.datetime, services: Iterable[ServiceDays], appointment: dt.date, shipping_days: int
) -> DueDate:
    """Worked back from the appointment; `moment` is when it is (or would be) published."""
    longest = _longest(services)
    production = longest.days or 0 if longest else 0
    due = cal.subtract_working_days(appointment, shipping_days)
    latest = cal.subtract_working_days(due, production)
    start = cal.counting_from(moment)
    shipping = _days(shipping_days, "shipping day")
    if start <= latest:
        note = (
            f"appointment {short(appointment)}, {shipping}: due {short(due)}; "
            f"{_production_phrase(longest)}: publish by {short(latest)}"
        )
        return DueDate(due, APPOINTMENT, _clip(note), latest_publish=latest)
    due = cal.add_working_days(start, production)
    arrives = cal.add_working_days(due, shipping_days)
    late_by = max((arrives - appointment).days, 0)
    warning = (
        (
            f"published today, this order is due {short(due)} and reaches the dentist {short(arrives)}, "
            f"{_days(late_by, 'day')} after the appointment ({short(appointment)})"
        )
        if late_by
        else ""
    )
    note = (
        f"appointment {short(appointment)} cannot be met: {_production_phrase(longest)} from "
        f"{short(start)}, {shipping}: due {short(due)}"
    )
    return DueDate(due, APPOINTMENT, _clip(note), latest_publish=latest, late_by=late_by, warning=warning)


def local_moment(lab: Lab, moment: dt.datetime | None = None) -> dt.datetime:
    return (moment or timezone.now()).astimezone(zoneinfo.ZoneInfo(lab.time_zone)).replace(tzinfo=None)


def due_date_for(
    lab: Lab,
    services: Iterable[ServiceDays],
    *,
    appointment: dt.date | None = None,
    moment: dt.datetime | None = None,
    cal: Calendar | None = None,
) -> DueDate:
    """The due date an order of these services gets when published at `moment` (now)."""
    cal = cal or calendar_for(lab)
    when = local_moment(lab, moment)
    try:
        if appointment is not None:
            return from_appointment(cal, when, list(services), appointment, lab.shipping_days)
        return from_production(cal, when, services)
    except NoWorkingDays:
        return DueDate(None, "", "")
