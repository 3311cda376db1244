"""Enrolments: putting a member of staff on a cohort, changing their status, their employer and the
terms of their apprenticeship.

Every write checks everything first and either saves in one transaction with one audit entry or
refuses with a `ValidationError` naming the field. The audit entry's changes hold ids and
non-personal values only: never the date of birth, care-leaver status or EHC plan.

Nothing but a withdrawal happens to an enrolment awaiting its commitment statement: it becomes
active only through `activate`, which `statements.sign` calls when the third party has signed the
latest version. The funding decision is made by `rules.decision_for` at the start date and the
payments are passed on to `payments` (started on activation; paused, resumed, stopped and
completed with the status; changed with the price or planned end; moved to the new employer's
levy account with a change of employer).
Any change of the terms makes a new statement version (`statements.issue`).
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from joinedup.levy.models import LevyAccount
from joinedup.partnership import audit
from joinedup.partnership.access import are_partners, partner_organisations
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Employment, Organisation, Person

from . import access, reviews
from .models import (
    PASSING_GRADES,
    SIGNING_ORDER,
    Cohort,
    EmployerChange,
    Enrolment,
    EnrolmentStatus,
    EnrolmentStatusChange,
)

S = EnrolmentStatus
KIND = "apprenticeships.enrolment"
REFERENCE_TRIES = 5
MAX_PRICE = Decimal("10000000")
PENNY = Decimal("0.01")
MAX_HOURS_PER_WEEK = Decimal(60)
MAX_PRIOR_LEARNING = 10000
OLDEST_APPRENTICE = 100
REASON_LIMIT = EnrolmentStatusChange._meta.get_field("reason").max_length
NOTE_LIMIT = Enrolment._meta.get_field("prior_learning_note").max_length

# Where an enrolment may go from each status (an enrolment awaiting its commitment statement may
# only be withdrawn: it becomes active through `activate` alone).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.AWAITING_COMMITMENT: (S.WITHDRAWN,),
    S.ACTIVE: (S.ON_BREAK, S.WITHDRAWN, S.AT_GATEWAY, S.COMPLETED),
    S.ON_BREAK: (S.ACTIVE, S.WITHDRAWN),
    S.AT_GATEWAY: (S.IN_EPA, S.ACTIVE),
    S.IN_EPA: (S.COMPLETED, S.WITHDRAWN),
    S.WITHDRAWN: (),
    S.COMPLETED: (),
}
FINISHED = (S.WITHDRAWN, S.COMPLETED)
NOT_SIGNED = (
    "The commitment statement has not been signed by the apprentice, the employer and the "
    "provider yet: until then the enrolment can only be withdrawn"
)


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _rules():
    from . import rules

    return rules


def _statements():
    from . import statements

    return statements


def _payments():
    from . import payments

    return payments


def _reviews():
    from . import reviews

    return reviews


def _buddies():
    from . import buddies

    return buddies


def _module_spaces():
    from . import module_spaces

    return module_spaces


# --- Finding people -------------------------------------------------------------------------------


def find_apprentice(actor: Actor, work_email: str) -> Employment:
    """The acting organisation's current member of staff with this work e-mail address."""
    email = (work_email or "").strip()
    if not email:
        raise _refuse("apprentice_email", "Enter the apprentice's work email address")
    if actor.organisation is None:
        raise _refuse("apprentice_email", "Act for an organisation to enrol its staff")
    employment = (
        Employment.objects.current()
        .filter(organisation=actor.organisation, work_email__iexact=email)
        .select_related("person", "organisation", "line_manager__person")
        .order_by("-start_date", "-id")
        .first()
    )
    if employment is None:
        raise _refuse(
            "apprentice_email",
            f"No current member of staff of {actor.organisation.name} has the work email "
            f"address {email}",
        )
    return employment


def find_staff_at(organisation: Organisation, work_email: str, field: str) -> Employment:
    """A current member of staff of the organisation, by work e-mail (or sign-in address)."""
    email = (work_email or "").strip()
    if not email:
        raise _refuse(field, "Enter their work email address")
    employment = (
        Employment.objects.current()
        .filter(organisation=organisation)
        .filter(work_email__iexact=email)
        .select_related("person", "organisation", "line_manager__person")
        .first()
    ) or (
        Employment.objects.current()
        .filter(organisation=organisation, person__email__iexact=email)
        .select_related("person", "organisation", "line_manager__person")
        .first()
    )
    if employment is None:
        raise _refuse(
            field, f"No current member of staff of {organisation.name} has the email {email}"
        )
    return employment


