"""API operations for accreditations and the cascade: list, detail with the cascade's counts,
accrediting and withdrawing.

Everything is fetched through `materials.access` (accreditations section) and every write goes
through `materials.services`, so the API shows and allows what the pages do. Accreditations are
personal: organisation tokens, which never act as a person, list none and may not accredit or
withdraw (403). A refused field is a 422 naming it; a refusal of the whole request (a programme
not delivered by accredited trainers, an accreditation already withdrawn) is a 409.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
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

from . import access, accreditation_queries, services
from .cascade import CascadeError
from .models import Accreditation

router = Router(tags=["trainers"])

ERRORS = {frozenset({401, 403, 404, 409, 422}): Error}
ACCREDITATION_ORDER = ("-id",)
NOT_FOUND_PERSON = (
    "person_email (body): no one on the staff of your organisation or a partner has that address"
)
NOT_READ_MATERIAL = "evidence_material (body): choose a material from the library you can read"


# --- Schemas ------------------------------------------------------------------------------------


class PersonRef(Schema):
    id: int
    given_name: str
    family_name: str


class ProgrammeRef(Schema):
    id: int
    title: str
    host: OrganisationRef


class AccreditationOut(Schema):
    id: int
    person: PersonRef
    programme: ProgrammeRef
    trained_by: int | None = Field(
        description="The id of the accrediting trainer's accreditation; null for the first "
        "generation."
    )
    accredited_by: PersonRef
    accredited_on: dt.date
    expires_on: dt.date | None
    evidence_material: int | None = Field(description="A library material's id, if any.")
    evidence_url: str
    is_current: bool = Field(description="Not withdrawn and not expired today.")
    withdrawn_at: dt.datetime | None
    withdrawn_reason: str


class CascadeOut(Schema):
    learners: int = Field(description="Learners this trainer reached directly.")
    branch_learners: int = Field(description="Learners this trainer and everyone below reached.")
    depth: int = Field(description="0 for a first-generation trainer.")
    generation: int = Field(description="1 for a first-generation trainer.")
    trainees: list[int] = Field(description="Ids of the accreditations this trainer gave.")
    trainers_below: int = Field(description="Trainers trained down this branch.")


class AllowedOut(Schema):
    withdraw: bool


class AccreditationDetail(AccreditationOut):
    cascade: CascadeOut | None = Field(
        description="Where it stands in the programme's cascade; null when the cascade's "
        "records are inconsistent."
    )
    allowed: AllowedOut


class AccreditationPage(Schema):
    items: list[AccreditationOut]
    next: str | None


class AccreditationFilters(Schema):
    programme: Id | None = Field(None, description="A programme's id.")
    mine: bool = Field(False, description="Only the caller's own accreditations.")


class AccreditationIn(Schema):
    programme: Id
    person_email: str = Field(
        max_length=254, description="The work e-mail address of the person to accredit."
    )
    accredited_on: dt.date = Field(description="When they were accredited: today or earlier.")
    expires_on: dt.date = Field(description="After the accreditation date.")
    evidence_material: Id | None = Field(None, description="A library material you can read.")
    evidence_url: str = Field("", max_length=500, description="A link, starting https://")

    _storable_text = field_validator("person_email", "evidence_url")(storable)


class WithdrawIn(Schema):
    reason: str = Field(max_length=2000, description="Why it is withdrawn.")

    _reason_storable = field_validator("reason")(storable)


# --- Shapes -------------------------------------------------------------------------------------


def _person(person) -> dict:
    return {"id": person.pk, "given_name": person.given_name, "family_name": person.family_name}


def _accreditation(accreditation: Accreditation) -> dict:
    """Its shape in lists; it needs its person, programme and host, and accreditor loaded."""
    programme = accreditation.programme
    return {
        "id": accreditation.pk,
        "person": _person(accreditation.person),
        "programme": {"id": programme.pk, "title": programme.title, "host": programme.host},
        "trained_by": accreditation.trained_by_id,
        "accredited_by": _person(accreditation.accredited_by),
        "accredited_on": accreditation.accredited_on,
        "expires_on": accreditation.expires_on,
        "evidence_material": accreditation.evidence_material_id,
        "evidence_url": accreditation.evidence_url,
        "is_current": accreditation.is_current(timezone.localdate()),
        "withdrawn_at": accreditation.withdrawn_at,
        "withdrawn_reason": accreditation.withdrawn_reason,
    }


def _cascade(accreditation: Accreditation) -> dict | None:
    try:
        node = accreditation_queries.cascade_of(accreditation.programme).node(accreditation.pk)
    except CascadeError:
        return None
    if node is None:
        return None
    return {
        "learners": node.learners,
        "branch_learners": node.branch_learners,
        "depth": node.depth,
        "generation": node.generation,
        "trainees": [child.id for child in node.children],
        "trainers_below": node.descendants,
    }


def _refused(refusal: services.MaterialRefused, names: dict[str, str]) -> HttpError:
    fields = {field: message for field, message in refusal.errors.items() if field != "__all__"}
    if not fields:
        return HttpError(409, refusal.message)
    detail = "; ".join(
        f"{names.get(field, field)} (body): {message}" for field, message in fields.items()
    )
    return HttpError(422, detail)


def _detail(actor: Actor, accreditation: Accreditation) -> dict:
    return {
        **_accreditation(accreditation),
        "cascade": _cascade(accreditation),
        "allowed": {"withdraw": access.may_withdraw_accreditation(actor, accreditation)},
    }


# --- Operations ---------------------------------------------------------------------------------


@router.get("", response={200: AccreditationPage, **ERRORS}, summary="List accreditations")
def list_accreditations(
    request: HttpRequest, filters: Query[AccreditationFilters], page: Query[Pagination]
) -> dict:
    """Accreditations the caller sees, newest first: their own, and every accreditation of the
    programmes whose trainers they see (L&D leads and programme leaders, partnership leads of
    the host, and the programme's current trainers)."""
    actor: Actor = request.auth
    found = access.visible_accreditations(actor)
    if filters.programme is not None:
        found = found.filter(programme_id=filters.programme)
    if filters.mine:
        found = found.filter(person_id=actor.person_id)
    found = found.select_related("person", "programme__host", "accredited_by")
    result = page_of(found, ACCREDITATION_ORDER, (int,), page)
    return {"items": [_accreditation(a) for a in result["items"]], "next": result["next"]}


@router.get("/{pk}", response={200: AccreditationDetail, **ERRORS}, summary="An accreditation")
def accreditation_detail(request: HttpRequest, pk: Id) -> dict:
    """One accreditation with where it stands in the programme's cascade: the learners it
    reached directly and through its branch, its generation and the accreditations it gave."""
    actor: Actor = request.auth
    return _detail(actor, access.get_accreditation_for(actor, pk))


@router.post("", response={201: AccreditationDetail, **ERRORS}, summary="Accredit a trainer")
def create_accreditation(request: HttpRequest, data: AccreditationIn) -> Status:
    """Accredit someone on the staff of the caller's organisation or a partner to deliver a
    programme: a current accredited trainer of it (the next generation), or the host's L&D lead
    or programme leader (the first generation). Needs a personal token."""
    actor: Actor = request.auth
    if actor.person is None:
        raise HttpError(403, NOT_A_PERSON)
    programme = access.get_accreditable_programme(actor, data.programme)
    person = access.find_person_to_accredit(actor, data.person_email)
    if person is None:
        raise HttpError(422, NOT_FOUND_PERSON)
    material = None
    if data.evidence_material is not None:
        material = access.visible_materials(actor).filter(pk=data.evidence_material).first()
        if material is None:
            raise HttpError(422, NOT_READ_MATERIAL)
    try:
        given = services.accredit(
            actor=actor,
            person=person,
            programme=programme,
            accredited_on=data.accredited_on,
            expires_on=data.expires_on,
            evidence_material=material,
            evidence_url=data.evidence_url,
        )
    except services.MaterialRefused as refusal:
        raise _refused(refusal, {"person": "person_email"}) from refusal
    found = access.get_accreditation_for(actor, given.pk)
    return Status(201, _detail(actor, found))


@router.post("/{pk}/withdraw", response={200: AccreditationDetail, **ERRORS}, summary="Withdraw it")
def withdraw_accreditation(request: HttpRequest, pk: Id, data: WithdrawIn) -> dict:
    """Withdraw an accreditation with the reason: the host's L&D lead, or whoever gave it.
    The accreditations it gave stay in force. Needs a personal token."""
    actor: Actor = request.auth
    if actor.person is None:
        raise HttpError(403, NOT_A_PERSON)
    accreditation = access.get_withdrawable_accreditation(actor, pk)
    try:
        services.withdraw_accreditation(
            actor=actor, accreditation=accreditation, reason=data.reason
        )
    except services.MaterialRefused as refusal:
        raise _refused(refusal, {}) from refusal
    return _detail(actor, accreditation)
