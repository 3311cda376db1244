"""The apprenticeships API: enrolments at /api/v1/apprenticeships/enrolments (see docs/API.md).

Everything is fetched through `access`, so the API shows what the pages show: an enrolment is
read by its apprentice, line manager and practice tutor, the employer's L&D leads and levy
officers and the provider's programme leaders. The eligibility facts (date of birth, care leaver,
EHC plan) and the reason naming them are given only to those `access.may_see_eligibility` allows
(null for everyone else). Writes go through `enrolments` and need a person: an organisation token
is refused (403). Enrolling needs the L&D lead of a partner organisation, acting for it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import field_validator

from joinedup.partnership.actor import Actor
from joinedup.partnership.api import NOT_A_PERSON, Error, Id, OrganisationRef, Pagination, page_of
from joinedup.partnership.api import storable as _storable
from joinedup.partnership.models import Person

from . import access, enrolments
from .models import Enrolment, EnrolmentStatus

router = Router(tags=["apprenticeships"])

ERRORS = {frozenset({401, 403, 404, 409, 422}): Error}
ORDER = ("-start_on", "-id")
NOT_AN_ENROLLER = "Only an L&D lead of a partner organisation enrols its staff on this cohort"
NOT_A_MANAGER = "Only the employer's L&D lead or the provider's programme leader changes this"


class PersonRef(Schema):
    id: int
    name: str


class Named(Schema):
    id: int
    name: str


class EnrolmentOut(Schema):
    id: int
    reference: str
    apprentice: PersonRef
    employer: OrganisationRef
    provider: OrganisationRef
    programme: Named
    cohort: Named
    standard: str = Field(description="The standard's reference code, e.g. ST0480.")
    line_manager: PersonRef | None
    practice_tutor: PersonRef | None
    start_on: dt.date
    planned_end_on: dt.date
    price: Decimal
    hours_per_week: Decimal
    status: str = Field(description="awaiting_commitment, active, on_break, withdrawn, ...")
    status_on: dt.date
    funding_route: str = Field(description="levy, transfer, co_funded or private.")
    funding_reason: str = Field(description="Why, in words that name no personal fact.")
    required_off_the_job_hours: int
    planned_off_the_job_hours: int
    prior_learning_hours: int


class EnrolmentPage(Schema):
    items: list[EnrolmentOut]
    next: str | None


class EligibilityOut(Schema):
    date_of_birth: dt.date | None
    care_leaver: bool
    ehc_plan: bool
    eligibility_reason: str


class StatusChangeOut(Schema):
    status: str
    effective_on: dt.date
    reason: str


class EmployerChangeOut(Schema):
    previous_employer: OrganisationRef
    new_employer: OrganisationRef
    effective_on: dt.date
    reason: str


class StatementRef(Schema):
    id: int
    version: int
    reason: str
    fully_signed_at: dt.datetime | None


class EnrolmentDetail(EnrolmentOut):
    eligibility: EligibilityOut | None = Field(
        description="Only for the apprentice, the employer's L&D leads and the provider's "
        "programme leaders; null for anyone else."
    )
    history: list[StatusChangeOut]
    employer_changes: list[EmployerChangeOut]
    statements: list[StatementRef]
    may_manage: bool


class FundingOut(Schema):
    route: str
    reason: str
    rules_at: dt.date = Field(description="The start date whose rules decided it.")
    employer_pays: Decimal | None = Field(description="What the employer pays, in pounds.")
    employer_pays_text: str | None
    levy_account: OrganisationRef | None = Field(description="The employer's levy account.")
    transfer_from: OrganisationRef | None = Field(description="The partner paying by transfer.")
    eligibility_reason: str | None = Field(
        description="Names the personal facts: null for those who may not see them."
    )


class EnrolIn(Schema):
    cohort: Id
    apprentice_email: str = Field(max_length=254)
    line_manager_email: str = Field("", max_length=254)
    practice_tutor: Id | None = Field(None, description="A person named tutor on the programme.")
    start_on: dt.date
    planned_end_on: dt.date
    price: Decimal = Field(max_digits=12, decimal_places=2)
    hours_per_week: Decimal = Field(max_digits=5, decimal_places=2)
    date_of_birth: dt.date
    care_leaver: bool = False
    ehc_plan: bool = False
    use_levy_account: bool = Field(True, description="Pay from the employer's levy account.")
    transfer_from: Id | None = Field(None, description="A partner's levy account id.")
    prior_learning_hours: int = Field(0, ge=0, le=10000)
    prior_learning_note: str = Field("", max_length=300)

    @field_validator("apprentice_email", "line_manager_email", "prior_learning_note")
    @classmethod
    def storable(cls, value: str) -> str:
        return _storable(value)


class StatusIn(Schema):
    status: str = Field(max_length=20)
    effective_on: dt.date
    reason: str = Field(max_length=500)
    planned_end_on: dt.date | None = Field(None, description="Needed when back from a break.")

    @field_validator("status", "reason")
    @classmethod
    def storable(cls, value: str) -> str:
        return _storable(value)


def _person(who: Person | None) -> dict | None:
    return None if who is None else {"id": who.pk, "name": who.full_name}


def _with_people(found):
    return found.select_related(
        "apprentice",
        "employer",
        "line_manager",
        "practice_tutor",
        "cohort__programme__provider",
        "cohort__programme__standard",
    )


def enrolment_out(enrolment: Enrolment) -> dict:
    """An enrolment in the API's shape (its people, cohort and programme selected)."""
    programme = enrolment.cohort.programme
    return {
        "id": enrolment.pk,
        "reference": enrolment.reference,
        "apprentice": _person(enrolment.apprentice),
        "employer": enrolment.employer,
        "provider": programme.provider,
        "programme": {"id": programme.pk, "name": programme.title},
        "cohort": {"id": enrolment.cohort_id, "name": enrolment.cohort.name},
        "standard": programme.standard.reference_code,
        "line_manager": _person(enrolment.line_manager),
        "practice_tutor": _person(enrolment.practice_tutor),
        "start_on": enrolment.start_on,
        "planned_end_on": enrolment.planned_end_on,
        "price": enrolment.price,
        "hours_per_week": enrolment.hours_per_week,
        "status": enrolment.status,
        "status_on": enrolment.status_on,
        "funding_route": enrolment.funding_route,
        "funding_reason": enrolment.funding_reason,
        "required_off_the_job_hours": enrolment.required_off_the_job_hours,
        "planned_off_the_job_hours": enrolment.planned_off_the_job_hours,
        "prior_learning_hours": enrolment.prior_learning_hours,
    }