def transfer_accounts(actor: Actor, employer: Organisation) -> QuerySet[LevyAccount]:
    """The levy accounts a transfer may come from: the partners' (never the employer's own)."""
    return (
        LevyAccount.objects.filter(organisation__in=partner_organisations(actor))
        .exclude(organisation=employer)
        .select_related("organisation")
        .order_by("organisation__name", "id")
    )


def employer_account(employer: Organisation) -> LevyAccount | None:
    """The employer's own levy account, if it has one."""
    return LevyAccount.objects.filter(organisation=employer).first()


# --- Checks ---------------------------------------------------------------------------------------


def _check_money(price: Any) -> Decimal:
    if not isinstance(price, Decimal) or not price.is_finite():
        raise _refuse("price", "Enter the agreed price in pounds, for example 14000")
    if price <= 0:
        raise _refuse("price", "The agreed price must be more than £0")
    if price > MAX_PRICE or price != price.quantize(PENNY):
        raise _refuse("price", "The agreed price must be in pounds and pence, up to £10,000,000")
    return price


def _check_hours(hours: Any) -> Decimal:
    if not isinstance(hours, Decimal) or not hours.is_finite():
        raise _refuse("hours_per_week", "Enter the contracted hours a week, for example 37")
    if hours <= 0 or hours > MAX_HOURS_PER_WEEK:
        raise _refuse(
            "hours_per_week", "Contracted hours a week must be more than 0 and at most 60"
        )
    if hours != hours.quantize(PENNY):
        raise _refuse("hours_per_week", "Contracted hours a week may have at most 2 decimal places")
    return hours


def _check_dates(start_on: dt.date | None, planned_end_on: dt.date | None) -> None:
    if start_on is None:
        raise _refuse("start_on", "Enter the start date")
    if planned_end_on is None:
        raise _refuse("planned_end_on", "Enter the planned end date")
    if planned_end_on <= start_on:
        raise _refuse("planned_end_on", "The planned end date must be after the start date")
    _rules().check_duration(start_on, planned_end_on)


def _check_birth(date_of_birth: dt.date | None, start_on: dt.date) -> None:
    if date_of_birth is None:
        raise _refuse("date_of_birth", "Enter the apprentice's date of birth")
    if date_of_birth >= start_on or date_of_birth.year < start_on.year - OLDEST_APPRENTICE:
        raise _refuse("date_of_birth", "Date of birth must be a real date before the start date")


def _check_prior_learning(hours: Any, note: str) -> tuple[int, str]:
    if isinstance(hours, bool) or not isinstance(hours, int) or hours < 0:
        raise _refuse("prior_learning_hours", "Prior learning must be a whole number of hours")
    if hours > MAX_PRIOR_LEARNING:
        raise _refuse("prior_learning_hours", "Prior learning must be at most 10,000 hours")
    note = (note or "").strip()
    if hours and not note:
        raise _refuse(
            "prior_learning_note", "Say what prior learning was recognised for those hours"
        )
    if len(note) > NOTE_LIMIT:
        raise _refuse("prior_learning_note", f"The note must be {NOTE_LIMIT} characters or fewer")
    return hours, note


def _check_tutor(cohort: Cohort, tutor: Person | None) -> None:
    if tutor is None:
        return
    if not access.named_tutors(cohort.programme).filter(person=tutor).exists():
        raise _refuse("practice_tutor", "Choose one of the programme's practice tutors")


def _check_accounts(
    actor: Actor,
    employer: Organisation,
    levy_account: LevyAccount | None,
    transfer_from: LevyAccount | None,
) -> LevyAccount | None:
    """The employer's levy account (its own, whatever was passed) after checking both."""
    own = employer_account(employer)
    if levy_account is not None and (own is None or levy_account.pk != own.pk):
        raise _refuse("levy_account", "The levy account must be the employer's own")
    if (
        transfer_from is not None
        and not transfer_accounts(actor, employer).filter(pk=transfer_from.pk).exists()
    ):
        raise _refuse(
            "transfer_from", "Choose a transfer from a partner's levy account in the list"
        )
    return own


