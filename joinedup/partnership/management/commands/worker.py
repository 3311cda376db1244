"""`joinedup worker`: run the background task queue and, in a thread beside it, the scheduler."""

from __future__ import annotations

import threading
from argparse import ArgumentParser

from django.core.management.base import BaseCommand, CommandError
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import (
    Worker,
    valid_interval,
    validate_worker_id,
)

from ... import scheduler


class Command(BaseCommand):
    help = "Run the background task queue and the periodic scheduler."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run one scheduler tick and every task then queued, then exit (cron, tests).",
        )
        parser.add_argument(
            "--queue-name",
            default="*",
            help="Queues to take tasks from, separated by commas; '*' for all (default: all).",
        )
        parser.add_argument(
            "--interval",
            type=valid_interval,
            default=1.0,
            help="Seconds to wait before looking again when the queue is empty (default: 1).",
        )
        parser.add_argument(
            "--tick",
            type=valid_interval,
            default=15.0,
            help="Seconds between scheduler ticks (default: 15).",
        )
        parser.add_argument(
            "--worker-id",
            type=validate_worker_id,
            default=None,
            help="This worker's id, unique among the workers (default: random).",
        )

    def handle(
        self,
        *,
        once: bool,
        queue_name: str,
        interval: float,
        tick: float,
        worker_id: str | None,
        **options: object,
    ) -> None:
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        if not isinstance(backend, DatabaseBackend):
            raise CommandError(
                "joinedup worker runs the database task queue: set TASKS to "
                "django_tasks_db.DatabaseBackend.",
                returncode=2,
            )
        worker = Worker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=once,
            backend_name=backend.alias,
            startup_delay=not once,
            max_tasks=None,
            worker_id=worker_id or get_random_string(32),
            excluded_queue_names=[],
        )
        if once:
            claimed = scheduler.tick()
            worker.run()
            self.stdout.write(f"Scheduled jobs run: {', '.join(claimed) or 'none due'}.")
            return
        stop = threading.Event()
        ticker = threading.Thread(
            target=scheduler.run_every, args=(tick, stop), name="scheduler", daemon=True
        )
        ticker.start()
        worker.configure_signals()
        try:
            worker.run()
        finally:
            stop.set()
            ticker.join(timeout=tick + 5)
