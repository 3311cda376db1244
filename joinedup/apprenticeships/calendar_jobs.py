"""The working-day calendar's daily job: log the bank-holiday list's warning (`calendar_days.
calendar_warning`) while the stored list ends within 12 months, so operators see it in the
worker's log as well as partnership leads on the pages."""

from __future__ import annotations

import datetime as dt
import logging

from joinedup.partnership.scheduler import register_job

from . import calendar_days

logger = logging.getLogger(__name__)


def warn_if_bank_holidays_run_out(today: dt.date | None = None) -> str:
    """Log the warning as a WARNING when there is one; return it (empty when none)."""
    warning = calendar_days.calendar_warning(today or calendar_days.today())
    if warning:
        logger.warning(warning)
    return warning


register_job(
    "apprenticeships-bank-holiday-warning",
    every=dt.timedelta(days=1),
    function=warn_if_bank_holidays_run_out,
)