def _reason(text: str, *, field: str = "reason", required: bool = True) -> str:
    text = (text or "").strip()
    if required and not text:
        raise _refuse(field, "Give the reason")
    if len(text) > REASON_LIMIT:
        raise _refuse(field, f"The reason must be {REASON_LIMIT} characters or fewer")
    return text


def _eligibility(enrolment: Enrolment):
    from .funding import Eligibility

    return Eligibility(
        date_of_birth=enrolment.date_of_birth,
        care_leaver=enrolment.care_leaver,
        ehc_plan=enrolment.ehc_plan,
    )


def decide(enrolment: Enrolment):
    """The funding decision for the enrolment as it stands, by the rules at its start date."""
    return _rules().decision_for(
        standard=enrolment.cohort.programme.standard,
        start=enrolment.start_on,
        eligibility=_eligibility(enrolment),
        employer=enrolment.employer,
        levy_account=enrolment.levy_account,
        transfer_from=enrolment.transfer_from,
        price=enrolment.price,
    )


def _apply_decision(enrolment: Enrolment) -> None:
    decision = decide(enrolment)
    enrolment.funding_route = decision.route
    enrolment.funding_reason = decision.reason[:300]
    enrolment.eligibility_reason = decision.eligibility_reason[:300]


def _required_hours(enrolment: Enrolment) -> int:
    return _rules().required_off_the_job(
        standard=enrolment.cohort.programme.standard,
        start=enrolment.start_on,
        planned_end=enrolment.planned_end_on,
        hours_per_week=enrolment.hours_per_week,
        prior_learning_hours=enrolment.prior_learning_hours,
    )


def _new_reference(cohort: Cohort, start_on: dt.date) -> str:
    code = cohort.programme.standard.reference_code
    for _ in range(REFERENCE_TRIES):
        reference = f"{code}-{start_on:%y%m}-{secrets.token_hex(3).upper()}"
        if not Enrolment.objects.filter(reference=reference).exists():
            return reference
    raise ValidationError("Could not make a unique reference: try again")


def _terms(enrolment: Enrolment) -> dict[str, Any]:
    """The enrolment's terms for the audit log: ids and non-personal values only."""
    return {
        "cohort": enrolment.cohort_id,
        "employer": enrolment.employer_id,
        "employment": enrolment.employment_id,
        "line_manager": enrolment.line_manager_id,
        "practice_tutor": enrolment.practice_tutor_id,
        "start_on": str(enrolment.start_on),
        "planned_end_on": str(enrolment.planned_end_on),
        "price": str(enrolment.price),
        "hours_per_week": str(enrolment.hours_per_week),
        "funding_route": enrolment.funding_route,
        "levy_account": enrolment.levy_account_id,
        "transfer_from": enrolment.transfer_from_id,
        "required_off_the_job_hours": enrolment.required_off_the_job_hours,
        "planned_off_the_job_hours": enrolment.planned_off_the_job_hours,
        "prior_learning_hours": enrolment.prior_learning_hours,
    }


def _record(actor: Actor, action: str, enrolment: Enrolment, changes: dict[str, Any]) -> None:
    audit.record(
        actor=actor,
        action=f"enrolment.{action}",
        kind=KIND,
        object_id=enrolment.pk,
        label=enrolment.reference,
        organisation=enrolment.employer,
        partnership=enrolment.cohort.programme.partnership,
        changes=changes,
    )


def _history(
    actor: Actor | None, enrolment: Enrolment, status: str, on: dt.date, reason: str
) -> EnrolmentStatusChange:
    enrolment.status = status
    enrolment.status_on = on
    reviews.follow_enrolment(enrolment)
    return EnrolmentStatusChange.objects.create(
        enrolment=enrolment,
        status=status,
        effective_on=on,
        reason=reason,
        changed_by=actor.person if actor else None,
    )


# --- Enrolling ------------------------------------------------------------------------------------


