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
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from joinedup.levy.models import LevyAccount
from joinedup.levy.payments import in_force
from joinedup.levy.rules import co_investment_rates
from joinedup.partnership import audit
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Organisation

from . import access, funding
from .models import FundingRule, FundingRuleKind, OffTheJobMethod, Standard


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
    return decision(
        standard=standard,
        start=start,
        eligibility=eligibility,
        has_levy_account=levy_account is not None,
        transfer=transfer_from is not None,
        price=price,
    )


def decision(
    *,
    standard: Standard,
    start: dt.date,
    eligibility: funding.Eligibility,
    has_levy_account: bool,
    transfer: bool,
    price: Decimal,
) -> funding.Decision:
    """The funding decision from plain facts (whether the employer pays from its levy account or
    a partner's transfer is used), as the funding check asks it."""
    with _as_validation_error():
        return funding.decide(
            level=standard.level,
            start=start,
            eligibility=eligibility,
            level7_rules=level7_rules(),
            has_levy_account=has_levy_account,
            transfer=transfer,
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


def earliest_planned_end(start: dt.date) -> dt.date:
    """The earliest planned end date that meets the minimum duration for starts on `start`."""
    with _as_validation_error():
        return funding.earliest_planned_end(rules=duration_rules(), start=start)


def minimum_duration_months(start: dt.date) -> int:
    """The shortest planned duration, in months, for starts on `start`."""
    with _as_validation_error():
        return funding.minimum_duration_months(rules=duration_rules(), start=start)


def check_duration(start: dt.date, planned_end: dt.date) -> None:
    """ValidationError on "planned_end_on" unless the planned duration meets the minimum in force
    at the start."""
    with _as_validation_error():
        funding.check_duration(rules=duration_rules(), start=start, planned_end=planned_end)


@dataclass(frozen=True)
class FundingCheck:
    """What the funding check works out: the decision, the least off-the-job training (None,
    with a note saying why, when the standard lacks what the rules need), the minimum duration
    and the earliest planned end date that meets it."""

    decision: funding.Decision
    off_the_job_hours: int | None
    off_the_job_note: str
    minimum_months: int
    earliest_end: dt.date


PAID_BY = ("levy", "transfer", "neither")


def check_funding(
    *,
    standard: Standard,
    start: dt.date,
    planned_end: dt.date,
    price: Decimal,
    hours_per_week: Decimal,
    prior_learning_hours: int,
    paid_by: str,
    eligibility: funding.Eligibility,
) -> FundingCheck:
    """Everything the funding check page and API show, from typed facts; `paid_by` is "levy"
    (the employer's levy account), "transfer" (a partner's) or "neither" (co-funded). Stores
    nothing. ValidationError naming the field of a fact the rules refuse."""
    if paid_by not in PAID_BY:
        raise ValidationError({"paid_by": "Choose who pays"})
    check_duration(start, planned_end)
    decided = decision(
        standard=standard,
        start=start,
        eligibility=eligibility,
        has_levy_account=paid_by == "levy",
        transfer=paid_by == "transfer",
        price=price,
    )
    hours, note = None, ""
    try:
        hours = required_off_the_job(
            standard=standard,
            start=start,
            planned_end=planned_end,
            hours_per_week=hours_per_week,
            prior_learning_hours=prior_learning_hours,
        )
    except ValidationError as error:
        if set(error.message_dict) - {"standard"}:
            raise
        note = " ".join(error.message_dict["standard"])
    return FundingCheck(
        decision=decided,
        off_the_job_hours=hours,
        off_the_job_note=note,
        minimum_months=minimum_duration_months(start),
        earliest_end=earliest_planned_end(start),
    )


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


# --- Adding a rule --------------------------------------------------------------------------------

# The fields each kind of rule uses; the others are left empty.
KIND_FIELDS = {
    FundingRuleKind.OFF_THE_JOB: ("method", "percent", "weekly_hours_cap"),
    FundingRuleKind.MINIMUM_DURATION: ("months",),
    FundingRuleKind.LEVEL_7: ("level", "age_limit", "protected_age_limit"),
}


def _checked_values(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """The values a rule of `kind` uses, checked; ValidationError naming each bad field."""
    errors: dict[str, str] = {}
    kept = {name: values.get(name) for name in KIND_FIELDS[kind]}
    if kind == FundingRuleKind.OFF_THE_JOB:
        method = kept["method"]
        if method not in OffTheJobMethod.values:
            errors["method"] = "Choose how the off-the-job minimum is worked out"
        elif method == OffTheJobMethod.STANDARD_HOURS:
            kept["percent"] = kept["weekly_hours_cap"] = None
        else:
            percent, cap = kept["percent"], kept["weekly_hours_cap"]
            if percent is None or not 0 < percent <= 100:
                errors["percent"] = "Enter a share of contracted hours from 0.01 to 100"
            if cap is not None and not 0 < cap <= 168:
                errors["weekly_hours_cap"] = "Enter weekly hours counted from 0.01 to 168, or none"
    elif kind == FundingRuleKind.MINIMUM_DURATION:
        if kept["months"] is None or not 1 <= kept["months"] <= 60:
            errors["months"] = "Enter a minimum duration from 1 to 60 months"
    else:
        level, limit, protected = kept["level"], kept["age_limit"], kept["protected_age_limit"]
        if level is None or not 2 <= level <= 7:
            errors["level"] = "Enter a level from 2 to 7"
        if limit is None or not 16 <= limit <= 100:
            errors["age_limit"] = "Enter an age limit from 16 to 100"
        if protected is None or not 16 <= protected <= 100:
            errors["protected_age_limit"] = "Enter an age limit from 16 to 100"
        elif limit is not None and protected < limit:
            errors["protected_age_limit"] = (
                "The limit for care leavers and EHC plan holders cannot be lower than the age limit"
            )
    if errors:
        raise ValidationError(errors)
    return kept


def add_funding_rule(
    *,
    actor: Actor,
    kind: str,
    applies_from: dt.date,
    description: str = "",
    **values: Any,
) -> FundingRule:
    """Add a dated funding rule (rules are never changed or removed: a later rule replaces an
    earlier one for starts from its date). One audit entry."""
    if not access.may_add_funding_rules(actor):
        raise PermissionDenied
    if kind not in KIND_FIELDS:
        raise ValidationError({"kind": "Choose the kind of rule"})
    kept = _checked_values(kind, values)
    rule = FundingRule(kind=kind, applies_from=applies_from, **kept)
    rule.description = (description.strip() or value_in_words(rule))[:300]
    with transaction.atomic():
        if FundingRule.objects.filter(kind=kind, applies_from=applies_from).exists():
            raise ValidationError(
                {
                    "applies_from": f"There is already a {rule.get_kind_display().lower()} rule "
                    f"for starts from {funding.day_text(applies_from)}"
                }
            )
        rule.save()
        audit.record(
            actor=actor,
            action="apprenticeships.funding_rule.added",
            kind="apprenticeships.funding_rule",
            object_id=rule.pk,
            label=str(rule),
            changes={
                "kind": kind,
                "applies_from": applies_from.isoformat(),
                **{name: None if value is None else str(value) for name, value in kept.items()},
            },
        )
    return rule