def _detail(actor: Actor, enrolment: Enrolment) -> dict:
    eligibility = None
    if access.may_see_eligibility(actor, enrolment):
        eligibility = {
            "date_of_birth": enrolment.date_of_birth,
            "care_leaver": enrolment.care_leaver,
            "ehc_plan": enrolment.ehc_plan,
            "eligibility_reason": enrolment.eligibility_reason,
        }
    moves = enrolment.employer_changes.select_related("previous_employer", "new_employer")
    return {
        **enrolment_out(enrolment),
        "eligibility": eligibility,
        "history": list(enrolment.history.order_by("changed_at", "id")),
        "employer_changes": list(moves),
        "statements": list(enrolment.commitment_statements.order_by("-version")),
        "may_manage": access.may_manage_enrolment(actor, enrolment),
    }


def person(request: HttpRequest) -> Actor:
    """The caller, who must act as a person."""
    actor: Actor = request.auth
    if actor.person is None:
        raise HttpError(403, NOT_A_PERSON)
    return actor


def refused(error: ValidationError) -> HttpError:
    """422 naming each bad field; 409 for a state that forbids the change."""
    if hasattr(error, "error_dict"):
        text = "; ".join(
            f"{field} (body): {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
        return HttpError(422, text)
    return HttpError(409, " ".join(error.messages))


@router.get("", response={200: EnrolmentPage, **ERRORS}, summary="Enrolments")
def apprenticeship_enrolments(request: HttpRequest, page: Query[Pagination]) -> dict:
    """The enrolments the caller may see, newest start first (none for an organisation token)."""
    actor: Actor = request.auth
    found = _with_people(access.visible_enrolments(actor))
    result = page_of(found, ORDER, (dt.date, int), page)
    return {"items": [enrolment_out(e) for e in result["items"]], "next": result["next"]}


@router.post("", response={201: EnrolmentDetail, **ERRORS}, summary="Enrol an apprentice")
def apprenticeship_enrol(request: HttpRequest, data: EnrolIn) -> Status:
    """An L&D lead enrols a current member of their organisation's staff (found by work e-mail)
    on a cohort; the funding is decided by the rules at the start date. 403 for anyone else who
    sees the cohort."""
    actor = person(request)
    cohort = access.get_cohort_for(actor, data.cohort)
    if not access.may_enrol_on(actor, cohort):
        raise HttpError(403, NOT_AN_ENROLLER)
    try:
        employment = enrolments.find_apprentice(actor, data.apprentice_email)
        manager = None
        if data.line_manager_email.strip():
            manager = enrolments.find_staff_at(
                actor.organisation, data.line_manager_email, "line_manager_email"
            ).person
        tutor = None
        if data.practice_tutor is not None:
            row = access.named_tutors(cohort.programme).filter(person_id=data.practice_tutor)
            tutor = row.select_related("person").first()
            if tutor is None:
                raise ValidationError(
                    {"practice_tutor": "Choose one of the programme's practice tutors"}
                )
            tutor = tutor.person
        account = enrolments.employer_account(actor.organisation) if data.use_levy_account else None
        transfer = None
        if data.transfer_from is not None:
            transfer = (
                enrolments.transfer_accounts(actor, actor.organisation)
                .filter(pk=data.transfer_from)
                .first()
            )
            if transfer is None:
                raise ValidationError(
                    {"transfer_from": "Choose a transfer from a partner's levy account"}
                )
        made = enrolments.enrol(
            actor=actor,
            cohort=cohort,
            employment=employment,
            line_manager=manager,
            practice_tutor=tutor,
            start_on=data.start_on,
            planned_end_on=data.planned_end_on,
            price=data.price,
            hours_per_week=data.hours_per_week,
            date_of_birth=data.date_of_birth,
            care_leaver=data.care_leaver,
            ehc_plan=data.ehc_plan,
            levy_account=account,
            transfer_from=transfer,
            prior_learning_hours=data.prior_learning_hours,
            prior_learning_note=data.prior_learning_note,
        )
    except ValidationError as error:
        raise refused(error) from error
    return Status(201, _detail(actor, access.get_enrolment_for(actor, made.pk)))


@router.get("/{pk}", response={200: EnrolmentDetail, **ERRORS}, summary="An enrolment")
def apprenticeship_enrolment(request: HttpRequest, pk: Id) -> dict:
    """One enrolment with its history, moves and statement versions; the eligibility facts only
    for those who may see them."""
    actor: Actor = request.auth
    return _detail(actor, access.get_enrolment_for(actor, pk))


@router.get("/{pk}/funding", response={200: FundingOut, **ERRORS}, summary="Its funding")
def apprenticeship_enrolment_funding(request: HttpRequest, pk: Id) -> dict:
    """The funding decision by the rules in force at the start date, and what the employer pays."""
    actor: Actor = request.auth
    enrolment = access.get_enrolment_for(actor, pk)
    try:
        decision = enrolments.decide(enrolment)
    except ValidationError:
        decision = None
    accounts = {
        account.pk: account.organisation
        for account in _accounts(enrolment.levy_account_id, enrolment.transfer_from_id)
    }
    allowed = access.may_see_eligibility(actor, enrolment)
    return {
        "route": enrolment.funding_route,
        "reason": enrolment.funding_reason,
        "rules_at": enrolment.start_on,
        "employer_pays": decision.employer_pays if decision else None,
        "employer_pays_text": decision.employer_pays_text if decision else None,
        "levy_account": accounts.get(enrolment.levy_account_id),
        "transfer_from": accounts.get(enrolment.transfer_from_id),
        "eligibility_reason": enrolment.eligibility_reason if allowed else None,
    }


def _accounts(*ids):
    from joinedup.levy.models import LevyAccount

    wanted = [pk for pk in ids if pk is not None]
    if not wanted:
        return []
    return LevyAccount.objects.filter(pk__in=wanted).select_related("organisation")


@router.post("/{pk}/status", response={200: EnrolmentDetail, **ERRORS}, summary="Change status")
def apprenticeship_enrolment_status(request: HttpRequest, pk: Id, data: StatusIn) -> dict:
    """The employer's L&D lead or the provider's programme leader moves the enrolment on, with
    the date and reason (403 for others who see it; 422 naming the field, e.g. a status the
    enrolment cannot take, such as any but withdrawn before the statement is signed)."""
    actor = person(request)
    enrolment = access.get_enrolment_for(actor, pk)
    if not access.may_manage_enrolment(actor, enrolment):
        raise HttpError(403, NOT_A_MANAGER)
    if data.status not in EnrolmentStatus.values:
        raise HttpError(422, "status (body): Choose one of " + ", ".join(EnrolmentStatus.values))
    try:
        enrolments.change_status(
            actor=actor,
            enrolment=enrolment,
            status=data.status,
            effective_on=data.effective_on,
            reason=data.reason,
            planned_end_on=data.planned_end_on,
        )
    except PermissionDenied as error:
        raise HttpError(403, NOT_A_MANAGER) from error
    except ValidationError as error:
        raise refused(error) from error
    return _detail(actor, access.get_enrolment_for(actor, pk))
