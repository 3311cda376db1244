"""The ledger's scheduled postings: provider payments due from commitments, and expiries.

The job runs every few hours and posts only what is due and not yet posted (keys per commitment
and month, per expiry month and cohort), so running twice, or on two workers, changes nothing the
second time (see `services.post_due_entries` for the order). Each account is its own
transaction: one account's failure is logged and left for the next run.

A second job works out the day's headline figures of every account whose stored ones are from
another day or out of date (`summaries.stored_figures`), a hundred accounts at a time, so the
partnership view's first visitor of the day does not wait for them.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from joinedup.partnership.scheduler import register_job

from . import services, summaries
from .models import EntryKind, LevyAccount

logger = logging.getLogger(__name__)


def post_ledger_entries(today: dt.date | None = None) -> dict[str, int]:
    """Post the payments and expiries due up to today for every account; return how many."""
    today = today or timezone.localdate()
    posted = {"payments": 0, "expiries": 0}
    for account in LevyAccount.objects.select_related("organisation").order_by("pk"):
        try:
            entries = services.post_due_entries(account, today)
        except Exception:
            logger.exception(
                "Levy postings for account %s failed; tried again next run", account.pk
            )
            continue
        expiries = sum(1 for entry in entries if entry.kind == EntryKind.EXPIRY)
        posted["expiries"] += expiries
        posted["payments"] += len(entries) - expiries
    return posted


FIGURES_BATCH = 100


def refresh_figures(today: dt.date | None = None) -> int:
    """Work out and store today's headline figures of every account lacking them; return how
    many accounts were looked at."""
    today = today or timezone.localdate()
    accounts = list(LevyAccount.objects.select_related("organisation").order_by("pk"))
    for start in range(0, len(accounts), FIGURES_BATCH):
        summaries.stored_figures(accounts[start : start + FIGURES_BATCH], today)
    return len(accounts)


register_job("levy-ledger-postings", every=dt.timedelta(hours=6), function=post_ledger_entries)
register_job("levy-figures", every=dt.timedelta(hours=6), function=refresh_figures)