def enrol(
    *,
    actor: Actor,
    cohort: Cohort,
    employment: Employment,
    line_manager: Person | None,
    practice_tutor: Person | None,
    start_on: dt.date,
    planned_end_on: dt.date,
    price: Decimal,
    hours_per_week: Decimal,
    date_of_birth: dt.date | None,
    care_leaver: bool,
    ehc_plan: bool,
    levy_account: LevyAccount | None,
    transfer_from: LevyAccount | None,
    prior_learning_hours: int = 0,
    prior_learning_note: str = "",
) -> Enrolment:
    """Enrol a current member of the acting organisation's staff on a cohort (its L&D lead), with
    the funding decided by the rules at the start date and version 1 of the statement issued."""
    if not access.may_enrol_on(actor, cohort):
        raise ValidationError("Only an L&D lead of a partner organisation enrols staff on cohorts")
    if employment.organisation_id != actor.organisation_id or not employment.is_current():
        raise _refuse("apprentice_email", "The apprentice must be a current member of your staff")
    price = _check_money(price)
    hours_per_week = _check_hours(hours_per_week)
    _check_dates(start_on, planned_end_on)
    _check_birth(date_of_birth, start_on)
    prior_learning_hours, prior_learning_note = _check_prior_learning(
        prior_learning_hours, prior_learning_note
    )
    _check_tutor(cohort, practice_tutor)
    if line_manager is None and employment.line_manager_id is not None:
        line_manager = employment.line_manager.person
    if line_manager is not None and line_manager.pk == employment.person_id:
        raise _refuse("line_manager_email", "The line manager cannot be the apprentice")
    employer = employment.organisation
    levy_account = _check_accounts(actor, employer, levy_account, transfer_from)
    enrolment = Enrolment(
        cohort=cohort,
        provider=cohort.programme.provider,
        apprentice=employment.person,
        employer=employer,
        employment=employment,
        line_manager=line_manager,
        practice_tutor=practice_tutor,
        start_on=start_on,
        planned_end_on=planned_end_on,
        price=price,
        hours_per_week=hours_per_week,
        date_of_birth=date_of_birth,
        care_leaver=bool(care_leaver),
        ehc_plan=bool(ehc_plan),
        levy_account=levy_account,
        transfer_from=transfer_from,
        prior_learning_hours=prior_learning_hours,
        prior_learning_note=prior_learning_note,
        status=S.AWAITING_COMMITMENT,
        status_on=timezone.localdate(),
        created_by=actor.person,
    )
    _apply_decision(enrolment)
    required = _required_hours(enrolment)
    enrolment.required_off_the_job_hours = required
    enrolment.planned_off_the_job_hours = required
    with transaction.atomic():
        enrolment.reference = _new_reference(cohort, start_on)
        enrolment.save()
        _history(actor, enrolment, S.AWAITING_COMMITMENT, enrolment.status_on, "Enrolled")
        _record(actor, "enrolled", enrolment, _terms(enrolment))
        _statements().issue(enrolment, actor=actor, reason="Enrolled")
    return enrolment


# --- Status ---------------------------------------------------------------------------------------


def allowed_statuses(enrolment: Enrolment) -> tuple[str, ...]:
    """Where the enrolment may go from its status."""
    return TRANSITIONS.get(enrolment.status, ())


def _all_signed(enrolment: Enrolment) -> bool:
    latest = enrolment.commitment_statements.order_by("-version").first()
    if latest is None:
        return False
    signed = set(latest.signatures.values_list("party", flat=True))
    return all(party in signed for party in SIGNING_ORDER)


def activate(enrolment: Enrolment, *, actor: Actor | None, on: dt.date) -> Enrolment:
    """The enrolment starts: called by `statements.sign` when all three have signed the latest
    version; its payments start (levy and transfer routes)."""
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status != S.AWAITING_COMMITMENT:
            raise ValidationError("Only an enrolment awaiting its commitment statement starts")
        if not _all_signed(enrolment):
            raise ValidationError(NOT_SIGNED)
        _history(actor, enrolment, S.ACTIVE, on, "Commitment statement signed by all three")
        enrolment.save(update_fields=["status", "status_on"])
        _record(actor, "activated", enrolment, {"status": S.ACTIVE, "effective_on": str(on)})
        _payments().start(enrolment, actor=actor)
        _reviews().schedule(enrolment)
        _module_spaces().sync_if_open(enrolment.cohort)
    return enrolment


