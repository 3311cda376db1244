"""When an apprentice's progress reviews fall due: every 12 weeks from the start until the planned
end. Plain dates in, plain dates out (no Django), so the rule is tested on its own."""

from __future__ import annotations

import datetime as dt

INTERVAL_WEEKS = 12


def due_dates(
    start_on: dt.date, planned_end_on: dt.date, *, every_weeks: int = INTERVAL_WEEKS
) -> list[dt.date]:
    """The due date of each review in order: the first `every_weeks` after the start, then every
    `every_weeks` after that, the last on or before the planned end (none when the apprenticeship
    is shorter than one interval)."""
    if every_weeks <= 0:
        raise ValueError("The interval between reviews must be at least a week")
    step = dt.timedelta(weeks=every_weeks)
    dates = []
    due = start_on + step
    while due <= planned_end_on:
        dates.append(due)
        due += step
    return dates


def is_overdue(due_on: dt.date, *, fully_signed: bool, today: dt.date) -> bool:
    """A review is overdue from the day after it was due until all three have signed it."""
    return due_on < today and not fully_signed
