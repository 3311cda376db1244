"""API operations for applications, at /api/v1/talent/applications: the caller's own (apply,
withdraw, accept) and the host's (list, shortlist, interview, offer, decline).

Everything here acts as a person (organisation tokens are refused, 403). An application is read
by its applicant and by the host organisation's L&D leads and admins; anyone else is told
nothing of it (404). A refusal because of the application's state is a 409; a bad field a 422.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import field_validator

from joinedup.partnership.api import Error, Id, OrganisationRef, Pagination, page_of, storable

from . import access, applications
from .api_opportunities import person, refused
from .models import Application

router = Router(tags=["talent"])

ERRORS = {frozenset({401, 403, 404, 409, 422}): Error}
ORDER = ("-created_at", "-id")
NOT_A_HOST = "Only the acting organisation's L&D leads and organisation admins host opportunities"


class OpportunityRef(Schema):
    id: int
    title: str
    host: OrganisationRef


class ApplicationOut(Schema):
    id: int
    opportunity: OpportunityRef
    applicant: str
    home_organisation: OrganisationRef
    statement: str
    status: str
    interview_notes: str | None = Field(description="Shown to the host only.")
    decline_reason: str
    created_at: dt.datetime
    updated_at: dt.datetime
    next_steps: list[str] = Field(description="The actions the caller may take now.")


class ApplicationPage(Schema):
    items: list[ApplicationOut]
    next: str | None


class ApplyIn(Schema):
    opportunity: Id
    statement: str = Field(max_length=applications.STATEMENT_LIMIT)

    @field_validator("statement")
    @classmethod
    def storable(cls, value: str) -> str:
        return storable(value)


class InterviewIn(Schema):
    notes: str = Field(max_length=applications.NOTES_LIMIT)

    @field_validator("notes")
    @classmethod
    def storable(cls, value: str) -> str:
        return storable(value)


class DeclineIn(Schema):
    reason: str = Field(max_length=applications.REASON_LIMIT)

    @field_validator("reason")
    @classmethod
    def storable(cls, value: str) -> str:
        return storable(value)


class HostFilter(Schema):
    opportunity: int | None = Field(None, ge=1, le=2**63 - 1)


def _out(actor, application: Application) -> dict:
    steps = applications.next_steps(actor, application)
    host = access.may_decide_application(actor, application)
    opportunity = application.opportunity
    return {
        "id": application.pk,
        "opportunity": {"id": opportunity.pk, "title": opportunity.title, "host": opportunity.host},
        "applicant": f"{application.applicant.given_name} {application.applicant.family_name}",
        "home_organisation": application.home_organisation,
        "statement": application.statement,
        "status": application.status,
        "interview_notes": application.interview_notes if host else None,
        "decline_reason": application.decline_reason,
        "created_at": application.created_at,
        "updated_at": application.updated_at,
        "next_steps": [name for name, allowed in steps.items() if allowed],
    }


def _related(queryset):
    return queryset.select_related("opportunity__host", "applicant", "home_organisation")


@router.get("", response={200: ApplicationPage, **ERRORS}, summary="My applications")
def my_applications(request: HttpRequest, page: Query[Pagination]) -> dict:
    """The caller's applications, newest first."""
    actor = person(request)
    result = page_of(_related(access.my_applications(actor)), ORDER, (dt.datetime, int), page)
    return {"items": [_out(actor, a) for a in result["items"]], "next": result["next"]}


@router.get("/hosted", response={200: ApplicationPage, **ERRORS}, summary="Applications to us")
def hosted_applications(
    request: HttpRequest, page: Query[Pagination], filters: Query[HostFilter]
) -> dict:
    """Applications to the acting organisation's opportunities (hosts only), newest first,
    optionally for one opportunity."""
    actor = person(request)
    if not access.may_host(actor):
        raise HttpError(403, NOT_A_HOST)
    found = access.visible_applications(actor).filter(opportunity__host=actor.organisation)
    if filters.opportunity is not None:
        found = found.filter(opportunity_id=filters.opportunity)
    result = page_of(_related(found), ORDER, (dt.datetime, int), page)
    return {"items": [_out(actor, a) for a in result["items"]], "next": result["next"]}


@router.post("", response={201: ApplicationOut, **ERRORS}, summary="Apply")
def apply_for_opportunity(request: HttpRequest, data: ApplyIn) -> Status:
    """Apply to an open opportunity with a statement."""
    actor = person(request)
    opportunity = access.get_opportunity_for(actor, data.opportunity)
    try:
        application = applications.apply(
            actor=actor, opportunity=opportunity, statement=data.statement
        )
    except ValidationError as error:
        raise refused(error) from error
    return Status(201, _out(actor, application))


@router.get("/{pk}", response={200: ApplicationOut, **ERRORS}, summary="An application")
def application_detail(request: HttpRequest, pk: Id) -> dict:
    """One application, for its applicant or its host."""
    actor = person(request)
    return _out(actor, access.get_application_for(actor, pk))


def _act(request: HttpRequest, pk: int, fetch, service, **arguments) -> dict:
    actor = person(request)
    application = fetch(actor, pk)
    try:
        service(actor=actor, application=application, **arguments)
    except ValidationError as error:
        raise refused(error) from error
    return _out(actor, application)


@router.post("/{pk}/withdraw", response={200: ApplicationOut, **ERRORS}, summary="Withdraw")
def withdraw_application(request: HttpRequest, pk: Id) -> dict:
    """The applicant withdraws at any stage."""
    return _act(request, pk, access.get_my_application, applications.withdraw)


@router.post("/{pk}/accept", response={200: ApplicationOut, **ERRORS}, summary="Accept the offer")
def accept_offer(request: HttpRequest, pk: Id) -> dict:
    """The applicant accepts an offer; the opportunity is filled."""
    return _act(request, pk, access.get_my_application, applications.accept)


@router.post("/{pk}/shortlist", response={200: ApplicationOut, **ERRORS}, summary="Shortlist")
def shortlist_application(request: HttpRequest, pk: Id) -> dict:
    """The host shortlists a new application."""
    return _act(request, pk, access.get_hosted_application, applications.shortlist)


@router.post(
    "/{pk}/interview", response={200: ApplicationOut, **ERRORS}, summary="Record an interview"
)
def interview_application(request: HttpRequest, pk: Id, data: InterviewIn) -> dict:
    """The host records interview notes for a shortlisted applicant."""
    return _act(
        request, pk, access.get_hosted_application, applications.record_interview, notes=data.notes
    )


@router.post("/{pk}/offer", response={200: ApplicationOut, **ERRORS}, summary="Offer")
def offer_application(request: HttpRequest, pk: Id) -> dict:
    """The host offers the opportunity to the applicant."""
    return _act(request, pk, access.get_hosted_application, applications.offer)


@router.post("/{pk}/decline", response={200: ApplicationOut, **ERRORS}, summary="Decline")
def decline_application(request: HttpRequest, pk: Id, data: DeclineIn) -> dict:
    """The host declines with a reason the applicant reads."""
    return _act(
        request, pk, access.get_hosted_application, applications.decline, reason=data.reason
    )
