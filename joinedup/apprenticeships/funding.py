"""The apprenticeship funding rules as plain code fed dated rule rows: who pays (levy, a partner's
transfer, co-funding or the employer privately), the off-the-job minimum and the minimum duration.

No Django imports: `rules.py` loads the `FundingRule` rows into the dataclasses here and turns the
plain `ValueError`s into form errors. Every rate, share, age and month count comes in as data; the
rules in force for an apprenticeship are the rows of each kind with the latest `applies_from` on or
before its start date.

How things are counted (decided here, once):

- **Age** is in whole years on the day, as people count birthdays; someone born on 29 February
  turns a year older on 1 March in years without one.
- **Planned duration in weeks** counts every day from the start date to the planned end date,
  both included, divided by 7, kept exact (a part week counts as its share of a week). Holidays are
  not taken off: the rules say "over the planned duration".
- **Off-the-job hours** are worked out exactly, then rounded up to a whole hour (never down, so the
  plan always meets the rule). Under the share-of-hours rules, recognised prior learning has
  already shortened the planned duration, so it is not taken off again; under the
  published-hours rule (from 1 August 2025) it is taken off the standard's published hours.
- **Minimum duration** of N months is met when the planned end date is on or after the day before
  the same day of the month N months after the start (1 September 2025 + 8 months: 30 April
  2026), or the last day of that month when it has no such day (31 August + 6 months: 28 or 29
  February).
- **Money** is Decimal; what the employer pays is rounded to the penny, halves up.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Protocol, TypeVar

from joinedup.levy.payments import capped_price, employer_excess
from joinedup.lib.money import pounds

SHARE_OF_HOURS = "share_of_hours"
STANDARD_HOURS = "standard_hours"

LEVY = "levy"
TRANSFER = "transfer"
CO_FUNDED = "co_funded"
PRIVATE = "private"

LEVEL_7_REASON = "Not eligible for levy funding under the Level 7 rule"

PENNY = Decimal("0.01")


class RuleError(ValueError):
    """A plain-words reason the rules cannot be worked out, naming the input it is about
    (`field`, such as "planned_end_on") so a form can put it by that field."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


# --- Rule rows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OffTheJobRule:
    """The off-the-job minimum for starts from `applies_from`: `percent` of the contracted hours
    (counting at most `weekly_hours_cap` a week, when there is a cap) over the planned duration
    (method "share_of_hours"), or the standard's published hours (method "standard_hours")."""

    applies_from: dt.date
    method: str
    percent: Decimal | None = None
    weekly_hours_cap: Decimal | None = None


@dataclass(frozen=True)
class DurationRule:
    """The shortest an apprenticeship may be planned to last, for starts from `applies_from`."""

    applies_from: dt.date
    months: int


@dataclass(frozen=True)
class Level7Rule:
    """For starts from `applies_from`, the levy (or co-funding) pays for apprenticeships at `level`
    only for apprentices younger than `age_limit` at the start, or younger than
    `protected_age_limit` when a care leaver or holding an education, health and care plan."""

    applies_from: dt.date
    level: int
    age_limit: int
    protected_age_limit: int


@dataclass(frozen=True)
class Eligibility:
    """The apprentice's personal facts the Level 7 rule looks at (used for nothing else)."""

    date_of_birth: dt.date | None
    care_leaver: bool = False
    ehc_plan: bool = False


@dataclass(frozen=True)
class Decision:
    """Who pays for an apprenticeship and why.

    `route` is "levy", "transfer", "co_funded" or "private". `reason` is safe for every role to
    read; `eligibility_reason` names the personal facts it rests on (empty when none were used) and
    is shown only to those who may see them. `employer_pays` is what the employer pays directly to
    the provider, in pounds; `employer_pays_text` says it in words.
    """

    route: str
    reason: str
    eligibility_reason: str
    employer_pays: Decimal
    employer_pays_text: str


class _Dated(Protocol):
    @property
    def applies_from(self) -> dt.date: ...


_Rule = TypeVar("_Rule", bound=_Dated)


def rule_in_force(rules: Iterable[_Rule], start: dt.date) -> _Rule | None:
    """The rule with the latest `applies_from` on or before the start date, or None."""
    started = [rule for rule in rules if rule.applies_from <= start]
    if not started:
        return None
    return max(started, key=lambda rule: rule.applies_from)


def _required_rule(rules: Iterable[_Rule], start: dt.date, what: str) -> _Rule:
    rule = rule_in_force(rules, start)
    if rule is None:
        raise RuleError(
            f"No {what} rule applies to apprenticeships starting on {day_text(start)}",
            field="start_on",
        )
    return rule


