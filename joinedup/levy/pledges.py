"""Pledges, applications and transfers: every write that changes one, in one transaction each.

The rules themselves (amounts, match score, first-year cost, closing, automation dates) are the
pure `pledge_rules` fed the dated rows from `rules.pledge_rules()`. Two counters guard limits
(DESIGN.md, "Claiming a limited thing"): a pledge claims its amount from `AllowanceYear.committed`
and an approval debits `Pledge.remaining`, each with one conditional UPDATE whose row count says
whether it fitted, in the transaction that writes the pledge or the decision. A declined or expired
approval gives its debit back to the pledge; a pledge closed by a debit stays closed.

Accepting an approval records the transfer as one `Commitment` per apprentice on the receiver's
account, `funded_by` the sender, referenced `PLEDGE-<application>-<n>` so the automation can tell
whether the funds were used (an apprenticeship started).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from joinedup.partnership import audit
from joinedup.partnership.actor import Actor

from . import pledge_notices, pledge_rules, rules, summaries
from .models import (
    AllowanceYear,
    ApplicationStatus,
    ApprovalMode,
    Commitment,
    CommitmentStatus,
    LevyAccount,
    Need,
    Pledge,
    PledgeApplication,
    PledgeStatus,
    Recommendation,
)
from .queries import remaining_allowance
from .services import allowance_for

LONDON = ZoneInfo("Europe/London")
PENNY = Decimal("0.01")
REFERENCE_PREFIX = "PLEDGE-"
LEVELS = range(2, 8)
VERBS = {
    ApplicationStatus.APPROVED: "approved",
    ApplicationStatus.REJECTED: "rejected",
    ApplicationStatus.WITHDRAWN: "withdrawn",
    ApplicationStatus.DECLINED: "declined",
    ApplicationStatus.ACCEPTED: "accepted",
    ApplicationStatus.EXPIRED: "expired",
}

# The model's approval modes as the pure core names them.
CORE_MODE = {
    ApprovalMode.MANUAL: pledge_rules.ApprovalMode.MANUAL,
    ApprovalMode.AUTOMATIC_NOW: pledge_rules.ApprovalMode.AUTOMATIC_AT_ONCE,
    ApprovalMode.AUTOMATIC_AFTER: pledge_rules.ApprovalMode.AUTOMATIC_AFTER_DELAY,
}


class PledgeRefused(Exception):
    """A pledge or decision the rules refuse; `reasons` say why, for people."""

    def __init__(self, *reasons: str) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = reasons


def rules_on(day: dt.date) -> pledge_rules.PledgeRules:
    """The pledge rules in force on a day."""
    versions = [version for version in rules.pledge_rules() if version.effective_from <= day]
    if not versions:
        raise PledgeRefused(f"No pledge rules are in force on {day:%d %B %Y}.")
    return versions[-1]


def london_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, LONDON).date()


def today() -> dt.date:
    return timezone.localdate(timezone=LONDON)


def commitment_prefix(application: PledgeApplication) -> str:
    """The reference prefix of the commitments an accepted application recorded."""
    return f"{REFERENCE_PREFIX}{application.pk}-"


def criteria_of(pledge: Pledge) -> pledge_rules.Criteria:
    return pledge_rules.Criteria(
        sectors=frozenset(pledge.sectors),
        levels=frozenset(pledge.levels),
        job_roles=frozenset(pledge.job_roles),
        locations=frozenset(pledge.locations),
    )


def record_of(pledge: Pledge) -> pledge_rules.PledgeRecord:
    """A pledge as the pure automation rules take it."""
    return pledge_rules.PledgeRecord(
        id=str(pledge.pk),
        remaining=pledge.remaining,
        approval_mode=CORE_MODE[ApprovalMode(pledge.approval_mode)],
        closed=pledge.status == PledgeStatus.CLOSED,
    )


def application_record(
    application: PledgeApplication, *, funds_used: bool = False
) -> pledge_rules.ApplicationRecord:
    """An application as the pure automation rules take it, dated from its current status."""
    status = pledge_rules.ApplicationStatus(application.status)
    since = application.applied_at
    if application.status == ApplicationStatus.APPROVED and application.decided_at:
        since = application.decided_at
    if application.status == ApplicationStatus.ACCEPTED and application.accepted_at:
        since = application.accepted_at
        if funds_used:
            status = pledge_rules.ApplicationStatus.FUNDS_USED
    return pledge_rules.ApplicationRecord(
        id=str(application.pk),
        pledge=str(application.pledge_id),
        status=status,
        applied_on=london_date(application.applied_at),
        since=london_date(since),
        match=application.match_score,
        cost=application.first_year_cost,
    )


def _clean_list(values: Iterable[str]) -> list[str]:
    """Criteria as stored: stripped, without blanks or repeats, in the order given."""
    cleaned: list[str] = []
    for value in values:
        text = value.strip()
        if text and text not in cleaned:
            cleaned.append(text)
    return cleaned


def create_pledge(
    *,
    actor: Actor,
    account: LevyAccount,
    amount: Decimal,
    sectors: Iterable[str] = (),
    levels: Iterable[int] = (),
    job_roles: Iterable[str] = (),
    locations: Iterable[str] = (),
    approval_mode: str = ApprovalMode.MANUAL,
    note: str = "",
    recommendation: Recommendation | None = None,
    on: dt.date | None = None,
) -> Pledge:
    """Offer part of the account's transfer allowance to the partnership.

    The amount is claimed from this year's allowance by one conditional UPDATE, so two pledges
    made at once never commit more than the allowance. A recommendation given is linked to the
    pledge (once: a recommendation already pledged is refused).
    """
    day = on or today()
    terms = rules_on(day)
    amount = Decimal(amount)
    problems = list(
        pledge_rules.pledge_amount_problems(amount, remaining_allowance(account, day), terms)
    )
    if amount != amount.quantize(PENNY):
        problems.append("The pledge amount must be in pounds and pence.")
    levels = sorted(set(levels))
    if any(level not in LEVELS for level in levels):
        problems.append("Levels must be between 2 and 7.")
    if approval_mode not in ApprovalMode.values:
        problems.append("Choose how applications are approved.")
    if problems:
        raise PledgeRefused(*problems)
    with transaction.atomic():
        year = allowance_for(account, day)
        claimed = AllowanceYear.objects.filter(
            pk=year.pk, committed__lte=F("allowance") - amount
        ).update(committed=F("committed") + amount)
        if claimed != 1:
            raise PledgeRefused(
                "The pledge amount is more than the transfer allowance left uncommitted: "
                "another pledge has just used part of it. Check the remaining allowance."
            )
        summaries.figures_changed([account.pk])
        pledge = Pledge.objects.create(
            account=account,
            allowance_year=year,
            amount=amount,
            remaining=amount,
            sectors=_clean_list(sectors),
            levels=levels,
            job_roles=_clean_list(job_roles),
            locations=_clean_list(locations),
            approval_mode=approval_mode,
            note=note.strip(),
            created_by=actor.person,
        )
        if recommendation is not None:
            linked = Recommendation.objects.filter(
                pk=recommendation.pk, sender=account, pledge__isnull=True
            ).update(pledge=pledge)
            if linked != 1:
                raise PledgeRefused("This recommendation has already been made into a pledge.")
        audit.record(
            actor=actor,
            action="levy.pledge.created",
            kind="levy.pledge",
            object_id=pledge.pk,
            label=f"Pledge of £{amount:,.2f}",
            organisation=account.organisation,
            changes={
                "amount": str(amount),
                "allowance_year": year.pk,
                "approval_mode": approval_mode,
                "recommendation": recommendation.pk if recommendation else None,
            },
        )
    return pledge


def _debit(pledge_id: int, cost: Decimal, terms: pledge_rules.PledgeRules) -> bool:
    """Take a cost off an open pledge if it can afford it; close it if that leaves too little."""
    debited = Pledge.objects.filter(
        pk=pledge_id, status=PledgeStatus.OPEN, remaining__gte=cost
    ).update(remaining=F("remaining") - cost)
    if debited != 1:
        return False
    # The row is this transaction's now: what it holds is what the debit left.
    left = Pledge.objects.values_list("remaining", flat=True).get(pk=pledge_id)
    if pledge_rules.debit_pledge(left + cost, cost, terms).closed:
        Pledge.objects.filter(pk=pledge_id).update(
            status=PledgeStatus.CLOSED, closed_at=timezone.now()
        )
    return True


def _credit(application: PledgeApplication) -> None:
    """Give an approval's debit back to its pledge (never above the pledge's amount)."""
    Pledge.objects.filter(
        pk=application.pledge_id, remaining__lte=F("amount") - application.first_year_cost
    ).update(remaining=F("remaining") + application.first_year_cost)


def _move(
    application: PledgeApplication, source: str, target: str, **fields: object
) -> PledgeApplication:
    """Change an application's status if it is still `source`; refuse when it has moved on."""
    moved = PledgeApplication.objects.filter(pk=application.pk, status=source).update(
        status=target, **fields
    )
    if moved != 1:
        current = PledgeApplication.objects.get(pk=application.pk)
        raise PledgeRefused(
            f"This application cannot be {VERBS[target]}: it is "
            f"{current.get_status_display().lower()}."
        )
    application.refresh_from_db()
    return application


