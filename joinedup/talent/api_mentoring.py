"""Mentoring pairs at /api/v1/talent/mentoring: the caller's pairs, a pair's meetings (either
member logs one), and the mentoring lead's matchings.

A pair is read by its two members and the mentoring lead of its partnership (404 for anyone
else); only the members log meetings (403 for the lead). Matchings are the lead's alone (404).
Organisation tokens act for no person and are refused (403).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
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

from . import access, mentoring_services
from .models import MentoringMatching, MentoringPair, MentoringSignup, PairStatus

router = Router(tags=["talent"])

ERRORS = {frozenset({401, 403, 404, 409, 422}): Error}
ORDER = ("-id",)
PAIR_RELATIONS = (
    "mentor__person",
    "mentor__organisation",
    "mentee__person",
    "mentee__organisation",
)
NOT_A_LEAD = "Only the partnership's mentoring lead reads matchings"


class PersonInPair(Schema):
    signup: int
    name: str
    organisation: OrganisationRef
    sector: str


class PairOut(Schema):
    id: int
    matching: int
    status: str
    mentee: PersonInPair
    mentor: PersonInPair
    fit: float = Field(description="The pair's fit in points (see docs/TALENT.md).")
    reasons: list[str]
    ended_at: dt.datetime | None
    end_reason: str


class PairPage(Schema):
    items: list[PairOut]
    next: str | None


class MeetingOut(Schema):
    id: int
    met_on: dt.date
    minutes: int
    notes: str
    logged_by: int | None
    logged_at: dt.datetime


class MeetingPage(Schema):
    items: list[MeetingOut]
    next: str | None


class MeetingIn(Schema):
    met_on: dt.date
    minutes: int = Field(ge=1, le=mentoring_services.MINUTES_LIMIT)
    notes: str = Field("", max_length=mentoring_services.NOTES_LIMIT)

    _notes_storable = field_validator("notes")(storable)


class MatchingOut(Schema):
    id: int
    status: str
    total_fit: float
    unmatched_mentees: int
    created_at: dt.datetime
    published_at: dt.datetime | None


class MatchingPage(Schema):
    items: list[MatchingOut]
    next: str | None


class MatchingDetail(MatchingOut):
    pairs: list[PairOut] = Field(description="Its pairs, best fit first (at most 5,000).")


def _person(actor: Actor) -> None:
    if actor.person is None:
        raise HttpError(403, NOT_A_PERSON)


def _refusal(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field} (body): {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def _side(signup: MentoringSignup) -> dict:
    return {
        "signup": signup.pk,
        "name": signup.person.full_name,
        "organisation": signup.organisation,
        "sector": signup.organisation.get_sector_display(),
    }


def _pair(pair: MentoringPair) -> dict:
    return {
        "id": pair.pk,
        "matching": pair.matching_id,
        "status": pair.status,
        "mentee": _side(pair.mentee),
        "mentor": _side(pair.mentor),
        "fit": float(pair.fit),
        "reasons": list(pair.reasons),
        "ended_at": pair.ended_at,
        "end_reason": pair.end_reason,
    }


def _meeting(meeting) -> dict:
    return {
        "id": meeting.pk,
        "met_on": meeting.met_on,
        "minutes": meeting.minutes,
        "notes": meeting.notes,
        "logged_by": meeting.logged_by_id,
        "logged_at": meeting.logged_at,
    }


def _matching(matching: MentoringMatching) -> dict:
    return {
        "id": matching.pk,
        "status": matching.status,
        "total_fit": float(matching.total_fit),
        "unmatched_mentees": matching.unmatched_mentees,
        "created_at": matching.created_at,
        "published_at": matching.published_at,
    }


@router.get("/pairs", response={200: PairPage, **ERRORS}, summary="My mentoring pairs")
def mentoring_pairs(request: HttpRequest, page: Query[Pagination]) -> dict:
    """The caller's published pairs, as mentor or mentee (active and ended), newest first."""
    actor: Actor = request.auth
    _person(actor)
    mine = (
        access.visible_mentoring_pairs(actor)
        .filter(Q(mentor__person_id=actor.person_id) | Q(mentee__person_id=actor.person_id))
        .exclude(status=PairStatus.PROPOSED)
        .select_related(*PAIR_RELATIONS)
    )
    result = page_of(mine, ORDER, (int,), page)
    return {"items": [_pair(pair) for pair in result["items"]], "next": result["next"]}


@router.get("/pairs/{pk}", response={200: PairOut, **ERRORS}, summary="A mentoring pair")
def mentoring_pair(request: HttpRequest, pk: Id) -> dict:
    """One pair: its members, their organisations and sectors, fit and reasons."""
    actor: Actor = request.auth
    _person(actor)
    return _pair(access.get_mentoring_pair_for(actor, pk))


@router.get(
    "/pairs/{pk}/meetings", response={200: MeetingPage, **ERRORS}, summary="A pair's meetings"
)
def mentoring_pair_meetings(request: HttpRequest, pk: Id, page: Query[Pagination]) -> dict:
    """The meetings the pair logged, newest first."""
    actor: Actor = request.auth
    _person(actor)
    pair = access.get_mentoring_pair_for(actor, pk)
    result = page_of(pair.meetings.all(), ORDER, (int,), page)
    return {"items": [_meeting(m) for m in result["items"]], "next": result["next"]}


@router.post("/pairs/{pk}/meetings", response={201: MeetingOut, **ERRORS}, summary="Log a meeting")
def log_mentoring_meeting(request: HttpRequest, pk: Id, data: MeetingIn) -> Status:
    """Either member logs a meeting of an active pair (409 once it has ended)."""
    actor: Actor = request.auth
    _person(actor)
    pair = access.get_mentoring_pair_for(actor, pk)
    try:
        meeting = mentoring_services.log_meeting(actor=actor, pair=pair, **data.dict())
    except PermissionDenied as error:
        raise HttpError(403, "Only the pair's mentor and mentee log its meetings") from error
    except ValidationError as error:
        status = 422 if hasattr(error, "error_dict") else 409
        raise HttpError(status, _refusal(error)) from error
    return Status(201, _meeting(meeting))


def _lead(actor: Actor) -> None:
    _person(actor)
    if not access.may_lead_mentoring(actor):
        raise HttpError(403, NOT_A_LEAD)


@router.get("/matchings", response={200: MatchingPage, **ERRORS}, summary="Mentoring matchings")
def mentoring_matchings(request: HttpRequest, page: Query[Pagination]) -> dict:
    """The matchings of the partnerships whose mentoring lead the caller is, newest first."""
    actor: Actor = request.auth
    _lead(actor)
    result = page_of(access.visible_mentoring_matchings(actor), ORDER, (int,), page)
    return {"items": [_matching(m) for m in result["items"]], "next": result["next"]}


@router.get(
    "/matchings/{pk}", response={200: MatchingDetail, **ERRORS}, summary="A mentoring matching"
)
def mentoring_matching(request: HttpRequest, pk: Id) -> dict:
    """One matching with its pairs (proposed, active or ended), best fit first."""
    actor: Actor = request.auth
    _person(actor)
    matching = access.get_mentoring_matching_for(actor, pk)
    pairs = matching.pairs.select_related(*PAIR_RELATIONS).order_by("-fit", "pk")[:5_000]
    return {**_matching(matching), "pairs": [_pair(pair) for pair in pairs]}
