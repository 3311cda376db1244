"""The apprenticeship funding rules in force, read from the dated `FundingRule` rows into
`funding.py`'s types, and the Django-facing helpers the enrolment, page and API code call.

Every helper raises django's `ValidationError` with a dict naming the field the problem is about
("start_on", "planned_end_on", "hours_per_week", "prior_learning_hours", "date_of_birth", "price",
"standard"), so a form puts the plain message by that field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.core.exceptions import ValidationError

from joinedup.levy.models import LevyAccount
from joinedup.levy.payments import in_force
from joinedup.levy.rules import co_investment_rates
from joinedup.partnership.models import Organisation

from . import funding
from .models import FundingRule, FundingRuleKind, Standard


def _rows(kind: str) -> list[FundingRule]:
    return list(FundingRule.objects.filter(kind=kind).order_by("applies_from"))


def off_the_job_rules() -> list[funding.OffTheJobRule]:
    """Every off-the-job minimum rule, oldest first."""
    return [
        funding.OffTheJobRule(
            applies_from=row.applies_from,
            method=row.method,
            percent=row.percent,
            weekly_hours_cap=row.weekly_hours_cap,
        )
        for row in _rows(FundingRuleKind.OFF_THE_JOB)
    ]


def duration_rules() -> list[funding.DurationRule]:
    """Every minimum duration rule, oldest first."""
    return [
        funding.DurationRule(applies_from=row.applies_from, months=row.months or 0)
        for row in _rows(FundingRuleKind.MINIMUM_DURATION)
    ]


def level7_rules() -> list[funding.Level7Rule]:
    """Every Level 7 levy funding rule, oldest first."""
    return [
        funding.Level7Rule(
            applies_from=row.applies_from,
            level=row.level or 7,
            age_limit=row.age_limit or 0,
            protected_age_limit=row.protected_age_limit or 0,
        )
        for row in _rows(FundingRuleKind.LEVEL_7)
    ]


@contextmanager
def _as_validation_error() -> Iterator[None]:
    """Turn `funding.RuleError` into a ValidationError on its field."""
    try:
        yield
    except funding.RuleError as error:
        raise ValidationError({error.field: str(error)}) from error


def government_share_on(start: dt.date) -> Decimal:
    """The government's co-investment share (such as 0.95) in force at the start."""
    try:
        return in_force(co_investment_rates(), start).government_share
    except ValueError as error:
        raise ValidationError(
            {"start_on": f"No co-investment rate applies to starts on {funding.day_text(start)}"}
        ) from error


def decision_for(
    *,
    standard: Standard,
    start: dt.date,
    eligibility: funding.Eligibility,
    employer: Organisation | None,
    levy_account: LevyAccount | None,
    transfer_from: LevyAccount | None,
    price: Decimal,
) -> funding.Decision:
    """The funding decision for an apprenticeship on `standard` starting on `start`: levy-funded
    when `levy_account` (the employer's) is given, transfer-funded when a partner's account
    `transfer_from` pays, co-funded otherwise, privately funded when the Level 7 rule says so."""
    mine = employer.pk if employer is not None else None
    if levy_account is not None and mine is not None and levy_account.organisation_id != mine:
        raise ValidationError({"levy_account": "Choose the employer's own levy account"})
    if transfer_from is not None and transfer_from.organisation_id == mine:
        raise ValidationError(
            {"transfer_from": "A transfer comes from another partner's levy account"}
        )
    with _as_validation_error():
        return funding.decide(
            level=standard.level,
            start=start,
            eligibility=eligibility,
            level7_rules=level7_rules(),
            has_levy_account=levy_account is not None,
            transfer=transfer_from is not None,
            price=price,
            funding_band=standard.funding_band,
            government_share=government_share_on(start),
        )


def required_off_the_job(
    *,
    standard: Standard,
    start: dt.date,
    planned_end: dt.date,
    hours_per_week: Decimal,
    prior_learning_hours: int,
) -> int:
    """The fewest off-the-job hours the rules in force at the start allow, in whole hours."""
    with _as_validation_error():
        return funding.off_the_job_minimum(
            rules=off_the_job_rules(),
            start=start,
            planned_end=planned_end,
            hours_per_week=hours_per_week,
            standard_hours=standard.off_the_job_hours,
            prior_learning_hours=prior_learning_hours,
        )


def minimum_duration_months(start: dt.date) -> int:
    """The shortest planned duration, in months, for starts on `start`."""
    with _as_validation_error():
        return funding.minimum_duration_months(rules=duration_rules(), start=start)


def check_duration(start: dt.date, planned_end: dt.date) -> None:
    """ValidationError on "planned_end_on" unless the planned duration meets the minimum in force
    at the start."""
    with _as_validation_error():
        funding.check_duration(rules=duration_rules(), start=start, planned_end=planned_end)


def value_in_words(rule: FundingRule) -> str:
    """What a rule row says, in words (for the rules table)."""
    describe: dict[str, Callable[[FundingRule], str]] = {
        FundingRuleKind.OFF_THE_JOB: _off_the_job_words,
        FundingRuleKind.MINIMUM_DURATION: lambda row: f"At least {row.months} months",
        FundingRuleKind.LEVEL_7: _level7_words,
    }
    words = describe.get(rule.kind)
    return words(rule) if words else rule.description


def _off_the_job_words(rule: FundingRule) -> str:
    if rule.method == funding.STANDARD_HOURS:
        return "The standard's published minimum off-the-job hours, less recognised prior learning"
    percent = f"{(rule.percent or Decimal(0)).normalize():f}%"
    if rule.weekly_hours_cap is None:
        return f"{percent} of contracted hours over the planned duration"
    cap = f"{rule.weekly_hours_cap.normalize():f}"
    return f"{percent} of contracted hours, counting at most {cap} hours a week"


def _level7_words(rule: FundingRule) -> str:
    return (
        f"The levy pays for Level {rule.level} only for apprentices aged under {rule.age_limit} "
        f"at the start, or under {rule.protected_age_limit} if a care leaver or holding an "
        "education, health and care plan; otherwise privately funded"
    )
