"""The portfolio API: an enrolment's evidence and KSB coverage at
/api/v1/apprenticeships/enrolments/{pk}/evidence (see docs/API.md).

Everything is fetched through `access`, so the API shows what the pages show: the evidence and
coverage are read by whoever sees the enrolment. Writes go through `portfolio` and need a person
(an organisation token is refused with 403): the apprentice adds items (a written account or a
link as JSON; a file as multipart form data, checked by the safe upload service); the practice
tutor or a programme leader of the provider signs an item off or asks for more.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import field_validator

from joinedup.partnership.actor import Actor
from joinedup.partnership.api import Id, Pagination, page_of
from joinedup.partnership.api import storable as _storable

from . import access, portfolio
from .api_enrolments import ERRORS, person, refused
from .models import Enrolment, Evidence, EvidenceKind, Ksb

router = Router(tags=["apprenticeships"])

ORDER = ("-created_at", "-id")
MAX_KSBS = portfolio.KSB_LIMIT


class KsbRef(Schema):
    id: int
    code: str


class PersonRef(Schema):
    id: int
    name: str


class FileOut(Schema):
    name: str
    content_type: str
    size_bytes: int
    sha256: str


class EvidenceOut(Schema):
    id: int
    enrolment: int
    title: str
    kind: str = Field(description="text, link or file.")
    text: str
    url: str
    file: FileOut | None = Field(description="For a file item; download it from its page.")
    ksbs: list[KsbRef]
    state: str = Field(
        description="awaiting (the tutor), accepted (signed off) or queried (more asked for)."
    )
    tutor_note: str
    checked_by: PersonRef | None
    checked_at: dt.datetime | None
    created_at: dt.datetime


class EvidencePage(Schema):
    items: list[EvidenceOut]
    next: str | None


class EvidenceFilter(Schema):
    ksb: Id | None = Field(None, description="Only items showing this KSB (its id).")
    state: Literal["awaiting", "accepted", "queried"] | None = None


class EvidenceIn(Schema):
    title: str = Field(max_length=200)
    kind: Literal["text", "link"] = Field(description="A file goes to .../evidence/file.")
    text: str = Field("", max_length=portfolio.TEXT_LIMIT, description="For a written account.")
    url: str = Field("", max_length=500, description="For a link: http or https.")
    ksbs: list[Id] = Field(max_length=MAX_KSBS, description="Ids of the standard's KSBs.")

    @field_validator("title", "text", "url")
    @classmethod
    def storable(cls, value: str) -> str:
        return _storable(value)


class EvidenceFileIn(Schema):
    title: str = Field(max_length=200)
    ksbs: list[Id] = Field(max_length=MAX_KSBS, description="Ids of the standard's KSBs.")

    @field_validator("title")
    @classmethod
    def storable(cls, value: str) -> str:
        return _storable(value)


class CheckIn(Schema):
    decision: Literal["sign_off", "ask_for_more"]
    note: str = Field("", max_length=500, description="Required when asking for more.")

    @field_validator("note")
    @classmethod
    def storable(cls, value: str) -> str:
        return _storable(value)


class KsbOut(Schema):
    id: int
    code: str
    kind: str = Field(description="K (knowledge), S (skill) or B (behaviour).")
    description: str


class CoverageRowOut(Schema):
    ksb: KsbOut
    signed_off: int
    awaiting: int
    queried: int
    covered: bool = Field(description="At least one item showing it is signed off.")


class CoverageOut(Schema):
    covered: int
    total: int
    complete: bool
    ksbs: list[CoverageRowOut]


def evidence_out(evidence: Evidence) -> dict:
    """An item in the API's shape (its KSBs prefetched, its checker selected)."""
    checker = evidence.checked_by
    has_file = evidence.kind == EvidenceKind.FILE
    return {
        "id": evidence.pk,
        "enrolment": evidence.enrolment_id,
        "title": evidence.title,
        "kind": evidence.kind,
        "text": evidence.text,
        "url": evidence.url,
        "file": {
            "name": evidence.file_name,
            "content_type": evidence.content_type,
            "size_bytes": evidence.size_bytes,
            "sha256": evidence.sha256,
        }
        if has_file
        else None,
        "ksbs": [{"id": ksb.pk, "code": ksb.code} for ksb in evidence.ksbs.all()],
        "state": evidence.state,
        "tutor_note": evidence.tutor_note,
        "checked_by": {"id": checker.pk, "name": checker.full_name} if checker else None,
        "checked_at": evidence.checked_at,
        "created_at": evidence.created_at,
    }


def _related(found: QuerySet[Evidence]) -> QuerySet[Evidence]:
    return found.select_related("checked_by").prefetch_related("ksbs")


def _one(enrolment: Enrolment, evidence_id: int) -> Evidence:
    """An item of this enrolment (already fetched through access), or 404."""
    found = _related(Evidence.objects.filter(enrolment=enrolment, pk=evidence_id)).first()
    if found is None:
        raise HttpError(404, "No such evidence")
    found.enrolment = enrolment
    return found


def _own_enrolment(actor: Actor, pk: int) -> Enrolment:
    enrolment = access.get_enrolment_for(actor, pk)
    if not access.may_add_evidence(actor, enrolment):
        raise HttpError(403, portfolio.NOT_THE_APPRENTICE)
    return enrolment


