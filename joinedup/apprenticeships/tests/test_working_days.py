"""The plain working-days core (`working_days.py`), fed GOV.UK's bank holidays for England and
Wales straight from the data file (no database), and a provider's closure days as plain dates.

Bank holidays used below: 2026-08-31 (Summer), 2026-12-25 (Christmas Day), 2026-12-28 (Boxing
Day, substitute), 2027-01-01 (New Year's Day), 2027-03-26 (Good Friday), 2027-03-29 (Easter
Monday).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from joinedup.apprenticeships.models import FEEDBACK_WORKING_DAYS
from joinedup.apprenticeships.reference import bank_holiday_rows
from joinedup.apprenticeships.working_days import (
    add_working_days,
    is_working_day,
    working_days_between,
)

D = dt.date
HOLIDAYS = frozenset(row["on"] for row in bank_holiday_rows())


def test_the_data_file_has_the_christmas_and_easter_bank_holidays_the_tests_rely_on():
    assert {D(2026, 12, 25), D(2026, 12, 28), D(2027, 1, 1)} <= HOLIDAYS
    assert {D(2027, 3, 26), D(2027, 3, 29)} <= HOLIDAYS
    assert max(HOLIDAYS) == D(2028, 12, 26)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 12, 18), True),  # a Friday
        (D(2026, 12, 19), False),  # Saturday
        (D(2026, 12, 20), False),  # Sunday
        (D(2026, 12, 28), False),  # Boxing Day's substitute, a Monday
        (D(2026, 12, 29), True),
    ],
)
def test_a_working_day_is_a_weekday_that_is_not_a_bank_holiday(day, working):
    assert is_working_day(day, HOLIDAYS) is working


@pytest.mark.parametrize(
    ("submitted", "due"),
    [
        # A Wednesday with no bank holiday near: three whole weeks, the same weekday.
        (D(2026, 9, 16), D(2026, 10, 7)),
        # Saturday and Sunday: counting starts on Monday 21 September (1); 28 Sep-2 Oct (6-10);
        # 5-9 October (11-15).
        (D(2026, 9, 19), D(2026, 10, 9)),
        (D(2026, 9, 20), D(2026, 10, 9)),
        # On the Summer bank holiday (Monday 31 August): 1-4 Sep (1-4), 7-11 (5-9), 14-18
        # (10-14), Monday 21 September (15).
        (D(2026, 8, 31), D(2026, 9, 21)),
        # Friday 18 December: 21-24 Dec (1-4); 25 and 28 Dec are bank holidays; 29-31 Dec (5-7);
        # 1 Jan is one too; 4-8 Jan (8-12); 11-13 Jan (13-15).
        (D(2026, 12, 18), D(2027, 1, 13)),
        # Christmas Eve: 29-31 Dec (1-3), 4-8 Jan (4-8), 11-15 Jan (9-13), 18-19 Jan (14-15).
        (D(2026, 12, 24), D(2027, 1, 19)),
        # On Christmas Day (a bank holiday): the same days as from Christmas Eve.
        (D(2026, 12, 25), D(2027, 1, 19)),
        # Monday 22 March 2027: 23-25 Mar (1-3); Good Friday and Easter Monday skipped; 30 Mar-2
        # Apr (4-7); 5-9 Apr (8-12); 12-14 Apr (13-15).
        (D(2027, 3, 22), D(2027, 4, 14)),
        # On Good Friday: 30 Mar-2 Apr (1-4), 5-9 Apr (5-9), 12-16 Apr (10-14), 19 Apr (15).
        (D(2027, 3, 26), D(2027, 4, 19)),
        # Saturday 19 December: the same days as from Friday 18 December.
        (D(2026, 12, 19), D(2027, 1, 13)),
        # Easter Saturday: the same days as from Good Friday.
        (D(2027, 3, 27), D(2027, 4, 19)),
    ],
)
def test_feedback_is_due_on_the_15th_working_day_after_submission(submitted, due):
    assert add_working_days(submitted, FEEDBACK_WORKING_DAYS, HOLIDAYS) == due


def test_a_closure_day_in_the_window_puts_the_deadline_back_one_working_day():
    # Closed on Christmas Eve as well: 21-23 Dec (1-3), 29-31 Dec (4-6), 4-8 Jan (7-11), 11-14
    # Jan (12-15).
    closed = HOLIDAYS | {D(2026, 12, 24)}
    assert add_working_days(D(2026, 12, 18), FEEDBACK_WORKING_DAYS, closed) == D(2027, 1, 14)


@pytest.mark.parametrize(
    ("submitted", "closed_on", "due"),
    [
        # Saturday 19 December, closed on Christmas Eve: as from Friday 18 December above.
        (D(2026, 12, 19), D(2026, 12, 24), D(2027, 1, 14)),
        # On Boxing Day's substitute (Monday 28 December), closed on the 29th: 30-31 Dec (1-2),
        # 4-8 Jan (3-7), 11-15 Jan (8-12), 18-20 Jan (13-15), a day after the 19th it would be.
        (D(2026, 12, 28), D(2026, 12, 29), D(2027, 1, 20)),
        # On Good Friday, closed on Tuesday 30 March: 31 Mar-2 Apr (1-3), 5-9 Apr (4-8), 12-16
        # Apr (9-13), 19-20 Apr (14-15).
        (D(2027, 3, 26), D(2027, 3, 30), D(2027, 4, 20)),
    ],
)
def test_a_weekend_or_bank_holiday_submission_with_a_closure_day_in_the_window(
    submitted, closed_on, due
):
    assert add_working_days(submitted, FEEDBACK_WORKING_DAYS, HOLIDAYS | {closed_on}) == due


def test_counting_no_working_days_is_refused():
    with pytest.raises(ValueError, match="at least one"):
        add_working_days(D(2026, 12, 18), 0, HOLIDAYS)


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (D(2026, 12, 18), D(2027, 1, 13), 15),  # the Christmas deadline above
        (D(2026, 12, 18), D(2026, 12, 21), 1),  # Friday to Monday
        (D(2026, 12, 19), D(2026, 12, 20), 0),  # Saturday to Sunday
        (D(2026, 12, 24), D(2026, 12, 28), 0),  # Christmas Day, weekend, Boxing Day
        (D(2027, 3, 25), D(2027, 3, 30), 1),  # over Easter: only Tuesday 30 March
        (D(2026, 12, 18), D(2026, 12, 18), 0),  # the same day
        (D(2027, 1, 13), D(2026, 12, 18), 0),  # the end before the start
    ],
)
def test_working_days_between_counts_after_the_start_up_to_and_including_the_end(start, end, count):
    assert working_days_between(start, end, HOLIDAYS) == count


@given(
    submitted=st.dates(min_value=D(2020, 1, 1), max_value=D(2028, 9, 30)),
    closures=st.sets(st.dates(min_value=D(2020, 1, 1), max_value=D(2028, 12, 31)), max_size=40),
)
def test_the_due_date_is_always_a_working_day_exactly_15_working_days_later(submitted, closures):
    closed = HOLIDAYS | closures
    due = add_working_days(submitted, FEEDBACK_WORKING_DAYS, closed)
    assert is_working_day(due, closed)
    assert working_days_between(submitted, due, closed) == FEEDBACK_WORKING_DAYS
    assert working_days_between(submitted, due - dt.timedelta(days=1), closed) == 14
