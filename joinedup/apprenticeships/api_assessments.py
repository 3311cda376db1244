"""The end-point assessments API at /api/v1/apprenticeships/assessments (see docs/API.md).

Everything is fetched through `access`, so the API shows what the pages show: an enrolment's
attempts are read by whoever sees the enrolment; one booking also by its assessor; the
provider's programme leaders book; only the booked assessor records results. Writes need a
person (an organisation token is refused, 403).

External assessors act for no organisation: the assessor's own list and one booking accept
their signed-in browser session (GET) as well as a token (see `AssessorSession`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer

from joinedup.partnership.actor import Actor
from joinedup.partnership.api import NOT_A_PERSON, Error, Id, OrganisationRef, Pagination, page_of
from joinedup.partnership.models import Person

from . import access, assessments
from .models import EndPointAssessment

router = Router(tags=["apprenticeships"])

ERRORS = {frozenset({401, 403, 404, 409, 422}): Error}
ORDER = ("assessment_on", "id")
NOT_A_BOOKER = "Only the provider's programme leader books the end-point assessment"
NOT_THE_ASSESSOR = "Only the booked assessor records the results"


class _Bearer(HttpBearer):
    """The API's own bearer token check (imported when called: joinedup.api imports this)."""

    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        from joinedup.api import BearerToken

        return BearerToken().authenticate(request, token)


class AssessorSession(APIKeyCookie):
    """A signed-in browser reads (GET) with its session, also when the person acts for no
    organisation (an external assessor: the middleware has already let them in)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        actor = getattr(request, "actor", None)
        if request.method != "GET" or actor is None or actor.person is None:
            return None
        return actor


ASSESSOR_AUTH = [_Bearer(), AssessorSession()]


class PersonRef(Schema):
    id: int
    name: str


class AssessmentOut(Schema):
    id: int
    enrolment: int
    attempt: int
    apprentice: PersonRef
    programme: str
    standard: str = Field(description="The standard's reference code, e.g. ST0480.")
    assessment_organisation: str
    assessor: PersonRef
    assessor_organisation: OrganisationRef | None = Field(
        description="The assessor's employer in the partnership; null for an external assessor."
    )
    assessment_on: dt.date
    presentation_result: str = Field(description="fail, pass, merit, distinction or empty.")
    discussion_result: str
    overall_grade: str = Field(description="Empty until the assessor records the results.")
    result_note: str
    recorded_at: dt.datetime | None


class AssessmentPage(Schema):
    items: list[AssessmentOut]
    next: str | None


class BookIn(Schema):
    assessment_organisation: str = Field(max_length=200)
    assessment_on: dt.date
    assessor_email: str = Field(max_length=254)
    new_external: bool = Field(
        False, description="Make an external assessor account (needs given and family name)."
    )
    given_name: str = Field("", max_length=100)
    family_name: str = Field("", max_length=100)


class ResultsIn(Schema):
    presentation_result: str
    discussion_result: str
    overall_grade: str
    result_note: str = Field("", max_length=2000)


def _person(who: Person) -> dict:
    return {"id": who.pk, "name": who.full_name}


def assessment_out(assessment: EndPointAssessment) -> dict:
    enrolment = assessment.enrolment
    programme = enrolment.cohort.programme
    organisation = assessment.assessor_organisation
    return {
        "id": assessment.pk,
        "enrolment": enrolment.pk,
        "attempt": assessment.attempt,
        "apprentice": _person(enrolment.apprentice),
        "programme": programme.title,
        "standard": programme.standard.reference_code,
        "assessment_organisation": assessment.assessment_organisation,
        "assessor": _person(assessment.assessor),
        "assessor_organisation": (
            {"id": organisation.pk, "name": organisation.name} if organisation else None
        ),
        "assessment_on": assessment.assessment_on,
        "presentation_result": assessment.presentation_result,
        "discussion_result": assessment.discussion_result,
        "overall_grade": assessment.overall_grade,
        "result_note": assessment.result_note,
        "recorded_at": assessment.recorded_at,
    }


RELATED = (
    "assessor",
    "assessor_organisation",
    "enrolment__apprentice",
    "enrolment__cohort__programme__standard",
)


def _actor(request: HttpRequest) -> Actor:
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


@router.get(
    "/mine",
    response={200: AssessmentPage, **ERRORS},
    auth=ASSESSOR_AUTH,
    summary="My assessments",
)
def apprenticeship_my_assessments(request: HttpRequest, page: Query[Pagination]) -> dict:
    """The assessments the caller is booked to assess, soonest first (empty for an organisation
    token)."""
    found = access.my_assessments(request.auth).select_related(*RELATED)
    result = page_of(found, ORDER, (dt.date, int), page)
    return {"items": [assessment_out(a) for a in result["items"]], "next": result["next"]}


@router.get(
    "/enrolments/{pk}",
    response={200: list[AssessmentOut], **ERRORS},
    summary="An enrolment's assessments",
)
def apprenticeship_enrolment_assessments(request: HttpRequest, pk: Id) -> list[dict]:
    """Every attempt of an enrolment the caller sees, in order (404 if they do not see it)."""
    actor: Actor = request.auth
    enrolment = access.get_enrolment_for(actor, pk)
    found = access.enrolment_assessments(actor, enrolment).select_related(*RELATED)
    return [assessment_out(a) for a in found]


@router.post(
    "/enrolments/{pk}",
    response={201: AssessmentOut, **ERRORS},
    summary="Book an assessment",
)
def apprenticeship_book_assessment(request: HttpRequest, pk: Id, data: BookIn) -> Status:
    """The provider's programme leader books the next attempt (the first needs the gateway
    passed; a resit the last attempt failed) with an independent assessor, found by e-mail or
    made as an external assessor account (`new_external`). 403 for others who see the
    enrolment; 422 naming the field (e.g. an assessor who works for the employer); 409 when the
    enrolment's state forbids it."""
    actor = _actor(request)
    enrolment = access.get_enrolment_for(actor, pk)
    if not access.may_book_assessment(actor, enrolment):
        raise HttpError(403, NOT_A_BOOKER)
    try:
        with transaction.atomic():  # a new external account stays only if the booking is made
            booked = _book(actor, enrolment, data)
    except ValidationError as error:
        raise refused(error) from error
    return Status(201, assessment_out(access.get_assessment_for(actor, booked.pk)))


