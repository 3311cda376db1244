"""Pledges as in the government's transfer service: their amount, matching, cost and automation.
Plain data in, plain data out.

The rules (issue 4, "Pledges"), with the choices this module makes where the issue is silent:

- A pledge is at least the minimum (£2,000) and at most the sender's remaining transfer allowance.
- A pledge may set criteria on sector, level, job role and location. Each criterion an application
  meets scores 25%. A pledge that sets nothing on a dimension accepts anyone there, so that
  dimension counts as met: a pledge with no criteria at all is a 100% match for everyone.
- Approval is manual, automatic at once for a 100% match, or automatic after 42 days for a 100%
  match. Automatic approvals go oldest application first (by application date, then id) while the
  pledge can afford them: the first one it cannot afford stops the run for that pledge, so a
  younger, cheaper application never jumps the queue. A closed pledge approves nothing.
- Pending applications are rejected after 3 months; approvals not accepted are declined after 42
  days; accepted funds unused after 3 months expire.
- "After N days" is due on the date N days later; "after N months" is due on the same day number N
  calendar months later, or that month's last day when it is shorter (30 November + 3 months is
  28 February, or the 29th in a leap year). Dates are Europe/London calendar dates.
- An approved application debits its first-year cost; a debit that leaves more than £0 and less than
  the closing threshold (£2,000) closes the pledge.

Every figure is data passed in (`PledgeRules`), versioned by effective date; `DEFAULT_PLEDGE_RULES`
holds the issue's figures for the service to load into its table.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

FULL_MATCH = 100
MONTHS_IN_A_YEAR = 12


@dataclass(frozen=True)
class PledgeRules:
    """The pledge figures in force from `effective_from`."""

    effective_from: dt.date
    minimum_pledge: Decimal
    closing_threshold: Decimal
    criterion_score: int
    automatic_approval_after_days: int
    pending_rejected_after_months: int
    approval_declined_after_days: int
    accepted_unused_expire_after_months: int
    full_band_up_to_months: int
    on_programme_share: Decimal


# Transfers between employers began in April 2018; these are the transfer service's figures.
DEFAULT_PLEDGE_RULES: tuple[PledgeRules, ...] = (
    PledgeRules(
        effective_from=dt.date(2018, 4, 1),
        minimum_pledge=Decimal(2000),
        closing_threshold=Decimal(2000),
        criterion_score=25,
        automatic_approval_after_days=42,
        pending_rejected_after_months=3,
        approval_declined_after_days=42,
        accepted_unused_expire_after_months=3,
        full_band_up_to_months=12,
        on_programme_share=Decimal("0.8"),
    ),
)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day number `months` calendar months later, or that month's last day if shorter."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return dt.date(year, month_index + 1, min(day.day, last_day))


def pledge_amount_problems(
    amount: Decimal, remaining_allowance: Decimal, rules: PledgeRules
) -> tuple[str, ...]:
    """Why a pledge of `amount` cannot be made (nothing when it can)."""
    problems: list[str] = []
    if amount < rules.minimum_pledge:
        problems.append(f"The pledge amount must be at least £{rules.minimum_pledge:,}.")
    if amount > remaining_allowance:
        problems.append(
            "The pledge amount must be no more than the remaining transfer allowance "
            f"of £{max(remaining_allowance, Decimal(0)):,.2f}."
        )
    return tuple(problems)


@dataclass(frozen=True)
class PledgeBalance:
    """A pledge's remaining amount after a debit, and whether the debit closes it."""

    remaining: Decimal
    closed: bool


def debit_pledge(remaining: Decimal, cost: Decimal, rules: PledgeRules) -> PledgeBalance:
    """Take an approved application's cost off a pledge; leaving more than £0 and less than the
    closing threshold (£2,000) closes it."""
    if cost > remaining:
        raise ValueError(f"a cost of {cost} is more than the pledge's remaining {remaining}")
    left = remaining - cost
    return PledgeBalance(remaining=left, closed=0 < left < rules.closing_threshold)


@dataclass(frozen=True)
class Criteria:
    """What a pledge asks for; an empty set on a dimension accepts anything there."""

    sectors: frozenset[str] = frozenset()
    levels: frozenset[int] = frozenset()
    job_roles: frozenset[str] = frozenset()
    locations: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Applicant:
    """What an application offers on each dimension a pledge may ask about."""

    sector: str
    level: int
    job_role: str
    location: str


def _met(wanted: frozenset[str] | frozenset[int], offered: str | int) -> bool:
    return not wanted or offered in wanted


def match_percentage(criteria: Criteria, applicant: Applicant, rules: PledgeRules) -> int:
    """The criterion score for each of sector, level, job role and location the applicant meets."""
    met = [
        _met(criteria.sectors, applicant.sector),
        _met(criteria.levels, applicant.level),
        _met(criteria.job_roles, applicant.job_role),
        _met(criteria.locations, applicant.location),
    ]
    return rules.criterion_score * sum(met)


def first_year_cost(
    *, funding_band: Decimal, apprentices: int, duration_months: int, rules: PledgeRules
) -> Decimal:
    """What an approved application debits: the full band for each apprentice when the
    apprenticeship lasts the full-band period (12 months) or less; otherwise a year of on-programme
    payments (band x apprentices x 0.8 / duration x 12), rounded to the pound, halves away from
    zero."""
    if apprentices < 1:
        raise ValueError(f"apprentices must be at least 1, not {apprentices}")
    if duration_months < 1:
        raise ValueError(f"duration must be at least 1 month, not {duration_months}")
    if duration_months <= rules.full_band_up_to_months:
        return funding_band * apprentices
    # Multiplying before dividing keeps a true half exact, so it rounds up as the rule says.
    year = funding_band * apprentices * rules.on_programme_share * MONTHS_IN_A_YEAR
    return (year / duration_months).quantize(Decimal(1), ROUND_HALF_UP)


