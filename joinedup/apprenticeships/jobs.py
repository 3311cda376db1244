"""The apprenticeships app's periodic jobs, for the scheduler that `joinedup worker` runs: each
area registers its jobs in its own module, imported here."""

from __future__ import annotations

from . import (
    calendar_jobs,  # noqa: F401  (warn when the bank-holiday list runs out)
    review_jobs,  # noqa: F401  (progress reviews: schedule and flag overdue ones)
)