@router.get(
    "/{pk}/evidence", response={200: EvidencePage, **ERRORS}, summary="An enrolment's evidence"
)
def apprenticeship_evidence(
    request: HttpRequest, pk: Id, filters: Query[EvidenceFilter], page: Query[Pagination]
) -> dict:
    """The enrolment's evidence items, newest first, optionally for one KSB or in one state."""
    enrolment = access.get_enrolment_for(request.auth, pk)
    found = Evidence.objects.filter(enrolment=enrolment)
    if filters.ksb is not None:
        found = found.filter(ksbs__id=filters.ksb)
    if filters.state is not None:
        found = found.filter(state=filters.state)
    result = page_of(_related(found), ORDER, (dt.datetime, int), page)
    return {"items": [evidence_out(e) for e in result["items"]], "next": result["next"]}


@router.post(
    "/{pk}/evidence", response={201: EvidenceOut, **ERRORS}, summary="Add a written or link item"
)
def apprenticeship_add_evidence(request: HttpRequest, pk: Id, data: EvidenceIn) -> Status:
    """The apprentice adds a written account or a link, mapped to KSBs of their standard (403 for
    anyone else who sees the enrolment; 409 when the enrolment is not active, on a break or at
    the gateway; 422 naming the field)."""
    actor = person(request)
    enrolment = _own_enrolment(actor, pk)
    try:
        made = portfolio.add_evidence(
            actor=actor,
            enrolment=enrolment,
            title=data.title,
            kind=data.kind,
            text=data.text,
            url=data.url,
            ksbs=data.ksbs,
        )
    except PermissionDenied as error:
        raise HttpError(403, portfolio.NOT_THE_APPRENTICE) from error
    except ValidationError as error:
        raise refused(error) from error
    return Status(201, evidence_out(_one(enrolment, made.pk)))


@router.post(
    "/{pk}/evidence/file", response={201: EvidenceOut, **ERRORS}, summary="Add a file item"
)
def apprenticeship_add_evidence_file(
    request: HttpRequest, pk: Id, data: Form[EvidenceFileIn], file: File[UploadedFile]
) -> Status:
    """The apprentice uploads a file (multipart form data: `title`, `ksbs` repeated, `file`),
    checked by the safe upload service: a refused file is a 422 naming `file` and stores
    nothing."""
    actor = person(request)
    enrolment = _own_enrolment(actor, pk)
    try:
        made = portfolio.add_evidence(
            actor=actor,
            enrolment=enrolment,
            title=data.title,
            kind=EvidenceKind.FILE,
            upload=file,
            ksbs=data.ksbs,
        )
    except PermissionDenied as error:
        raise HttpError(403, portfolio.NOT_THE_APPRENTICE) from error
    except ValidationError as error:
        raise refused(error) from error
    return Status(201, evidence_out(_one(enrolment, made.pk)))


@router.get(
    "/{pk}/evidence/coverage", response={200: CoverageOut, **ERRORS}, summary="KSB coverage"
)
def apprenticeship_ksb_coverage(request: HttpRequest, pk: Id) -> dict:
    """Each KSB of the standard (knowledge, skills, behaviours) with the counts of items signed
    off, awaiting and queried; covered when at least one is signed off."""
    enrolment = access.get_enrolment_for(request.auth, pk)
    rows = portfolio.coverage(enrolment)
    summary = portfolio.summarise(rows)
    return {
        "covered": summary.covered,
        "total": summary.total,
        "complete": summary.complete,
        "ksbs": [
            {
                "ksb": _ksb(row.ksb),
                "signed_off": row.signed_off,
                "awaiting": row.awaiting,
                "queried": row.queried,
                "covered": row.covered,
            }
            for row in rows
        ],
    }


def _ksb(ksb: Ksb) -> dict:
    return {"id": ksb.pk, "code": ksb.code, "kind": ksb.kind, "description": ksb.description}


@router.get(
    "/{pk}/evidence/{evidence_id}",
    response={200: EvidenceOut, **ERRORS},
    summary="An evidence item",
)
def apprenticeship_evidence_item(request: HttpRequest, pk: Id, evidence_id: Id) -> dict:
    """One item of the enrolment's portfolio."""
    enrolment = access.get_enrolment_for(request.auth, pk)
    return evidence_out(_one(enrolment, evidence_id))


@router.post(
    "/{pk}/evidence/{evidence_id}/check",
    response={200: EvidenceOut, **ERRORS},
    summary="Sign off or ask for more",
)
def apprenticeship_check_evidence(
    request: HttpRequest, pk: Id, evidence_id: Id, data: CheckIn
) -> dict:
    """The practice tutor or a programme leader of the provider signs the item off or asks for
    more, with a note (required when asking for more). 403 for others who see it; 409 when it is
    already signed off or already queried."""
    actor = person(request)
    enrolment = access.get_enrolment_for(actor, pk)
    if not access.may_check_evidence(actor, enrolment):
        raise HttpError(403, portfolio.NOT_A_CHECKER)
    evidence = _one(enrolment, evidence_id)
    try:
        portfolio.check_evidence(
            actor=actor, evidence=evidence, decision=data.decision, note=data.note
        )
    except PermissionDenied as error:
        raise HttpError(403, portfolio.NOT_A_CHECKER) from error
    except ValidationError as error:
        raise refused(error) from error
    return evidence_out(_one(enrolment, evidence_id))
