"""The materials app's periodic job, for the scheduler that `joinedup worker` runs."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from joinedup.partnership.scheduler import register_job

from .models import ExtractionStatus, MaterialVersion
from .reading import READ_SECONDS
from .services import mark_delivered, read_version_text

# A version still waiting this long after its upload lost its task (a worker stopped, or a
# queue other than the database's dropped it): the job reads it instead, a few at a time.
WAITING_TOO_LONG = dt.timedelta(seconds=READ_SECONDS) + dt.timedelta(minutes=30)
READ_AT_ONCE = 10


def read_text_left_waiting(now: dt.datetime | None = None) -> int:
    """Read the text of the versions left waiting longest; return how many were read."""
    before = (now or timezone.now()) - WAITING_TOO_LONG
    waiting = (
        MaterialVersion.objects.filter(
            extraction_status=ExtractionStatus.PENDING, created_at__lte=before
        )
        .order_by("created_at", "id")
        .values_list("id", flat=True)[:READ_AT_ONCE]
    )
    for version_id in list(waiting):
        read_version_text(version_id=version_id)
    return len(waiting)


register_job(
    "materials-read-text-left-waiting",
    every=dt.timedelta(minutes=15),
    function=read_text_left_waiting,
)

# Approved delivery requests past their last day: delivered, and the day rate posted once.
register_job(
    "materials-mark-deliveries-delivered", every=dt.timedelta(hours=1), function=mark_delivered
)
