"""The demo's working-day calendar: the University of North Thames (the provider) is closed on
the first working day after Boxing Day this Christmas (next Christmas once this one has passed),
so feedback deadlines of work submitted before Christmas skip it as well as the bank holidays.
The programme leader (Hana Osei) adds it through the service; called by `demo_data.load` before
the assignments' demo, so their deadlines already skip it. Running the demo again adds nothing.
"""

from __future__ import annotations

import datetime as dt

from joinedup.partnership.actor import Actor

from . import calendar_days
from .models import BankHoliday, ClosureDay

REASON = "University closed between Christmas and New Year"


def christmas_closure_day(today: dt.date) -> dt.date:
    """The first weekday from 27 December that is not a bank holiday, this year or (once it has
    passed) next year."""
    for year in (today.year, today.year + 1):
        day = dt.date(year, 12, 27)
        while day.weekday() >= 5 or BankHoliday.objects.filter(on=day).exists():
            day += dt.timedelta(days=1)
        if day >= today:
            return day
    raise AssertionError("unreachable: next Christmas is always ahead")


def load(*, leader: Actor) -> ClosureDay:
    """Close the leader's organisation (the university) on its Christmas closure day."""
    on = christmas_closure_day(calendar_days.today())
    existing = ClosureDay.objects.filter(provider=leader.organisation, on=on).first()
    if existing is not None:
        return existing
    return calendar_days.add_closure_day(actor=leader, on=on, reason=REASON)
