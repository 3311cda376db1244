"""The partnership's apprenticeship needs and runs of the pooling optimiser: every write here.

A need's cost schedule comes from the payment rules (`levy.payments`): the funding band times the
apprentices is the price, paid in monthly instalments from the start month for its duration with
the completion payment in the last month. A run gathers every member organisation's account (a
sender is one with transfer allowance left and funds forecast to expire), the partnership's open
needs, and hands them to the pure core (`levy.optimiser`).

The run happens inside the request, with a time limit of `TIME_LIMIT_SECONDS`: the core splits a
partnership into independent parts and solves one of a few dozen organisations and a few hundred
needs in well under a second (the benchmark of 300 organisations and 2,000 needs is under 10 s),
so a background task and a progress page would add waiting without need. The limit keeps the
worst case under the usual 30-second proxy timeout; when it is reached the run is stored with
status "time_limit" and the gap (how much more expiry the best plan might avoid).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from joinedup.lib.money import pounds
from joinedup.partnership import audit
from joinedup.partnership.access import open_memberships
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Organisation, Partnership

from . import access, payments, queries, rules
from . import optimiser as core
from .models import (
    ApprovalMode,
    LevyAccount,
    Need,
    OptimiserRun,
    Pledge,
    Recommendation,
)
from .pledge_rules import add_months
from .pledges import create_pledge

TIME_LIMIT_SECONDS = 20
LEVELS = range(2, 8)
MAX_DURATION_MONTHS = 72
MAX_APPRENTICES = 1000
PRIORITIES = {1: "Low", 2: "Medium", 3: "High"}
NEED_FIELDS = (
    "organisation",
    "standard_code",
    "standard_title",
    "level",
    "start_month",
    "duration_months",
    "apprentices",
    "funding_band",
    "priority",
    "job_role",
    "location",
)


class OptimiserRefused(Exception):
    """A run the optimiser cannot do, in words for people."""


def month_key(day: dt.date) -> str:
    return f"{day:%Y-%m}"


def need_costs(
    need: Need, terms: tuple[payments.PaymentTerms, ...] | None = None
) -> dict[str, Decimal]:
    """What the need's provider payments cost by month (`YYYY-MM`), under the rules in force at
    its start: the band times the apprentices, over its duration, completion in the last month.

    Pass `rules.payment_terms()` as `terms` when costing many needs, to read the rules once.
    """
    start = need.start_month.replace(day=1)
    last_month = add_months(start, need.duration_months - 1)
    planned_end = add_months(last_month, 1) - dt.timedelta(days=1)
    price = need.funding_band * need.apprentices
    schedule = payments.payment_schedule(
        start=start,
        planned_end=planned_end,
        price=price,
        funding_band=price,
        terms=payments.in_force(terms or rules.payment_terms(), start),
    )
    return schedule.costs_by_month()


def month_words(key: str) -> str:
    """A month key (2027-03) as people read it (March 2027)."""
    return f"{dt.date(int(key[:4]), int(key[5:7]), 1):%B %Y}"


def in_words(recommendation: Recommendation) -> str:
    """A recommended transfer explained: who funds what, and which expiring funds it saves.

    One or two months are named with their amounts; more are given as a total over the months
    from the first to the last (the recommendation's page lists each).
    """
    need = recommendation.need
    sender = recommendation.sender.organisation.name
    funds = f"{sender} funds the {need.standard_title} apprenticeship at {need.organisation.name}"
    saves = [(saving["month"], Decimal(saving["amount"])) for saving in recommendation.explanation]
    if not saves:
        return f"{funds}: it saves no expiring funds, but funds a need within its allowance."
    if len(saves) > 2:
        total = sum((amount for _, amount in saves), Decimal(0))
        first, last = month_words(saves[0][0]), month_words(saves[-1][0])
        return (
            f"{funds}: {pounds(total)} of its funds expiring from {first} to {last} are spent "
            "instead of lost."
        )
    listed = " and ".join(
        f"{pounds(amount)} of its funds expiring in {month_words(month)}" for month, amount in saves
    )
    return f"{funds}: {listed} are spent instead of lost."


# --- Needs -----------------------------------------------------------------------------------


def partnership_for_need(actor: Actor, organisation: Organisation) -> Partnership | None:
    """The partnership a need of this organisation belongs to when this person adds it: one they
    oversee that the organisation is a member of, else the organisation's own (by name)."""
    member = open_memberships().filter(organisation=organisation, partnership=OuterRef("pk"))
    overseen = access.overseen_partnerships(actor).filter(Exists(member)).order_by("name", "pk")
    if overseen.exists():
        return overseen.first()
    return Partnership.objects.filter(Exists(member)).order_by("name", "pk").first()


def _need_problems(values: Mapping[str, object]) -> dict[str, str]:
    """The rules a need's details break, by field, in words."""
    problems: dict[str, str] = {}
    level = values["level"]
    if not isinstance(level, int) or level not in LEVELS:
        problems["level"] = "Level must be a whole number from 2 to 7"
    duration = values["duration_months"]
    if not isinstance(duration, int) or not 1 <= duration <= MAX_DURATION_MONTHS:
        problems["duration_months"] = (
            f"Duration must be a whole number of months from 1 to {MAX_DURATION_MONTHS}"
        )
    apprentices = values["apprentices"]
    if not isinstance(apprentices, int) or not 1 <= apprentices <= MAX_APPRENTICES:
        problems["apprentices"] = f"Apprentices must be a whole number from 1 to {MAX_APPRENTICES}"
    band = values["funding_band"]
    if not isinstance(band, Decimal) or not band.is_finite() or band <= 0:
        problems["funding_band"] = "Funding band must be an amount of money more than £0"
    elif band != band.quantize(Decimal("0.01")) or band >= Decimal("1000000"):
        problems["funding_band"] = "Funding band must be in pounds and pence, under £1,000,000"
    if values["priority"] not in PRIORITIES:
        problems["priority"] = "Priority must be 1 (low), 2 (medium) or 3 (high)"
    if not str(values["standard_title"]).strip():
        problems["standard_title"] = "Enter the standard's title"
    if len(str(values["standard_title"]).strip()) > 200:
        problems["standard_title"] = "Standard title must be 200 characters or fewer"
    if len(str(values["standard_code"]).strip()) > 10:
        problems["standard_code"] = "Standard code must be 10 characters or fewer"
    for field in ("job_role", "location"):
        if len(str(values[field]).strip()) > 200:
            problems[field] = (
                f"{field.replace('_', ' ').capitalize()} must be 200 characters or fewer"
            )
    start = values["start_month"]
    if not isinstance(start, dt.date) or not 2000 <= start.year <= 2100:
        problems["start_month"] = "Start month must be a month between 2000 and 2100"
    return problems


def _checked(actor: Actor, values: Mapping[str, object]) -> dict[str, object]:
    """The need's details tidied, or a ValidationError naming every field that breaks a rule."""
    problems = _need_problems(values)
    organisation = values["organisation"]
    if not isinstance(organisation, Organisation) or not (
        access.need_organisations(actor).filter(pk=organisation.pk).exists()
    ):
        problems["organisation"] = "Choose an organisation you may add needs for"
    if problems:
        raise ValidationError(problems)
    cleaned = dict(values)
    for field in ("standard_code", "standard_title", "job_role", "location"):
        cleaned[field] = str(values[field]).strip()
    start = values["start_month"]
    assert isinstance(start, dt.date)
    cleaned["start_month"] = start.replace(day=1)
    return cleaned


def _need_changes(need: Need) -> dict[str, object]:
    """The need's figures for the audit log (ids and non-personal values)."""
    return {
        "organisation": need.organisation_id,
        "standard_code": need.standard_code,
        "level": need.level,
        "start_month": month_key(need.start_month),
        "duration_months": need.duration_months,
        "apprentices": need.apprentices,
        "funding_band": str(need.funding_band),
        "priority": need.priority,
    }


def create_need(*, actor: Actor, **values: object) -> Need:
    """Add an apprenticeship need of an organisation the person may add needs for."""
    cleaned = _checked(actor, {field: values.get(field, "") for field in NEED_FIELDS})
    organisation = cleaned["organisation"]
    assert isinstance(organisation, Organisation)
    partnership = partnership_for_need(actor, organisation)
    if partnership is None:
        raise ValidationError({"organisation": "This organisation belongs to no partnership"})
    with transaction.atomic():
        need = Need.objects.create(partnership=partnership, created_by=actor.person, **cleaned)
        audit.record(
            actor=actor,
            action="levy.need.added",
            kind="levy.need",
            object_id=need.pk,
            label=str(need),
            organisation=organisation,
            partnership=partnership,
            changes=_need_changes(need),
        )
    return need


def update_need(*, actor: Actor, need: Need, **values: object) -> bool:
    """Change an open need's details (not its organisation); False when nothing changed."""
    if need.withdrawn_at is not None:
        raise ValidationError("This need is withdrawn: it cannot be changed.")
    values = {**values, "organisation": need.organisation}
    cleaned = _checked(actor, {field: values.get(field, "") for field in NEED_FIELDS})
    changed = {field: value for field, value in cleaned.items() if getattr(need, field) != value}
    if not changed:
        return False
    with transaction.atomic():
        for field, value in changed.items():
            setattr(need, field, value)
        need.save(update_fields=list(changed))
        audit.record(
            actor=actor,
            action="levy.need.changed",
            kind="levy.need",
            object_id=need.pk,
            label=str(need),
            organisation=need.organisation,
            partnership=need.partnership,
            changes={"changed": sorted(changed), **_need_changes(need)},
        )
    return True


def withdraw_need(*, actor: Actor, need: Need) -> Need:
    """Withdraw a need: later optimiser runs leave it out; past runs keep their record of it."""
    with transaction.atomic():
        withdrawn = Need.objects.filter(pk=need.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now()
        )
        if withdrawn != 1:
            raise ValidationError("This need is already withdrawn.")
        need.refresh_from_db()
        audit.record(
            actor=actor,
            action="levy.need.withdrawn",
            kind="levy.need",
            object_id=need.pk,
            label=str(need),
            organisation=need.organisation,
            partnership=need.partnership,
        )
    return need


# --- Optimiser runs --------------------------------------------------------------------------


def member_accounts(partnership: Partnership) -> QuerySet[LevyAccount]:
    """The levy accounts of the partnership's current members."""
    member = open_memberships().filter(partnership=partnership, organisation=OuterRef("pk"))
    members = Organisation.objects.filter(Exists(member))
    return LevyAccount.objects.filter(organisation__in=members).select_related("organisation")


def open_needs(partnership: Partnership, today: dt.date) -> QuerySet[Need]:
    """Needs a run considers: not withdrawn, starting this month or later, and not already made
    into a pledge through an earlier recommendation."""
    pledged = Recommendation.objects.filter(need=OuterRef("pk"), pledge__isnull=False)
    return (
        Need.objects.filter(
            partnership=partnership,
            withdrawn_at__isnull=True,
            start_month__gte=today.replace(day=1),
        )
        .exclude(Exists(pledged))
        .select_related("organisation")
    )


def _amounts(values: Mapping[str, Decimal]) -> dict[str, str]:
    return {key: str(value) for key, value in sorted(values.items())}


def run_optimiser(
    *,
    actor: Actor,
    partnership: Partnership,
    today: dt.date | None = None,
    time_limit: float = TIME_LIMIT_SECONDS,
) -> OptimiserRun:
    """Plan transfers between the partnership's members and store the plan as recommendations.

    Senders are the accounts with remaining allowance and forecast expiry; `expiring` is the
    forecast's expiring amounts by month. The plan is compared with no transfers (every forecast
    expiry is lost) and with the greedy plan.
    """
    day = today or timezone.localdate()
    started = time.monotonic()
    accounts = {str(account.organisation_id): account for account in member_accounts(partnership)}
    summaries = queries.account_summaries(list(accounts.values()), day)
    senders: list[core.Sender] = []
    expiry_total = Decimal(0)
    for organisation_id, account in sorted(accounts.items()):
        summary = summaries[account.pk]
        expiring = summary.forecast.expiring()
        expiry_total += summary.forecast_total
        if summary.remaining_allowance > 0 and expiring:
            senders.append(
                core.Sender(
                    id=organisation_id,
                    allowance=summary.remaining_allowance,
                    expiring=expiring,
                )
            )
    needs = {str(need.pk): need for need in open_needs(partnership, day)}
    terms = rules.payment_terms()
    core_needs = [
        core.Need(
            id=need_id,
            organisation=str(need.organisation_id),
            priority=need.priority,
            costs=need_costs(need, terms),
        )
        for need_id, need in needs.items()
    ]
    try:
        if senders and core_needs:
            outcome = core.optimise(senders, core_needs, time_limit=time_limit)
            greedy = core.greedy_plan(senders, core_needs)
        else:
            # Nothing to plan (and the core wants at least one sender): no transfers.
            greedy = core.no_transfer_plan()
            outcome = core.Outcome(plan=greedy, status="optimal", avoided_bound=Decimal(0))
    except core.OptimiserError as error:
        raise OptimiserRefused(
            f"The optimiser cannot plan with these figures: {error}. Check the needs' funding "
            "bands and the accounts' forecasts."
        ) from error
    explanations = core.explain(senders, core_needs, outcome.plan)
    inputs = {
        "today": day.isoformat(),
        "senders": [
            {"id": s.id, "allowance": str(s.allowance), "expiring": _amounts(s.expiring)}
            for s in senders
        ],
        "needs": [
            {
                "id": n.id,
                "organisation": n.organisation,
                "priority": n.priority,
                "costs": _amounts(n.costs),
            }
            for n in core_needs
        ],
        "greedy_plan": [{"need": t.need, "sender": t.sender} for t in greedy.transfers],
    }
    with transaction.atomic():
        run = OptimiserRun.objects.create(
            partnership=partnership,
            run_by=actor.person,
            time_limit_seconds=int(time_limit),
            status=outcome.status,
            gap=outcome.gap,
            expiry_avoided=outcome.plan.expiry_avoided,
            priority_funded=outcome.plan.priority_funded,
            greedy_expiry_avoided=greedy.expiry_avoided,
            greedy_priority_funded=greedy.priority_funded,
            expiry_without_transfers=expiry_total,
            inputs=inputs,
            seconds=Decimal(f"{time.monotonic() - started:.3f}"),
        )
        Recommendation.objects.bulk_create(
            Recommendation(
                optimiser_run=run,
                need=needs[explanation.need],
                sender=accounts[explanation.sender],
                amount=explanation.cost,
                expiry_avoided=explanation.saved,
                explanation=[
                    {"month": saving.month, "amount": str(saving.amount)}
                    for saving in explanation.saves
                ],
            )
            for explanation in explanations
        )
        audit.record(
            actor=actor,
            action="levy.optimiser.run",
            kind="levy.optimiser_run",
            object_id=run.pk,
            label=f"Optimiser run {run.pk}",
            partnership=partnership,
            changes={
                "status": run.status,
                "senders": len(senders),
                "needs": len(core_needs),
                "recommendations": len(explanations),
                "expiry_avoided": str(run.expiry_avoided),
                "greedy_expiry_avoided": str(run.greedy_expiry_avoided),
                "gap": str(run.gap),
            },
        )
    return run


def pledge_recommendation(*, actor: Actor, recommendation: Recommendation) -> Pledge:
    """Make a recommendation a pledge in one step: its amount, with the need's criteria.

    The pledge offers the need's cost to the partnership on the need's sector, level, job role and
    location, approved by hand, and is linked to the recommendation (`pledges.create_pledge` does
    the claim, the link and the audit entry in one transaction).
    """
    need = recommendation.need
    return create_pledge(
        actor=actor,
        account=recommendation.sender,
        amount=recommendation.amount,
        sectors=[need.organisation.sector],
        levels=[need.level],
        job_roles=[need.job_role] if need.job_role else [],
        locations=[need.location] if need.location else [],
        approval_mode=ApprovalMode.MANUAL,
        note=(
            f"For {need.standard_title} at {need.organisation.name}, recommended by optimiser "
            f"run {recommendation.optimiser_run_id}."
        ),
        recommendation=recommendation,
    )
