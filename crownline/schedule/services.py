"""Reading and writing a lab's work schedule: the week and its exceptions.

The writes are the lab admin's (`tenancy.access.lab_as_admin`); who may read is the door's
question (staff and the lab's dentists, `customers.access.lab_roles`), as this layer sits
beside customers and may not ask it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from crownline.errors import Conflict, InvalidInput, NotFound
from crownline.schedule.calendar import DEFAULT_WEEK, Calendar, Day, Exception_
from crownline.schedule.models import ScheduleException, WorkDay
from crownline.tenancy.access import lab_as_admin
from crownline.tenancy.models import Lab

REASON_MAX = 200
# Exceptions further away than this are typing mistakes (year 2206), not plans.
EXCEPTION_YEARS = 10


def week_of(lab: Lab) -> tuple[Day, ...]:
    """The lab's seven days (the default week where it saved none)."""
    saved = {d.weekday: d for d in WorkDay.objects.filter(lab=lab)}
    return tuple(
        Day(working=d.working, opens=d.opens, closes=d.closes, break_start=d.break_start, break_end=d.break_end)
        if (d := saved.get(weekday))
        else DEFAULT_WEEK[weekday]
        for weekday in range(7)
    )


def exceptions_of(lab: Lab) -> list[ScheduleException]:
    return list(ScheduleException.objects.filter(lab=lab))


def calendar_for(lab: Lab) -> Calendar:
    """The lab's calendar: two queries (the week, the exceptions)."""
    exceptions = [Exception_(e.date, e.working, e.yearly, e.reason) for e in exceptions_of(lab)]
    return Calendar.of(week_of(lab), exceptions)


def _check_day(i: int, day: Day) -> None:
    where = f"week[{i}]"
    if not day.working:
        return
    if day.opens >= day.closes:
        raise InvalidInput(f"{where}.closes", "a working day closes after it opens")
    if (day.break_start is None) != (day.break_end is None):
        raise InvalidInput(f"{where}.break_end", "a break has a start and an end, or neither")
    if day.break_start is not None and day.break_end is not None:
        if day.break_start >= day.break_end:
            raise InvalidInput(f"{where}.break_end", "a break ends after it starts")
        if day.break_start < day.opens or day.break_end > day.closes:
            raise InvalidInput(f"{where}.break_start", "a break lies within the day's working hours")


def save_week(user, slug: str, week: list[Day]) -> tuple[Day, ...]:
    """Replace the lab's week (all seven days, Monday first)."""
    lab = lab_as_admin(user, slug)
    if len(week) != 7:
        raise InvalidInput("week", "a week has seven days, Monday first")
    for i, day in enumerate(week):
        _check_day(i, day)
    if not any(day.working for day in week):
        raise InvalidInput("week", "a lab works on at least one day of the week")
    with transaction.atomic():
        WorkDay.objects.filter(lab=lab).delete()
        WorkDay.objects.bulk_create(
            [
                WorkDay(
                    lab=lab,
                    weekday=i,
                    working=d.working,
                    opens=d.opens,
                    closes=d.closes,
                    break_start=d.break_start if d.working else None,
                    break_end=d.break_end if d.working else None,
                )
                for i, d in enumerate(week)
            ]
        )
    return week_of(lab)


@dataclass(frozen=True)
class ExceptionInput:
    date: dt.date
    reason: str
    yearly: bool = False
    working: bool = False


def add_exception(user, slug: str, data: ExceptionInput) -> ScheduleException:
    lab = lab_as_admin(user, slug)
    reason = data.reason.strip()
    if not reason or len(reason) > REASON_MAX:
        raise InvalidInput("reason", f"a reason has 1 to {REASON_MAX} characters")
    today = lab.local_date()
    if abs(data.date.year - today.year) > EXCEPTION_YEARS:
        raise InvalidInput("date", f"an exception lies within {EXCEPTION_YEARS} years of today")
    try:
        with transaction.atomic():
            return ScheduleException.objects.create(
                lab=lab, date=data.date, reason=reason, yearly=data.yearly, working=data.working
            )
    except IntegrityError as exc:
        kind = "a yearly exception" if data.yearly else "an exception"
        raise Conflict(f"the schedule has {kind} on {data.date} already; delete it first") from exc


def delete_exception(user, slug: str, exception_id: int) -> None:
    lab = lab_as_admin(user, slug)
    deleted, _ = ScheduleException.objects.filter(lab=lab, id=exception_id).delete()
    if not deleted:
        raise NotFound("No such exception in this lab's schedule.")
