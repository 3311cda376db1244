"""Background tasks of mentoring, run by `joinedup worker` through django-tasks."""

from __future__ import annotations

from django_tasks import task

from . import mentoring_notices


@task()
def send_pairing_notices(matching_id: int) -> int:
    """E-mail both people of each pair of a published matching; return how many went."""
    return mentoring_notices.send(matching_id)
