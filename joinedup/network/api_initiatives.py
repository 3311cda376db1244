"""API operations for the initiatives register, at /api/v1/network/initiatives: the register
(filtered cursor pages), one initiative with its partners, sponsors, places, learning reviews and
adoptions, recording and changing an initiative, and its learning reviews (list and record).

Everything is fetched through `network.access`, so the API shows what the pages show: anyone
acting for an organisation of the initiative's partnership reads it (organisation tokens too,
with their read scope); 404 outside. Writes go through the same services as the pages
(`initiatives.record` and `change`, `reviews.add_review`) and act as a person: organisation tokens
are refused with 403. A refused field is a 422 naming it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
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

from . import access, fields, initiatives, reviews
from .models import (
    Adoption,
    Initiative,
    InitiativePartner,
    InitiativeSponsor,
    LearningReview,
)

router = Router(tags=["network"])

ERRORS = {frozenset({401, 403, 404, 409, 422}): Error}
ORDER = ("title", "id")
REVIEW_ORDER = ("-reviewed_on", "-id")
BRINGS = tuple(initiatives.BRINGS)
NOT_A_REVIEWER = (
    "Only people acting for the initiative's owner or a partner listed on it, and the "
    "partnership lead, write its learning reviews"
)
NOT_AN_EDITOR = (
    "Only the person who recorded it, an organisation admin or L&D lead of its owner, and the "
    "partnership lead change an initiative"
)


# --- Schemas ------------------------------------------------------------------------------------


class PersonRef(Schema):
    id: int
    name: str


class MissionOut(Schema):
    id: int
    name: str


class PlaceOut(Schema):
    gss_code: str
    name: str


class PartnerOut(Schema):
    organisation: OrganisationRef | None = Field(description="A member of the partnership.")
    organisation_name: str = Field(description="The name of any other organisation.")
    level: str
    brings: list[str]
    contribution: str


class SponsorOut(Schema):
    organisation: OrganisationRef | None
    organisation_name: str
    person: PersonRef | None
    role: str


class EvidenceOut(Schema):
    title: str
    link: str = Field(description="The link, for a link; empty for a library material.")
    material: int | None = Field(description="The library material's id, for a material.")


class MeasureOut(Schema):
    name: str
    value: str = Field(description="A decimal number, as text.")
    unit: str
    measured_on: dt.date


class ReviewOut(Schema):
    id: int
    initiative: int
    organisation: OrganisationRef
    author: PersonRef | None
    reviewed_on: dt.date
    what_worked: str
    what_did_not: str
    place_history: str
    place_geography: str
    place_relationships: str
    frontline_buy_in: str
    frontline_buy_in_notes: str
    reporting_burden: str
    reporting_burden_notes: str
    evidence: list[EvidenceOut]
    measures: list[MeasureOut]


class AdoptionOut(Schema):
    id: int
    organisation: OrganisationRef
    place: PlaceOut | None
    adopted_on: dt.date
    local_changes: str
    lessons: str


class InitiativeOut(Schema):
    id: int
    title: str
    summary: str
    problem: str
    problem_detail: str
    missions: list[MissionOut]
    levels: list[str]
    sectors: list[str]
    places: list[PlaceOut]
    owner: OrganisationRef
    partners: list[PartnerOut]
    sponsors: list[SponsorOut]
    started_on: dt.date | None
    ended_on: dt.date | None
    status: str
    funding_amount: str | None = Field(description="Pounds, a decimal number as text.")
    funding_source: str
    is_public: bool


class InitiativeDetail(InitiativeOut):
    reviews: list[ReviewOut]
    adoptions: list[AdoptionOut]


class InitiativePage(Schema):
    items: list[InitiativeOut]
    next: str | None


class ReviewPage(Schema):
    items: list[ReviewOut]
    next: str | None


class Filters(Schema):
    q: str = Field("", max_length=200, description="Words in the title, summary or root cause.")
    problem: str = Field("", max_length=30)
    mission: int | None = Field(None, ge=1, le=2**63 - 1)
    status: str = Field("", max_length=20)
    sector: str = Field("", max_length=40)
    level: str = Field("", max_length=20)
    place: str = Field("", max_length=100, description="A GSS code or a local authority's name.")

    @field_validator("q", "problem", "status", "sector", "level", "place")
    @classmethod
    def storable(cls, value: str) -> str:
        return storable(value)


class PartnerIn(Schema):
    organisation: int | None = Field(None, ge=1, le=2**63 - 1)
    organisation_name: str = Field("", max_length=200)
    level: str = Field("", max_length=20)
    brings: list[str] = Field(default_factory=list, max_length=len(BRINGS))
    contribution: str = Field("", max_length=2_000)

    @field_validator("organisation_name", "level", "contribution")
    @classmethod
    def storable(cls, value: str) -> str:
        return storable(value)


class SponsorIn(Schema):
    organisation: int | None = Field(None, ge=1, le=2**63 - 1)
    organisation_name: str = Field("", max_length=200)
    person: int | None = Field(None, ge=1, le=2**63 - 1)
    role: str = Field("", max_length=200)

    @field_validator("organisation_name", "role")
    @classmethod
    def storable(cls, value: str) -> str:
        return storable(value)


class InitiativeIn(Schema):
    partnership: int | None = Field(
        None, ge=1, le=2**63 - 1, description="Needed only if your organisation is in several."
    )
    title: str = Field(max_length=200)
    summary: str = Field(max_length=10_000)
    problem: str = Field(max_length=30)
    problem_detail: str = Field("", max_length=5_000)
    missions: list[int] = Field(default_factory=list, max_length=50)
    levels: list[str] = Field(default_factory=list, max_length=10)
    sectors: list[str] = Field(default_factory=list, max_length=20)
    places: list[str] = Field(default_factory=list, max_length=400, description="GSS codes.")
    partners: list[PartnerIn] = Field(default_factory=list, max_length=50)
    sponsors: list[SponsorIn] = Field(default_factory=list, max_length=20)
    started_on: dt.date | None = None
    ended_on: dt.date | None = None
    status: str = Field(max_length=20)
    funding_amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    funding_source: str = Field("", max_length=200)
    is_public: bool = False

    @field_validator("title", "summary", "problem", "problem_detail", "status", "funding_source")
    @classmethod
    def storable(cls, value: str) -> str:
        return storable(value)

    @field_validator("levels", "sectors", "places")
    @classmethod
    def storable_names(cls, value: list[str]) -> list[str]:
        return [storable(name) for name in value]


class EvidenceIn(Schema):
    title: str = Field(max_length=200)
    link: str = Field("", max_length=500, description="https:// or http://; or give material.")
    material: int | None = Field(None, ge=1, le=2**63 - 1, description="A library material.")

    @field_validator("title", "link")
    @classmethod
    def storable(cls, value: str) -> str:
        return storable(value)


class MeasureIn(Schema):
    name: str = Field(max_length=200)
    value: Decimal = Field(allow_inf_nan=False)
    unit: str = Field(max_length=50)
    measured_on: dt.date

    @field_validator("name", "unit")
    @classmethod
    def storable(cls, value: str) -> str:
        return storable(value)


class ReviewIn(Schema):
    reviewed_on: dt.date
    what_worked: str = Field(max_length=fields.TEXT_LIMIT)
    what_did_not: str = Field("", max_length=fields.TEXT_LIMIT)
    place_history: str = Field("", max_length=fields.TEXT_LIMIT)
    place_geography: str = Field("", max_length=fields.TEXT_LIMIT)
    place_relationships: str = Field("", max_length=fields.TEXT_LIMIT)
    frontline_buy_in: str = Field("", max_length=10, description="low, medium, high or empty.")
    frontline_buy_in_notes: str = Field("", max_length=fields.TEXT_LIMIT)
    reporting_burden: str = Field("", max_length=10, description="low, medium, high or empty.")
    reporting_burden_notes: str = Field("", max_length=fields.TEXT_LIMIT)
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=reviews.MAX_ROWS)
    measures: list[MeasureIn] = Field(default_factory=list, max_length=reviews.MAX_ROWS)

    @field_validator(
        "what_worked",
        "what_did_not",
        "place_history",
        "place_geography",
        "place_relationships",
        "frontline_buy_in",
        "frontline_buy_in_notes",
        "reporting_burden",
        "reporting_burden_notes",
    )
    @classmethod
    def storable(cls, value: str) -> str:
        return storable(value)


# --- Shapes out ---------------------------------------------------------------------------------


def person(request: HttpRequest) -> Actor:
    """The caller, who must act as a person."""
    actor: Actor = request.auth
    if actor.person is None:
        raise HttpError(403, NOT_A_PERSON)
    return actor


def refused(error: ValidationError) -> HttpError:
    """A service's refusal as a 422, each bad field named."""
    if hasattr(error, "error_dict"):
        detail = "; ".join(
            f"{field} (body): {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
    else:
        detail = " ".join(error.messages)
    return HttpError(422, detail)


def _person(found: Any) -> dict | None:
    return None if found is None else {"id": found.pk, "name": found.full_name}


def _with_lists(found: QuerySet[Initiative]) -> QuerySet[Initiative]:
    return found.select_related("owner_organisation").prefetch_related(
        "missions",
        "levels",
        "sectors",
        "places",
        Prefetch("partners", queryset=InitiativePartner.objects.select_related("organisation")),
        Prefetch(
            "sponsors", queryset=InitiativeSponsor.objects.select_related("organisation", "person")
        ),
    )


def _reviews(found: QuerySet[LearningReview]) -> QuerySet[LearningReview]:
    return found.select_related("organisation", "author").prefetch_related("evidence", "measures")


def initiative_out(initiative: Initiative) -> dict:
    """An initiative in the API's shape (its lists prefetched by `_with_lists`)."""
    amount = initiative.funding_amount
    return {
        "id": initiative.pk,
        "title": initiative.title,
        "summary": initiative.summary,
        "problem": initiative.problem,
        "problem_detail": initiative.problem_detail,
        "missions": [{"id": m.pk, "name": m.name} for m in initiative.missions.all()],
        "levels": sorted(row.level for row in initiative.levels.all()),
        "sectors": sorted(row.sector for row in initiative.sectors.all()),
        "places": [
            {"gss_code": place.gss_code, "name": place.name} for place in initiative.places.all()
        ],
        "owner": initiative.owner_organisation,
        "partners": [
            {
                "organisation": partner.organisation,
                "organisation_name": partner.organisation_name,
                "level": partner.level,
                "brings": [what for what in BRINGS if getattr(partner, f"brings_{what}")],
                "contribution": partner.contribution,
            }
            for partner in initiative.partners.all()
        ],
        "sponsors": [
            {
                "organisation": sponsor.organisation,
                "organisation_name": sponsor.organisation_name,
                "person": _person(sponsor.person),
                "role": sponsor.role,
            }
            for sponsor in initiative.sponsors.all()
        ],
        "started_on": initiative.started_on,
        "ended_on": initiative.ended_on,
        "status": initiative.status,
        "funding_amount": None if amount is None else f"{amount:f}",
        "funding_source": initiative.funding_source,
        "is_public": initiative.is_public,
    }


def review_out(review: LearningReview) -> dict:
    """A learning review in the API's shape (evidence and measures prefetched or read)."""
    return {
        "id": review.pk,
        "initiative": review.initiative_id,
        "organisation": review.organisation,
        "author": _person(review.author),
        **{field: getattr(review, field) for field in reviews.FIELDS},
        "evidence": [
            {"title": row.title, "link": row.url, "material": row.material_id}
            for row in review.evidence.all()
        ],
        "measures": [
            {
                "name": row.name,
                "value": f"{row.value.normalize():f}",
                "unit": row.unit,
                "measured_on": row.measured_on,
            }
            for row in review.measures.all()
        ],
    }


def _adoption_out(adoption: Adoption) -> dict:
    place = {"gss_code": adoption.gss_code, "name": adoption.place_name}
    return {
        "id": adoption.pk,
        "organisation": adoption.organisation,
        "place": place if adoption.gss_code else None,
        "adopted_on": adoption.adopted_on,
        "local_changes": adoption.local_changes,
        "lessons": adoption.lessons,
    }


def _detail(actor: Actor, pk: int) -> dict:
    access.get_initiative_for(actor, pk)
    initiative = _with_lists(access.visible_initiatives(actor).filter(pk=pk)).get()
    return {
        **initiative_out(initiative),
        "reviews": [review_out(r) for r in _reviews(initiative.reviews.all())],
        "adoptions": [
            _adoption_out(a) for a in initiative.adoptions.select_related("organisation")
        ],
    }


def _service_data(data: InitiativeIn) -> dict[str, Any]:
    values = data.dict()
    values["partners"] = [row.dict() for row in data.partners]
    values["sponsors"] = [row.dict() for row in data.sponsors]
    return values


# --- Operations ---------------------------------------------------------------------------------


@router.get("", response={200: InitiativePage, **ERRORS}, summary="The initiatives register")
def list_initiatives(
    request: HttpRequest, page: Query[Pagination], filters: Query[Filters]
) -> dict:
    """Initiatives of the caller's partnerships, by title, filtered by words, problem, mission,
    status, sector, level of government and place."""
    found = initiatives.search(
        request.auth,
        initiatives.Filters(
            q=filters.q,
            problem=filters.problem,
            mission=filters.mission,
            status=filters.status,
            sector=filters.sector,
            level=filters.level,
            place=filters.place,
        ),
    )
    result = page_of(_with_lists(found), ORDER, (str, int), page)
    return {"items": [initiative_out(i) for i in result["items"]], "next": result["next"]}


@router.get("/{pk}", response={200: InitiativeDetail, **ERRORS}, summary="An initiative")
def initiative_detail(request: HttpRequest, pk: Id) -> dict:
    """One initiative with its partners, sponsors, places, learning reviews and adoptions."""
    return _detail(request.auth, pk)


@router.post("", response={201: InitiativeDetail, **ERRORS}, summary="Record an initiative")
def create_initiative(request: HttpRequest, data: InitiativeIn) -> Status:
    """Record an initiative owned by the acting organisation (a personal token)."""
    actor = person(request)
    try:
        initiative = initiatives.record(actor, _service_data(data))
    except PermissionDenied as error:
        raise HttpError(403, str(error) or NOT_AN_EDITOR) from error
    except ValidationError as error:
        raise refused(error) from error
    return Status(201, _detail(actor, initiative.pk))


@router.put("/{pk}", response={200: InitiativeDetail, **ERRORS}, summary="Change an initiative")
def change_initiative(request: HttpRequest, pk: Id, data: InitiativeIn) -> dict:
    """Replace every field of an initiative (its recorder, an admin or L&D lead of its owner, or
    the partnership lead); lists left out become empty."""
    actor = person(request)
    initiative = access.get_initiative_for(actor, pk)
    if not access.may_edit_initiative(actor, initiative):
        raise HttpError(403, NOT_AN_EDITOR)
    try:
        initiatives.change(actor, initiative, _service_data(data))
    except ValidationError as error:
        raise refused(error) from error
    return _detail(actor, initiative.pk)


@router.get(
    "/{pk}/reviews", response={200: ReviewPage, **ERRORS}, summary="An initiative's reviews"
)
def initiative_reviews(request: HttpRequest, pk: Id, page: Query[Pagination]) -> dict:
    """The initiative's learning reviews, latest first, with their evidence and measures."""
    initiative = access.get_initiative_for(request.auth, pk)
    result = page_of(_reviews(initiative.reviews.all()), REVIEW_ORDER, (dt.date, int), page)
    return {"items": [review_out(r) for r in result["items"]], "next": result["next"]}


@router.post(
    "/{pk}/reviews", response={201: ReviewOut, **ERRORS}, summary="Record a learning review"
)
def create_review(request: HttpRequest, pk: Id, data: ReviewIn) -> Status:
    """Record what the acting organisation learnt (people of its owner or a listed partner, and
    the partnership lead). Evidence is a link or a library material the caller can see."""
    actor = person(request)
    initiative = access.get_initiative_for(actor, pk)
    if not access.may_review(actor, initiative):
        raise HttpError(403, NOT_A_REVIEWER)
    values = data.dict()
    values["evidence"] = [row.dict() for row in data.evidence]
    values["measures"] = [row.dict() for row in data.measures]
    try:
        review = reviews.add_review(actor=actor, initiative=initiative, data=values)
    except ValidationError as error:
        raise refused(error) from error
    return Status(201, review_out(review))