def _completed_by_assessor(actor: Actor, enrolment: Enrolment, status: str, assessment) -> bool:
    """The booked assessor of a passed attempt (as stored) completes the enrolment."""
    return (
        assessment is not None
        and status == S.COMPLETED
        and actor.person_id is not None
        and enrolment.assessments.filter(
            pk=assessment.pk,
            assessor_id=actor.person_id,
            overall_grade__in=PASSING_GRADES,
        ).exists()
    )


def change_status(
    *,
    actor: Actor,
    enrolment: Enrolment,
    status: str,
    effective_on: dt.date | None,
    reason: str,
    planned_end_on: dt.date | None = None,
    assessment: Any = None,
) -> EnrolmentStatusChange:
    """Move the enrolment on (a break, a return, withdrawal, gateway, end-point assessment or
    completion) with the date and reason, and pass it on to its payments. `assessment`: the
    passed end-point assessment whose booked assessor completes it (`assessments`)."""
    if not (
        access.may_manage_enrolment(actor, enrolment)
        or _completed_by_assessor(actor, enrolment, status, assessment)
    ):
        raise ValidationError("Only the employer's L&D lead or a programme leader changes this")
    if status not in S.values:
        raise _refuse("status", "Choose a status from the list")
    if enrolment.status == S.AWAITING_COMMITMENT and status != S.WITHDRAWN:
        raise _refuse("status", NOT_SIGNED)
    if status not in allowed_statuses(enrolment):
        current = S(enrolment.status).label.lower()
        raise _refuse("status", f"An enrolment that is {current} cannot become {S(status).label}")
    if effective_on is None:
        raise _refuse("effective_on", "Enter the date it takes effect")
    if enrolment.status != S.AWAITING_COMMITMENT and effective_on < enrolment.status_on:
        raise _refuse(
            "effective_on",
            f"The date must be on or after {enrolment.status_on:%-d %B %Y}, the last change",
        )
    reason = _reason(reason)
    resuming = enrolment.status == S.ON_BREAK and status == S.ACTIVE
    if resuming:
        if planned_end_on is None:
            raise _refuse("planned_end_on", "Enter the new planned end date")
        if planned_end_on <= effective_on:
            raise _refuse("planned_end_on", "The new planned end date must be after the return")
    previous = enrolment.status
    payments = _payments() if previous != S.AWAITING_COMMITMENT else None
    with transaction.atomic():
        change = _history(actor, enrolment, status, effective_on, reason)
        fields = ["status", "status_on"]
        changes: dict[str, Any] = {
            "from": previous,
            "status": status,
            "effective_on": str(effective_on),
        }
        if resuming:
            changes["planned_end_on"] = [str(enrolment.planned_end_on), str(planned_end_on)]
            enrolment.planned_end_on = planned_end_on
            fields.append("planned_end_on")
        enrolment.save(update_fields=fields)
        _record(actor, "status_changed", enrolment, changes)
        if payments is not None:
            if status == S.ON_BREAK:
                payments.pause(enrolment, actor=actor, on=effective_on)
            elif resuming:
                payments.resume(
                    enrolment, actor=actor, on=effective_on, planned_end_on=planned_end_on
                )
            elif status == S.WITHDRAWN:
                payments.stop(enrolment, actor=actor, on=effective_on)
            elif status == S.COMPLETED:
                payments.complete(enrolment, actor=actor, on=effective_on)
        if status == S.WITHDRAWN:
            _buddies().on_withdrawal(enrolment, actor=actor)
        elif status == S.COMPLETED:
            _buddies().after_completion(enrolment, actor=actor)
        if status in FINISHED:
            _module_spaces().sync_if_open(enrolment.cohort)
        if resuming:
            _statements().issue(
                enrolment, actor=actor, reason="Back from a break with a new planned end date"
            )
    return change


# --- Terms ----------------------------------------------------------------------------------------


def _check_open(enrolment: Enrolment) -> None:
    if enrolment.status in FINISHED:
        raise ValidationError(
            f"The enrolment is {S(enrolment.status).label.lower()}: its terms no longer change"
        )


