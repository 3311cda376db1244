"""The levy app's periodic jobs, for the scheduler that `joinedup worker` runs."""

from __future__ import annotations

from . import ledger_jobs, pledge_jobs

__all__ = ["ledger_jobs", "pledge_jobs"]
