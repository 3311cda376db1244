"""The talent app's periodic jobs, for the scheduler that `joinedup worker` runs."""

from __future__ import annotations

import datetime as dt

from joinedup.partnership.scheduler import register_job

from . import figures_jobs  # noqa: F401  (registers the translator snapshots)
from .agreements import run_secondment_dates
from .profile_sync import sync_changed_today

# Signed secondments start on their start date and active ones end after their end date.
register_job("talent-secondment-dates", every=dt.timedelta(days=1), function=run_secondment_dates)

# Profiles follow jobs that start or end by the calendar alone (saves re-sync at once).
register_job("talent-profile-sync", every=dt.timedelta(days=1), function=sync_changed_today)
