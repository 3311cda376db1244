"""The apprenticeships app's daily jobs are registered with the scheduler that `joinedup worker`
runs, each calling its area's function."""

from __future__ import annotations

import datetime as dt

from joinedup.apprenticeships import calendar_jobs, reviews
from joinedup.partnership.scheduler import JOBS, discover_jobs


def test_the_overdue_review_flags_and_the_bank_holiday_warning_run_daily():
    discover_jobs()
    overdue = JOBS["apprenticeships-overdue-reviews"]
    warning = JOBS["apprenticeships-bank-holiday-warning"]
    assert overdue.every == warning.every == dt.timedelta(days=1)
    assert overdue.function is reviews.flag_overdue_reviews
    assert warning.function is calendar_jobs.warn_if_bank_holidays_run_out
