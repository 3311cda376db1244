"""The apprenticeships API at /api/v1/apprenticeships/funding: the dated funding rules, and the
funding check (see docs/API.md).

Rules are reference data: every authenticated caller reads them, organisation tokens too. The
check works a decision out from the facts sent, exactly as the funding check page does, and stores
and logs none of them; it writes nothing, so organisation tokens may ask it too. A fact the rules
refuse is a 422 naming its field, such as `planned_end_on (body): An apprenticeship starting on
1 September 2025 must last at least 8 months: plan it to end on 30 April 2026 or later`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from joinedup.partnership.actor import Actor
from joinedup.partnership.api import Error, Id, Pagination, page_of

from . import access, funding, rules
from .models import FundingRoute, FundingRule, FundingRuleKind, OffTheJobMethod

router = Router(tags=["apprenticeships"])

ERRORS = {frozenset({401, 403, 404, 422}): Error}
RULE_ORDER = ("kind", "applies_from", "id")


class FundingRuleOut(Schema):
    id: int
    kind: FundingRuleKind
    kind_label: str
    applies_from: dt.date = Field(description="Applies to apprenticeships starting on or after.")
    value: str = Field(description="What the rule says, in words.")
    description: str
    method: OffTheJobMethod | None = Field(description="Off-the-job rules: how it is worked out.")
    percent: Decimal | None = Field(description="Off-the-job share of contracted hours.")
    weekly_hours_cap: Decimal | None = Field(description="Most contracted hours a week counted.")
    months: int | None = Field(description="Minimum duration rules: the months.")
    level: int | None = Field(description="Level 7 rules: the level it applies to.")
    age_limit: int | None
    protected_age_limit: int | None = Field(
        description="The age limit for care leavers and holders of an EHC plan."
    )


class FundingRulePage(Schema):
    items: list[FundingRuleOut]
    next: str | None


class FundingCheckIn(Schema):
    standard: Id | str = Field(
        description="The standard's id (see /api/v1/apprenticeships/standards) or its code, "
        "such as ST0480."
    )
    start_on: dt.date
    planned_end_on: dt.date
    price: Decimal = Field(gt=0, max_digits=14, decimal_places=2, description="In pounds.")
    hours_per_week: Decimal = Field(gt=0, le=168, max_digits=5, decimal_places=2)
    prior_learning_hours: int = Field(0, ge=0, le=100000)
    paid_by: Literal["levy", "transfer", "neither"] = Field(
        description="levy: the employer's levy account; transfer: a partner's levy transfer; "
        "neither: the employer does not pay the levy (co-funded)."
    )
    date_of_birth: dt.date | None = Field(None, description="Needed for Level 7 apprenticeships.")
    care_leaver: bool = False
    ehc_plan: bool = False


class FundingCheckOut(Schema):
    route: FundingRoute
    route_label: str
    reason: str = Field(description="Why, naming no personal facts.")
    eligibility_reason: str = Field(description="The personal facts the decision rests on.")
    employer_pays: Decimal = Field(description="What the employer pays the provider directly.")
    employer_pays_text: str
    off_the_job_hours: int | None = Field(
        description="The least off-the-job training in whole hours; null when it cannot be "
        "worked out (off_the_job_note says why)."
    )
    off_the_job_note: str
    minimum_duration_months: int
    earliest_planned_end: dt.date


def refused(error: ValidationError) -> HttpError:
    """A rule's refusal as a 422, each bad field named."""
    detail = "; ".join(
        f"{field} (body): {' '.join(messages)}" for field, messages in error.message_dict.items()
    )
    return HttpError(422, detail)


def rule_out(rule: FundingRule) -> dict:
    """A funding rule in the API's shape."""
    return {
        "id": rule.pk,
        "kind": rule.kind,
        "kind_label": rule.get_kind_display(),
        "applies_from": rule.applies_from,
        "value": rules.value_in_words(rule),
        "description": rule.description,
        "method": rule.method or None,
        "percent": rule.percent,
        "weekly_hours_cap": rule.weekly_hours_cap,
        "months": rule.months,
        "level": rule.level,
        "age_limit": rule.age_limit,
        "protected_age_limit": rule.protected_age_limit,
    }


@router.get("/rules", response={200: FundingRulePage, **ERRORS}, summary="Funding rules")
def apprenticeship_funding_rules(request: HttpRequest, page: Query[Pagination]) -> dict:
    """Every dated funding rule, by kind, then the date it applies to starts from."""
    actor: Actor = request.auth
    found = access.visible_funding_rules(actor)
    result = page_of(found, RULE_ORDER, (str, dt.date, int), page)
    return {"items": [rule_out(rule) for rule in result["items"]], "next": result["next"]}


@router.post("/check", response={200: FundingCheckOut, **ERRORS}, summary="Check funding")
def apprenticeship_funding_check(request: HttpRequest, facts: FundingCheckIn) -> dict:
    """The funding decision, employer's cost, off-the-job minimum and minimum duration for the
    facts sent, by the rules in force at the start. Nothing is stored."""
    actor: Actor = request.auth
    if not access.may_check_funding(actor):
        raise HttpError(403, "You may not check funding")
    standards = access.visible_standards(actor)
    if isinstance(facts.standard, int):
        standard = standards.filter(pk=facts.standard).first()
    else:
        standard = standards.filter(reference_code__iexact=facts.standard.strip()[:10]).first()
    if standard is None:
        raise HttpError(422, "standard (body): No such standard")
    try:
        found = rules.check_funding(
            standard=standard,
            start=facts.start_on,
            planned_end=facts.planned_end_on,
            price=facts.price,
            hours_per_week=facts.hours_per_week,
            prior_learning_hours=facts.prior_learning_hours,
            paid_by=facts.paid_by,
            eligibility=funding.Eligibility(
                date_of_birth=facts.date_of_birth,
                care_leaver=facts.care_leaver,
                ehc_plan=facts.ehc_plan,
            ),
        )
    except ValidationError as error:
        raise refused(error) from None
    decision = found.decision
    return {
        "route": decision.route,
        "route_label": FundingRoute(decision.route).label,
        "reason": decision.reason,
        "eligibility_reason": decision.eligibility_reason,
        "employer_pays": decision.employer_pays,
        "employer_pays_text": decision.employer_pays_text,
        "off_the_job_hours": found.off_the_job_hours,
        "off_the_job_note": found.off_the_job_note,
        "minimum_duration_months": found.minimum_months,
        "earliest_planned_end": found.earliest_end,
    }
