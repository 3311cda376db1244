"""Reads the exchange page shares: places given and received between partners, value recovered.

Every figure is aggregated in the database, so each costs one query however many bookings,
runs or partners there are. A run belongs to the period of its first session (or, for a
self-paced run without sessions, its completion deadline).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Cast, Coalesce, Round

from joinedup.lib.money import from_pennies
from joinedup.partnership.models import Organisation

from .models import HOLDING_STATUSES, Booking, Outcome, Session

# Whole pennies, so sums are exact on SQLite too (it keeps decimals as floating point).
COST_PENNIES = Cast(Round(F("run__programme__cost_per_place") * 100), BigIntegerField())
# A place someone took: still held (confirmed or offered), or attended (an outcome other than
# a no-show).
PLACE_TAKEN = Q(status__in=HOLDING_STATUSES) | Q(
    outcome__in=(Outcome.COMPLETED, Outcome.NOT_COMPLETED)
)
# A released place filled: given to a partner at the release and still held, or completed.
RELEASED_PLACE_FILLED = Q(released_place=True) & (
    Q(status__in=HOLDING_STATUSES) | Q(outcome=Outcome.COMPLETED)
)
LARGEST_RUN_LIST = 100


def _in_period(bookings: QuerySet[Booking], start: dt.date, end: dt.date) -> QuerySet[Booking]:
    """Bookings on runs whose day (first session, else completion deadline) is in the period."""
    first_session = Session.objects.filter(run=OuterRef("run")).order_by("date").values("date")
    return bookings.annotate(
        run_day=Coalesce(Subquery(first_session[:1]), F("run__completion_deadline"))
    ).filter(run_day__gte=start, run_day__lte=end)


@dataclass(frozen=True)
class PlacesRow:
    partner_id: int
    partner_name: str
    given: int
    received: int


def places_given_and_received(
    organisation: Organisation, start: dt.date, end: dt.date
) -> list[PlacesRow]:
    """Per partner: places on our runs its staff took, and places our staff took on its runs.

    The caller has checked the actor may see the organisation's exchange
    (`access.may_see_exchange`).
    """
    ours = Q(run__programme__host=organisation)
    by_us = Q(organisation=organisation)
    bookings = Booking.objects.filter(PLACE_TAKEN).filter((ours & ~by_us) | (by_us & ~ours))
    rows = (
        _in_period(bookings, start, end)
        .annotate(
            partner_id=Case(
                When(ours, then=F("organisation_id")), default=F("run__programme__host_id")
            ),
            partner_name=Case(
                When(ours, then=F("organisation__name")), default=F("run__programme__host__name")
            ),
        )
        .values("partner_id", "partner_name")
        .annotate(given=Count("id", filter=ours), received=Count("id", filter=~ours))
        .order_by("partner_name", "partner_id")
    )
    return [PlacesRow(**row) for row in rows]


@dataclass(frozen=True)
class RecoveredRow:
    """Released places filled on one run (or all of one host's runs) and what they are worth."""

    id: int
    label: str
    day: dt.date | None
    places: int
    value: Decimal


@dataclass(frozen=True)
class Recovered:
    rows: list[RecoveredRow]
    places: int
    value: Decimal
    more: bool  # more runs than the list shows (the totals count them all)


def _released(bookings: QuerySet[Booking], start: dt.date, end: dt.date) -> QuerySet[Booking]:
    return _in_period(bookings.filter(RELEASED_PLACE_FILLED), start, end)


def _totals(bookings: QuerySet[Booking]) -> tuple[int, Decimal]:
    totals = bookings.aggregate(places=Count("id"), pennies=Sum(COST_PENNIES))
    return totals["places"], from_pennies(totals["pennies"])


def value_recovered_by_run(organisation: Organisation, start: dt.date, end: dt.date) -> Recovered:
    """For each of the host's runs in the period: released places filled times cost per place."""
    bookings = _released(Booking.objects.filter(run__programme__host=organisation), start, end)
    rows = list(
        bookings.values("run_id", "run__programme__title", "run_day")
        .annotate(places=Count("id"), pennies=Sum(COST_PENNIES))
        .order_by("run_day", "run_id")[: LARGEST_RUN_LIST + 1]
    )
    places, value = _totals(bookings)
    return Recovered(
        rows=[
            RecoveredRow(
                id=row["run_id"],
                label=row["run__programme__title"],
                day=row["run_day"],
                places=row["places"],
                value=from_pennies(row["pennies"]),
            )
            for row in rows[:LARGEST_RUN_LIST]
        ],
        places=places,
        value=value,
        more=len(rows) > LARGEST_RUN_LIST,
    )


def value_recovered_by_host(
    hosts: QuerySet[Organisation], start: dt.date, end: dt.date
) -> Recovered:
    """For each host (a partnership's members): its released places filled, and their value."""
    bookings = _released(Booking.objects.filter(run__programme__host__in=hosts), start, end)
    rows = (
        bookings.values("run__programme__host_id", "run__programme__host__name")
        .annotate(places=Count("id"), pennies=Sum(COST_PENNIES))
        .order_by("run__programme__host__name", "run__programme__host_id")
    )
    places, value = _totals(bookings)
    return Recovered(
        rows=[
            RecoveredRow(
                id=row["run__programme__host_id"],
                label=row["run__programme__host__name"],
                day=None,
                places=row["places"],
                value=from_pennies(row["pennies"]),
            )
            for row in rows
        ],
        places=places,
        value=value,
        more=False,
    )
