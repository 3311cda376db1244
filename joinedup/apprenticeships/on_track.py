"""Whether an apprentice's off-the-job time is on track for this point in their plan: plain code,
no Django, fed plain numbers and dates (see `off_the_job.on_track_for`).

The rule, in the words the pages show: by now the apprentice is expected to have logged the
planned hours times the share of the plan's time that has passed (the days since the start over
the days from the start to the planned end, from 0 before the start to 1 at and after the planned
end). Green when the hours logged are at least that; amber when they are at least 80% of it; red
when they are less. Logged hours count every entry, whether the tutor has verified it yet or not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

AMBER_SHARE = Decimal("0.8")
HUNDREDTH = Decimal("0.01")
RULE = (
    "Expected by now = planned hours × the share of the planned time that has passed. "
    "Green if the hours logged are at least the hours expected by now, amber if they are at "
    "least 80% of them, red if less."
)


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def label(self) -> str:
        return {"green": "On track", "amber": "Slightly behind", "red": "Behind"}[self.value]


@dataclass(frozen=True)
class OnTrack:
    """The status with the numbers behind it."""

    status: Rag
    on: dt.date
    required: Decimal
    planned: Decimal
    logged: Decimal
    verified: Decimal
    elapsed_share: Decimal  # 0 to 1, to 4 places
    expected: Decimal  # hours expected by `on`, to 2 places
    amber_from: Decimal  # 80% of expected, to 2 places
    elapsed_days: int
    plan_days: int
    rule: str = RULE

    @property
    def elapsed_percent(self) -> Decimal:
        return (self.elapsed_share * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def shortfall(self) -> Decimal:
        """Hours still to log to be green now (0 when green)."""
        return max(self.expected - self.logged, Decimal(0))

    @property
    def explanation(self) -> str:
        """The numbers in plain words."""
        if self.elapsed_days <= 0:
            return "The plan has not started yet, so no hours are expected by now."
        told = (
            f"{self.elapsed_days} of the plan's {self.plan_days} days have passed "
            f"({self.elapsed_percent}%), so {_hours(self.expected)} of the "
            f"{_hours(self.planned)} planned hours are expected by now; "
            f"{_hours(self.logged)} are logged ({_hours(self.verified)} verified)."
        )
        if self.status is Rag.GREEN:
            return told
        return f"{told} {_hours(self.shortfall)} more would put the apprentice on track."


def _hours(value: Decimal) -> str:
    text = f"{value.quantize(HUNDREDTH, ROUND_HALF_UP):,}"
    return text.removesuffix(".00")


def assess(
    *,
    start: dt.date,
    planned_end: dt.date,
    planned_hours: Decimal,
    required_hours: Decimal,
    logged_hours: Decimal,
    verified_hours: Decimal,
    on: dt.date,
) -> OnTrack:
    """Green, amber or red at the date `on` (see the module docstring for the rule)."""
    if planned_end <= start:
        raise ValueError("the planned end must be after the start")
    plan_days = (planned_end - start).days
    elapsed_days = min(max((on - start).days, 0), plan_days)
    share = (Decimal(elapsed_days) / Decimal(plan_days)).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    expected = (planned_hours * Decimal(elapsed_days) / Decimal(plan_days)).quantize(
        HUNDREDTH, ROUND_HALF_UP
    )
    amber_from = (expected * AMBER_SHARE).quantize(HUNDREDTH, ROUND_HALF_UP)
    if logged_hours >= expected:
        status = Rag.GREEN
    elif logged_hours >= amber_from:
        status = Rag.AMBER
    else:
        status = Rag.RED
    return OnTrack(
        status=status,
        on=on,
        required=required_hours,
        planned=planned_hours,
        logged=logged_hours,
        verified=verified_hours,
        elapsed_share=share,
        expected=expected,
        amber_from=amber_from,
        elapsed_days=elapsed_days,
        plan_days=plan_days,
    )
