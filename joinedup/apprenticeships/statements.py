"""Commitment statements and training plans: each version generated from the enrolment, signed
by the apprentice, the employer and the provider in that order.

- `issue` makes the enrolment's next version. Its `content` is written once, from the enrolment
  as it is at that moment: the parties, the standard, the cohort and dates, the price, the
  funding route with its public reason and what the employer pays (never the date of birth,
  care-leaver or EHC plan facts), the off-the-job plan, the training plan with this cohort's
  dates, and each party's responsibilities in plain words.
- `sign` adds one party's signature to the latest version, in turn: apprentice, then the
  employer's L&D lead, then the provider's programme leader. When the third signs, the version is
  fully signed and an enrolment awaiting commitment becomes active (`enrolments.activate`).

Signed versions are immutable: no service here (or anywhere else) changes a version's content or
its signatures. A change to the enrolment makes a new version for all three to sign again; the
only write to an existing version is setting `fully_signed_at`, once, when its third signature
lands. Both writes lock the enrolment's row first, and the unique (enrolment, version) and
(statement, party) constraints back that up, so two at once never make the same version or sign
twice for one party.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from joinedup.levy.payments import capped_price, employer_excess
from joinedup.lib.money import pounds
from joinedup.partnership import audit
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import (
    Employment,
    OrganisationRole,
    OrganisationRoleGrant,
    Person,
)
from joinedup.partnership.notifications import notify

from . import access, rules
from .funding import PENNY
from .models import (
    SIGNING_ORDER,
    CommitmentStatement,
    Enrolment,
    EnrolmentStatus,
    FundingRoute,
    Party,
    ProgrammeRole,
    Signature,
)

KIND = "commitment_statement"
TEMPLATE = "apprenticeship_statement_to_sign"
REASON_LIMIT = 300
PARTY_NAMES = {
    Party.APPRENTICE: "the apprentice",
    Party.EMPLOYER: "the employer",
    Party.PROVIDER: "the training provider",
}


# --- Content ------------------------------------------------------------------------------------


def _day(day: dt.date | None) -> str:
    return f"{day:%-d %B %Y}" if day else "Not set"


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}"


def employer_pays(enrolment: Enrolment) -> tuple[Decimal, str]:
    """What the employer pays the provider under the recorded funding route, in pounds and in
    words, worked out as the funding decision does (funding.decide): all of the price when
    privately funded; the part above the funding band under the levy or a transfer; when
    co-funded, its share of the price up to the band (by the rate in force at the start) plus the
    part above the band."""
    price = enrolment.price
    band = enrolment.cohort.programme.standard.funding_band
    route = enrolment.funding_route
    if route == FundingRoute.PRIVATE or not band:
        return price, f"The employer pays the full agreed price of {pounds(price)} to the provider"
    excess = employer_excess(price, band)
    above = f"the {pounds(excess)} of the price above the funding band of {pounds(band)}"
    if route in (FundingRoute.LEVY, FundingRoute.TRANSFER):
        if excess > 0:
            return excess, f"The employer pays {above} to the provider"
        return Decimal(0), (
            "The employer pays nothing directly: the price is within the funding band"
        )
    capped = capped_price(price, band)
    employer_share = 1 - rules.government_share_on(enrolment.start_on)
    own = (capped * employer_share).quantize(PENNY, rounding=ROUND_HALF_UP)
    text = (
        f"The employer pays {pounds(own)} ({(employer_share * 100).normalize():f}% of "
        f"{pounds(capped)})"
        + (f" and {above}" if excess > 0 else "")
        + f", {pounds(own + excess)} in all, to the provider"
    )
    return own + excess, text


def _training_plan(enrolment: Enrolment) -> list[dict[str, Any]]:
    """The programme's modules in order, with this cohort's dates and assignment deadlines."""
    cohort = enrolment.cohort
    starts = {row.module_id: row for row in cohort.module_dates.all()}
    due = {row.assignment_id: row.due_on for row in cohort.deadlines.all()}
    plan = []
    for module in cohort.programme.modules.order_by("order").prefetch_related("assignments"):
        dates = starts.get(module.pk)
        plan.append(
            {
                "order": module.order,
                "title": module.title,
                "term": module.get_term_display(),
                "online_weeks": module.online_weeks,
                "campus_days": module.campus_days,
                "starts_on": _day(dates.starts_on) if dates else "To be confirmed",
                "campus_from": _day(dates.campus_from) if dates and dates.campus_from else "",
                "assignments": [
                    {
                        "title": assignment.title,
                        "weighting": assignment.weighting,
                        "due_on": _day(due[assignment.pk])
                        if assignment.pk in due
                        else "To be confirmed",
                    }
                    for assignment in module.assignments.all()
                ],
            }
        )
    return plan


def _responsibilities(enrolment: Enrolment, hours: int) -> list[dict[str, Any]]:
    manager = enrolment.line_manager.full_name if enrolment.line_manager else "a line manager"
    tutor = enrolment.practice_tutor.full_name if enrolment.practice_tutor else "a practice tutor"
    employer = enrolment.employer.name
    provider = enrolment.cohort.programme.provider.name
    return [
        {
            "party": f"The apprentice, {enrolment.apprentice.full_name}",
            "items": [
                "Take part in the whole training plan: the online weeks, the campus days and "
                "every assignment by its deadline.",
                f"Spend at least {hours} hours on off-the-job training and keep a record of it.",
                f"Meet {manager} and {tutor} for regular progress reviews.",
                "Tell your employer and your provider straight away about anything that may "
                "stop you learning or finishing on time.",
            ],
        },
        {
            "party": f"The employer, {employer}",
            "items": [
                "Employ the apprentice for the whole apprenticeship, on the contracted hours "
                "above.",
                f"Give the apprentice paid time for at least {hours} hours of off-the-job "
                "training, within their working hours.",
                f"Name {manager} as line manager, to support the apprentice at work and join "
                "their progress reviews.",
                "Pay what the employer pays, as set out above.",
            ],
        },
        {
            "party": f"The training provider, {provider}",
            "items": [
                "Deliver the training plan below on this cohort's dates.",
                f"Name {tutor} as practice tutor, to review progress with the apprentice and the "
                "line manager.",
                "Mark every assignment with feedback and prepare the apprentice for end-point "
                "assessment.",
                "Tell the apprentice and the employer about any change to the plan: a change "
                "makes a new version of this statement for all three to sign.",
            ],
        },
    ]


def statement_content(enrolment: Enrolment, *, version: int, reason: str) -> dict[str, Any]:
    """The statement as plain JSON: what is shown, downloaded and signed. Only public facts:
    never the date of birth, care-leaver status, EHC plan or the eligibility reason."""
    programme = enrolment.cohort.programme
    standard = programme.standard
    cohort = enrolment.cohort
    pays, pays_text = employer_pays(enrolment)
    hours = enrolment.planned_off_the_job_hours
    prior = enrolment.prior_learning_hours
    prior_text = "None recorded"
    if prior:
        prior_text = f"{prior} hours recognised"
        if enrolment.prior_learning_note:
            prior_text += f": {enrolment.prior_learning_note}"
    level = f", level {standard.level}" if standard.level else ""
    return {
        "reference": enrolment.reference,
        "version": version,
        "reason": reason,
        "made_on": _day(timezone.localdate()),
        "parties": [
            {"role": "Apprentice", "name": enrolment.apprentice.full_name},
            {"role": "Employer", "name": enrolment.employer.name},
            {"role": "Training provider", "name": programme.provider.name},
            {
                "role": "Line manager",
                "name": enrolment.line_manager.full_name if enrolment.line_manager else "Not named",
            },
            {
                "role": "Practice tutor",
                "name": enrolment.practice_tutor.full_name
                if enrolment.practice_tutor
                else "Not named",
            },
        ],
        "apprenticeship": [
            {
                "label": "Standard",
                "value": f"{standard.title} ({standard.reference_code}){level}, "
                f"version {standard.version}",
            },
            {"label": "Programme", "value": programme.title},
            {"label": "Cohort", "value": cohort.name},
            {"label": "Start date", "value": _day(enrolment.start_on)},
            {"label": "Planned end date", "value": _day(enrolment.planned_end_on)},
            {"label": "Agreed price", "value": pounds(enrolment.price)},
            {"label": "Funding", "value": enrolment.get_funding_route_display()},
            {"label": "Why", "value": enrolment.funding_reason},
            {"label": "What the employer pays", "value": pays_text},
            {"label": "Contracted hours a week", "value": _hours(enrolment.hours_per_week)},
            {
                "label": "Planned off-the-job hours",
                "value": f"{hours} (the rules require at least "
                f"{enrolment.required_off_the_job_hours})",
            },
            {"label": "Recognised prior learning", "value": prior_text},
        ],
        "training_plan": _training_plan(enrolment),
        "responsibilities": _responsibilities(enrolment, hours),
        "terms": {
            "standard": standard.reference_code,
            "level": standard.level,
            "cohort": cohort.pk,
            "start_on": enrolment.start_on.isoformat(),
            "planned_end_on": enrolment.planned_end_on.isoformat(),
            "price": str(enrolment.price),
            "funding_route": enrolment.funding_route,
            "employer_pays": str(pays.quantize(PENNY)),
            "hours_per_week": str(enrolment.hours_per_week),
            "planned_off_the_job_hours": hours,
            "prior_learning_hours": prior,
        },
    }


# --- Who signs ----------------------------------------------------------------------------------


def latest_version(enrolment: Enrolment) -> int:
    """The enrolment's newest version number (0 when it has none)."""
    return enrolment.commitment_statements.aggregate(latest=Max("version"))["latest"] or 0


