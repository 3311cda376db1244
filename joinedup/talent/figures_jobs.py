"""The monthly translator snapshots, for the scheduler that `joinedup worker` runs.

Registered when the talent app's `jobs.py` imports this module. The job runs daily and adds only
the snapshots that are missing, so the first run after a month ends keeps that month, a new
installation fills its last 12 months, and running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt

from joinedup.partnership.scheduler import register_job

from .figures import take_translator_snapshots

register_job(
    "talent-translator-snapshots", every=dt.timedelta(days=1), function=take_translator_snapshots
)