class ApprovalMode(StrEnum):
    """How a pledge approves applications."""

    MANUAL = "manual"
    AUTOMATIC_AT_ONCE = "automatic_at_once"
    AUTOMATIC_AFTER_DELAY = "automatic_after_delay"


class ApplicationStatus(StrEnum):
    """Where an application stands; only the first three are ever due for anything."""

    PENDING = "pending"
    APPROVED = "approved"
    ACCEPTED = "accepted"
    FUNDS_USED = "funds_used"
    REJECTED = "rejected"
    DECLINED = "declined"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class PledgeRecord:
    """A pledge as automation needs it."""

    id: str
    remaining: Decimal
    approval_mode: ApprovalMode
    closed: bool = False


@dataclass(frozen=True)
class ApplicationRecord:
    """An application as automation needs it; `since` is the date it took its current status
    (applied, approved or accepted)."""

    id: str
    pledge: str
    status: ApplicationStatus
    applied_on: dt.date
    since: dt.date
    match: int
    cost: Decimal


@dataclass(frozen=True)
class AutomaticApproval:
    """An application to approve, with the pledge's remaining amount after its cost and whether
    that closes the pledge."""

    application: str
    pledge: str
    cost: Decimal
    remaining: Decimal
    closes_pledge: bool


@dataclass(frozen=True)
class DueOnDate:
    """Everything automation should do on one date: application ids in the order given, and the
    approvals in the order to make them."""

    rejections: tuple[str, ...]
    declines: tuple[str, ...]
    expiries: tuple[str, ...]
    approvals: tuple[AutomaticApproval, ...]


def rejection_due(application: ApplicationRecord, day: dt.date, rules: PledgeRules) -> bool:
    """A pending application is rejected once it has waited the rejection period (3 months)."""
    due = add_months(application.applied_on, rules.pending_rejected_after_months)
    return application.status is ApplicationStatus.PENDING and day >= due


def decline_due(application: ApplicationRecord, day: dt.date, rules: PledgeRules) -> bool:
    """An approval not accepted within the period (42 days) is declined."""
    due = application.since + dt.timedelta(days=rules.approval_declined_after_days)
    return application.status is ApplicationStatus.APPROVED and day >= due


def expiry_due(application: ApplicationRecord, day: dt.date, rules: PledgeRules) -> bool:
    """Accepted funds still unused after the period (3 months) expire."""
    due = add_months(application.since, rules.accepted_unused_expire_after_months)
    return application.status is ApplicationStatus.ACCEPTED and day >= due


def automatic_approval_due(
    application: ApplicationRecord, pledge: PledgeRecord, day: dt.date, rules: PledgeRules
) -> bool:
    """A pending 100% match on an automatic pledge is due at once, or after the delay (42 days);
    an application already due for rejection is not."""
    if application.status is not ApplicationStatus.PENDING or application.match < FULL_MATCH:
        return False
    if pledge.closed or rejection_due(application, day, rules):
        return False
    if pledge.approval_mode is ApprovalMode.AUTOMATIC_AT_ONCE:
        return True
    delay = dt.timedelta(days=rules.automatic_approval_after_days)
    return pledge.approval_mode is ApprovalMode.AUTOMATIC_AFTER_DELAY and day >= (
        application.applied_on + delay
    )


def automatic_approvals(
    pledge: PledgeRecord,
    applications: Sequence[ApplicationRecord],
    day: dt.date,
    rules: PledgeRules,
) -> tuple[AutomaticApproval, ...]:
    """The pledge's applications due for automatic approval, oldest first, while it can afford
    them and stays open."""
    due = sorted(
        (
            application
            for application in applications
            if application.pledge == pledge.id
            and automatic_approval_due(application, pledge, day, rules)
        ),
        key=lambda application: (application.applied_on, application.id),
    )
    approvals: list[AutomaticApproval] = []
    remaining = pledge.remaining
    for application in due:
        if application.cost > remaining:
            break
        balance = debit_pledge(remaining, application.cost, rules)
        approvals.append(
            AutomaticApproval(
                application.id, pledge.id, application.cost, balance.remaining, balance.closed
            )
        )
        if balance.closed:
            break
        remaining = balance.remaining
    return tuple(approvals)


def due_on(
    day: dt.date,
    pledges: Sequence[PledgeRecord],
    applications: Sequence[ApplicationRecord],
    rules: PledgeRules,
) -> DueOnDate:
    """What pledge automation should do on `day`. Amounts freed by today's declines and expiries
    are not offered to today's approvals: the service credits them first, and the next run sees
    them."""
    return DueOnDate(
        rejections=tuple(a.id for a in applications if rejection_due(a, day, rules)),
        declines=tuple(a.id for a in applications if decline_due(a, day, rules)),
        expiries=tuple(a.id for a in applications if expiry_due(a, day, rules)),
        approvals=tuple(
            approval
            for pledge in sorted(pledges, key=lambda pledge: pledge.id)
            for approval in automatic_approvals(pledge, applications, day, rules)
        ),
    )