def signers_of(enrolment: Enrolment, party: str) -> list[Person]:
    """Who is asked to sign for a party: the apprentice; the employer's L&D leads on its staff;
    the provider's programme leaders on its staff (those named on the programme, if any are)."""
    if party == Party.APPRENTICE:
        return [enrolment.apprentice]
    if party == Party.EMPLOYER:
        organisation, role = enrolment.employer, OrganisationRole.LD_LEAD
    else:
        organisation, role = enrolment.cohort.programme.provider, OrganisationRole.PROGRAMME_LEADER
    on_staff = Employment.objects.current().filter(organisation=organisation).values("person_id")
    holders = set(
        OrganisationRoleGrant.objects.filter(
            organisation=organisation, role=role, person_id__in=on_staff
        ).values_list("person_id", flat=True)
    )
    if party == Party.PROVIDER:
        named = holders & set(
            enrolment.cohort.programme.staff.filter(role=ProgrammeRole.LEADER).values_list(
                "person_id", flat=True
            )
        )
        holders = named or holders
    return list(Person.objects.filter(pk__in=holders, is_active=True).order_by("pk"))


def _statement_url(statement: CommitmentStatement) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("apprenticeships:statement", args=[statement.pk])


def _ask_to_sign(statement: CommitmentStatement, party: str) -> None:
    """E-mail whoever signs next for the party, once the change commits (outside the lock; a
    failed e-mail leaves the change as it is)."""
    statement_id = statement.pk
    transaction.on_commit(lambda: send_requests(statement_id, party), robust=True)


