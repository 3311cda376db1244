"""Read-only queries behind a line manager's pages (approvals, my team) and the L&D lead's
completions page, each through `learning.access` and in a fixed number of queries.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from joinedup.partnership.access import managed_employments
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Employment

from . import access
from .models import HOLDING_STATUSES, LONDON, Booking, BookingStatus, Outcome

COMPLETIONS_SHOWN = 50
COMPLETIONS_PAGE_SIZE = 200


def _with_run(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    return bookings.select_related("person", "run__programme__host").prefetch_related(
        "run__sessions"
    )


def approvals(actor: Actor) -> list[Booking]:
    """The reports' requests waiting for the actor's decision, oldest first."""
    return list(_with_run(access.approval_requests(actor)).order_by("requested_at", "id"))


def reports(actor: Actor) -> list[Employment]:
    """The actor's current reports at the acting organisation, by name."""
    return list(
        managed_employments(actor)
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "pk")
    )


@dataclass(frozen=True)
class TeamPage:
    upcoming: list[Booking]
    waiting: list[Booking]
    offers: list[Booking]
    pending: int
    completions: list[Booking]


def team_page(actor: Actor) -> TeamPage:
    """The reports' upcoming places, waiting lists, offers, pending approvals and completions."""
    today = timezone.localdate()
    statuses = (*HOLDING_STATUSES, BookingStatus.WAITING, BookingStatus.REQUESTED)
    active = _with_run(access.team_bookings(actor).filter(status__in=statuses))
    page = TeamPage(upcoming=[], waiting=[], offers=[], pending=0, completions=[])
    pending = 0
    for booking in active.order_by("requested_at", "id"):
        if booking.status == BookingStatus.REQUESTED:
            pending += 1
        elif booking.status == BookingStatus.OFFERED:
            page.offers.append(booking)
        elif booking.status == BookingStatus.WAITING:
            page.waiting.append(booking)
        elif (ends := booking.run.last_day()) is None or ends >= today:
            page.upcoming.append(booking)
    completed = _with_run(access.team_bookings(actor).filter(outcome=Outcome.COMPLETED))
    page.completions.extend(completed.order_by("-outcome_recorded_at", "-id")[:COMPLETIONS_SHOWN])
    return dataclasses.replace(page, pending=pending)


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=LONDON)


def completions(
    actor: Actor, *, completed_from: dt.date | None = None, completed_to: dt.date | None = None
) -> list[Booking]:
    """The acting organisation's staff's completions, newest first, between two London dates."""
    found = access.visible_completions(actor)
    if completed_from is not None:
        found = found.filter(outcome_recorded_at__gte=_start_of(completed_from))
    if completed_to is not None:
        found = found.filter(outcome_recorded_at__lt=_start_of(completed_to + dt.timedelta(days=1)))
    found = _with_run(found).order_by("-outcome_recorded_at", "-id")
    return list(found[:COMPLETIONS_PAGE_SIZE])