def _record(
    actor: Actor | None, application: PledgeApplication, action: str, **changes: object
) -> None:
    audit.record(
        actor=actor,
        action=f"levy.application.{action}",
        kind="levy.pledge_application",
        object_id=application.pk,
        label=f"Application {application.pk} to pledge {application.pledge_id}",
        organisation=application.pledge.account.organisation,
        changes={"pledge": application.pledge_id, "status": application.status, **changes},
    )


def apply_to_pledge(
    *,
    actor: Actor,
    pledge: Pledge,
    account: LevyAccount,
    standard_title: str,
    level: int,
    sector: str,
    job_role: str,
    location: str,
    apprentices: int,
    duration_months: int,
    funding_band: Decimal,
    start_month: dt.date,
    standard_code: str = "",
    need: Need | None = None,
    on: dt.date | None = None,
) -> PledgeApplication:
    """Apply for part of a pledge; scored against its criteria and costed for its first year.

    On a pledge approving 100% matches at once, a full match it can afford is approved in the
    same transaction.
    """
    day = on or today()
    terms = rules_on(day)
    if pledge.status != PledgeStatus.OPEN:
        raise PledgeRefused("This pledge is closed: it takes no more applications.")
    if account.pk == pledge.account_id:
        raise PledgeRefused("An organisation cannot apply to its own pledge.")
    match = pledge_rules.match_percentage(
        criteria_of(pledge),
        pledge_rules.Applicant(sector=sector, level=level, job_role=job_role, location=location),
        terms,
    )
    cost = pledge_rules.first_year_cost(
        funding_band=funding_band,
        apprentices=apprentices,
        duration_months=duration_months,
        rules=terms,
    )
    with transaction.atomic():
        application = PledgeApplication.objects.create(
            pledge=pledge,
            account=account,
            standard_code=standard_code.strip(),
            standard_title=standard_title.strip(),
            level=level,
            sector=sector,
            job_role=job_role.strip(),
            location=location.strip(),
            apprentices=apprentices,
            duration_months=duration_months,
            funding_band=funding_band,
            start_month=start_month.replace(day=1),
            first_year_cost=cost,
            match_score=match,
            applied_by=actor.person,
            need=need,
        )
        approvals = pledge_rules.automatic_approvals(
            record_of(pledge), [application_record(application)], day, terms
        )
        automatic = bool(approvals) and pledge.approval_mode == ApprovalMode.AUTOMATIC_NOW
        if automatic and _debit(pledge.pk, cost, terms):
            application = _move(
                application,
                ApplicationStatus.PENDING,
                ApplicationStatus.APPROVED,
                decided_at=timezone.now(),
            )
        _record(
            actor,
            application,
            "applied",
            match=match,
            cost=str(cost),
            approved_at_once=application.status == ApplicationStatus.APPROVED,
        )
        pledge_notices.application_changed(application, "applied")
        if application.status == ApplicationStatus.APPROVED:
            pledge_notices.application_changed(application, "approved")
    return application


