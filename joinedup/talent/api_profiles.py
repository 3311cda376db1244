"""The caller's own talent profile, and the partnership's skills vocabulary, at
/api/v1/talent/profile.

The profile operations are about "me": organisation tokens, which never act as a person, are
refused with 403. A PATCH changes only the fields it sends, all in one transaction through
`talent.profiles`; a refused field is a 422 naming it. The vocabulary is read by any caller of
the acting organisation's partnerships.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
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
from joinedup.partnership.models import Sector

from . import access, profiles
from .models import OpportunityKind, Profile, SkillStatus, SkillSynonym

router = Router(tags=["talent"])

ERRORS = {frozenset({401, 403, 404, 409, 422}): Error}
SKILL_ORDER = ("key", "id")

Kind = Literal[tuple(OpportunityKind.values)]  # type: ignore[valid-type]
SectorValue = Literal[tuple(Sector.values)]  # type: ignore[valid-type]


class ExperienceOut(Schema):
    id: int
    sector: str
    role: str
    organisation_name: str
    years: Decimal


class ProfileOut(Schema):
    id: int
    organisation: OrganisationRef | None = Field(description="Of the main current job.")
    sector: str
    seniority: int | None
    headline: str
    summary: str
    skills: list[str] = Field(description="The vocabulary's names of the person's skills.")
    discoverable: bool = Field(
        description="Whether people of partner organisations may find the profile."
    )
    discoverable_since: dt.datetime | None
    aspiration_kinds: list[str]
    aspiration_sectors: list[str]
    aspiration_seniority_min: int | None
    aspiration_seniority_max: int | None
    areas: str
    remote: bool
    hours_per_week: Decimal | None
    available_from: dt.date | None
    availability_note: str
    experiences: list[ExperienceOut]


class ProfileChange(Schema):
    headline: str | None = Field(None, max_length=200)
    summary: str | None = Field(None, max_length=5000)
    skills: list[str] | None = Field(
        None,
        max_length=profiles.MAX_SKILLS,
        description="Replaces the skills: names or other names in the vocabulary, or new ones.",
    )
    discoverable: bool | None = Field(
        None, description="False hides the profile from partners at once."
    )
    aspiration_kinds: list[Kind] | None = None
    aspiration_sectors: list[SectorValue] | None = None
    aspiration_seniority_min: int | None = Field(None, ge=1, le=9)
    aspiration_seniority_max: int | None = Field(None, ge=1, le=9)
    areas: str | None = Field(None, max_length=300)
    remote: bool | None = None
    hours_per_week: Decimal | None = Field(None, gt=0, le=60, decimal_places=1)
    available_from: dt.date | None = None
    availability_note: str | None = Field(None, max_length=300)

    @field_validator("headline", "summary", "areas", "availability_note")
    @classmethod
    def storable(cls, value: str | None) -> str | None:
        return None if value is None else storable(value)

    @field_validator("skills")
    @classmethod
    def storable_skills(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else [storable(name) for name in value]


class ExperienceIn(Schema):
    sector: SectorValue
    role: str = Field(min_length=1, max_length=200)
    organisation_name: str = Field("", max_length=200)
    years: Decimal = Field(gt=0, le=60, description="With at most one decimal place.")

    @field_validator("role", "organisation_name")
    @classmethod
    def storable(cls, value: str) -> str:
        return storable(value)


class SkillOut(Schema):
    id: int
    name: str
    description: str
    synonyms: list[str]


class SkillPage(Schema):
    items: list[SkillOut]
    next: str | None


def _me(request: HttpRequest) -> Actor:
    actor: Actor = request.auth
    if actor.person is None:
        raise HttpError(403, NOT_A_PERSON)
    return actor


def _own(actor: Actor) -> Profile:
    try:
        return profiles.profile_for(actor.person, actor=actor)
    except ValidationError as error:
        raise HttpError(409, " ".join(error.messages)) from error


def _profile(profile: Profile) -> dict:
    return {
        "id": profile.pk,
        "organisation": profile.organisation,
        "skills": profiles.skill_names(profile),
        "discoverable": profile.discoverable,
        "discoverable_since": profile.discoverable_since,
        "sector": profile.sector,
        "seniority": profile.seniority,
        "experiences": list(profile.experiences.all()),
        **{field: getattr(profile, field) for field in profiles.PROFILE_FIELDS},
    }


def _refusal(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field} (body): {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


@router.get("", response={200: ProfileOut, **ERRORS}, summary="My talent profile")
def my_talent_profile(request: HttpRequest) -> dict:
    """The caller's own profile (made, private, on first use), with skills and experience."""
    return _profile(_own(_me(request)))


@router.patch("", response={200: ProfileOut, **ERRORS}, summary="Change my talent profile")
def change_my_talent_profile(request: HttpRequest, data: ProfileChange) -> dict:
    """Change the fields sent; `skills` replaces the list; `discoverable: false` hides the
    profile from partners at once. Everything sent is saved together or not at all."""
    actor = _me(request)
    profile = _own(actor)
    fields = data.dict(exclude_unset=True)
    discoverable = fields.pop("discoverable", None)
    try:
        with transaction.atomic():
            if fields:
                profiles.update_profile(actor, profile, **fields)
            if discoverable is not None:
                profiles.set_discoverable(actor, profile, discoverable)
    except ValidationError as error:
        profile.refresh_from_db()
        raise HttpError(422, _refusal(error)) from error
    return _profile(profile)


@router.post("/experiences", response={201: ExperienceOut, **ERRORS}, summary="Add a past role")
def add_my_experience(request: HttpRequest, data: ExperienceIn) -> Status:
    """Add a role in a sector before joining the partnership to the caller's profile."""
    actor = _me(request)
    profile = _own(actor)
    try:
        experience = profiles.add_experience(actor, profile, **data.dict())
    except ValidationError as error:
        raise HttpError(422, _refusal(error)) from error
    return Status(201, experience)


@router.delete("/experiences/{pk}", response={204: None, **ERRORS}, summary="Remove a past role")
def remove_my_experience(request: HttpRequest, pk: Id) -> Status:
    """Remove a past role from the caller's own profile (anyone else's is a 404)."""
    actor = _me(request)
    profiles.remove_experience(actor, access.get_own_experience(actor, pk))
    return Status(204, None)


@router.get("/skills", response={200: SkillPage, **ERRORS}, summary="The skills vocabulary")
def skills_vocabulary(request: HttpRequest, page: Query[Pagination]) -> dict:
    """The curated skills of the acting organisation's partnerships with their other names,
    by name: names to use for skills on profiles and opportunities."""
    actor: Actor = request.auth
    curated = access.visible_skills(actor).filter(status=SkillStatus.CURATED)
    synonyms = Prefetch("synonyms", queryset=SkillSynonym.objects.order_by("key"))
    result = page_of(curated.prefetch_related(synonyms), SKILL_ORDER, (str, int), page)
    return {
        "items": [
            {
                "id": skill.pk,
                "name": skill.name,
                "description": skill.description,
                "synonyms": [synonym.name for synonym in skill.synonyms.all()],
            }
            for skill in result["items"]
        ],
        "next": result["next"],
    }
