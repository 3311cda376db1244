"""The partnership app's periodic jobs, for the scheduler that `joinedup worker` runs."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .scheduler import register_job

TASK_RESULTS_KEPT_FOR = dt.timedelta(days=14)


def prune_task_results() -> int:
    """Delete background-task results that finished more than 14 days ago; return how many."""
    cutoff = timezone.now() - TASK_RESULTS_KEPT_FOR
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lte=cutoff).delete()
    return deleted


register_job("prune-task-results", every=dt.timedelta(days=1), function=prune_task_results)
