"""The periodic scheduler and `joinedup worker`: each slot of a job runs once, however many run."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from joinedup.partnership import jobs as partnership_jobs
from joinedup.partnership import scheduler
from joinedup.partnership.models import ScheduledJob

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
SCHEDULER_TASK = "joinedup.partnership.scheduler.run_scheduled_job"


@pytest.fixture
def jobs(monkeypatch) -> dict[str, scheduler.Job]:
    """A registry holding only the jobs the test registers."""
    scheduler.discover_jobs()
    registry: dict[str, scheduler.Job] = {}
    monkeypatch.setattr(scheduler, "JOBS", registry)
    return registry


def needs_two_writers() -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "needs a file-based SQLite test database (DATABASE_TEST_NAME=/tmp/name.sqlite3) "
            "or PostgreSQL (DATABASE_URL): an in-memory database cannot have two writers"
        )


def finished_result(*, finished_at: dt.datetime, status: str = "SUCCESSFUL") -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status,
        finished_at=finished_at,
        started_at=finished_at,
        args_kwargs={"args": [], "kwargs": {}},
        task_path=SCHEDULER_TASK,
        backend_name="default",
        run_after=finished_at,
        exception_class_path="",
        traceback="",
    )


def test_due_job_runs_once_and_its_next_run_moves_on_by_its_interval(db, jobs):
    runs = []
    scheduler.register_job("count", every=dt.timedelta(hours=1), function=lambda: runs.append(1))

    assert scheduler.tick(NOW) == ["count"]

    row = ScheduledJob.objects.get(name="count")
    assert runs == [1]
    assert row.next_run_at == NOW + dt.timedelta(hours=1)
    assert row.last_started_at == NOW
    assert row.last_finished_at is not None


def test_ticking_again_in_the_same_slot_runs_nothing(db, jobs):
    runs = []
    scheduler.register_job("count", every=dt.timedelta(hours=1), function=lambda: runs.append(1))
    scheduler.tick(NOW)

    assert scheduler.tick(NOW) == []
    assert scheduler.tick(NOW + dt.timedelta(minutes=59)) == []
    assert runs == [1]


def test_job_runs_again_when_its_next_slot_comes(db, jobs):
    runs = []
    scheduler.register_job("count", every=dt.timedelta(hours=1), function=lambda: runs.append(1))
    scheduler.tick(NOW)

    assert scheduler.tick(NOW + dt.timedelta(hours=1)) == ["count"]
    assert runs == [1, 1]
    assert ScheduledJob.objects.get(name="count").next_run_at == NOW + dt.timedelta(hours=2)


def test_job_not_yet_due_is_not_claimed(db, jobs):
    scheduler.register_job("later", every=dt.timedelta(days=1), function=lambda: None)
    ScheduledJob.objects.create(name="later", next_run_at=NOW + dt.timedelta(seconds=1))

    assert scheduler.claim_due_jobs(NOW) == []
    assert ScheduledJob.objects.get(name="later").last_started_at is None


def test_rows_of_jobs_no_longer_registered_are_left_alone(db, jobs):
    ScheduledJob.objects.create(name="retired", next_run_at=NOW - dt.timedelta(days=1))

    assert scheduler.claim_due_jobs(NOW) == []
    assert ScheduledJob.objects.get(name="retired").last_started_at is None


def test_a_failing_job_keeps_its_slot_claimed_and_is_not_marked_finished(db, jobs):
    def fail() -> None:
        raise RuntimeError("job failed")

    scheduler.register_job("broken", every=dt.timedelta(hours=1), function=fail)

    assert scheduler.tick(NOW) == ["broken"]
    row = ScheduledJob.objects.get(name="broken")
    assert row.next_run_at == NOW + dt.timedelta(hours=1)
    assert row.last_finished_at is None


def test_registering_a_name_twice_or_a_non_positive_interval_is_refused(jobs):
    scheduler.register_job("once", every=dt.timedelta(hours=1), function=lambda: None)
    with pytest.raises(ValueError, match="already registered"):
        scheduler.register_job("once", every=dt.timedelta(hours=1), function=lambda: None)
    with pytest.raises(ValueError, match="positive"):
        scheduler.register_job("never", every=dt.timedelta(0), function=lambda: None)


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_the_same_due_job_at_once_claim_it_exactly_once(
    settings, jobs, monkeypatch
):
    needs_two_writers()
    settings.TASKS = DATABASE_TASKS
    scheduler.register_job("contested", every=dt.timedelta(hours=1), function=lambda: None)
    ScheduledJob.objects.create(name="contested", next_run_at=NOW - dt.timedelta(minutes=1))

    both_have_read = threading.Barrier(2)

    class ReadThenWait(dict):
        """Holds both workers between reading the due row and claiming it, forcing the race."""

        def __getitem__(self, name: str) -> scheduler.Job:
            both_have_read.wait(timeout=10)
            return super().__getitem__(name)

    monkeypatch.setattr(scheduler, "JOBS", ReadThenWait(jobs))
    claims: list[list[str]] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            claims.append(scheduler.claim_due_jobs(NOW))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(claims) == [[], ["contested"]]
    assert DBTaskResult.objects.filter(task_path=SCHEDULER_TASK).count() == 1
    assert ScheduledJob.objects.get(name="contested").next_run_at == NOW + dt.timedelta(hours=1)


def test_prune_job_is_registered_daily():
    scheduler.discover_jobs()
    job = scheduler.JOBS["prune-task-results"]
    assert job.every == dt.timedelta(days=1)
    assert job.function is partnership_jobs.prune_task_results


def test_prune_deletes_only_results_finished_more_than_fourteen_days_ago(db):
    now = timezone.now()
    old_success = finished_result(finished_at=now - dt.timedelta(days=15))
    old_failure = finished_result(finished_at=now - dt.timedelta(days=15), status="FAILED")
    recent = finished_result(finished_at=now - dt.timedelta(days=13))
    waiting = finished_result(finished_at=now - dt.timedelta(days=30), status="READY")

    assert partnership_jobs.prune_task_results() == 2

    remaining = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, waiting.pk}
    assert old_success.pk not in remaining and old_failure.pk not in remaining


@pytest.mark.django_db(transaction=True)
def test_worker_once_runs_the_due_prune_job_through_the_queue_then_nothing(settings):
    settings.TASKS = DATABASE_TASKS
    old = finished_result(finished_at=timezone.now() - dt.timedelta(days=20))

    first = _run_worker_once()

    assert "prune-task-results" in first
    assert not DBTaskResult.objects.filter(pk=old.pk).exists()
    # Other apps register jobs too; each due job is queued once.
    queued = [
        result
        for result in DBTaskResult.objects.filter(task_path=SCHEDULER_TASK)
        if result.args_kwargs["args"] == ["prune-task-results"]
    ]
    assert [result.status for result in queued] == ["SUCCESSFUL"]
    assert ScheduledJob.objects.get(name="prune-task-results").last_finished_at is not None
    queued_after_first = DBTaskResult.objects.filter(task_path=SCHEDULER_TASK).count()

    assert "none due" in _run_worker_once()
    assert DBTaskResult.objects.filter(task_path=SCHEDULER_TASK).count() == queued_after_first


def _run_worker_once() -> str:
    out = StringIO()
    call_command("worker", "--once", stdout=out)
    return out.getvalue()


def test_worker_refuses_a_task_backend_that_is_not_the_database(db):
    with pytest.raises(CommandError, match="database task queue") as raised:
        call_command("worker", "--once")
    assert raised.value.returncode == 2


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_running_worker_ticks_the_scheduler_in_the_background_and_stops_on_sigterm():
    needs_two_writers()
    env = {**os.environ, "DATABASE_URL": _database_url()}
    env.pop("TASKS_BACKEND", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "joinedup.cli", "worker", "--tick", "0.2", "--interval", "0.2"],
        cwd=Path(__file__).resolve().parents[3],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        finished = None
        while finished is None and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.3)
            job = ScheduledJob.objects.filter(name="prune-task-results").first()
            finished = job.last_finished_at if job else None
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)

    assert finished is not None, stderr
    assert process.returncode == 0, stderr