def plan_off_the_job(
    *,
    actor: Actor,
    enrolment: Enrolment,
    planned_hours: Any,
    prior_learning_hours: Any,
    prior_learning_note: str,
) -> Enrolment:
    """Change the planned off-the-job hours: upward freely; down only by recorded prior learning
    (hours and a note), never below the minimum the rules require."""
    if not access.may_manage_enrolment(actor, enrolment):
        raise ValidationError("Only the employer's L&D lead or a programme leader changes this")
    _check_open(enrolment)
    if isinstance(planned_hours, bool) or not isinstance(planned_hours, int) or planned_hours < 0:
        raise _refuse("planned_hours", "Planned off-the-job hours must be a whole number")
    prior, note = _check_prior_learning(prior_learning_hours, prior_learning_note)
    before = (
        enrolment.required_off_the_job_hours,
        enrolment.planned_off_the_job_hours,
        enrolment.prior_learning_hours,
        enrolment.prior_learning_note,
    )
    enrolment.prior_learning_hours = prior
    enrolment.prior_learning_note = note
    required = _required_hours(enrolment)
    if planned_hours < required:
        enrolment.prior_learning_hours, enrolment.prior_learning_note = before[2], before[3]
        raise _refuse(
            "planned_hours",
            f"Planned off-the-job hours must be at least {required}, the minimum the rules require",
        )
    if planned_hours < before[1] and prior <= before[2]:
        enrolment.prior_learning_hours, enrolment.prior_learning_note = before[2], before[3]
        raise _refuse(
            "planned_hours",
            f"Planned off-the-job hours can only go up from {before[1]}, or down by recording "
            "prior learning",
        )
    if (required, planned_hours, prior, note) == before:
        raise _refuse("planned_hours", "Nothing was changed")
    enrolment.required_off_the_job_hours = required
    enrolment.planned_off_the_job_hours = planned_hours
    with transaction.atomic():
        enrolment.save(
            update_fields=[
                "required_off_the_job_hours",
                "planned_off_the_job_hours",
                "prior_learning_hours",
                "prior_learning_note",
            ]
        )
        _record(
            actor,
            "off_the_job_planned",
            enrolment,
            {
                "required_off_the_job_hours": [before[0], required],
                "planned_off_the_job_hours": [before[1], planned_hours],
                "prior_learning_hours": [before[2], prior],
            },
        )
        _statements().issue(enrolment, actor=actor, reason="Off-the-job plan changed")
    return enrolment


TERMS = ("price", "planned_end_on", "hours_per_week", "practice_tutor", "line_manager")


def edit_terms(
    *,
    actor: Actor,
    enrolment: Enrolment,
    price: Decimal,
    planned_end_on: dt.date,
    hours_per_week: Decimal,
    practice_tutor: Person | None,
    line_manager: Person | None,
    reason: str,
) -> Enrolment:
    """Change the price, planned end, hours, tutor or line manager: the funding and off-the-job
    minimum are worked out again and a new statement version is issued for all three to sign."""
    if not access.may_manage_enrolment(actor, enrolment):
        raise ValidationError("Only the employer's L&D lead or a programme leader changes this")
    _check_open(enrolment)
    price = _check_money(price)
    hours_per_week = _check_hours(hours_per_week)
    _check_dates(enrolment.start_on, planned_end_on)
    _check_tutor(enrolment.cohort, practice_tutor)
    if line_manager is not None and line_manager.pk == enrolment.apprentice_id:
        raise _refuse("line_manager_email", "The line manager cannot be the apprentice")
    reason = _reason(reason)
    old = {
        "price": enrolment.price,
        "planned_end_on": enrolment.planned_end_on,
        "hours_per_week": enrolment.hours_per_week,
        "practice_tutor": enrolment.practice_tutor_id,
        "line_manager": enrolment.line_manager_id,
    }
    new = {
        "price": price,
        "planned_end_on": planned_end_on,
        "hours_per_week": hours_per_week,
        "practice_tutor": practice_tutor.pk if practice_tutor else None,
        "line_manager": line_manager.pk if line_manager else None,
    }
    changed = [name for name in TERMS if old[name] != new[name]]
    if not changed:
        raise _refuse("reason", "Nothing was changed")
    enrolment.price = price
    enrolment.planned_end_on = planned_end_on
    enrolment.hours_per_week = hours_per_week
    enrolment.practice_tutor = practice_tutor
    enrolment.line_manager = line_manager
    before_route = enrolment.funding_route
    _apply_decision(enrolment)
    required = _required_hours(enrolment)
    enrolment.required_off_the_job_hours = required
    enrolment.planned_off_the_job_hours = max(enrolment.planned_off_the_job_hours, required)
    with transaction.atomic():
        enrolment.save()
        reviews.follow_enrolment(enrolment)
        if enrolment.status != S.AWAITING_COMMITMENT and {"price", "planned_end_on"} & set(changed):
            _payments().change_terms(
                enrolment,
                actor=actor,
                on=timezone.localdate(),
                price=price if "price" in changed else None,
                planned_end_on=planned_end_on if "planned_end_on" in changed else None,
            )
        _record(
            actor,
            "terms_changed",
            enrolment,
            {
                **{name: [str(old[name]), str(new[name])] for name in changed},
                "funding_route": [before_route, enrolment.funding_route],
                "required_off_the_job_hours": required,
                "planned_off_the_job_hours": enrolment.planned_off_the_job_hours,
            },
        )
        _statements().issue(enrolment, actor=actor, reason=reason)
        if "practice_tutor" in changed:
            _module_spaces().sync_if_open(enrolment.cohort)
    return enrolment


