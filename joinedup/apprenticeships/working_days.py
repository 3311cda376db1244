"""Working days for feedback deadlines, as plain code (no Django).

A working day is Monday to Friday that is neither a bank holiday (England and Wales) nor one of
the provider's closure days. Feedback on a submission is due at the end of the 15th working day
after the day it was submitted: the submission day itself never counts, whatever day it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

SATURDAY = 5


def is_working_day(day: dt.date, closed: Collection[dt.date]) -> bool:
    """Monday to Friday, and not a bank holiday or closure day (`closed`)."""
    return day.weekday() < SATURDAY and day not in closed


def add_working_days(start: dt.date, days: int, closed: Collection[dt.date]) -> dt.date:
    """The `days`-th working day after `start` (not counting `start`)."""
    if days < 1:
        raise ValueError("Count at least one working day")
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day, closed):
            counted += 1
    return day


def working_days_between(start: dt.date, end: dt.date, closed: Collection[dt.date]) -> int:
    """How many working days fall after `start` up to and including `end` (0 if `end` is not
    after `start`)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day, closed):
            count += 1
    return count
