"""Background tasks of the materials app, run by `joinedup worker` through django-tasks."""

from __future__ import annotations

from django_tasks import task

from . import delivery_notices, notices, services


@task()
def extract_version_text(version_id: int) -> str:
    """Read the text inside a version's file for search; return its extraction status."""
    return services.read_version_text(version_id=version_id)


@task()
def send_report_notices(report_id: int) -> int:
    """E-mail a report to the owner's L&D leads and the partnership leads; return how many."""
    return notices.send_report(report_id)


@task()
def send_delivery_notices(request_id: int) -> int:
    """E-mail whoever a delivery request now waits for, or its outcome; return how many."""
    return delivery_notices.send(request_id)
