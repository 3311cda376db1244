"""Secondment agreements for accepted offers: terms, release, signatures, start, end and return.

The host's L&D lead (or admin) drafts the terms of an accepted secondment offer. The home line
manager and the home L&D lead both release the person (in either order); then the person, the
home and the host sign the current version of the terms. Changing the terms counts a new version,
so every signature of the old one stops counting; when the dates or hours change the releases are
cleared too, because they are what the home organisation agreed to give up.

A signed agreement starts on its start date (at once when signed on or after it, else by the
daily job): a secondment employment at the host is recorded in the person's history and, where
agreed, the host's recharge to the home is posted on the partnership's ledger, once. It ends on
its end date (the job) or early; then each side gives feedback and the home records the return.

Every write is one transaction with one audit entry; status changes are conditional updates, so
a job run twice (or two people at once) never starts, ends or charges anything twice.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from joinedup.partnership import audit
from joinedup.partnership import services as partnership_services
from joinedup.partnership.access import are_partners
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Employment, EmploymentKind
from joinedup.partnership.notifications import notify_after_commit

from . import access
from .models import (
    AgreementSignature,
    AgreementStatus,
    Application,
    ApplicationStatus,
    OpportunityKind,
    SalaryPayer,
    SecondmentAgreement,
    SignatureParty,
)

logger = logging.getLogger(__name__)

SECONDMENT_KINDS = (OpportunityKind.SECONDMENT_FULL, OpportunityKind.SECONDMENT_PART)
FULL_TIME_HOURS = Decimal("37.5")
MAX_HOURS = Decimal("48")
MAX_RECHARGE = Decimal("9999999999.99")
TERM_FIELDS = (
    "starts_on",
    "ends_on",
    "hours_per_week",
    "job_title",
    "salary_paid_by",
    "recharge_amount",
    "objectives",
    "return_arrangements",
)
# Terms the home organisation's release depends on: changing one clears the releases.
RELEASED_TERMS = frozenset({"starts_on", "ends_on", "hours_per_week"})
TEXT_LIMITS = {"job_title": 200, "objectives": 5_000, "return_arrangements": 5_000}
LABELS = {
    "starts_on": "Start date",
    "ends_on": "End date",
    "hours_per_week": "Hours a week",
    "job_title": "Job title at the host",
    "salary_paid_by": "Who pays the salary",
    "recharge_amount": "Recharge amount",
    "objectives": "Objectives",
    "return_arrangements": "Return arrangements",
}
BEFORE_START = (AgreementStatus.AWAITING_RELEASE, AgreementStatus.SIGNING, AgreementStatus.SIGNED)
KIND = "secondment_agreement"
LINE_MANAGER = "line_manager"
LD_LEAD = "ld_lead"


# --- Reading the terms ---------------------------------------------------------------------------


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def default_terms(application: Application) -> dict[str, Any]:
    """Terms to start from: the opportunity's dates, its share of a 37.5-hour week, its title."""
    opportunity = application.opportunity
    starts = opportunity.starts_on
    hours = (FULL_TIME_HOURS * opportunity.time_share / 100).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    return {
        "starts_on": starts,
        "ends_on": _add_months(starts, opportunity.duration_months) - dt.timedelta(days=1),
        "hours_per_week": hours,
        "job_title": opportunity.title[:200],
        "salary_paid_by": SalaryPayer.HOME.value,
        "recharge_amount": Decimal("0"),
        "objectives": "",
        "return_arrangements": "",
    }


def _date(value: object, field: str, errors: dict[str, str]) -> dt.date | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        errors[field] = f"{LABELS[field]} must be a real date, like 2027-01-04"
        return None


