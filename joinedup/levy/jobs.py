"""The levy app's periodic jobs, for the scheduler that `joinedup worker` runs."""

from __future__ import annotations

from . import pledge_jobs

__all__ = ["pledge_jobs"]
