"""The network app's periodic jobs, for the scheduler that `joinedup worker` runs."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from joinedup.partnership.scheduler import register_job

from .digests import digest_cutoff, send_digests
from .models import Subscription
from .spaces import sync_all_run_spaces


def send_daily_digests() -> int:
    """The daily digests due at the latest 07:00 in London (a second run finds none due)."""
    return send_digests(digest_cutoff(timezone.now(), Subscription.DAILY), Subscription.DAILY)


def send_weekly_digests() -> int:
    """The weekly digests due at the latest Monday 07:00 in London."""
    return send_digests(digest_cutoff(timezone.now(), Subscription.WEEKLY), Subscription.WEEKLY)


register_job("network-daily-digests", every=dt.timedelta(hours=1), function=send_daily_digests)
register_job("network-weekly-digests", every=dt.timedelta(hours=1), function=send_weekly_digests)

# Runs' spaces follow their bookings; bookings changed by bulk updates send no signal.
register_job("network-run-spaces", every=dt.timedelta(minutes=15), function=sync_all_run_spaces)