def _decimal(value: object, field: str, errors: dict[str, str], example: str) -> Decimal | None:
    if isinstance(value, bool):
        value = None
    try:
        number = Decimal(str(value if value is not None else "").strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        errors[field] = f"{LABELS[field]} must be a number, like {example}"
        return None
    return number


def _text(value: object, field: str, errors: dict[str, str]) -> str:
    text = str(value or "").strip()
    if "\x00" in text:
        errors[field] = f"{LABELS[field]} must not contain NUL characters"
    elif len(text) > TEXT_LIMITS[field]:
        errors[field] = f"{LABELS[field]} must be {TEXT_LIMITS[field]:,} characters or fewer"
    return text


def check_terms(values: dict[str, Any]) -> dict[str, Any]:
    """The terms checked and normalised; a ValidationError names each bad field."""
    unknown = values.keys() - set(TERM_FIELDS)
    if unknown:
        raise TypeError(f"unexpected terms {sorted(unknown)}")
    errors: dict[str, str] = {}
    starts = _date(values.get("starts_on"), "starts_on", errors)
    ends = _date(values.get("ends_on"), "ends_on", errors)
    if starts and ends and ends <= starts:
        errors["ends_on"] = "End date must be after the start date"
    hours = _decimal(values.get("hours_per_week"), "hours_per_week", errors, "15 or 22.5")
    if hours is not None and "hours_per_week" not in errors:
        if hours <= 0 or hours > MAX_HOURS:
            errors["hours_per_week"] = f"Hours a week must be more than 0 and at most {MAX_HOURS}"
        elif hours != hours.quantize(Decimal("0.1")):
            errors["hours_per_week"] = "Hours a week must have no more than 1 decimal place"
    recharge = _decimal(
        values.get("recharge_amount", "0") or "0", "recharge_amount", errors, "4500"
    )
    if recharge is not None and "recharge_amount" not in errors:
        if recharge < 0:
            errors["recharge_amount"] = "Recharge amount must be 0 or more"
        elif recharge > MAX_RECHARGE:
            errors["recharge_amount"] = "Recharge amount must be £9,999,999,999.99 or less"
        elif recharge != recharge.quantize(Decimal("0.01")):
            errors["recharge_amount"] = "Recharge amount must have no more than 2 decimal places"
    job_title = _text(values.get("job_title"), "job_title", errors)
    if "job_title" not in errors and not job_title:
        errors["job_title"] = "Enter the job title at the host"
    payer = str(values.get("salary_paid_by") or "")
    if payer not in SalaryPayer.values:
        errors["salary_paid_by"] = "Choose who pays the salary: the home or the host organisation"
    objectives = _text(values.get("objectives"), "objectives", errors)
    return_arrangements = _text(values.get("return_arrangements"), "return_arrangements", errors)
    if errors:
        raise ValidationError(errors)
    return {
        "starts_on": starts,
        "ends_on": ends,
        "hours_per_week": hours.quantize(Decimal("0.1")),
        "job_title": job_title,
        "salary_paid_by": payer,
        "recharge_amount": recharge.quantize(Decimal("0.01")),
        "objectives": objectives,
        "return_arrangements": return_arrangements,
    }


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _audit(
    actor: Actor | None, action: str, agreement: SecondmentAgreement, **changes: Any
) -> None:
    """One event, kept in the home organisation's log; the host's reads it through the page."""
    audit.record(
        actor=actor,
        action=action,
        kind=KIND,
        object_id=agreement.pk,
        label=f"Secondment {agreement.pk} to {agreement.host_organisation.name}"[:200],
        organisation=agreement.home_organisation,
        changes={"host": agreement.host_organisation_id, **changes},
    )


def _url(agreement: SecondmentAgreement) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("talent:agreement", args=[agreement.pk])


def _tell(people: list, template: str, agreement: SecondmentAgreement) -> None:
    """E-mail each person once, after the change commits (never for a change rolled back)."""
    unique = {person.pk: person for person in people if person is not None}
    context = {"agreement": agreement, "agreement_url": _url(agreement)}
    notify_after_commit(unique.values(), template, context)


def _refresh(agreement: SecondmentAgreement) -> SecondmentAgreement:
    fresh = SecondmentAgreement.objects.get(pk=agreement.pk)
    for field in fresh._meta.concrete_fields:
        setattr(agreement, field.attname, getattr(fresh, field.attname))
    return agreement


# --- Drafting and changing the terms -------------------------------------------------------------


def draft_agreement(*, actor: Actor, application: Application, **terms: Any) -> SecondmentAgreement:
    """The host's L&D lead drafts the agreement of an accepted secondment offer; terms left out
    take their defaults from the opportunity. It then awaits the home organisation's release."""
    if not access.may_draft_agreement(actor, application):
        raise PermissionDenied
    opportunity = application.opportunity
    if opportunity.kind not in SECONDMENT_KINDS:
        raise ValidationError("Only a secondment has a secondment agreement")
    if application.status != ApplicationStatus.ACCEPTED:
        raise ValidationError("The offer must be accepted before the agreement is drafted")
    if application.home_organisation_id == opportunity.host_id:
        raise ValidationError("The person already works for the host organisation")
    if not are_partners(application.home_organisation, opportunity.host):
        raise ValidationError("The home and host organisations must be partners")
    values = check_terms({**default_terms(application), **terms})
    try:
        with transaction.atomic():
            agreement = SecondmentAgreement.objects.create(
                application=application,
                person=application.applicant,
                home_organisation=application.home_organisation,
                host_organisation=opportunity.host,
                home_employment=application.home_employment,
                **values,
            )
            _audit(
                actor,
                "secondment.drafted",
                agreement,
                application=application.pk,
                **{k: _plain(v) for k, v in values.items() if k in RELEASED_TERMS},
                recharge_amount=str(values["recharge_amount"]),
            )
    except IntegrityError:
        raise ValidationError("This offer already has an agreement") from None
    manager = agreement.home_employment and agreement.home_employment.line_manager
    _tell([manager.person if manager else None], "secondment_release_wanted", agreement)
    return agreement


def change_terms(
    *, actor: Actor, agreement: SecondmentAgreement, **terms: Any
) -> dict[str, tuple[Any, Any]]:
    """The host changes the terms before the start: a new version, so every signature must be
    given again; changing the dates or hours also asks the home organisation to release again.
    Returns each changed term as (before, after)."""
    if not access.may_change_terms(actor, agreement):
        raise PermissionDenied
    before = {field: getattr(agreement, field) for field in TERM_FIELDS}
    values = check_terms({**before, **terms})
    changed = {field: (before[field], v) for field, v in values.items() if before[field] != v}
    if not changed:
        return changed
    with transaction.atomic():
        update: dict[str, Any] = {**values, "terms_version": agreement.terms_version + 1}
        clears_release = bool(changed.keys() & RELEASED_TERMS)
        if clears_release:
            update |= {
                "line_manager_released_by": None,
                "line_manager_released_at": None,
                "ld_lead_released_by": None,
                "ld_lead_released_at": None,
                "status": AgreementStatus.AWAITING_RELEASE,
            }
        elif agreement.status == AgreementStatus.SIGNED:
            update["status"] = AgreementStatus.SIGNING
        done = SecondmentAgreement.objects.filter(
            pk=agreement.pk, status__in=BEFORE_START, terms_version=agreement.terms_version
        ).update(**update)
        if not done:
            raise ValidationError(
                "The terms can only be changed before the secondment starts; "
                "they may have just been changed by someone else"
            )
        _refresh(agreement)
        _audit(
            actor,
            "secondment.terms_changed",
            agreement,
            terms_version=agreement.terms_version,
            releases_cleared=clears_release,
            # Objectives and return arrangements are free text: the log says they changed.
            **{
                field: _plain(after) if field not in TEXT_LIMITS else "changed"
                for field, (_, after) in changed.items()
            },
        )
    return changed


# --- Release and signatures ----------------------------------------------------------------------


def release_capacities(actor: Actor, agreement: SecondmentAgreement) -> list[str]:
    """The releases the actor may still give: as line manager, as L&D lead (one person never
    gives both)."""
    given = {agreement.line_manager_released_by_id, agreement.ld_lead_released_by_id} - {None}
    if actor.person_id in given or agreement.status != AgreementStatus.AWAITING_RELEASE:
        return []
    capacities = []
    if agreement.line_manager_released_at is None and access.may_release_as_line_manager(
        actor, agreement
    ):
        capacities.append(LINE_MANAGER)
    if agreement.ld_lead_released_at is None and access.may_release_as_ld_lead(actor, agreement):
        capacities.append(LD_LEAD)
    return capacities


def release(*, actor: Actor, agreement: SecondmentAgreement, capacity: str = "") -> str:
    """The home line manager or L&D lead releases the person; when both have, signing opens.
    `capacity` ("line_manager" or "ld_lead") is needed only by someone who may give both.
    Returns the capacity released in."""
    may = {
        LINE_MANAGER: access.may_release_as_line_manager(actor, agreement),
        LD_LEAD: access.may_release_as_ld_lead(actor, agreement),
    }
    if not any(may.values()):
        raise PermissionDenied
    open_to = release_capacities(actor, agreement)
    if capacity and capacity not in (LINE_MANAGER, LD_LEAD):
        raise ValidationError(
            {"capacity": "Choose whether you release as line manager or L&D lead"}
        )
    if not open_to:
        if agreement.status != AgreementStatus.AWAITING_RELEASE:
            raise ValidationError("This agreement is not waiting for a release")
        raise ValidationError("You have already released this secondment")
    if capacity and capacity not in open_to:
        raise ValidationError({"capacity": "You cannot give that release"})
    chosen = capacity or open_to[0]
    by, at = f"{chosen}_released_by", f"{chosen}_released_at"
    now = timezone.now()
    with transaction.atomic():
        other = LD_LEAD if chosen == LINE_MANAGER else LINE_MANAGER
        done = (
            SecondmentAgreement.objects.filter(
                pk=agreement.pk, status=AgreementStatus.AWAITING_RELEASE, **{f"{at}__isnull": True}
            )
            .exclude(**{f"{other}_released_by": actor.person})
            .update(**{by: actor.person, at: now})
        )
        if not done:
            raise ValidationError("This release has just been given")
        # Both given: signing opens (the second release to land flips it, once).
        opened = SecondmentAgreement.objects.filter(
            pk=agreement.pk,
            status=AgreementStatus.AWAITING_RELEASE,
            line_manager_released_at__isnull=False,
            ld_lead_released_at__isnull=False,
        ).update(status=AgreementStatus.SIGNING)
        _refresh(agreement)
        _audit(actor, "secondment.released", agreement, capacity=chosen, signing_open=bool(opened))
    if opened:
        _tell([agreement.person], "secondment_ready_to_sign", agreement)
    return chosen


def current_signatures(agreement: SecondmentAgreement) -> dict[str, AgreementSignature]:
    """The signatures of the current version of the terms, by party."""
    signatures = AgreementSignature.objects.filter(
        agreement=agreement, terms_version=agreement.terms_version
    ).select_related("signed_by")
    return {signature.party: signature for signature in signatures}


def unsigned_parties(actor: Actor, agreement: SecondmentAgreement) -> list[str]:
    """The parties the actor may still sign the current version for."""
    if agreement.status != AgreementStatus.SIGNING:
        return []
    signed = current_signatures(agreement)
    return [party for party in access.signing_parties(actor, agreement) if party not in signed]


def sign(
    *,
    actor: Actor,
    agreement: SecondmentAgreement,
    terms_version: int,
    party: str = "",
    today: dt.date | None = None,
) -> AgreementSignature:
    """Sign version `terms_version` (the one the signer read) for a party the actor speaks for.
    The third signature makes it signed, and it starts at once if its start date has come."""
    parties = access.signing_parties(actor, agreement)
    if not parties:
        raise PermissionDenied
    if party and party not in parties:
        raise ValidationError({"party": "You cannot sign for that party"})
    if agreement.status != AgreementStatus.SIGNING:
        raise ValidationError("This agreement is not open for signing")
    if terms_version != agreement.terms_version:
        raise ValidationError(
            {"terms_version": "The terms have changed since you read them: read them again"}
        )
    signed = current_signatures(agreement)
    open_parties = [p for p in ([party] if party else parties) if p not in signed]
    if not open_parties:
        raise ValidationError("You have already signed this version of the terms")
    chosen = open_parties[0]
    with transaction.atomic():
        # Claims the row (a row lock on PostgreSQL) and checks the version is still current.
        still = SecondmentAgreement.objects.filter(
            pk=agreement.pk, status=AgreementStatus.SIGNING, terms_version=terms_version
        ).update(status=AgreementStatus.SIGNING)
        if not still:
            raise ValidationError(
                {"terms_version": "The terms have changed since you read them: read them again"}
            )
        try:
            with transaction.atomic():
                signature = AgreementSignature.objects.create(
                    agreement=agreement,
                    party=chosen,
                    signed_by=actor.person,
                    terms_version=terms_version,
                )
        except IntegrityError:
            raise ValidationError("This party has just signed this version") from None
        count = AgreementSignature.objects.filter(
            agreement=agreement, terms_version=terms_version
        ).count()
        completed = False
        if count == len(SignatureParty.values):
            completed = bool(
                SecondmentAgreement.objects.filter(
                    pk=agreement.pk, status=AgreementStatus.SIGNING, terms_version=terms_version
                ).update(status=AgreementStatus.SIGNED)
            )
        _refresh(agreement)
        _audit(
            actor,
            "secondment.signed",
            agreement,
            party=chosen,
            terms_version=terms_version,
            fully_signed=completed,
        )
        if completed and agreement.starts_on <= (today or timezone.localdate()):
            try:
                with transaction.atomic():
                    _start(None, agreement, today or timezone.localdate())
            except ValidationError:
                # The recharge was refused (the two are no longer partners): the signature
                # stands and the daily job tries again; the failure is in the log.
                logger.exception("Secondment %s could not start on signing", agreement.pk)
                _refresh(agreement)
    return signature


# --- Start, end, cancel --------------------------------------------------------------------------


def _start(actor: Actor | None, agreement: SecondmentAgreement, today: dt.date) -> bool:
    """Start a signed agreement whose start date has come: the employment at the host, the
    recharge once, status active. False when it was not (or no longer) signed."""
    with transaction.atomic():
        claimed = SecondmentAgreement.objects.filter(
            pk=agreement.pk, status=AgreementStatus.SIGNED, starts_on__lte=today
        ).update(status=AgreementStatus.ACTIVE, started_at=timezone.now())
        if not claimed:
            return False
        _refresh(agreement)
        employment = Employment.objects.create(
            person=agreement.person,
            organisation=agreement.host_organisation,
            job_title=agreement.job_title,
            kind=EmploymentKind.SECONDMENT,
            start_date=agreement.starts_on,
            end_date=agreement.ends_on,
            line_manager=None,
            seniority=agreement.home_employment.seniority if agreement.home_employment else None,
        )
        entry_id = None
        if agreement.recharge_amount > 0:
            entry = partnership_services.post_recharge(
                actor=None,
                payer=agreement.host_organisation,
                payee=agreement.home_organisation,
                amount=agreement.recharge_amount,
                source_kind="secondment",
                source_id=str(agreement.pk),
                source_label=f"Secondment of {agreement.job_title}"[:200],
                occurred_on=agreement.starts_on,
            )
            entry_id = entry.pk
        # The recharge is linked once: `recharge_entry_id IS NULL` is part of the claim.
        SecondmentAgreement.objects.filter(pk=agreement.pk, recharge_entry_id__isnull=True).update(
            secondment_employment=employment, recharge_entry_id=entry_id
        )
        _refresh(agreement)
        _audit(
            actor,
            "secondment.started",
            agreement,
            employment=employment.pk,
            recharge_entry=entry_id,
            recharge_amount=str(agreement.recharge_amount),
        )
    return True


def _end(
    actor: Actor | None, agreement: SecondmentAgreement, ended_on: dt.date, reason: str
) -> bool:
    with transaction.atomic():
        claimed = SecondmentAgreement.objects.filter(
            pk=agreement.pk, status=AgreementStatus.ACTIVE
        ).update(status=AgreementStatus.ENDED, ended_on=ended_on, cancel_reason=reason)
        if not claimed:
            return False
        _refresh(agreement)
        if agreement.secondment_employment_id:
            # Saved, not updated in bulk, so whatever follows employments (the talent profile's
            # copy of the main job) sees the change in this transaction.
            employment = Employment.objects.get(pk=agreement.secondment_employment_id)
            employment.end_date = ended_on
            employment.leaving_reason = "End of secondment"
            employment.save(update_fields=["end_date", "leaving_reason"])
        _audit(
            actor,
            "secondment.ended",
            agreement,
            ended_on=ended_on.isoformat(),
            early=ended_on < agreement.ends_on,
        )
    return True


def end_early(
    *, actor: Actor, agreement: SecondmentAgreement, ended_on: dt.date | None, reason: str
) -> SecondmentAgreement:
    """The home or host ends an active secondment before its end date, saying why."""
    if not access.may_end_or_cancel(actor, agreement):
        raise PermissionDenied
    errors = {}
    why = str(reason or "").strip()
    if not why:
        errors["reason"] = "Enter why the secondment is ending early"
    elif len(why) > 500 or "\x00" in why:
        errors["reason"] = "Reason must be 500 characters or fewer"
    ended_on = ended_on or timezone.localdate()
    if ended_on < agreement.starts_on:
        errors["ended_on"] = "End date must be on or after the start of the secondment"
    elif ended_on > agreement.ends_on:
        errors["ended_on"] = "End date must be on or before the agreed end date"
    if errors:
        raise ValidationError(errors)
    if not _end(actor, agreement, ended_on, why):
        raise ValidationError("Only a secondment under way can be ended")
    return agreement


def cancel(*, actor: Actor, agreement: SecondmentAgreement, reason: str) -> SecondmentAgreement:
    """The home or host cancels an agreement before the secondment starts, saying why."""
    if not access.may_end_or_cancel(actor, agreement):
        raise PermissionDenied
    why = str(reason or "").strip()
    if not why:
        raise ValidationError({"reason": "Enter why the agreement is cancelled"})
    if len(why) > 500 or "\x00" in why:
        raise ValidationError({"reason": "Reason must be 500 characters or fewer"})
    with transaction.atomic():
        done = SecondmentAgreement.objects.filter(pk=agreement.pk, status__in=BEFORE_START).update(
            status=AgreementStatus.CANCELLED, cancel_reason=why
        )
        if not done:
            raise ValidationError("Only an agreement that has not started can be cancelled")
        _refresh(agreement)
        _audit(actor, "secondment.cancelled", agreement)
    return agreement


def run_secondment_dates(today: dt.date | None = None) -> dict[str, int]:
    """The daily job: start signed agreements whose start date has come, end active ones whose
    end date has passed. Safe to run any number of times."""
    today = today or timezone.localdate()
    started = ended = 0
    due = SecondmentAgreement.objects.filter(status=AgreementStatus.SIGNED, starts_on__lte=today)
    for agreement in due.select_related("home_organisation", "host_organisation", "person"):
        try:
            started += _start(None, agreement, today)
        except ValidationError:
            logger.exception("Secondment %s could not start", agreement.pk)
    over = SecondmentAgreement.objects.filter(status=AgreementStatus.ACTIVE, ends_on__lt=today)
    for agreement in over.select_related("home_organisation", "host_organisation"):
        ended += _end(None, agreement, agreement.ends_on, "")
    return {"started": started, "ended": ended}


# --- Feedback and return -------------------------------------------------------------------------

FEEDBACK_FIELD = {
    SignatureParty.PERSON: "person_feedback",
    SignatureParty.HOME: "home_feedback",
    SignatureParty.HOST: "host_feedback",
}


def give_feedback(
    *, actor: Actor, agreement: SecondmentAgreement, text: str, party: str = ""
) -> str:
    """Feedback on an ended secondment from the person, the home or the host (given again, it
    replaces the last). Returns the party it was given for."""
    parties = access.feedback_parties(actor, agreement)
    if not parties:
        raise PermissionDenied
    if party and party not in parties:
        raise ValidationError({"party": "You cannot give feedback for that party"})
    chosen = party or parties[0]
    words = str(text or "").strip()
    if not words:
        raise ValidationError({"text": "Enter your feedback"})
    if len(words) > 5_000 or "\x00" in words:
        raise ValidationError({"text": "Feedback must be 5,000 characters or fewer"})
    with transaction.atomic():
        done = SecondmentAgreement.objects.filter(
            pk=agreement.pk, status=AgreementStatus.ENDED
        ).update(**{FEEDBACK_FIELD[chosen]: words})
        if not done:
            raise ValidationError("Feedback is given once the secondment has ended")
        _refresh(agreement)
        _audit(actor, "secondment.feedback", agreement, party=chosen)
    return chosen


def record_return(
    *, actor: Actor, agreement: SecondmentAgreement, returned_on: dt.date | None, note: str = ""
) -> SecondmentAgreement:
    """The home records the person's return to their home job after the secondment ended."""
    if not access.may_record_return(actor, agreement):
        raise PermissionDenied
    errors = {}
    if returned_on is None:
        errors["returned_on"] = "Enter the date of return"
    elif agreement.ended_on and returned_on < agreement.ended_on:
        errors["returned_on"] = "Date of return must be on or after the day the secondment ended"
    words = str(note or "").strip()
    if len(words) > 5_000 or "\x00" in words:
        errors["note"] = "Note must be 5,000 characters or fewer"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        done = SecondmentAgreement.objects.filter(
            pk=agreement.pk, status=AgreementStatus.ENDED, returned_on__isnull=True
        ).update(returned_on=returned_on, return_note=words)
        if not done:
            raise ValidationError("The return is recorded once, after the secondment has ended")
        _refresh(agreement)
        _audit(actor, "secondment.returned", agreement, returned_on=returned_on.isoformat())
    return agreement


# --- The timeline --------------------------------------------------------------------------------


def timeline(agreement: SecondmentAgreement) -> list[dict[str, Any]]:
    """The steps of the agreement in order, each with whether it is done and what it says."""
    signatures = current_signatures(agreement)
    released = agreement.line_manager_released_at and agreement.ld_lead_released_at
    cancelled = agreement.status == AgreementStatus.CANCELLED
    steps = [
        {
            "name": "Release by the home line manager",
            "done": agreement.line_manager_released_at is not None,
            "by": agreement.line_manager_released_by,
            "at": agreement.line_manager_released_at,
        },
        {
            "name": "Release by the home L&D lead",
            "done": agreement.ld_lead_released_at is not None,
            "by": agreement.ld_lead_released_by,
            "at": agreement.ld_lead_released_at,
        },
    ]
    for party, label in SignatureParty.choices:
        signature = signatures.get(party)
        steps.append(
            {
                "name": f"Signature: {label.lower()}",
                "done": signature is not None,
                "by": signature.signed_by if signature else None,
                "at": signature.signed_at if signature else None,
                "waiting": not released,
            }
        )
    steps += [
        {
            "name": "Secondment starts",
            "done": agreement.started_at is not None,
            "at": agreement.started_at,
            "on": agreement.starts_on,
        },
        {
            "name": "Secondment ends",
            "done": agreement.ended_on is not None,
            "on": agreement.ended_on or agreement.ends_on,
        },
        {"name": "Feedback from the secondee", "done": bool(agreement.person_feedback)},
        {"name": "Feedback from the home organisation", "done": bool(agreement.home_feedback)},
        {"name": "Feedback from the host organisation", "done": bool(agreement.host_feedback)},
        {
            "name": "Return recorded",
            "done": agreement.returned_on is not None,
            "on": agreement.returned_on,
        },
    ]
    for step in steps:
        step["status"] = "Completed" if step["done"] else ("Cancelled" if cancelled else "Not yet")
    return steps
