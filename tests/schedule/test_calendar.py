"""The working-day arithmetic (crownline.schedule.calendar): examples, then properties."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from crownline.schedule.calendar import DEFAULT_WEEK, Calendar, Day, Exception_, NoWorkingDays, short

D = dt.date
MON_2_NOV_2026 = D(2026, 11, 2)


def test_the_default_week_works_monday_to_friday():
    cal = Calendar()
    assert [cal.is_working_day(MON_2_NOV_2026 + dt.timedelta(days=i)) for i in range(7)] == [True] * 5 + [False] * 2


def test_adding_working_days_skips_the_weekend():
    cal = Calendar()
    assert cal.add_working_days(D(2026, 11, 5), 3) == D(2026, 11, 10)  # Thu + 3 -> Tue
    assert cal.add_working_days(MON_2_NOV_2026, 3) == D(2026, 11, 5)
    assert cal.add_working_days(D(2026, 11, 7), 0) == D(2026, 11, 9)  # a Saturday: the Monday


def test_a_yearly_exception_is_off_every_year_and_a_one_off_only_once():
    cal = Calendar.of(
        exceptions=[
            Exception_(D(2020, 12, 25), yearly=True, reason="Christmas"),
            Exception_(D(2026, 11, 3), reason="Outing"),
        ]
    )
    assert not cal.is_working_day(D(2026, 12, 25)) and not cal.is_working_day(D(2031, 12, 25))
    assert not cal.is_working_day(D(2026, 11, 3)) and cal.is_working_day(D(2027, 11, 3))
    assert cal.add_working_days(MON_2_NOV_2026, 1) == D(2026, 11, 4)


def test_a_one_off_exception_wins_over_a_yearly_one_and_can_open_a_saturday():
    cal = Calendar.of(
        exceptions=[
            Exception_(D(2020, 12, 24), yearly=True),
            Exception_(D(2026, 12, 24), working=True),
            Exception_(D(2026, 12, 19), working=True, reason="Christmas rush"),
        ]
    )
    assert cal.is_working_day(D(2026, 12, 24)) and not cal.is_working_day(D(2027, 12, 24))
    assert cal.is_working_day(D(2026, 12, 19))  # a Saturday


def test_a_yearly_29_february_falls_on_the_28th_in_common_years():
    cal = Calendar.of(exceptions=[Exception_(D(2028, 2, 29), yearly=True, reason="Leap day")])
    assert not cal.is_working_day(D(2028, 2, 29))
    assert not cal.is_working_day(D(2030, 2, 28))  # a Thursday in a common year
    assert cal.is_working_day(D(2030, 2, 27)) and cal.is_working_day(D(2030, 3, 1))
    assert cal.exception_on(D(2030, 2, 28)).reason == "Leap day"
    assert cal.is_working_day(D(2028, 2, 28))  # a leap year keeps its 28th


def test_the_cut_off_counts_an_order_published_after_closing_from_the_next_working_day():
    short_friday = list(DEFAULT_WEEK)
    short_friday[4] = Day(working=True, opens=dt.time(8), closes=dt.time(13))
    cal = Calendar.of(short_friday)
    assert cal.counting_from(dt.datetime(2026, 11, 2, 16, 59)) == MON_2_NOV_2026
    assert cal.counting_from(dt.datetime(2026, 11, 2, 17, 0)) == D(2026, 11, 3)
    assert cal.counting_from(dt.datetime(2026, 11, 6, 13, 30)) == D(2026, 11, 9)  # Friday closes at 13:00
    assert cal.counting_from(dt.datetime(2026, 11, 7, 9, 0)) == D(2026, 11, 9)  # Saturday


def test_a_week_without_working_days_is_refused_not_looped():
    cal = Calendar.of([Day(working=False)] * 7)
    try:
        cal.add_working_days(MON_2_NOV_2026, 1)
    except NoWorkingDays:
        return
    raise AssertionError("expected NoWorkingDays")


def test_days_are_named_as_people_read_them():
    assert short(D(2026, 11, 5)) == "Thu 5 Nov"


# ---- properties ---------------------------------------------------------------------------

dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31))
weeks = (
    st.lists(st.booleans(), min_size=7, max_size=7).filter(any).map(lambda flags: tuple(Day(working=f) for f in flags))
)
exceptions = st.lists(st.builds(Exception_, date=dates, working=st.booleans(), yearly=st.booleans()), max_size=12)
calendars = st.builds(Calendar.of, weeks, exceptions)
counts = st.integers(min_value=0, max_value=60)


@given(calendars, dates, counts)
def test_adding_lands_on_a_working_day_after_the_start(cal, start, n):
    end = cal.add_working_days(start, n)
    assert cal.is_working_day(end)
    assert end >= start and (n == 0 or end > start)


@given(calendars, dates, st.integers(min_value=1, max_value=60))
def test_adding_n_working_days_passes_exactly_n_of_them(cal, start, n):
    assert cal.working_days_between(start, cal.add_working_days(start, n)) == n


@given(calendars, dates, counts)
def test_adding_then_going_back_returns_to_a_working_day_not_after_the_start(cal, start, n):
    back = cal.subtract_working_days(cal.add_working_days(start, n), n)
    assert cal.is_working_day(back) and back <= cal.next_working_day(start)
    if cal.is_working_day(start):
        assert back == start


@given(calendars, dates, counts)
def test_going_back_then_adding_returns_to_the_end_when_it_is_worked(cal, end, n):
    there = cal.add_working_days(cal.subtract_working_days(end, n), n)
    assert there <= end or not cal.is_working_day(end)
    if cal.is_working_day(end):
        assert there == end


@given(calendars, dates, counts, counts)
def test_adding_is_monotonic(cal, start, a, b):
    low, high = sorted((a, b))
    assert cal.add_working_days(start, low) <= cal.add_working_days(start, high)