def approve_application(
    *, actor: Actor | None, application: PledgeApplication, on: dt.date | None = None
) -> PledgeApplication:
    """Approve a pending application: its first-year cost comes off the pledge, or it is refused.

    `actor` is None when the automation approves.
    """
    terms = rules_on(on or today())
    with transaction.atomic():
        application = _move(
            application,
            ApplicationStatus.PENDING,
            ApplicationStatus.APPROVED,
            decided_at=timezone.now(),
            decided_by=actor.person if actor else None,
        )
        if not _debit(application.pledge_id, application.first_year_cost, terms):
            pledge = Pledge.objects.get(pk=application.pledge_id)
            if pledge.status == PledgeStatus.CLOSED:
                raise PledgeRefused("This pledge is closed: it approves nothing more.")
            raise PledgeRefused(
                f"The pledge has £{pledge.remaining:,.2f} left, less than this application's "
                f"first-year cost of £{application.first_year_cost:,.2f}."
            )
        _record(actor, application, "approved", cost=str(application.first_year_cost))
        pledge_notices.application_changed(application, "approved")
    return application


def reject_application(
    *, actor: Actor | None, application: PledgeApplication, reason: str
) -> PledgeApplication:
    """Reject a pending application, saying why (the automation does so after 3 months)."""
    reason = reason.strip()
    if not reason:
        raise PledgeRefused("Say why the application is rejected.")
    with transaction.atomic():
        application = _move(
            application,
            ApplicationStatus.PENDING,
            ApplicationStatus.REJECTED,
            reason=reason[:500],
            decided_at=timezone.now(),
            decided_by=actor.person if actor else None,
        )
        _record(actor, application, "rejected", automatic=actor is None)
        pledge_notices.application_changed(application, "rejected")
    return application


