"""Working-day arithmetic over a lab's work schedule: pure Python, no Django (issue 13).

A `Calendar` knows which weekdays are worked and when each one closes, and the exceptions: a
date that is off (a public holiday, the lab's own closing day) or, for a normally-off day, worked
(a Saturday opened before Christmas). An exception is one date, or repeats every year on the
same month and day. A one-off exception wins over a yearly one, and any exception over the week.

A yearly exception on 29 February is kept on 28 February in common years: a lab that closes
"on the last day of February every leap year" is rare, one that entered its founder's birthday
on the 29th still expects it every year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# How far the arithmetic looks for the next working day before it gives up: a schedule with no
# working day at all (every weekday off, no opened date) would otherwise loop for ever.
SEARCH_LIMIT_DAYS = 3 * 366
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class NoWorkingDays(ValueError):
    """The schedule has no working day within reach of the date asked about."""


@dataclass(frozen=True)
class Day:
    """One weekday of the week: worked or not, its hours and its break (times of the lab's zone)."""

    working: bool
    opens: dt.time = dt.time(8, 0)
    closes: dt.time = dt.time(17, 0)
    break_start: dt.time | None = None
    break_end: dt.time | None = None


@dataclass(frozen=True)
class Exception_:
    """A date that is off (`working=False`) or worked against the week; yearly or one-off."""

    date: dt.date
    working: bool = False
    yearly: bool = False
    reason: str = ""


DEFAULT_WEEK: tuple[Day, ...] = tuple(
    Day(working=weekday < 5, break_start=dt.time(12, 0), break_end=dt.time(12, 30)) for weekday in range(7)
)


def _month_day(date: dt.date) -> tuple[int, int]:
    return date.month, date.day


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


@dataclass(frozen=True)
class Calendar:
    week: tuple[Day, ...] = DEFAULT_WEEK
    exceptions: tuple[Exception_, ...] = ()
    _one_off: Mapping[dt.date, bool] = field(init=False, repr=False, compare=False)
    _yearly: Mapping[tuple[int, int], bool] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.week) != 7:
            raise ValueError("a week has seven days")
        one_off = {e.date: e.working for e in self.exceptions if not e.yearly}
        yearly = {_month_day(e.date): e.working for e in self.exceptions if e.yearly}
        object.__setattr__(self, "_one_off", one_off)
        object.__setattr__(self, "_yearly", yearly)

    @classmethod
    def of(cls, week: Iterable[Day] | None = None, exceptions: Iterable[Exception_] = ()) -> Calendar:
        return cls(tuple(week) if week is not None else DEFAULT_WEEK, tuple(exceptions))

    def _exception(self, date: dt.date) -> bool | None:
        if date in self._one_off:
            return self._one_off[date]
        key = _month_day(date)
        if key in self._yearly:
            return self._yearly[key]
        # 29 February in a common year: its yearly exception falls on the 28th.
        if key == (2, 28) and not _is_leap(date.year) and (2, 29) in self._yearly and (2, 28) not in self._yearly:
            return self._yearly[(2, 29)]
        return None

    def exception_on(self, date: dt.date) -> Exception_ | None:
        """The exception that decides `date`, for telling people why (one-off first)."""
        for e in self.exceptions:
            if not e.yearly and e.date == date:
                return e
        for e in self.exceptions:
            if e.yearly and (
                _month_day(e.date) == _month_day(date)
                or (_month_day(e.date) == (2, 29) and _month_day(date) == (2, 28) and not _is_leap(date.year))
            ):
                return e
        return None

    def is_working_day(self, date: dt.date) -> bool:
        decided = self._exception(date)
        return self.week[date.weekday()].working if decided is None else decided

    def _step(self, date: dt.date, direction: int) -> dt.date:
        """The next working day strictly after (direction 1) or before (-1) `date`."""
        for _ in range(SEARCH_LIMIT_DAYS):
            date = date + dt.timedelta(days=direction)
            if self.is_working_day(date):
                return date
        raise NoWorkingDays("the work schedule has no working day within three years")

    def next_working_day(self, date: dt.date) -> dt.date:
        """`date` itself when it is worked, else the first working day after it."""
        return date if self.is_working_day(date) else self._step(date, 1)

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The `days`-th working day after `start` (not counting `start`); for 0, `start`
        itself when worked, else the next working day."""
        if days < 0:
            raise ValueError("days is not negative")
        date = self.next_working_day(start) if days == 0 else start
        for _ in range(days):
            date = self._step(date, 1)
        return date

    def subtract_working_days(self, end: dt.date, days: int) -> dt.date:
        """The `days`-th working day before `end` (not counting `end`); for 0, `end` itself
        when worked, else the last working day before it."""
        if days < 0:
            raise ValueError("days is not negative")
        if days == 0:
            return end if self.is_working_day(end) else self._step(end, -1)
        date = end
        for _ in range(days):
            date = self._step(date, -1)
        return date

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """How many working days lie in (start, end]; 0 when end is not after start."""
        count, date = 0, start
        while date < end:
            date += dt.timedelta(days=1)
            count += self.is_working_day(date)
        return count

    def counting_from(self, moment: dt.datetime) -> dt.date:
        """The day the production days count from, for an order published at `moment` (the
        lab's local time): that day when it is worked and the lab has not closed yet, else
        the next working day (the cut-off)."""
        date = moment.date()
        if self.is_working_day(date) and moment.time() < self.week[date.weekday()].closes:
            return date
        return self._step(date, 1)


def short(date: dt.date) -> str:
    """'Thu 5 Nov': how the explanations name a day."""
    return f"{WEEKDAY_NAMES[date.weekday()][:3]} {date.day} {date.strftime('%b')}"
