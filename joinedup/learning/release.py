"""Releasing many runs in one transaction, for the release job: a few statements per batch.

One transaction per run cost about 26 ms of Django a run (docs/PERFORMANCE.md, "Release"), and
the job must release 10,000 runs within a minute. Here a batch of due runs is claimed with one
conditional update, their waiting bookings, shares and places taken are read as plain tuples, the
pure rule (`allocation.allocate`) is applied to each run in Python, and the outcome is written for
the whole batch with a handful of guarded statements: each run's counter only where the places fit
its capacity, each partner's share only where they fit its cap, each booking only while it is
still waiting. If any of them does not wholly land (someone booked, cancelled or was given a place
meanwhile), or anything else fails, the whole batch rolls back and each of its runs is released on
its own by `services.release_unfilled_places`, which stays correct under any concurrency.

The outcome is the per-run release's: the same places to the same people in the same order, the
same `Release` row, audit entries and e-mails; only the e-mails are queued as one task per event
for the batch rather than per run.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from joinedup.lib.contract_input import Instant
from joinedup.partnership import audit
from joinedup.partnership.models import AuditEvent, Organisation

from . import allocation, notices
from .models import (
    Booking,
    BookingStatus,
    Release,
    ReleaseMode,
    Run,
    RunOrganisationShare,
    SharingPolicy,
)
from .services import ReceivedTally, release_unfilled_places

logger = logging.getLogger(__name__)

# Runs released in one transaction. Bigger batches save little more time and keep the runs' rows
# locked for longer (bookings on them wait for the batch to commit).
BATCH_SIZE = 250


class _NotAllLanded(Exception):
    """A guarded statement of the batch did not wholly land; the batch must roll back."""


class Waiting(NamedTuple):
    """A waiting booking, as read for the rule."""

    pk: int
    organisation_id: int
    person_id: int
    requested_at: dt.datetime


class Given(NamedTuple):
    """A place given: what the e-mails (`notices.places_given`) and the job's tally read."""

    pk: int
    organisation_id: int
    person_id: int
    status: str


@dataclass
class _Run:
    """A claimed run with what its release needs, read as plain values."""

    pk: int
    host_id: int
    title: str
    capacity: int
    taken: int
    partner_cap: int | None
    release_mode: str
    offer_window_hours: int
    partners_may_book: bool
    waiting: list[Waiting] = field(default_factory=list)
    held: dict[int, int] = field(default_factory=dict)
    given: list[Given] = field(default_factory=list)

    def open_to(self, organisation_id: int) -> bool:
        """`services.open_to` once released: the host always; partners unless own staff only."""
        return organisation_id == self.host_id or self.partners_may_book


def release_due_runs(run_ids: Sequence[int], received: ReceivedTally) -> int:
    """Release the due runs, a batch at a time; return how many were tried without an error.

    `run_ids` is in the order to release them (by cut-off); `received` is the job's tally of
    places partners received, shared with the per-run releases.
    """
    tried = 0
    for start in range(0, len(run_ids), BATCH_SIZE):
        tried += release_batch(run_ids[start : start + BATCH_SIZE], received)
    return tried


def release_batch(run_ids: Sequence[int], received: ReceivedTally) -> int:
    """Release the runs in one transaction, and any it could not one by one; return how many
    were tried without an error.

    A run is left to the per-run path when the batch did not claim it (another worker released
    it, or a partner's block of places is still to be returned at the cut-off), or when the
    batch rolled back.
    """
    claimed: list[_Run] = []
    try:
        with transaction.atomic():
            claimed = _release_together(run_ids, received, timezone.now())
    except _NotAllLanded:
        logger.info("Runs changed while being released together; releasing them one by one")
    except Exception:
        logger.exception("Releasing runs together failed; releasing them one by one")
    for run in claimed:
        received.add(run.host_id, run.given)
    done = {run.pk for run in claimed}
    return len(done) + _release_one_by_one([pk for pk in run_ids if pk not in done], received)


def _release_one_by_one(run_ids: list[int], received: ReceivedTally) -> int:
    """The per-run release, each run in its own transaction, as the job always did."""
    tried = 0
    runs = Run.objects.filter(pk__in=run_ids).select_related("programme__host")
    for run in runs.order_by("cut_off_at", "id"):
        try:
            release_unfilled_places(actor=None, run=run, received=received)
        except Exception:
            logger.exception("Releasing run %s failed; it will be tried again", run.pk)
            continue
        tried += 1
    return tried


def _release_together(
    run_ids: Sequence[int], received: ReceivedTally, now: dt.datetime
) -> list[_Run]:
    """Claim, allocate and write the release of every run it can claim; return those runs."""
    claimed = set(_claim(run_ids, now))
    runs = _read([pk for pk in run_ids if pk in claimed])
    tally: dict[int, Counter[str]] = {}
    for run in runs:
        run.given = _by_the_rule(run, received, tally)
    given = [place for run in runs for place in run.given]
    if given:
        _claim_shares(runs)
        _claim_run_places(runs)
        _move_bookings(runs, now)
    Release.objects.bulk_create(
        Release(
            run_id=run.pk,
            released_at=now,
            places_free=max(run.capacity - run.taken, 0),
            reserved_returned=0,
            places_given=len(run.given),
            waiting=len(run.waiting),
        )
        for run in runs
    )
    _audit(runs, now)
    notices.places_given(given)
    return runs


