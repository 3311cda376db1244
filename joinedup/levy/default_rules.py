"""The levy rules in force when Joined Up was written (issue 4, "The rules"), as dated rows.

They are loaded after every `migrate` (and after the test runner's flush of a transactional test,
which empties every table) by a `post_migrate` handler, so a new installation always has them.
Loading adds only the rows that are missing: an admin's later rows, and changed values of these
rows, are kept. When the government changes a rate, an admin adds a row with its start date.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

ISSUE = "Joined Up issue 4, The rules"
DEFAULTS = [
    ("levy_rate", "2017-04-06", "0.005", "0.5% of the pay bill; " + ISSUE),
    ("levy_allowance", "2017-04-06", "15000", "£15,000 a year; " + ISSUE),
    ("top_up_rate", "2015-01-01", "0.1", "10% top-up; " + ISSUE),
    ("top_up_rate", "2026-08-01", "0", "No top-up from August 2026; " + ISSUE),
    ("expiry_months", "2017-04-01", "24", "Funds expire after 24 months; " + ISSUE),
    (
        "expiry_months",
        "2026-08-01",
        "12",
        "Funds landing from August 2026 expire after 12; " + ISSUE,
    ),
    ("government_co_investment", "2017-05-01", "0.9", "90/10 co-investment; " + ISSUE),
    ("government_co_investment", "2019-04-01", "0.95", "95/5 from April 2019; " + ISSUE),
    ("transfer_share", "2018-04-20", "0.1", "10% in 2018-19; " + ISSUE),
    ("transfer_share", "2019-04-20", "0.25", "25% from April 2019; " + ISSUE),
    ("transfer_share", "2024-04-22", "0.5", "50% from 22 April 2024; " + ISSUE),
    ("completion_share", "2017-05-01", "0.2", "20% of the capped price on completion; " + ISSUE),
    ("pledge_close_below", "2017-04-06", "2000", "Debit leaving under £2,000 closes; " + ISSUE),
    ("criterion_score", "2017-04-06", "25", "Each met criterion scores 25%; " + ISSUE),
    ("pledge_minimum", "2017-04-06", "2000", "At least £2,000; " + ISSUE),
    ("auto_approval_days", "2017-04-06", "42", "Automatic approval after 42 days; " + ISSUE),
    ("application_reject_months", "2017-04-06", "3", "Pending rejected after 3 months; " + ISSUE),
    ("accept_days", "2017-04-06", "42", "Approvals not accepted declined after 42 days; " + ISSUE),
    (
        "unused_expiry_months",
        "2017-04-06",
        "3",
        "Accepted funds unused expire after 3 months; " + ISSUE,
    ),
]


def load(using: str = DEFAULT_DB_ALIAS, apps: Any = global_apps, **kwargs: Any) -> None:
    """Add each default rule that is missing (a `post_migrate` receiver, and callable directly)."""
    try:
        rule = apps.get_model("levy", "Rule")
    except LookupError:  # migrating the levy app away: nothing to load into
        return
    for kind, starts_on, value, source in DEFAULTS:
        rule.objects.using(using).get_or_create(
            kind=kind, starts_on=starts_on, defaults={"value": Decimal(value), "source": source}
        )