# --- Change of employer ---------------------------------------------------------------------------


def change_employer(
    *,
    actor: Actor,
    enrolment: Enrolment,
    new_employment: Employment,
    effective_on: dt.date | None,
    reason: str,
    line_manager: Person | None = None,
    transfer_from: LevyAccount | None = None,
) -> EmployerChange:
    """The apprentice moved to a partner: the same enrolment continues with the new employment,
    its funding decided again for the new employer by the rules at the ORIGINAL start date, and
    a new statement version is issued."""
    if not access.may_manage_enrolment(actor, enrolment):
        raise ValidationError("Only the employer's L&D lead or a programme leader changes this")
    _check_open(enrolment)
    new_employer = new_employment.organisation
    if new_employment.person_id != enrolment.apprentice_id:
        raise _refuse("new_employer_email", "That is not the apprentice's employment")
    if not new_employment.is_current(effective_on):
        raise _refuse("new_employer_email", "The new employment must be current on the date")
    if new_employer.pk == enrolment.employer_id:
        raise _refuse("new_employer_email", "That is the apprentice's current employer")
    if not are_partners(enrolment.employer, new_employer):
        raise _refuse("new_employer_email", "The new employer must be a partner organisation")
    if effective_on is None:
        raise _refuse("effective_on", "Enter the date of the move")
    if effective_on < enrolment.start_on:
        raise _refuse("effective_on", "The move must be on or after the start date")
    reason = _reason(reason)
    if line_manager is None and new_employment.line_manager_id is not None:
        line_manager = new_employment.line_manager.person
    if transfer_from is not None and (
        transfer_from.organisation_id == new_employer.pk
        or not are_partners(new_employer, transfer_from.organisation)
    ):
        raise _refuse(
            "transfer_from", "Choose a transfer from a partner's levy account in the list"
        )
    previous_employer = enrolment.employer
    before_route = enrolment.funding_route
    enrolment.employer = new_employer
    enrolment.employment = new_employment
    enrolment.line_manager = line_manager
    enrolment.levy_account = employer_account(new_employer)
    enrolment.transfer_from = transfer_from
    # The original start date's rules: the move is no new start.
    _apply_decision(enrolment)
    with transaction.atomic():
        enrolment.save()
        change = EmployerChange.objects.create(
            enrolment=enrolment,
            previous_employer=previous_employer,
            new_employer=new_employer,
            effective_on=effective_on,
            reason=reason,
            changed_by=actor.person,
        )
        _record(
            actor,
            "employer_changed",
            enrolment,
            {
                "previous_employer": previous_employer.pk,
                "new_employer": new_employer.pk,
                "employment": new_employment.pk,
                "effective_on": str(effective_on),
                "funding_route": [before_route, enrolment.funding_route],
                "levy_account": enrolment.levy_account_id,
                "transfer_from": enrolment.transfer_from_id,
            },
        )
        if enrolment.status != S.AWAITING_COMMITMENT:
            _payments().move(enrolment, actor=actor, on=effective_on)
        _statements().issue(enrolment, actor=actor, reason=f"Moved employer: {reason}"[:300])
        _buddies().after_employer_change(enrolment, actor=actor)
        _module_spaces().sync_if_open(enrolment.cohort)
    return change
