"""The levy rules in force, read from the dated `Rule` rows into the pure cores' own types.

Every rate, period and threshold is a row an admin can add when the government changes it; the
pure modules (`funds_in`, `expiry`, `allowance`, `payments`, `pledge_rules`) take them as plain
data. A kind with no row at all is a set-up error, said plainly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured

from .allowance import AllowanceShare
from .expiry import Month, PolicyChange
from .funds_in import TopUpRate
from .models import Rule, RuleKind
from .payments import CoInvestmentRate, PaymentTerms
from .pledge_rules import DEFAULT_PLEDGE_RULES, PledgeRules

# Instalments are rounded to 5 decimal places: how the service computes, not a rate.
INSTALMENT_PLACES = 5

PLEDGE_FIELDS = {
    RuleKind.PLEDGE_MINIMUM: ("minimum_pledge", Decimal),
    RuleKind.PLEDGE_CLOSE_BELOW: ("closing_threshold", Decimal),
    RuleKind.CRITERION_SCORE: ("criterion_score", int),
    RuleKind.AUTO_APPROVAL_DAYS: ("automatic_approval_after_days", int),
    RuleKind.APPLICATION_REJECT_MONTHS: ("pending_rejected_after_months", int),
    RuleKind.ACCEPT_DAYS: ("approval_declined_after_days", int),
    RuleKind.UNUSED_EXPIRY_MONTHS: ("accepted_unused_expire_after_months", int),
}


def dated(kind: str) -> list[tuple[dt.date, Decimal]]:
    """The rows of one kind, oldest first, as (starts on, value)."""
    rows = list(
        Rule.objects.filter(kind=kind).order_by("starts_on").values_list("starts_on", "value")
    )
    if not rows:
        raise ImproperlyConfigured(f"No levy rule of kind {kind!r}: add one in the admin.")
    return rows


def value_on(kind: str, day: dt.date) -> Decimal:
    """The value of a rule in force on a day (the latest row starting on or before it)."""
    started = [value for starts_on, value in dated(kind) if starts_on <= day]
    if not started:
        raise ImproperlyConfigured(f"No levy rule of kind {kind!r} is in force on {day}.")
    return started[-1]


def top_up_rates() -> tuple[TopUpRate, ...]:
    return tuple(TopUpRate(start=start, rate=value) for start, value in dated(RuleKind.TOP_UP_RATE))


def transfer_shares() -> tuple[AllowanceShare, ...]:
    return tuple(
        AllowanceShare(start=start, share=value) for start, value in dated(RuleKind.TRANSFER_SHARE)
    )


def co_investment_rates() -> tuple[CoInvestmentRate, ...]:
    return tuple(
        CoInvestmentRate(effective_from=start, government_share=value)
        for start, value in dated(RuleKind.GOVERNMENT_CO_INVESTMENT)
    )


def payment_terms() -> tuple[PaymentTerms, ...]:
    return tuple(
        PaymentTerms(
            effective_from=start, completion_share=value, instalment_places=INSTALMENT_PLACES
        )
        for start, value in dated(RuleKind.COMPLETION_SHARE)
    )


def expiry_policy() -> tuple[int, PolicyChange | None]:
    """The first expiry period in months, and the change to a second one, if any.

    The expiry calculation knows one change (August 2026: 24 months becomes 12); a third row
    would need a new cohort in `levy.expiry`, so it is refused rather than ignored.
    """
    rows = dated(RuleKind.EXPIRY_MONTHS)
    if len(rows) > 2:
        raise ImproperlyConfigured("The expiry calculation supports one change of period.")
    first = int(rows[0][1])
    if len(rows) == 1:
        return first, None
    start, months = rows[1]
    return first, PolicyChange(start=Month(start.year, start.month), expiry_months=int(months))


def pledge_rules() -> tuple[PledgeRules, ...]:
    """One `PledgeRules` per date any pledge rule changed, each with the values then in force.

    The first-year cost's "12 months or less" is the transfer service's definition of a year, kept
    from the pure module; the on-programme share is what the completion payment leaves.
    """
    rows = {kind: dated(kind) for kind in [*PLEDGE_FIELDS, RuleKind.COMPLETION_SHARE]}
    starts = sorted({start for values in rows.values() for start, _ in values})
    base = DEFAULT_PLEDGE_RULES[0]
    versions = []
    for start in starts:
        changes: dict[str, object] = {"effective_from": start}
        for kind, (name, convert) in PLEDGE_FIELDS.items():
            started = [value for day, value in rows[kind] if day <= start]
            if started:
                changes[name] = convert(started[-1])
        completion = [value for day, value in rows[RuleKind.COMPLETION_SHARE] if day <= start]
        if completion:
            changes["on_programme_share"] = 1 - completion[-1]
        versions.append(replace(base, **changes))
    return tuple(versions)