def day_text(day: dt.date) -> str:
    """A date as people write it: 1 January 2026."""
    return f"{day.day} {day:%B %Y}"


# --- Age and the Level 7 rule ---------------------------------------------------------------------


def age_on(born: dt.date, day: dt.date) -> int:
    """Age in whole years on `day` (29 February birthdays fall on 1 March in other years)."""
    if day < born:
        raise RuleError(
            f"The date of birth {day_text(born)} is after {day_text(day)}", field="date_of_birth"
        )
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _protected_words(eligibility: Eligibility) -> str:
    if eligibility.care_leaver and eligibility.ehc_plan:
        return "a care leaver and holding an EHC plan"
    if eligibility.care_leaver:
        return "a care leaver"
    return "holding an EHC plan"


def level7_check(
    *, level: int | None, start: dt.date, eligibility: Eligibility, rules: Sequence[Level7Rule]
) -> tuple[bool, str]:
    """Whether the Level 7 rule in force at the start lets the levy pay, and the facts it rested
    on in words ("" when the rule does not apply to this apprenticeship)."""
    rule = rule_in_force(rules, start)
    if rule is None or level != rule.level:
        return True, ""
    born = eligibility.date_of_birth
    if born is None:
        raise RuleError(
            f"Enter the apprentice's date of birth: the Level {rule.level} rule looks at their "
            "age at the start",
            field="date_of_birth",
        )
    age = age_on(born, start)
    protected = eligibility.care_leaver or eligibility.ehc_plan
    limit = rule.protected_age_limit if protected else rule.age_limit
    facts = f"Aged {age} at the start on {day_text(start)}"
    if age < limit:
        if protected:
            return True, f"{facts}, {_protected_words(eligibility)} and under {limit}"
        return True, f"{facts}, under {limit}"
    if protected:
        return False, f"{facts}, {_protected_words(eligibility)} but not under {limit}"
    return False, (
        f"{facts}, not under {rule.age_limit}, and not a care leaver or holding an EHC plan"
    )


# --- The funding decision -------------------------------------------------------------------------


def _to_penny(amount: Decimal) -> Decimal:
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def _percent_text(share: Decimal) -> str:
    return f"{(share * 100).normalize():f}%"


def decide(
    *,
    level: int | None,
    start: dt.date,
    eligibility: Eligibility,
    level7_rules: Sequence[Level7Rule],
    has_levy_account: bool,
    transfer: bool,
    price: Decimal,
    funding_band: Decimal | None,
    government_share: Decimal,
) -> Decision:
    """Who pays for an apprenticeship at `level` starting on `start` at the agreed `price`.

    In order: privately funded when the Level 7 rule in force at the start says the levy may not
    pay (the employer pays the full price); transfer-funded when a partner's transfer is chosen;
    levy-funded when the employer has a levy account; otherwise co-funded, the government paying
    `government_share` (the co-investment rate in force at the start, such as 0.95) of the price
    capped at the funding band. Under the levy, a transfer or co-funding the employer also pays
    the part of the price above the funding band.
    """
    if price <= 0:
        raise RuleError("Enter an agreed price of more than £0", field="price")
    allowed, facts = level7_check(
        level=level, start=start, eligibility=eligibility, rules=level7_rules
    )
    if not allowed:
        return Decision(
            route=PRIVATE,
            reason=LEVEL_7_REASON,
            eligibility_reason=facts,
            employer_pays=_to_penny(price),
            employer_pays_text=(
                f"The employer pays the full agreed price of {pounds(price)} to the provider"
            ),
        )
    if funding_band is None or funding_band <= 0:
        raise RuleError(
            "The standard has no funding band, so the levy's share cannot be worked out",
            field="standard",
        )
    band = pounds(funding_band)
    excess = employer_excess(price, funding_band)
    above = (
        f"the {pounds(excess)} of the price above the funding band of {band}" if excess > 0 else ""
    )
    if transfer or has_levy_account:
        if transfer:
            route = TRANSFER
            reason = (
                "Transfer-funded: a partner's levy transfer pays for the apprenticeship, up to "
                f"the standard's funding band of {band}"
            )
        else:
            route = LEVY
            reason = (
                "Levy-funded: the employer's levy account pays for the apprenticeship, up to "
                f"the standard's funding band of {band}"
            )
        text = (
            f"The employer pays {above} to the provider"
            if excess > 0
            else "The employer pays nothing directly: the price is within the funding band"
        )
        return Decision(route, reason, facts, _to_penny(excess), text)
    if not Decimal(0) <= government_share <= Decimal(1):
        raise ValueError(f"government share {government_share} must be between 0 and 1")
    capped = capped_price(price, funding_band)
    employer_share = 1 - government_share
    own = _to_penny(capped * employer_share)
    reason = (
        "Co-funded: the employer does not pay the levy, so the government pays "
        f"{_percent_text(government_share)} of the price up to the standard's funding band of "
        f"{band} and the employer pays the rest"
    )
    text = (
        f"The employer pays {pounds(own)} ({_percent_text(employer_share)} of "
        f"{pounds(capped)})"
        + (f" and {above}" if excess > 0 else "")
        + f", {pounds(own + excess)} in all, to the provider"
    )
    return Decision(CO_FUNDED, reason, facts, _to_penny(own + excess), text)


