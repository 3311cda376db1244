"""The progress reviews' daily job, for the scheduler that `joinedup worker` runs: schedule the
live enrolments that need review rows, then e-mail the practice tutors and the employers' L&D
leads about reviews that became overdue (`reviews.flag_overdue_reviews`, idempotent)."""

from __future__ import annotations

import datetime as dt

from joinedup.partnership.scheduler import register_job

from .reviews import flag_overdue_reviews

register_job(
    "apprenticeships-overdue-reviews", every=dt.timedelta(days=1), function=flag_overdue_reviews
)