def send_requests(statement_id: int, party: str) -> int:
    """Ask each signer for the party to sign the version; return how many e-mails went."""
    statement = CommitmentStatement.objects.select_related(
        "enrolment__apprentice", "enrolment__employer", "enrolment__cohort__programme__provider"
    ).get(pk=statement_id)
    enrolment = statement.enrolment
    context = {
        "statement": statement,
        "enrolment": enrolment,
        "party_name": PARTY_NAMES[party],
        "programme": enrolment.cohort.programme.title,
        "statement_url": _statement_url(statement),
    }
    return sum(notify(person, TEMPLATE, context) for person in signers_of(enrolment, party))


def _audit(actor: Actor | None, action: str, statement: CommitmentStatement, **changes) -> None:
    """One event in the employer's log: ids and non-personal values only."""
    enrolment = statement.enrolment
    audit.record(
        actor=actor,
        action=action,
        kind=KIND,
        object_id=statement.pk,
        label=f"{enrolment.reference} version {statement.version}",
        organisation=enrolment.employer,
        changes={"enrolment": enrolment.pk, "version": statement.version, **changes},
    )


def _locked(enrolment: Enrolment) -> Enrolment:
    """The enrolment, its row locked (PostgreSQL) until the transaction ends, read afresh."""
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).values_list("pk").first()
    return Enrolment.objects.select_related(
        "apprentice",
        "employer",
        "line_manager",
        "practice_tutor",
        "cohort__programme__provider",
        "cohort__programme__standard",
    ).get(pk=enrolment.pk)