# --- Off-the-job minimum --------------------------------------------------------------------------


def planned_weeks(start: dt.date, planned_end: dt.date) -> Fraction:
    """The planned duration in weeks: the days from start to planned end, both included, over 7."""
    if planned_end <= start:
        raise RuleError(
            f"The planned end date must be after the start date ({day_text(start)})",
            field="planned_end_on",
        )
    return Fraction((planned_end - start).days + 1, 7)


def off_the_job_minimum(
    *,
    rules: Sequence[OffTheJobRule],
    start: dt.date,
    planned_end: dt.date,
    hours_per_week: Decimal,
    standard_hours: int | None,
    prior_learning_hours: int,
) -> int:
    """The fewest off-the-job hours the rule in force at the start allows, in whole hours
    (rounded up). Raises `RuleError` (a ValueError) in plain words when it cannot be worked out,
    for example when the standard has no published hours."""
    weeks = planned_weeks(start, planned_end)
    if hours_per_week <= 0:
        raise RuleError("Enter contracted hours a week of more than 0", field="hours_per_week")
    if hours_per_week > 168:
        raise RuleError("Contracted hours a week cannot be more than 168", field="hours_per_week")
    if prior_learning_hours < 0:
        raise RuleError(
            "Recognised prior learning cannot be fewer than 0 hours", field="prior_learning_hours"
        )
    rule = _required_rule(rules, start, "off-the-job")
    if rule.method == STANDARD_HOURS:
        if standard_hours is None:
            raise RuleError(
                "The standard has no published minimum off-the-job hours, which the rules need "
                f"for starts from {day_text(rule.applies_from)}: add them to the standard first",
                field="standard",
            )
        if prior_learning_hours > standard_hours:
            raise RuleError(
                f"Recognised prior learning ({prior_learning_hours} hours) cannot be more than "
                f"the standard's published minimum of {standard_hours} hours",
                field="prior_learning_hours",
            )
        return standard_hours - prior_learning_hours
    if rule.method != SHARE_OF_HOURS or rule.percent is None:
        raise ValueError(f"off-the-job rule from {rule.applies_from} has no method or percent")
    counted = hours_per_week
    if rule.weekly_hours_cap is not None:
        counted = min(counted, rule.weekly_hours_cap)
    exact = Fraction(rule.percent) / 100 * Fraction(counted) * weeks
    return math.ceil(exact)


# --- Minimum duration -----------------------------------------------------------------------------


def minimum_duration_months(*, rules: Sequence[DurationRule], start: dt.date) -> int:
    """The shortest planned duration in months for an apprenticeship starting on `start`."""
    return _required_rule(rules, start, "minimum duration").months


def earliest_planned_end(*, rules: Sequence[DurationRule], start: dt.date) -> dt.date:
    """The earliest planned end date that meets the minimum duration (see the module docstring)."""
    months = minimum_duration_months(rules=rules, start=start)
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    if start.day > last:
        return dt.date(year, month + 1, last)
    return dt.date(year, month + 1, start.day) - dt.timedelta(days=1)


def check_duration(*, rules: Sequence[DurationRule], start: dt.date, planned_end: dt.date) -> None:
    """Raise `RuleError` on "planned_end_on" unless the planned duration meets the minimum."""
    if planned_end <= start:
        raise RuleError(
            f"The planned end date must be after the start date ({day_text(start)})",
            field="planned_end_on",
        )
    earliest = earliest_planned_end(rules=rules, start=start)
    if planned_end < earliest:
        months = minimum_duration_months(rules=rules, start=start)
        raise RuleError(
            f"An apprenticeship starting on {day_text(start)} must last at least {months} "
            f"months: plan it to end on {day_text(earliest)} or later",
            field="planned_end_on",
        )
