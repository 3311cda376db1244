"""Reference data: the standards (codes and titles from the 2021 list, with the levels, durations
and funding bands the key file has checked; see `levy/data/SOURCES.md`) and the default funding
rules of the apprenticeship issue, and the bank holidays of England and Wales that feedback
deadlines skip (`data/bank_holidays_england_wales.csv`, see `data/SOURCES.md`).

Like the levy's rules (`levy/default_rules.py`), they are loaded after every `migrate` (and after
the test runner's flush of a transactional test, which empties every table) by a `post_migrate`
handler, `load`. It adds only what is missing: people's later changes are kept.

Funding rules are rows with effective dates, never constants used by the rules themselves: these
are only the first rows, and people add later ones in the service.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

DATA = Path(__file__).resolve().parent.parent / "levy" / "data"
BANK_HOLIDAYS = Path(__file__).resolve().parent / "data" / "bank_holidays_england_wales.csv"
SOURCE = "Skills Funding Agency standards list, 2021 (codes and titles); levy/data/SOURCES.md"


def standard_rows() -> list[dict[str, Any]]:
    """One dict of Standard fields per standard in the 2021 list, in code order."""
    with (DATA / "apprenticeship_standards_key.csv").open(encoding="utf-8") as file:
        known = {row["reference_code"]: row for row in csv.DictReader(file)}
    rows = []
    with (DATA / "apprenticeship_standards_codes_2021.csv").open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            key = known.get(row["reference_code"], {})
            level = key.get("level") or ""
            months = key.get("typical_duration_months") or ""
            band = key.get("max_funding_gbp") or ""
            rows.append(
                {
                    "reference_code": row["reference_code"],
                    "title": row["title"],
                    "level": int(level) if level else None,
                    "typical_duration_months": int(months) if months else None,
                    "funding_band": Decimal(band) if band else None,
                    "source": (key.get("value_source") or SOURCE)[:200],
                }
            )
    return sorted(rows, key=lambda row: row["reference_code"])


AUG_2022 = dt.date(2022, 8, 1)
AUG_2025 = dt.date(2025, 8, 1)
FIRST_START = dt.date(2017, 5, 1)  # levy funding of apprenticeships began on 1 May 2017

DEFAULT_FUNDING_RULES: tuple[dict[str, Any], ...] = (
    {
        "kind": "off_the_job",
        "applies_from": FIRST_START,
        "method": "share_of_hours",
        "percent": Decimal(20),
        "weekly_hours_cap": None,
        "description": "20% of the apprentice's contracted hours over the planned duration",
    },
    {
        "kind": "off_the_job",
        "applies_from": AUG_2022,
        "method": "share_of_hours",
        "percent": Decimal(20),
        "weekly_hours_cap": Decimal(30),
        "description": "20% of contracted hours, counting at most 30 hours a week "
        "(6 hours a week for full-time apprentices)",
    },
    {
        "kind": "off_the_job",
        "applies_from": AUG_2025,
        "method": "standard_hours",
        "description": "The standard's published minimum off-the-job hours, less recognised "
        "prior learning",
    },
    {
        "kind": "minimum_duration",
        "applies_from": FIRST_START,
        "months": 12,
        "description": "An apprenticeship lasts at least 12 months",
    },
    {
        "kind": "minimum_duration",
        "applies_from": AUG_2025,
        "months": 8,
        "description": "An apprenticeship lasts at least 8 months",
    },
    {
        "kind": "level_7",
        "applies_from": dt.date(2026, 1, 1),
        "level": 7,
        "age_limit": 22,
        "protected_age_limit": 25,
        "description": "The levy pays for Level 7 apprenticeships only for apprentices aged under "
        "22 at the start, or under 25 if a care leaver or holding an education, health and care "
        "plan; otherwise they are privately funded",
    },
)


def bank_holiday_rows() -> list[dict[str, Any]]:
    """One dict of BankHoliday fields per bank holiday in GOV.UK's list, in date order."""
    with BANK_HOLIDAYS.open(encoding="utf-8") as file:
        return [
            {"on": dt.date.fromisoformat(row["date"]), "title": row["title"]}
            for row in csv.DictReader(file)
        ]


def load(using: str = DEFAULT_DB_ALIAS, apps: Any = global_apps, **kwargs: Any) -> None:
    """Add each standard, default funding rule and bank holiday that is missing (a `post_migrate`
    receiver, and callable directly)."""
    try:
        standard = apps.get_model("apprenticeships", "Standard")
        funding_rule = apps.get_model("apprenticeships", "FundingRule")
        bank_holiday = apps.get_model("apprenticeships", "BankHoliday")
    except LookupError:  # migrating the app away: nothing to load into
        return
    known = set(standard.objects.using(using).values_list("reference_code", flat=True))
    standard.objects.using(using).bulk_create(
        standard(**row) for row in standard_rows() if row["reference_code"] not in known
    )
    for rule in DEFAULT_FUNDING_RULES:
        funding_rule.objects.using(using).get_or_create(
            kind=rule["kind"], applies_from=rule["applies_from"], defaults=rule
        )
    holidays = set(bank_holiday.objects.using(using).values_list("on", flat=True))
    bank_holiday.objects.using(using).bulk_create(
        bank_holiday(**row) for row in bank_holiday_rows() if row["on"] not in holidays
    )
