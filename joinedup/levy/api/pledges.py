"""API operations for pledges and applications to them.

Everything is fetched through `levy.access` and every write goes through `levy.pledges`, so the
API shows and allows what the pages do: a pledge for the readers of its organisation's levy
figures and, while open, for partners' levy officers and admins; an application for the readers
of the sender's and the applicant's figures. Only the sender's levy officer makes pledges and
decides; only the applicant's levy officer applies and answers. Organisation tokens never act as a
person, so every write refuses them with 403 (and they read no levy figures). A refusal by the
rules is a 409 saying why. Amounts are decimal strings in pounds, to the penny.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import field_validator

from joinedup.partnership.actor import Actor
from joinedup.partnership.api import NOT_A_PERSON, Error, Id, OrganisationRef, Pagination, page_of
from joinedup.partnership.models import Sector

from .. import access, pledges, services
from ..models import ApprovalMode, Pledge, PledgeApplication
from ..pledge_forms import MAX_APPRENTICES, MAX_DURATION_MONTHS

router = Router(tags=["levy"])

ERRORS = {frozenset({401, 403, 404, 409, 422}): Error}
PLEDGE_ORDER = ("-created_at", "-id")
APPLICATION_ORDER = ("-applied_at", "-id")
NOT_A_LEVY_OFFICER = "Only the organisation's levy officer makes pledges"
NOT_THE_SENDER = "Only the sending organisation's levy officer decides on applications"
NOT_THE_APPLICANT = "Only the applying organisation's levy officer answers for its application"
NO_ACCOUNT = "Your organisation has no levy account, so it has no transfer allowance to pledge"


def _penny(amount: Decimal) -> Decimal:
    return amount.quantize(pledges.PENNY)


def _text(value: str) -> str:
    """Databases refuse NUL characters: name the field rather than fail."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value.strip()


class PledgeOut(Schema):
    id: int
    organisation: OrganisationRef = Field(description="The sending organisation.")
    amount: Decimal
    remaining: Decimal
    status: str
    approval_mode: ApprovalMode
    sectors: list[str] = Field(description="Empty accepts any sector.")
    levels: list[int] = Field(description="Empty accepts any level.")
    job_roles: list[str] = Field(description="Empty accepts any job role.")
    locations: list[str] = Field(description="Empty accepts any location.")
    note: str
    created_at: dt.datetime


class PledgePage(Schema):
    items: list[PledgeOut]
    next: str | None


class PledgeIn(Schema):
    amount: Decimal = Field(
        gt=0,
        max_digits=14,
        decimal_places=2,
        description="At least the minimum (£2,000), at most the remaining allowance.",
    )
    sectors: list[Sector] = Field(default_factory=list, max_length=len(Sector.choices))
    levels: list[int] = Field(default_factory=list, max_length=6)
    job_roles: list[str] = Field(default_factory=list, max_length=50)
    locations: list[str] = Field(default_factory=list, max_length=50)
    approval_mode: ApprovalMode = ApprovalMode.MANUAL
    note: str = Field("", max_length=2000)

    @field_validator("job_roles", "locations")
    @classmethod
    def _texts(cls, values: list[str]) -> list[str]:
        if any(len(value) > 200 for value in values):
            raise ValueError("each must be at most 200 characters")
        return [_text(value) for value in values]

    _note = field_validator("note")(_text)


class ApplicationOut(Schema):
    id: int
    pledge: int
    organisation: OrganisationRef = Field(description="The applying organisation.")
    sender: OrganisationRef = Field(description="The pledge's organisation.")
    standard_code: str
    standard_title: str
    level: int
    sector: str
    job_role: str
    location: str
    apprentices: int
    duration_months: int
    funding_band: Decimal
    start_month: str = Field(description="YYYY-MM")
    match_score: int = Field(description="Per cent of the pledge's criteria met.")
    first_year_cost: Decimal = Field(description="What approval takes off the pledge.")
    status: str
    reason: str
    applied_at: dt.datetime
    decided_at: dt.datetime | None
    accepted_at: dt.datetime | None


class ApplicationPage(Schema):
    items: list[ApplicationOut]
    next: str | None


