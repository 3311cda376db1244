"""Apprenticeship standards at /api/v1/apprenticeships/standards: the list (searched by code or
title words, filtered by level), a standard with its KSBs, and adding, changing and removing KSBs.

Standards are reference data: every caller reads them, organisation tokens too. Writes go through
`standards.py` (the same rules and audit entries as the pages) and need a person who may edit
standards (programme leaders and L&D leads of the acting organisation): an organisation token is
refused (403), as is anyone else (403). An unknown standard, or a KSB of another standard, is 404.
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
from joinedup.partnership.api import NOT_A_PERSON, Error, Id, Pagination, page_of, storable

from . import access, standards
from .models import Ksb, Standard

router = Router(tags=["apprenticeships"])

ERRORS = {frozenset({401, 403, 404, 409, 422}): Error}
STANDARD_ORDER = ("title", "id")
NOT_AN_EDITOR = "Only programme leaders and L&D leads (of the acting organisation) edit standards"


class Filters(Schema):
    q: str = Field("", max_length=200, description="A standard's code, or words of its title.")
    level: int | None = Field(None, ge=2, le=7, description="Only standards of this level.")

    _q_storable = field_validator("q")(storable)


class StandardOut(Schema):
    id: int
    reference_code: str = Field(description="For example ST0480.")
    title: str
    level: int | None
    version: str
    typical_duration_months: int | None
    funding_band: Decimal | None = Field(description="The most the levy pays, in pounds.")
    off_the_job_hours: int | None = Field(
        description="The published minimum off-the-job hours, for starts from 1 August 2025."
    )
    assessment_methods: str
    grades: str
    source: str
    updated_at: dt.datetime


class StandardPage(Schema):
    items: list[StandardOut]
    next: str | None


class KsbOut(Schema):
    id: int
    code: str = Field(description="For example K1, S3 or B2; the letter gives the kind.")
    kind: str = Field(description="K (knowledge), S (skill) or B (behaviour).")
    number: int
    description: str
    illustrative: bool = Field(description="Made up for a demonstration, not the published words.")
    updated_at: dt.datetime


class StandardDetail(StandardOut):
    ksbs: list[KsbOut] = Field(description="Knowledge, then skills, then behaviours, by number.")
    may_edit: bool = Field(description="Whether the caller may change its KSBs.")


class KsbIn(Schema):
    code: str = Field(max_length=10, description="K, S or B and a number, like K1.")
    description: str = Field(max_length=standards.DESCRIPTION_LIMIT)
    illustrative: bool = False

    _storable = field_validator("code", "description")(storable)


class KsbChange(Schema):
    code: str | None = Field(None, max_length=10)
    description: str | None = Field(None, max_length=standards.DESCRIPTION_LIMIT)
    illustrative: bool | None = None

    @field_validator("code", "description")
    @classmethod
    def storable(cls, value: str | None) -> str | None:
        return None if value is None else storable(value)


def editor(request: HttpRequest) -> Actor:
    """The caller, who must act as a person."""
    actor: Actor = request.auth
    if actor.person is None:
        raise HttpError(403, NOT_A_PERSON)
    return actor


def refused(error: ValidationError) -> HttpError:
    """422 naming each bad field."""
    if hasattr(error, "error_dict"):
        return HttpError(
            422,
            "; ".join(
                f"{field} (body): {' '.join(messages)}"
                for field, messages in error.message_dict.items()
            ),
        )
    return HttpError(422, " ".join(error.messages))


def standard_out(standard: Standard) -> dict:
    """A standard in the API's shape."""
    return {name: getattr(standard, name) for name in StandardOut.model_fields}


def _detail(actor: Actor, standard: Standard) -> dict:
    ksbs = [ksb for _, group in standards.ksb_groups(standard) for ksb in group]
    return {
        **standard_out(standard),
        "ksbs": ksbs,
        "may_edit": access.may_edit_standards(actor),
    }


def _editable_standard(actor: Actor, standard_id: int) -> Standard:
    try:
        return access.get_editable_standard(actor, standard_id)
    except PermissionDenied as error:
        raise HttpError(403, NOT_AN_EDITOR) from error


def _editable_ksb(actor: Actor, standard_id: int, ksb_id: int) -> Ksb:
    try:
        return access.get_editable_ksb(actor, standard_id, ksb_id)
    except PermissionDenied as error:
        raise HttpError(403, NOT_AN_EDITOR) from error


@router.get("", response={200: StandardPage, **ERRORS}, summary="Apprenticeship standards")
def apprenticeship_standards(
    request: HttpRequest, page: Query[Pagination], filters: Query[Filters]
) -> dict:
    """Every standard by title; `q` matches the code exactly or every word in the title."""
    found = standards.search_standards(
        access.visible_standards(request.auth),
        filters.q.strip(),
        str(filters.level) if filters.level else "",
    )
    result = page_of(found, STANDARD_ORDER, (str, int), page)
    return {"items": [standard_out(s) for s in result["items"]], "next": result["next"]}


@router.get(
    "/{standard_id}", response={200: StandardDetail, **ERRORS}, summary="A standard and its KSBs"
)
def apprenticeship_standard(request: HttpRequest, standard_id: Id) -> dict:
    """A standard's details and its knowledge, skills and behaviours."""
    actor: Actor = request.auth
    return _detail(actor, access.get_standard_for(actor, standard_id))


@router.post(
    "/{standard_id}/ksbs", response={201: KsbOut, **ERRORS}, summary="Add a KSB to a standard"
)
def apprenticeship_add_ksb(request: HttpRequest, standard_id: Id, data: KsbIn) -> Status:
    """Add a knowledge, skill or behaviour; its code must be new to the standard (422 if not)."""
    actor = editor(request)
    standard = _editable_standard(actor, standard_id)
    try:
        ksb = standards.add_ksb(actor=actor, standard=standard, **data.dict())
    except ValidationError as error:
        raise refused(error) from error
    return Status(201, ksb)


@router.patch(
    "/{standard_id}/ksbs/{ksb_id}", response={200: KsbOut, **ERRORS}, summary="Change a KSB"
)
def apprenticeship_change_ksb(
    request: HttpRequest, standard_id: Id, ksb_id: Id, data: KsbChange
) -> Ksb:
    """Change a KSB's code, description or illustrative flag; fields left out keep their values."""
    actor = editor(request)
    ksb = _editable_ksb(actor, standard_id, ksb_id)
    values = {"code": ksb.code, "description": ksb.description, "illustrative": ksb.illustrative}
    values.update({k: v for k, v in data.dict(exclude_unset=True).items() if v is not None})
    try:
        return standards.change_ksb(actor=actor, ksb=ksb, **values)
    except ValidationError as error:
        raise refused(error) from error


@router.delete(
    "/{standard_id}/ksbs/{ksb_id}", response={204: None, **ERRORS}, summary="Remove a KSB"
)
def apprenticeship_delete_ksb(request: HttpRequest, standard_id: Id, ksb_id: Id) -> Status:
    """Remove a KSB from its standard."""
    actor = editor(request)
    standards.delete_ksb(actor=actor, ksb=_editable_ksb(actor, standard_id, ksb_id))
    return Status(204, None)
