"""The funding pages: the rules table (anyone signed in), adding a dated rule (partnership and
levy leads), and the funding check, which works a decision out from typed facts and stores
nothing (the facts come in a POST so a date of birth never lands in an address or a log)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.lib.money import pounds
from joinedup.partnership.views.manage import posted, show_refusal

from .. import access, funding, rules
from ..funding_forms import FundingCheckForm, FundingRuleForm
from ..models import FundingRoute, FundingRule, FundingRuleKind

# The rules table in the order: off-the-job, minimum duration, Level 7.
KIND_ORDER = {
    FundingRuleKind.OFF_THE_JOB: 0,
    FundingRuleKind.MINIMUM_DURATION: 1,
    FundingRuleKind.LEVEL_7: 2,
}


@dataclass(frozen=True)
class RuleRow:
    """One row of the rules table."""

    kind: str
    applies_from: str
    value: str
    description: str


def _rows(found: list[FundingRule]) -> list[RuleRow]:
    return [
        RuleRow(
            kind=rule.get_kind_display(),
            applies_from=funding.day_text(rule.applies_from),
            value=rules.value_in_words(rule),
            description=rule.description,
        )
        for rule in found
    ]


@require_GET
def funding_rules(request: HttpRequest) -> HttpResponse:
    """The funding rules, each kind in date order: what applies to starts from which date."""
    found = sorted(
        access.visible_funding_rules(request.actor).order_by("applies_from", "pk"),
        key=lambda rule: KIND_ORDER.get(rule.kind, len(KIND_ORDER)),
    )
    context = {
        "rows": _rows(found),
        "may_add": access.may_add_funding_rules(request.actor),
    }
    return render(request, "apprenticeships/funding/rules.html", context)


@require_http_methods(["GET", "POST"])
def funding_rule_new(request: HttpRequest) -> HttpResponse:
    """Add a dated funding rule (existing rules are never changed or removed)."""
    if not access.may_add_funding_rules(request.actor):
        raise PermissionDenied
    form = FundingRuleForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rule = rules.add_funding_rule(actor=request.actor, **data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{rule} is added to the funding rules.")
            return redirect("apprenticeships:funding_rules")
    return render(request, "apprenticeships/funding/rule_form.html", {"form": form})


def work_out(form: FundingCheckForm) -> rules.FundingCheck | None:
    """The funding check for a valid form; a fact the rules refuse goes on its field (and gives
    None). Stores nothing."""
    data = form.cleaned_data
    try:
        return rules.check_funding(
            standard=form.standards[data["standard"]],
            start=data["start_on"],
            planned_end=data["planned_end_on"],
            price=data["price"],
            hours_per_week=data["hours_per_week"],
            prior_learning_hours=data["prior_learning_hours"] or 0,
            paid_by=data["paid_by"],
            eligibility=funding.Eligibility(
                date_of_birth=data["date_of_birth"],
                care_leaver=data["care_leaver"],
                ehc_plan=data["ehc_plan"],
            ),
        )
    except ValidationError as error:
        show_refusal(form, error)
        return None


@never_cache
@require_http_methods(["GET", "POST"])
def funding_check(request: HttpRequest) -> HttpResponse:
    """Work out a funding decision from the facts typed in, without storing any of them."""
    if not access.may_check_funding(request.actor):
        raise PermissionDenied
    standards = list(access.visible_standards(request.actor).order_by("title", "reference_code"))
    form = FundingCheckForm(posted(request), standards=standards)
    result = work_out(form) if request.method == "POST" and form.is_valid() else None
    context = {
        "form": form,
        "result": result,
        "route": FundingRoute(result.decision.route).label if result else "",
        "employer_pays": pounds(result.decision.employer_pays) if result else "",
        "earliest_end": funding.day_text(result.earliest_end) if result else "",
    }
    return render(request, "apprenticeships/funding/check.html", context)
