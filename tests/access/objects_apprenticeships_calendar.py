"""Bank holidays and closure days for the working-day calendar's pages and API, made anew on every
call.

Bank holidays belong to no organisation: the own, partner's and outsider's objects are each a
fresh bank holiday added by the partnership lead on a free weekday from 2031 on. A closure day
"of" an organisation closes it on a free weekday from 2031 on (so it has not passed and may be
removed), added by the programme leader persona. A provider "of" an organisation is that
organisation.
"""

from __future__ import annotations

import datetime as dt
import itertools

from joinedup.apprenticeships.models import BankHoliday, ClosureDay
from joinedup.partnership.tests.world import World

from .objects import Kwargs, Resolver, organisation_of

FIRST = dt.date(2031, 1, 1)
_DAYS = itertools.count()
WORKING_DAYS = "/api/v1/apprenticeships/working-days"


def _free_weekday() -> dt.date:
    """A weekday from 2031 on that no bank holiday or closure day uses yet."""
    while True:
        day = FIRST + dt.timedelta(days=next(_DAYS))
        taken = (
            BankHoliday.objects.filter(on=day).exists()
            or ClosureDay.objects.filter(on=day).exists()
        )
        if day.weekday() < 5 and not taken:
            return day


def bank_holiday(world: World, which: str) -> Kwargs:
    made = BankHoliday.objects.create(
        on=_free_weekday(),
        title=f"Matrix bank holiday ({which})",
        added_by=world.person("partnership_lead"),
    )
    return {"pk": made.pk}


def closure_day(world: World, which: str) -> Kwargs:
    made = ClosureDay.objects.create(
        provider=organisation_of(world, which),
        on=_free_weekday(),
        reason=f"Matrix closure ({which})",
        added_by=world.person("programme_leader"),
    )
    return {"pk": made.pk}


def provider(world: World, which: str) -> Kwargs:
    return {"provider_id": organisation_of(world, which).pk}


RESOLVERS: dict[str, Resolver] = {
    "apprenticeships:bank_holiday_remove": bank_holiday,
    "apprenticeships:closure_day_remove": closure_day,
    "api:apprenticeship_closure_days": provider,
    "api:apprenticeship_add_closure_day": provider,
}

API_RESOLVERS: dict[str, Resolver] = {
    f"GET {WORKING_DAYS}/providers/{{provider_id}}/closure-days": provider,
    f"POST {WORKING_DAYS}/providers/{{provider_id}}/closure-days": provider,
}
