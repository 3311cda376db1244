"""Reads for the host's pages: programme management, a run's bookings and the release log."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from joinedup.lib.keyset import KeysetPage, keyset_page
from joinedup.partnership.actor import Actor

from . import access
from .models import Booking, BookingStatus, Release, Reservation, Run
from .queries import RELEASED_PLACE_FILLED

PAGE_SIZE = 25
PROGRAMME_ORDER = ("title", "id")
RELEASE_ORDER = ("-released_at", "-id")


def programmes_page(actor: Actor, *, after: str | None, before: str | None) -> KeysetPage:
    """One page of the programmes the actor manages, each with its runs and their sessions."""
    runs = Run.objects.prefetch_related("sessions").order_by("cut_off_at", "id")
    programmes = access.managed_programmes(actor).prefetch_related(Prefetch("runs", queryset=runs))
    return keyset_page(programmes, PROGRAMME_ORDER, after=after, before=before, size=PAGE_SIZE)


def value_recovered(run: Run) -> tuple[int, Decimal]:
    """Released places filled on the run, and those places times the host's cost per place."""
    filled = Booking.objects.filter(RELEASED_PLACE_FILLED, run=run).count()
    return filled, filled * run.programme.cost_per_place


@dataclass(frozen=True)
class RunManagement:
    run: Run
    confirmed: list[Booking]
    offered: list[Booking]
    waiting: list[Booking]
    waiting_by_organisation: list[tuple[str, int]]
    requested: list[Booking]
    reservations: list[Reservation]
    released_filled: int
    value_recovered: Decimal
    release: Release | None


def run_management(run: Run) -> RunManagement:
    """Everything the host sees about one run's places: who holds, waits and reserves them."""
    bookings = list(
        Booking.objects.filter(
            run=run,
            status__in=(
                BookingStatus.CONFIRMED,
                BookingStatus.OFFERED,
                BookingStatus.WAITING,
                BookingStatus.REQUESTED,
            ),
        )
        .select_related("person", "organisation")
        .order_by("requested_at", "id")
    )
    by_status: dict[str, list[Booking]] = {status: [] for status in BookingStatus.values}
    for booking in bookings:
        by_status[booking.status].append(booking)
    waiting = by_status[BookingStatus.WAITING]
    counts = Counter(booking.organisation.name for booking in waiting)
    filled, value = value_recovered(run)
    return RunManagement(
        run=run,
        confirmed=by_status[BookingStatus.CONFIRMED],
        offered=by_status[BookingStatus.OFFERED],
        waiting=waiting,
        waiting_by_organisation=sorted(counts.items()),
        requested=by_status[BookingStatus.REQUESTED],
        reservations=list(run.reservations.select_related("organisation", "made_by")),
        released_filled=filled,
        value_recovered=value,
        release=Release.objects.filter(run=run).select_related("released_by").first(),
    )


@dataclass(frozen=True)
class ReleaseRow:
    release: Release
    filled: int
    value_recovered: Decimal


def release_log_page(
    actor: Actor, *, after: str | None, before: str | None
) -> tuple[KeysetPage, list[ReleaseRow]]:
    """One page of the releases the actor may see, newest first, with the value each recovered."""
    filled = (
        Booking.objects.filter(RELEASED_PLACE_FILLED, run=OuterRef("run"))
        .order_by()
        .values("run")
        .annotate(places=Count("id"))
        .values("places")
    )
    releases = (
        access.visible_releases(actor)
        .select_related("run__programme__host", "released_by")
        .annotate(filled=Coalesce(Subquery(filled), 0))
    )
    page = keyset_page(releases, RELEASE_ORDER, after=after, before=before, size=PAGE_SIZE)
    rows = [
        ReleaseRow(
            release=release,
            filled=release.filled,
            value_recovered=release.filled * release.run.programme.cost_per_place,
        )
        for release in page.items
    ]
    return page, rows
