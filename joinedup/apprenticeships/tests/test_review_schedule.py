"""The pure review schedule: due every 12 weeks from the start until the planned end, and overdue
from the day after it is due until signed by all three."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from joinedup.apprenticeships.review_schedule import due_dates, is_overdue

START = dt.date(2026, 9, 1)


def test_the_first_review_is_due_twelve_weeks_after_the_start_and_then_every_twelve_weeks():
    dates = due_dates(START, dt.date(2028, 8, 31))
    assert dates[:3] == [dt.date(2026, 11, 24), dt.date(2027, 2, 16), dt.date(2027, 5, 11)]
    assert dates[-1] == dt.date(2028, 7, 4)
    assert len(dates) == 8


def test_a_review_due_on_the_planned_end_is_scheduled_and_one_a_day_after_is_not():
    end = dt.date(2027, 2, 16)
    assert due_dates(START, end)[-1] == end
    assert due_dates(START, end - dt.timedelta(days=1)) == [dt.date(2026, 11, 24)]


def test_an_apprenticeship_shorter_than_twelve_weeks_has_no_review():
    assert due_dates(START, START + dt.timedelta(weeks=12, days=-1)) == []


@given(
    start=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 1, 1)),
    days=st.integers(min_value=1, max_value=2000),
)
def test_reviews_are_twelve_weeks_apart_and_none_fits_after_the_last(start, days):
    end = start + dt.timedelta(days=days)
    dates = due_dates(start, end)
    step = dt.timedelta(weeks=12)
    assert [b - a for a, b in zip([start, *dates], dates, strict=False)] == [step] * len(dates)
    assert all(day <= end for day in dates)
    assert (dates[-1] if dates else start) + step > end


def test_a_review_is_overdue_from_the_day_after_it_is_due_until_fully_signed():
    due = dt.date(2026, 11, 24)
    assert not is_overdue(due, fully_signed=False, today=due)
    assert is_overdue(due, fully_signed=False, today=due + dt.timedelta(days=1))
    assert not is_overdue(due, fully_signed=True, today=due + dt.timedelta(days=30))