class ApplicationIn(Schema):
    standard_code: str = Field("", max_length=10)
    standard_title: str = Field(min_length=1, max_length=200)
    level: int = Field(ge=2, le=7)
    sector: Sector | None = Field(None, description="Leave out for your organisation's sector.")
    job_role: str = Field(min_length=1, max_length=200)
    location: str = Field(min_length=1, max_length=200)
    apprentices: int = Field(ge=1, le=MAX_APPRENTICES)
    duration_months: int = Field(ge=1, le=MAX_DURATION_MONTHS)
    funding_band: Decimal = Field(gt=0, max_digits=14, decimal_places=2)
    start_month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")

    _texts = field_validator("standard_code", "standard_title", "job_role", "location")(_text)


class RejectIn(Schema):
    reason: str = Field(min_length=1, max_length=500)

    _reason = field_validator("reason")(_text)


def _pledge(pledge: Pledge) -> dict:
    return {
        "id": pledge.pk,
        "organisation": pledge.account.organisation,
        "amount": _penny(pledge.amount),
        "remaining": _penny(pledge.remaining),
        "status": pledge.status,
        "approval_mode": pledge.approval_mode,
        "sectors": pledge.sectors,
        "levels": pledge.levels,
        "job_roles": pledge.job_roles,
        "locations": pledge.locations,
        "note": pledge.note,
        "created_at": pledge.created_at,
    }


def _application(application: PledgeApplication) -> dict:
    return {
        "id": application.pk,
        "pledge": application.pledge_id,
        "organisation": application.account.organisation,
        "sender": application.pledge.account.organisation,
        "standard_code": application.standard_code,
        "standard_title": application.standard_title,
        "level": application.level,
        "sector": application.sector,
        "job_role": application.job_role,
        "location": application.location,
        "apprentices": application.apprentices,
        "duration_months": application.duration_months,
        "funding_band": _penny(application.funding_band),
        "start_month": f"{application.start_month:%Y-%m}",
        "match_score": application.match_score,
        "first_year_cost": _penny(application.first_year_cost),
        "status": application.status,
        "reason": application.reason,
        "applied_at": application.applied_at,
        "decided_at": application.decided_at,
        "accepted_at": application.accepted_at,
    }


def _person(request: HttpRequest) -> Actor:
    actor: Actor = request.auth
    if actor.person is None:
        raise HttpError(403, NOT_A_PERSON)
    return actor


@router.get("/pledges", response={200: PledgePage, **ERRORS}, summary="List pledges")
def list_pledges(request: HttpRequest, page: Query[Pagination]) -> dict:
    """Pledges the caller sees: their organisation's, and partners' open ones, newest first."""
    actor: Actor = request.auth
    visible = access.visible_pledges(actor).select_related("account__organisation")
    result = page_of(visible, PLEDGE_ORDER, (dt.datetime, int), page)
    return {"items": [_pledge(pledge) for pledge in result["items"]], "next": result["next"]}


@router.get("/pledges/{pk}", response={200: PledgeOut, **ERRORS}, summary="A pledge")
def pledge_detail(request: HttpRequest, pk: Id) -> dict:
    """One pledge the caller sees: its criteria and what remains of it."""
    return _pledge(access.get_pledge_for(request.auth, pk))


@router.post("/pledges", response={201: PledgeOut, **ERRORS}, summary="Make a pledge")
def create_pledge(request: HttpRequest, data: PledgeIn) -> Status:
    """Pledge part of your organisation's transfer allowance (its levy officer only)."""
    actor = _person(request)
    if not access.is_levy_officer(actor):
        raise HttpError(403, NOT_A_LEVY_OFFICER)
    account = access.own_account(actor)
    if account is None:
        raise HttpError(409, NO_ACCOUNT)
    try:
        pledge = pledges.create_pledge(actor=actor, account=account, **data.model_dump())
    except pledges.PledgeRefused as refusal:
        raise HttpError(409, str(refusal)) from refusal
    return Status(201, _pledge(pledge))


@router.post(
    "/pledges/{pk}/applications",
    response={201: ApplicationOut, **ERRORS},
    summary="Apply for part of a pledge",
)
def apply_to_pledge(request: HttpRequest, pk: Id, data: ApplicationIn) -> Status:
    """Apply for part of a partner's open pledge (your organisation's levy officer only).

    The application is scored against the pledge's criteria and costed for its first year; on a
    pledge approving 100% matches at once, a full match it can afford comes back approved.
    """
    actor = _person(request)
    pledge = access.get_pledge_for(actor, pk)
    if not access.may_apply_to(actor, pledge):
        raise HttpError(403, "Only a partner's levy officer applies, to an open pledge")
    fields = data.model_dump()
    year, month = fields.pop("start_month").split("-")
    fields["sector"] = fields["sector"] or actor.organisation.sector
    account = access.own_account(actor) or services.open_account(
        actor=actor, organisation=actor.organisation
    )
    try:
        application = pledges.apply_to_pledge(
            actor=actor,
            pledge=pledge,
            account=account,
            start_month=dt.date(int(year), int(month), 1),
            **fields,
        )
    except pledges.PledgeRefused as refusal:
        raise HttpError(409, str(refusal)) from refusal
    return Status(201, _application(application))


