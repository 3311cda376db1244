"""API operations for opportunities, at /api/v1/talent/opportunities: the search (cursor pages),
one opportunity, recommended for me, and for hosts creating, changing, closing, reopening and
withdrawing, and the people who might fit.

Everything here acts as a person (organisation tokens are refused, 403). Anyone in the
partnership reads its opportunities; only the host organisation's L&D leads and organisation
admins write them (403 for a visible opportunity of another organisation, 404 when unseen).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import field_validator

from joinedup.partnership.actor import Actor
from joinedup.partnership.api import (
    NOT_A_PERSON,
    Error,
    Id,
    OrganisationRef,
    Pagination,
    page_of,
    storable,
)

from . import access, opportunities, recommendations
from .models import Opportunity

router = Router(tags=["talent"])

ERRORS = {frozenset({401, 403, 404, 409, 422}): Error}
SEARCH_ORDER = ("closes_on", "id")
NOT_A_HOST = "Only the acting organisation's L&D leads and organisation admins host opportunities"


class OpportunityOut(Schema):
    id: int
    host: OrganisationRef
    kind: str
    title: str
    description: str
    essential_skills: list[str]
    desirable_skills: list[str]
    seniority_min: int
    seniority_max: int
    starts_on: dt.date
    duration_months: int
    time_share: int = Field(description="Per cent of working time (100 is full time).")
    location: str
    remote: bool
    closes_on: dt.date
    audience: str
    audience_organisations: list[int]
    audience_sectors: list[str]
    status: str


class OpportunityPage(Schema):
    items: list[OpportunityOut]
    next: str | None


class Filters(Schema):
    kind: str = Field("", max_length=40)
    host: int | None = Field(None, ge=1, le=2**63 - 1)
    sector: str = Field("", max_length=40)
    q: str = Field("", max_length=200, description="Words in the title or description.")
    remote: bool | None = None

    @field_validator("kind", "sector", "q")
    @classmethod
    def storable(cls, value: str) -> str:
        return storable(value)


class ScoredOpportunity(Schema):
    opportunity: OpportunityOut
    score: float = Field(description="Fit out of 100.")
    reasons: list[str]


class Candidate(Schema):
    profile: int
    person: str
    organisation: OrganisationRef | None
    headline: str
    score: float = Field(description="Fit out of 100.")
    reasons: list[str]


class OpportunityIn(Schema):
    kind: str = Field(max_length=40)
    title: str = Field(max_length=200)
    description: str = Field(max_length=10_000)
    essential_skills: list[str] = Field(default_factory=list, max_length=opportunities.MAX_SKILLS)
    desirable_skills: list[str] = Field(default_factory=list, max_length=opportunities.MAX_SKILLS)
    seniority_min: int = Field(1, ge=1, le=9)
    seniority_max: int = Field(9, ge=1, le=9)
    starts_on: dt.date
    duration_months: int = Field(ge=1, le=opportunities.MAX_DURATION_MONTHS)
    time_share: int = Field(100, ge=1, le=100)
    location: str = Field("", max_length=200)
    remote: bool = False
    closes_on: dt.date
    audience: str = Field("partnership", max_length=20)
    audience_organisations: list[int] = Field(default_factory=list, max_length=200)
    audience_sectors: list[str] = Field(default_factory=list, max_length=20)

    @field_validator("kind", "title", "description", "location", "audience")
    @classmethod
    def storable(cls, value: str) -> str:
        return storable(value)

    @field_validator("essential_skills", "desirable_skills", "audience_sectors")
    @classmethod
    def storable_names(cls, value: list[str]) -> list[str]:
        return [storable(name) for name in value]


class OpportunityChange(Schema):
    kind: str | None = Field(None, max_length=40)
    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=10_000)
    essential_skills: list[str] | None = Field(None, max_length=opportunities.MAX_SKILLS)
    desirable_skills: list[str] | None = Field(None, max_length=opportunities.MAX_SKILLS)
    seniority_min: int | None = Field(None, ge=1, le=9)
    seniority_max: int | None = Field(None, ge=1, le=9)
    starts_on: dt.date | None = None
    duration_months: int | None = Field(None, ge=1, le=opportunities.MAX_DURATION_MONTHS)
    time_share: int | None = Field(None, ge=1, le=100)
    location: str | None = Field(None, max_length=200)
    remote: bool | None = None
    closes_on: dt.date | None = None
    audience: str | None = Field(None, max_length=20)
    audience_organisations: list[int] | None = Field(None, max_length=200)
    audience_sectors: list[str] | None = Field(None, max_length=20)

    @field_validator("kind", "title", "description", "location", "audience")
    @classmethod
    def storable(cls, value: str | None) -> str | None:
        return None if value is None else storable(value)

    @field_validator("essential_skills", "desirable_skills", "audience_sectors")
    @classmethod
    def storable_names(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else [storable(name) for name in value]


def person(request: HttpRequest) -> Actor:
    """The caller, who must act as a person."""
    actor: Actor = request.auth
    if actor.person is None:
        raise HttpError(403, NOT_A_PERSON)
    return actor


def refusal(error: ValidationError) -> str:
    """A service's refusal as one line, each bad field named."""
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field} (body): {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def refused(error: ValidationError) -> HttpError:
    """422 for bad fields, 409 for a state that forbids the change."""
    return HttpError(422 if hasattr(error, "error_dict") else 409, refusal(error))


def opportunity_out(opportunity: Opportunity) -> dict:
    """An opportunity in the API's shape (its skills prefetched or read)."""
    wanted = list(opportunity.opportunity_skills.all())
    return {
        "id": opportunity.pk,
        "host": opportunity.host,
        "essential_skills": sorted(w.skill.name for w in wanted if w.essential),
        "desirable_skills": sorted(w.skill.name for w in wanted if not w.essential),
        "audience_organisations": sorted(o.pk for o in opportunity.audience_organisations.all()),
        "audience_sectors": list(opportunity.audience_sectors),
        "status": opportunity.status,
        **{field: getattr(opportunity, field) for field in opportunities.FIELDS},
    }


def _with_lists(queryset):
    return queryset.select_related("host").prefetch_related(
        "opportunity_skills__skill", "audience_organisations"
    )


@router.get("", response={200: OpportunityPage, **ERRORS}, summary="Search opportunities")
def list_opportunities(
    request: HttpRequest, page: Query[Pagination], filters: Query[Filters]
) -> dict:
    """Open opportunities of the caller's partnerships, closing soonest first, filtered by kind,
    host organisation, the host's sector, words and remote working."""
    actor = person(request)
    found = recommendations.search_opportunities(
        actor,
        kind=filters.kind,
        host=filters.host,
        sector=filters.sector,
        text=filters.q,
        remote=filters.remote,
    )
    result = page_of(_with_lists(found), SEARCH_ORDER, (dt.date, int), page)
    return {"items": [opportunity_out(o) for o in result["items"]], "next": result["next"]}


@router.get(
    "/recommended",
    response={200: list[ScoredOpportunity], **ERRORS},
    summary="Opportunities recommended for me",
)
def recommended_opportunities(request: HttpRequest) -> list[dict]:
    """Open opportunities the caller may apply for, best fit first, each with its reasons."""
    actor = person(request)
    return [
        {
            "opportunity": opportunity_out(item.opportunity),
            "score": item.scored.percent,
            "reasons": list(item.scored.reasons),
        }
        for item in recommendations.recommended_for(actor)
    ]


@router.get("/{pk}", response={200: OpportunityOut, **ERRORS}, summary="An opportunity")
def opportunity_detail(request: HttpRequest, pk: Id) -> dict:
    """One opportunity the caller sees."""
    return opportunity_out(access.get_opportunity_for(person(request), pk))


@router.get(
    "/{pk}/candidates",
    response={200: list[Candidate], **ERRORS},
    summary="People who might fit (hosts)",
)
def opportunity_candidates(request: HttpRequest, pk: Id) -> list[dict]:
    """The host's best 50 discoverable profiles of the partnership for the opportunity, with
    reasons; the host's own staff are left out."""
    actor = person(request)
    opportunity = access.get_managed_opportunity(actor, pk)
    return [
        {
            "profile": fit.profile.pk,
            "person": f"{fit.profile.person.given_name} {fit.profile.person.family_name}",
            "organisation": fit.profile.organisation,
            "headline": fit.profile.headline,
            "score": fit.scored.percent,
            "reasons": list(fit.scored.reasons),
        }
        for fit in recommendations.people_who_might_fit(actor, opportunity)
    ]


@router.post("", response={201: OpportunityOut, **ERRORS}, summary="Offer an opportunity")
def create_opportunity(request: HttpRequest, data: OpportunityIn) -> Status:
    """Offer an opportunity of the acting organisation, open at once (hosts only)."""
    actor = person(request)
    try:
        opportunity = opportunities.create_opportunity(actor=actor, **data.dict())
    except PermissionDenied as error:
        raise HttpError(403, NOT_A_HOST) from error
    except ValidationError as error:
        raise refused(error) from error
    return Status(201, opportunity_out(opportunity))


@router.patch("/{pk}", response={200: OpportunityOut, **ERRORS}, summary="Change an opportunity")
def change_opportunity(request: HttpRequest, pk: Id, data: OpportunityChange) -> dict:
    """Change an open or closed opportunity of the acting organisation; fields left out keep
    their values."""
    actor = person(request)
    opportunity = access.get_managed_opportunity(actor, pk)
    try:
        opportunities.update_opportunity(
            actor=actor, opportunity=opportunity, **data.dict(exclude_unset=True)
        )
    except ValidationError as error:
        raise refused(error) from error
    return opportunity_out(opportunity)


def _end(request: HttpRequest, pk: int, service) -> dict:
    actor = person(request)
    opportunity = access.get_managed_opportunity(actor, pk)
    try:
        service(actor=actor, opportunity=opportunity)
    except ValidationError as error:
        raise refused(error) from error
    return opportunity_out(opportunity)


@router.post("/{pk}/close", response={200: OpportunityOut, **ERRORS}, summary="Close")
def close_opportunity(request: HttpRequest, pk: Id) -> dict:
    """Stop taking applications; live applications carry on to a decision."""
    return _end(request, pk, opportunities.close_opportunity)


@router.post("/{pk}/reopen", response={200: OpportunityOut, **ERRORS}, summary="Reopen")
def reopen_opportunity(request: HttpRequest, pk: Id) -> dict:
    """Take applications again on a closed opportunity whose closing date has not passed."""
    return _end(request, pk, opportunities.reopen_opportunity)


@router.post("/{pk}/withdraw", response={200: OpportunityOut, **ERRORS}, summary="Withdraw")
def withdraw_opportunity(request: HttpRequest, pk: Id) -> dict:
    """Withdraw the opportunity: only the host sees it afterwards."""
    return _end(request, pk, opportunities.withdraw_opportunity)
