"""Background tasks of the learning app, run by `joinedup worker` through django-tasks."""

from __future__ import annotations

from django_tasks import task

from . import near_duplicates, notices


@task()
def send_learning_notices(event: str, booking_ids: list[int], extra: dict | None = None) -> int:
    """Send one learning e-mail (see `notices`) to the person of each booking; return how many."""
    return notices.send(event, booking_ids, extra)


@task()
def build_near_duplicate_report(report_id: int) -> int:
    """Build a partnership's near-duplicate report (see `near_duplicates`); return pairs found."""
    return near_duplicates.build_report(report_id).pairs_found