def _claim(run_ids: Sequence[int], now: dt.datetime) -> list[int]:
    """Set `released_at` on each run still unreleased, not cancelled and with no block left to
    return; return the ids of the runs this statement claimed (RETURNING: PostgreSQL, SQLite 3.35).
    """
    if not run_ids:
        return []
    marks = ", ".join(["%s"] * len(run_ids))
    # Only placeholders go into the text; the ids are parameters.
    sql = (
        "UPDATE learning_run SET released_at = %s"  # noqa: S608
        f" WHERE id IN ({marks}) AND released_at IS NULL AND cancelled_at IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM learning_reservation AS reservation"
        " WHERE reservation.run_id = learning_run.id AND reservation.returned_at IS NULL)"
        " RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datetimefield_value(now), *run_ids])
        return [row[0] for row in cursor.fetchall()]


def _read(run_ids: list[int]) -> list[_Run]:
    """The claimed runs in that order, their waiting bookings (earliest first) and their shares."""
    if not run_ids:
        return []
    rows = Run.objects.filter(pk__in=run_ids).values_list(
        "pk",
        "programme__host_id",
        "programme__title",
        "capacity",
        "places_taken",
        "partner_cap",
        "release_mode",
        "offer_window_hours",
        "programme__sharing_policy",
    )
    runs = {
        row[0]: _Run(*row[:-1], partners_may_book=row[-1] != SharingPolicy.OWN_ONLY) for row in rows
    }
    waiting = (
        Booking.objects.filter(run_id__in=run_ids, status=BookingStatus.WAITING)
        .order_by("requested_at", "id")
        .values_list("run_id", "pk", "organisation_id", "person_id", "requested_at")
    )
    for run_id, *booking in waiting:
        runs[run_id].waiting.append(Waiting(*booking))
    shares = RunOrganisationShare.objects.filter(run_id__in=run_ids).values_list(
        "run_id", "organisation_id", "places_taken"
    )
    for run_id, organisation_id, places_taken in shares:
        runs[run_id].held[organisation_id] = places_taken
    return [runs[pk] for pk in run_ids]


def _by_the_rule(run: _Run, received: ReceivedTally, tally: dict[int, Counter[str]]) -> list[Given]:
    """The places the rule gives on the run, in its order, as offered or confirmed bookings.

    `tally` holds the places this batch confirms for each host's partners, for later runs of the
    batch (the job's tally counts them once the batch commits).
    """
    eligible = [booking for booking in run.waiting if run.open_to(booking.organisation_id)]
    if run.taken >= run.capacity or not eligible:
        return []
    figures: dict[str, int] = {}
    # Last year's figures only break ties between partners, so one partner needs none.
    if len({booking.organisation_id for booking in eligible} - {run.host_id}) > 1:
        figures = dict(received.of(run.host_id))
        for organisation, count in tally.get(run.host_id, {}).items():
            figures[organisation] = figures.get(organisation, 0) + count
    held: dict[str, int] = {}
    if run.partner_cap is not None:
        held = {str(pk): count for pk, count in run.held.items()}
    outcome = allocation.allocate(
        allocation.Run(
            id=str(run.pk),
            host=str(run.host_id),
            capacity=run.capacity,
            confirmed=run.taken,
            cap_per_organisation=run.partner_cap,
        ),
        [
            allocation.Request(
                id=str(booking.pk),
                organisation=str(booking.organisation_id),
                requested_at=Instant.of(booking.requested_at),
                approved=True,
            )
            for booking in eligible
        ],
        received_last_365_days=figures,
        held_by_organisation=held,
    )
    by_id = {str(booking.pk): booking for booking in eligible}
    status = (
        BookingStatus.OFFERED if run.release_mode == ReleaseMode.OFFER else BookingStatus.CONFIRMED
    )
    given = []
    for allocated in outcome.allocated:
        booking = by_id[allocated.request]
        given.append(Given(booking.pk, booking.organisation_id, booking.person_id, status))
        if status == BookingStatus.CONFIRMED and booking.organisation_id != run.host_id:
            tally.setdefault(run.host_id, Counter())[str(booking.organisation_id)] += 1
    return given


def _values(rows: Sequence[tuple[int | None, ...]]) -> str:
    """A `VALUES` list of rows of integers (or nulls), written into the statement.

    Integers only, each written by `int()`, so nothing else can get into the statement; a
    parameter costs psycopg about 8 µs to bind on the client, and a batch has tens of thousands.
    """
    return ", ".join(
        "(" + ", ".join("NULL" if value is None else str(int(value)) for value in row) + ")"
        for row in rows
    )


def _update_counters(sql: str, rows: list[tuple[int | None, ...]]) -> None:
    """Run one guarded counter update with the rows as its `VALUES`; raise unless all landed.

    In an `UPDATE ... FROM` the `VALUES` list is a subquery, whose columns PostgreSQL and SQLite
    both call `column1`, `column2` ... (a `WITH` before the `UPDATE` would hide its row count
    from Python's sqlite3 module).
    """
    with connection.cursor() as cursor:
        cursor.execute(sql.format(values=_values(rows)))
        if cursor.rowcount != len(rows):
            raise _NotAllLanded


def _claim_shares(runs: Iterable[_Run]) -> None:
    """Add each partner's places given to its share of the run, only within the share's cap.

    One upsert: a partner with no share yet gets one holding its places, with the run's cap
    copied onto it (its check constraint refuses more places than the cap); an existing share
    takes them only where they fit its cap.
    """
    places: Counter[tuple[int, int, int | None]] = Counter()
    for run in runs:
        for place in run.given:
            if place.organisation_id != run.host_id:
                places[(run.pk, place.organisation_id, run.partner_cap)] += 1
    if places:
        _update_counters(
            "INSERT INTO learning_runorganisationshare AS share"
            " (run_id, organisation_id, cap, places_taken) VALUES {values}"
            " ON CONFLICT (run_id, organisation_id) DO UPDATE"
            " SET places_taken = share.places_taken + excluded.places_taken"
            " WHERE share.cap IS NULL OR share.places_taken + excluded.places_taken <= share.cap",
            [(*share, count) for share, count in places.items()],
        )


def _claim_run_places(runs: Iterable[_Run]) -> None:
    """Add the places given to each run's counter, only where they fit its capacity."""
    _update_counters(
        "UPDATE learning_run AS run SET places_taken = run.places_taken + given.places"
        " FROM (SELECT column1 AS run_id, column2 AS places FROM (VALUES {values}) AS listed)"
        " AS given WHERE run.id = given.run_id"
        " AND run.places_taken + given.places <= run.capacity",
        [(run.pk, len(run.given)) for run in runs if run.given],
    )


def _move_bookings(runs: Iterable[_Run], now: dt.datetime) -> None:
    """Offer or confirm every booking given a place, only while it is still waiting.

    One update for each set of values written: confirmed or offered (by offer window), and
    whether it is a released place (a partner's; the host's own places never are).
    """
    groups: dict[tuple[Any, ...], list[int]] = {}
    for run in runs:
        for place in run.given:
            released = place.organisation_id != run.host_id
            if place.status == BookingStatus.OFFERED:
                key = (BookingStatus.OFFERED, run.offer_window_hours, released)
            else:
                key = (BookingStatus.CONFIRMED, None, released)
            groups.setdefault(key, []).append(place.pk)
    for (status, window, released), pks in groups.items():
        fields: dict[str, Any] = {"status": status, "released_place": released}
        if status == BookingStatus.OFFERED:
            fields["offer_expires_at"] = now + dt.timedelta(hours=window)
        else:
            fields["confirmed_at"] = now
        still_waiting = Booking.objects.filter(pk__in=pks, status=BookingStatus.WAITING)
        if still_waiting.update(**fields) != len(pks):
            raise _NotAllLanded


def _audit(runs: Sequence[_Run], now: dt.datetime) -> None:
    """Each place given and each release in the host's audit log, as the per-run release writes
    them (by the scheduled job, so with no actor).

    On PostgreSQL all the batch's entries go in by one `COPY`: as model instances with their
    parameters bound (`audit.record_many`), the 80,000 entries of 10,000 runs cost about 140 µs
    of CPU each, a third of the job; by `COPY` about 12 µs.
    """
    events: dict[int, list[audit.Event]] = {}
    for run in runs:
        label = f"Booking on {run.title} (run {run.pk})"
        host_events = events.setdefault(run.host_id, [])
        for place in run.given:
            changes = {
                "run": run.pk,
                "person": place.person_id,
                "organisation": place.organisation_id,
                "status": place.status,
                "given_by": "release rule",
            }
            host_events.append(("booking.released", "booking", place.pk, changes, label))
        released = {
            "places_given": len(run.given),
            "release_mode": run.release_mode,
            "bookings": [place.pk for place in run.given],
        }
        host_events.append(("run.released", "run", run.pk, released, f"{run.title} (run {run.pk})"))
    if connection.vendor != "postgresql":
        hosts = Organisation.objects.in_bulk(list(events))
        for host_id, host_events in events.items():
            audit.record_many(actor=None, organisation=hosts[host_id], events=host_events)
        return
    columns = "organisation_id, action, object_kind, object_id, object_label, changes, at"
    copy_in = f"COPY {AuditEvent._meta.db_table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(copy_in) as copy:
        for host_id, host_events in events.items():
            for action, kind, object_id, changes, label in host_events:
                row = (host_id, action, kind, str(object_id), label[:200], json.dumps(changes), now)
                copy.write_row(row)
