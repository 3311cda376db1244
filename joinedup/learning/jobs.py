"""The learning app's periodic jobs, for the scheduler that `joinedup worker` runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.utils import timezone

from joinedup.partnership.scheduler import register_job

from . import release
from .models import Run
from .reminders import send_due_reminders
from .services import ReceivedTally, close_waiting_lists, lapse_offers


@contextmanager
def _commits_not_awaited() -> Iterator[None]:
    """On PostgreSQL, let each commit return before it is on disk, until the block ends.

    The release job commits once per batch of runs (once per run where a batch cannot take it),
    and waiting for the disk at every commit (about 4 ms on the development machine) was most of
    its time when it committed every run. PostgreSQL's asynchronous commit keeps the
    database consistent: a crash can lose only the last fraction of a second of releases, each
    whole, and those runs are released again the next minute. No e-mail goes out about a lost
    release either: the e-mail worker's own commit, as it takes the task, writes everything
    before it to disk first.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def release_due_runs(now: dt.datetime | None = None) -> int:
    """Release each run past its cut-off that is not yet released; return how many were tried.

    Runs are released in batches, each in one transaction (`release.release_batch`); a run the
    batch cannot take is released in its own transaction, claimed by its empty `released_at`, so
    a second worker skips it and a failure leaves it for the next minute.
    """
    now = now or timezone.now()
    due = Run.objects.filter(
        released_at__isnull=True, cancelled_at__isnull=True, cut_off_at__lte=now
    ).order_by("cut_off_at", "id")
    with _commits_not_awaited():
        return release.release_due_runs(list(due.values_list("id", flat=True)), ReceivedTally(now))


def release_and_lapse(now: dt.datetime | None = None) -> dict[str, int]:
    """Release runs past their cut-off, lapse expired offers, close waiting lists (every minute)."""
    now = now or timezone.now()
    return {
        "released": release_due_runs(now),
        "lapsed": lapse_offers(now),
        "waitlists_closed": close_waiting_lists(now),
    }


register_job(
    "learning-release-and-lapse", every=dt.timedelta(minutes=1), function=release_and_lapse
)
# Reminders 7 days and 1 day before a run starts, and before an offer lapses; each is sent once.
register_job("learning-reminders", every=dt.timedelta(minutes=5), function=send_due_reminders)
