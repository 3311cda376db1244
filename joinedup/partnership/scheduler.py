"""The periodic scheduler that `joinedup worker` runs beside the task queue.

Apps register named jobs with an interval in their `jobs.py`. On every tick each due job is
claimed with one conditional UPDATE (its `next_run_at` must still hold the value this worker read),
so however many workers tick at once, each slot of a job is claimed once. The claimed job goes on
the task queue in the same transaction, and whichever worker takes it runs it. Jobs must be
idempotent.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks import task

from .models import ScheduledJob

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every: dt.timedelta
    function: Callable[[], object]


JOBS: dict[str, Job] = {}


def register_job(name: str, *, every: dt.timedelta, function: Callable[[], object]) -> Job:
    """Add a periodic job that runs `function()` once every `every`."""
    if name in JOBS:
        raise ValueError(f"A scheduled job called {name!r} is already registered.")
    if every <= dt.timedelta(0):
        raise ValueError("A scheduled job's interval must be positive.")
    job = Job(name=name, every=every, function=function)
    JOBS[name] = job
    return job


def discover_jobs() -> None:
    """Import every installed app's `jobs.py`, which registers its jobs (once per process)."""
    autodiscover_modules("jobs")


def _add_new_jobs(now: dt.datetime) -> None:
    """Give each newly registered job its row, due at once."""
    known = set(ScheduledJob.objects.filter(name__in=JOBS).values_list("name", flat=True))
    new = [ScheduledJob(name=name, next_run_at=now) for name in JOBS if name not in known]
    if new:
        # Two workers may add the same new job at once; the unique name keeps one row.
        ScheduledJob.objects.bulk_create(new, ignore_conflicts=True)


def claim_due_jobs(now: dt.datetime) -> list[str]:
    """Claim and queue every registered job due at `now`; return the names this worker claimed."""
    _add_new_jobs(now)
    due = list(
        ScheduledJob.objects.filter(name__in=JOBS, next_run_at__lte=now).values_list(
            "name", "next_run_at"
        )
    )
    claimed = []
    for name, seen in due:
        job = JOBS[name]
        with transaction.atomic():
            won = ScheduledJob.objects.filter(
                name=name, next_run_at=seen, next_run_at__lte=now
            ).update(next_run_at=now + job.every, last_started_at=now)
            if won == 1:
                run_scheduled_job.enqueue(name)
                claimed.append(name)
    return claimed


def tick(now: dt.datetime | None = None) -> list[str]:
    """One pass of the scheduler: claim and queue the due jobs."""
    discover_jobs()
    return claim_due_jobs(now or timezone.now())


def run_every(seconds: float, stop: threading.Event) -> None:
    """Tick every `seconds` until `stop` is set (the worker's scheduler thread)."""
    try:
        while not stop.is_set():
            close_old_connections()
            try:
                tick()
            except Exception:
                # A locked or briefly unreachable database must not end the scheduler.
                logger.exception("Scheduler tick failed; trying again at the next tick")
            stop.wait(seconds)
    finally:
        connection.close()


@task()
def run_scheduled_job(name: str) -> None:
    """Run one claimed job, then note when it finished."""
    discover_jobs()
    JOBS[name].function()
    ScheduledJob.objects.filter(name=name).update(last_finished_at=timezone.now())