# --- Services -----------------------------------------------------------------------------------


def issue(enrolment: Enrolment, *, actor: Actor | None, reason: str) -> CommitmentStatement:
    """Make the enrolment's next version from the enrolment as it is now (always a new version),
    and ask the apprentice to sign it. Older versions stay exactly as they were."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why this version of the statement is made"})
    if len(reason) > REASON_LIMIT:
        raise ValidationError({"reason": f"The reason must be {REASON_LIMIT} characters or fewer"})
    with transaction.atomic():
        current = _locked(enrolment)
        version = latest_version(current) + 1
        try:
            with transaction.atomic():
                statement = CommitmentStatement.objects.create(
                    enrolment=current,
                    version=version,
                    content=statement_content(current, version=version, reason=reason),
                    reason=reason,
                    created_by=actor.person if actor else None,
                )
        except IntegrityError:
            raise ValidationError(
                "Another version of this statement was made at the same moment: try again"
            ) from None
        _audit(actor, "apprenticeships.statement_issued", statement, reason=reason)
        _ask_to_sign(statement, SIGNING_ORDER[0])
    return statement


def signed_parties(statement: CommitmentStatement) -> dict[str, Signature]:
    """The version's signatures by party."""
    return {
        signature.party: signature
        for signature in statement.signatures.select_related("person").order_by("signed_at")
    }


def sign(*, actor: Actor, statement: CommitmentStatement) -> Signature:
    """Sign the latest version for the party the actor speaks for, in turn. The third signature
    makes the version fully signed, and an enrolment awaiting commitment then becomes active."""
    party = access.party_of(actor, statement.enrolment)
    if party is None:
        raise PermissionDenied
    label = PARTY_NAMES[party]
    with transaction.atomic():
        enrolment = _locked(statement.enrolment)
        latest = latest_version(enrolment)
        if statement.version != latest:
            raise ValidationError(
                f"Version {statement.version} can no longer be signed: a newer version "
                f"(version {latest}) replaces this one. Read and sign that one."
            )
        signed = signed_parties(statement)
        if party in signed:
            raise ValidationError(
                f"Version {statement.version} is already signed for {label}: each party signs once."
            )
        due = access.next_party(set(signed))
        if party != due:
            raise ValidationError(
                f"It is not {label}'s turn to sign yet: {PARTY_NAMES[due]} signs first."
            )
        try:
            with transaction.atomic():
                signature = Signature.objects.create(
                    statement=statement, party=party, person=actor.person
                )
        except IntegrityError:
            raise ValidationError(
                f"Version {statement.version} has just been signed for {label}."
            ) from None
        after = access.next_party({*signed, party})
        if after is not None:
            _audit(actor, "apprenticeships.statement_signed", statement, party=party)
            _ask_to_sign(statement, after)
            return signature
        now = timezone.now()
        completed = CommitmentStatement.objects.filter(
            pk=statement.pk, fully_signed_at__isnull=True
        ).update(fully_signed_at=now)
        statement.fully_signed_at = now
        _audit(
            actor,
            "apprenticeships.statement_signed",
            statement,
            party=party,
            fully_signed=bool(completed),
        )
        if completed and enrolment.status == EnrolmentStatus.AWAITING_COMMITMENT:
            # Imported here: enrolments imports this module (enrol issues version 1).
            from . import enrolments

            on = max(enrolment.start_on, timezone.localdate())
            enrolments.activate(enrolment, actor=actor, on=on)
    return signature