def _book(actor: Actor, enrolment, data: BookIn) -> EndPointAssessment:
    """The chosen (or new external) assessor, then the booking."""
    if data.new_external:
        assessor = assessments.add_external_assessor(
            actor=actor,
            email=data.assessor_email,
            given_name=data.given_name,
            family_name=data.family_name,
        )
    else:
        assessor = assessments.find_person(data.assessor_email)
        if assessor is None:
            raise ValidationError(
                {"assessor_email": "No one has an account with this email address"}
            )
    return assessments.book(
        actor=actor,
        enrolment=enrolment,
        assessor=assessor,
        assessment_organisation=data.assessment_organisation,
        assessment_on=data.assessment_on,
    )


@router.get(
    "/{pk}",
    response={200: AssessmentOut, **ERRORS},
    auth=ASSESSOR_AUTH,
    summary="An assessment",
)
def apprenticeship_assessment(request: HttpRequest, pk: Id) -> dict:
    """One booking, for its assessor and whoever sees the enrolment (404 for anyone else)."""
    return assessment_out(access.get_assessment_for(request.auth, pk))


@router.post(
    "/{pk}/results",
    response={200: AssessmentOut, **ERRORS},
    summary="Record the results",
)
def apprenticeship_assessment_results(request: HttpRequest, pk: Id, data: ResultsIn) -> dict:
    """The booked assessor records each method's result and the overall grade, once (409 after);
    a pass, merit or distinction completes the enrolment. 403 for others who see it."""
    actor = _actor(request)
    try:
        assessment = access.get_assessment_to_record(actor, pk)
    except PermissionDenied as error:
        raise HttpError(403, NOT_THE_ASSESSOR) from error
    try:
        assessments.record_results(
            actor=actor,
            assessment=assessment,
            presentation_result=data.presentation_result,
            discussion_result=data.discussion_result,
            overall_grade=data.overall_grade,
            note=data.result_note,
        )
    except ValidationError as error:
        raise refused(error) from error
    return assessment_out(access.get_assessment_for(actor, pk))