def withdraw_application(*, actor: Actor, application: PledgeApplication) -> PledgeApplication:
    """The applicant withdraws an application still waiting for a decision."""
    with transaction.atomic():
        application = _move(application, ApplicationStatus.PENDING, ApplicationStatus.WITHDRAWN)
        _record(actor, application, "withdrawn")
        pledge_notices.application_changed(application, "withdrawn")
    return application


def decline_approval(
    *, actor: Actor | None, application: PledgeApplication, reason: str = ""
) -> PledgeApplication:
    """The applicant declines an approval (or the automation, when it was not accepted in time);
    its debit goes back to the pledge."""
    with transaction.atomic():
        application = _move(
            application,
            ApplicationStatus.APPROVED,
            ApplicationStatus.DECLINED,
            reason=reason.strip()[:500],
        )
        _credit(application)
        _record(actor, application, "declined", automatic=actor is None)
        pledge_notices.application_changed(application, "declined")
    return application


def _end_month(start: dt.date, months: int) -> dt.date:
    """The last day of an apprenticeship of `months` months starting in `start`'s month."""
    return pledge_rules.add_months(start, months) - dt.timedelta(days=1)


def accept_approval(*, actor: Actor, application: PledgeApplication) -> PledgeApplication:
    """The applicant accepts an approval: the transfer is recorded as commitments it funds."""
    with transaction.atomic():
        application = _move(
            application,
            ApplicationStatus.APPROVED,
            ApplicationStatus.ACCEPTED,
            accepted_at=timezone.now(),
        )
        start = application.start_month
        commitments = Commitment.objects.bulk_create(
            Commitment(
                account_id=application.account_id,
                reference=f"{commitment_prefix(application)}{number}",
                provider="Not yet chosen",
                standard_code=application.standard_code,
                standard_title=application.standard_title,
                level=application.level,
                start_on=start,
                planned_end_on=_end_month(start, application.duration_months),
                price=application.funding_band,
                funding_band=application.funding_band,
                funded_by_id=application.pledge.account_id,
            )
            for number in range(1, application.apprentices + 1)
        )
        summaries.commitments_started(commitments)
        _record(actor, application, "accepted", commitments=application.apprentices)
        pledge_notices.application_changed(application, "accepted")
    return application


def expire_unused_funds(*, application: PledgeApplication) -> PledgeApplication:
    """Accepted funds unused after 3 months expire: the commitments stop, the debit goes back."""
    with transaction.atomic():
        application = _move(application, ApplicationStatus.ACCEPTED, ApplicationStatus.EXPIRED)
        funded = Commitment.objects.filter(
            account_id=application.account_id,
            reference__startswith=commitment_prefix(application),
            funded_by_id=application.pledge.account_id,
        )
        summaries.commitments_ended(list(funded.select_for_update()))
        funded.update(status=CommitmentStatus.STOPPED)
        _credit(application)
        _record(None, application, "expired", automatic=True)
        pledge_notices.application_changed(application, "expired")
    return application


def funds_used(applications: Iterable[PledgeApplication], day: dt.date) -> set[int]:
    """Ids of the accepted applications whose transfer paid for an apprenticeship begun by `day`."""
    by_prefix = {commitment_prefix(application): application for application in applications}
    if not by_prefix:
        return set()
    started = Commitment.objects.filter(
        reference__startswith=REFERENCE_PREFIX,
        funded_by__isnull=False,
        start_on__lte=day,
        status__in=[CommitmentStatus.ACTIVE, CommitmentStatus.COMPLETED],
    ).values_list("account_id", "reference")
    used = set()
    for account_id, reference in started:
        prefix = reference.rsplit("-", 1)[0] + "-"
        application = by_prefix.get(prefix)
        if application is not None and application.account_id == account_id:
            used.add(application.pk)
    return used