@router.get(
    "/pledge-applications",
    response={200: ApplicationPage, **ERRORS},
    summary="List applications to pledges",
)
def list_pledge_applications(request: HttpRequest, page: Query[Pagination]) -> dict:
    """Applications the caller's organisation made, or made to its pledges, newest first."""
    actor: Actor = request.auth
    visible = access.visible_applications(actor).select_related(
        "account__organisation", "pledge__account__organisation"
    )
    result = page_of(visible, APPLICATION_ORDER, (dt.datetime, int), page)
    items = [_application(application) for application in result["items"]]
    return {"items": items, "next": result["next"]}


@router.get(
    "/pledge-applications/{pk}",
    response={200: ApplicationOut, **ERRORS},
    summary="An application to a pledge",
)
def pledge_application_detail(request: HttpRequest, pk: Id) -> dict:
    """One application the caller sees, with its match score, first-year cost and status."""
    return _application(access.get_application_for(request.auth, pk))


def _decide(request: HttpRequest, pk: int, *, deciding: bool, action) -> dict:
    """Fetch the application, check who may act, and act; a refusal by the rules is a 409."""
    actor = _person(request)
    application = access.get_application_for(actor, pk)
    if deciding and not access.may_decide_application(actor, application):
        raise HttpError(403, NOT_THE_SENDER)
    if not deciding and not access.may_answer_application(actor, application):
        raise HttpError(403, NOT_THE_APPLICANT)
    try:
        action(actor, application)
    except pledges.PledgeRefused as refusal:
        raise HttpError(409, str(refusal)) from refusal
    return _application(access.get_application_for(actor, pk))


@router.post(
    "/pledge-applications/{pk}/approve",
    response={200: ApplicationOut, **ERRORS},
    summary="Approve an application",
)
def approve_pledge_application(request: HttpRequest, pk: Id) -> dict:
    """The sender's levy officer approves: the first-year cost comes off the pledge."""
    return _decide(
        request,
        pk,
        deciding=True,
        action=lambda actor, a: pledges.approve_application(actor=actor, application=a),
    )


@router.post(
    "/pledge-applications/{pk}/reject",
    response={200: ApplicationOut, **ERRORS},
    summary="Reject an application",
)
def reject_pledge_application(request: HttpRequest, pk: Id, data: RejectIn) -> dict:
    """The sender's levy officer rejects a pending application, saying why."""
    return _decide(
        request,
        pk,
        deciding=True,
        action=lambda actor, a: pledges.reject_application(
            actor=actor, application=a, reason=data.reason
        ),
    )


@router.post(
    "/pledge-applications/{pk}/accept",
    response={200: ApplicationOut, **ERRORS},
    summary="Accept an approved application",
)
def accept_pledge_application(request: HttpRequest, pk: Id) -> dict:
    """The applicant's levy officer accepts an approval: the transfer is recorded."""
    return _decide(
        request,
        pk,
        deciding=False,
        action=lambda actor, a: pledges.accept_approval(actor=actor, application=a),
    )


@router.post(
    "/pledge-applications/{pk}/decline",
    response={200: ApplicationOut, **ERRORS},
    summary="Decline an approved application",
)
def decline_pledge_application(request: HttpRequest, pk: Id) -> dict:
    """The applicant's levy officer declines an approval: its cost goes back to the pledge."""
    return _decide(
        request,
        pk,
        deciding=False,
        action=lambda actor, a: pledges.decline_approval(actor=actor, application=a),
    )


@router.post(
    "/pledge-applications/{pk}/withdraw",
    response={200: ApplicationOut, **ERRORS},
    summary="Withdraw a pending application",
)
def withdraw_pledge_application(request: HttpRequest, pk: Id) -> dict:
    """The applicant's levy officer withdraws an application still waiting for a decision."""
    return _decide(
        request,
        pk,
        deciding=False,
        action=lambda actor, a: pledges.withdraw_application(actor=actor, application=a),
    )
