"""Feedback deadlines from the stored calendar: bank holidays (England and Wales) and the
provider's closure days, fed to the plain `working_days` rules."""

from __future__ import annotations

import datetime as dt

from . import working_days
from .models import FEEDBACK_WORKING_DAYS, BankHoliday, ClosureDay

# 15 working days span less than this unless a provider closes for weeks (then it reads on).
WINDOW = dt.timedelta(days=90)


def closed_days(provider_id: int, start: dt.date, end: dt.date) -> set[dt.date]:
    """The bank holidays and the provider's closure days from `start` to `end`."""
    holidays = BankHoliday.objects.filter(on__range=(start, end)).values_list("on", flat=True)
    closures = ClosureDay.objects.filter(provider_id=provider_id, on__range=(start, end))
    return set(holidays) | set(closures.values_list("on", flat=True))


def feedback_due_on(provider_id: int, submitted_on: dt.date) -> dt.date:
    """The 15th working day after `submitted_on` at the provider: feedback is due by its end."""
    end = submitted_on + WINDOW
    while True:
        closed = closed_days(provider_id, submitted_on, end)
        due = working_days.add_working_days(submitted_on, FEEDBACK_WORKING_DAYS, closed)
        if due <= end:
            return due
        # A long run of closure days pushed it past the window: read further and count again.
        end = due + WINDOW
