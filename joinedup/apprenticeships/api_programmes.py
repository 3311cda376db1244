"""Apprenticeship programmes and cohorts at /api/v1/apprenticeships/programmes: the partnership's
programmes, a programme with its modules and assignments, its cohorts, and a cohort with its
module dates and deadlines; setting up a programme, adding a module and setting up a cohort.

Everything is fetched through `apprenticeships.access`, so the API shows what the pages show:
anyone acting for an organisation of a programme's partnership reads it and its cohorts (404 for
anyone else). A cohort's apprentices are counted by employer for the provider's programme leaders
only (null for everyone else); no names. Writes need a person (an organisation token is refused
with 403): a programme leader of a partnership member sets up programmes its organisation
provides; the provider's programme leaders add modules and cohorts (403 for others who see the
programme). A refused value is a 422 naming the field.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import field_validator

from joinedup.partnership.access import acting_partnerships
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

from . import access, programmes
from .models import Assignment, CohortDeadline, CohortModule, Module, Programme

router = Router(tags=["apprenticeships"])

ERRORS = {frozenset({401, 403, 404, 409, 422}): Error}
PROGRAMME_ORDER = ("title", "id")
COHORT_ORDER = ("starts_on", "id")
NOT_A_LEADER = "Only a programme leader of a partnership member sets up programmes"


class StandardRef(Schema):
    id: int
    reference_code: str
    title: str
    level: int | None


class CohortRef(Schema):
    id: int
    name: str
    starts_on: dt.date


class ProgrammeOut(Schema):
    id: int
    title: str
    summary: str
    partnership: int
    provider: OrganisationRef
    standard: StandardRef
    next_cohort: CohortRef | None = Field(description="The next cohort to start, if any.")


class ProgrammePage(Schema):
    items: list[ProgrammeOut]
    next: str | None


class AssignmentOut(Schema):
    id: int
    title: str
    brief: str
    weighting: int = Field(description="Percent of the module's mark.")


class ModuleOut(Schema):
    id: int
    order: int
    title: str
    online_weeks: int
    campus_days: int
    term: str = Field(description="autumn, spring or summer (early summer).")
    assignments: list[AssignmentOut]
    weighting_total: int
    weighting_warning: str | None = Field(
        description="Says so when the assignments' weightings do not add up to 100."
    )


class StaffOut(Schema):
    name: str
    role: str = Field(description="leader or tutor.")


class ProgrammeDetail(ProgrammeOut):
    modules: list[ModuleOut]
    staff: list[StaffOut]
    may_manage: bool = Field(description="Whether the caller changes it (its programme leaders).")


class CohortOut(Schema):
    id: int
    programme: int
    name: str
    starts_on: dt.date
    ends_on: dt.date = Field(description="The planned end.")


class CohortPage(Schema):
    items: list[CohortOut]
    next: str | None


class ModuleDateOut(Schema):
    module: int
    order: int
    title: str
    term: str
    starts_on: dt.date
    campus_from: dt.date | None


class DeadlineOut(Schema):
    assignment: int
    title: str
    module: int
    due_on: dt.date


class EmployerCount(Schema):
    employer: OrganisationRef
    apprentices: int


class CohortDetail(CohortOut):
    programme_title: str
    provider: OrganisationRef
    modules: list[ModuleDateOut]
    deadlines: list[DeadlineOut]
    enrolments_by_employer: list[EmployerCount] | None = Field(
        description="Apprentices by employer (counts only): the provider's programme leaders "
        "only, null for everyone else."
    )


class ProgrammeIn(Schema):
    standard: str = Field(max_length=200, description="Reference code (ST0480) or exact title.")
    title: str = Field(max_length=programmes.TITLE_MAX)
    summary: str = Field("", max_length=programmes.SUMMARY_MAX)
    partnership: int | None = Field(
        None, description="Needed only when the acting organisation is in several."
    )

    _storable = field_validator("standard", "title", "summary")(storable)


class ModuleIn(Schema):
    title: str = Field(max_length=programmes.TITLE_MAX)
    online_weeks: int
    campus_days: int
    term: str = Field(description="autumn, spring or summer.")

    _storable = field_validator("title", "term")(storable)


class ModuleDateIn(Schema):
    module: int
    starts_on: dt.date
    campus_from: dt.date | None = None


class DeadlineIn(Schema):
    assignment: int
    due_on: dt.date


class CohortIn(Schema):
    name: str = Field(max_length=programmes.NAME_MAX)
    starts_on: dt.date
    ends_on: dt.date
    modules: list[ModuleDateIn] = Field(description="A start date for every module.")
    deadlines: list[DeadlineIn] = Field(description="A deadline for every assignment.")

    _storable = field_validator("name")(storable)


def person(request: HttpRequest) -> Actor:
    """The caller, who must act as a person."""
    actor: Actor = request.auth
    if actor.person is None:
        raise HttpError(403, NOT_A_PERSON)
    return actor


def refused(error: ValidationError) -> HttpError:
    """422 naming each bad field; 409 for a refusal of the whole change."""
    if hasattr(error, "error_dict"):
        detail = "; ".join(
            f"{field} (body): {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
        return HttpError(422, detail)
    return HttpError(409, " ".join(error.messages))


def programme_out(programme: Programme) -> dict:
    """A programme in the API's shape (annotated by `programmes.with_next_cohort`)."""
    next_id = getattr(programme, "next_cohort_id", None)
    return {
        "id": programme.pk,
        "title": programme.title,
        "summary": programme.summary,
        "partnership": programme.partnership_id,
        "provider": programme.provider,
        "standard": programme.standard,
        "next_cohort": None
        if next_id is None
        else {
            "id": next_id,
            "name": programme.next_cohort_name,
            "starts_on": programme.next_cohort_starts,
        },
    }


def _module_out(module: Module) -> dict:
    assignments = list(module.assignments.all())
    total = sum(a.weighting for a in assignments)
    return {
        "id": module.pk,
        "order": module.order,
        "title": module.title,
        "online_weeks": module.online_weeks,
        "campus_days": module.campus_days,
        "term": module.term,
        "assignments": assignments,
        "weighting_total": total,
        "weighting_warning": programmes.weighting_warning(module, total),
    }


def _programme_detail(actor: Actor, pk: int) -> dict:
    programme = access.get_programme_for(actor, pk)
    programme = programmes.with_next_cohort(Programme.objects.filter(pk=programme.pk)).get()
    modules = programme.modules.order_by("order").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.order_by("pk"))
    )
    return {
        **programme_out(programme),
        "modules": [_module_out(module) for module in modules],
        "staff": [
            {"name": person.full_name, "role": staff.role}
            for staff, person in programmes.staff_of(programme)
        ],
        "may_manage": access.may_manage_programme(actor, programme),
    }


def _cohort_detail(actor: Actor, pk: int) -> dict:
    cohort = access.get_cohort_for(actor, pk)
    module_dates = (
        CohortModule.objects.filter(cohort=cohort)
        .select_related("module")
        .order_by("starts_on", "module__order")
    )
    deadlines = (
        CohortDeadline.objects.filter(cohort=cohort)
        .select_related("assignment")
        .order_by("due_on", "pk")
    )
    counts = None
    if access.may_manage_programme(actor, cohort.programme):
        counts = [
            {
                "employer": {"id": row["employer_id"], "name": row["employer__name"]},
                "apprentices": row["count"],
            }
            for row in access.cohort_counts_by_employer(actor, cohort)
        ]
    return {
        "id": cohort.pk,
        "programme": cohort.programme_id,
        "name": cohort.name,
        "starts_on": cohort.starts_on,
        "ends_on": cohort.ends_on,
        "programme_title": cohort.programme.title,
        "provider": cohort.programme.provider,
        "modules": [
            {
                "module": row.module_id,
                "order": row.module.order,
                "title": row.module.title,
                "term": row.module.term,
                "starts_on": row.starts_on,
                "campus_from": row.campus_from,
            }
            for row in module_dates
        ],
        "deadlines": [
            {
                "assignment": row.assignment_id,
                "title": row.assignment.title,
                "module": row.assignment.module_id,
                "due_on": row.due_on,
            }
            for row in deadlines
        ],
        "enrolments_by_employer": counts,
    }


# --- Programmes ----------------------------------------------------------------------------------


@router.get("", response={200: ProgrammePage, **ERRORS}, summary="The partnership's programmes")
def apprenticeship_programmes(request: HttpRequest, page: Query[Pagination]) -> dict:
    """Programmes of the acting organisation's partnerships, by title, with the next cohort."""
    actor: Actor = request.auth
    found = programmes.with_next_cohort(access.visible_programmes(actor))
    result = page_of(found, PROGRAMME_ORDER, (str, int), page)
    return {"items": [programme_out(p) for p in result["items"]], "next": result["next"]}


@router.post("", response={201: ProgrammeDetail, **ERRORS}, summary="Set up a programme")
def apprenticeship_create_programme(request: HttpRequest, data: ProgrammeIn) -> Status:
    """A programme leader sets up a programme the acting organisation provides."""
    actor = person(request)
    values = data.dict()
    chosen = values.pop("partnership")
    partnership = None
    if chosen is not None:
        partnership = next((p for p in acting_partnerships(actor) if p.pk == chosen), None)
        if partnership is None:
            raise HttpError(422, "partnership (body): choose one of your partnerships")
    try:
        programme = programmes.create_programme(actor=actor, partnership=partnership, **values)
    except PermissionDenied as error:
        raise HttpError(403, NOT_A_LEADER) from error
    except ValidationError as error:
        raise refused(error) from error
    return Status(201, _programme_detail(actor, programme.pk))


@router.get("/{programme_id}", response={200: ProgrammeDetail, **ERRORS}, summary="A programme")
def apprenticeship_programme(request: HttpRequest, programme_id: Id) -> dict:
    """A programme with its modules in order, their assignments and weightings, and its staff."""
    return _programme_detail(request.auth, programme_id)


@router.post(
    "/{programme_id}/modules", response={201: ProgrammeDetail, **ERRORS}, summary="Add a module"
)
def apprenticeship_add_module(request: HttpRequest, programme_id: Id, data: ModuleIn) -> Status:
    """The provider's programme leader adds a module at the end; the programme is returned."""
    actor = person(request)
    programme = access.get_managed_programme(actor, programme_id)
    try:
        programmes.add_module(actor=actor, programme=programme, **data.dict())
    except ValidationError as error:
        raise refused(error) from error
    return Status(201, _programme_detail(actor, programme.pk))


# --- Cohorts -------------------------------------------------------------------------------------


@router.get(
    "/{programme_id}/cohorts", response={200: CohortPage, **ERRORS}, summary="A programme's cohorts"
)
def apprenticeship_programme_cohorts(
    request: HttpRequest, programme_id: Id, page: Query[Pagination]
) -> dict:
    """The programme's cohorts, earliest start first."""
    actor: Actor = request.auth
    programme = access.get_programme_for(actor, programme_id)
    found = access.visible_cohorts(actor).filter(programme=programme)
    result = page_of(found, COHORT_ORDER, (dt.date, int), page)
    items = [
        {
            "id": c.pk,
            "programme": c.programme_id,
            "name": c.name,
            "starts_on": c.starts_on,
            "ends_on": c.ends_on,
        }
        for c in result["items"]
    ]
    return {"items": items, "next": result["next"]}


@router.post(
    "/{programme_id}/cohorts", response={201: CohortDetail, **ERRORS}, summary="Set up a cohort"
)
def apprenticeship_create_cohort(request: HttpRequest, programme_id: Id, data: CohortIn) -> Status:
    """The provider's programme leader sets up a cohort with a start date for every module and a
    deadline for every assignment, all within the cohort's dates."""
    actor = person(request)
    programme = access.get_managed_programme(actor, programme_id)
    try:
        cohort = programmes.create_cohort(
            actor=actor,
            programme=programme,
            name=data.name,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            module_starts={row.module: row.starts_on for row in data.modules},
            campus_from={row.module: row.campus_from for row in data.modules},
            deadlines={row.assignment: row.due_on for row in data.deadlines},
        )
    except ValidationError as error:
        raise refused(error) from error
    return Status(201, _cohort_detail(actor, cohort.pk))


@router.get("/cohorts/{cohort_id}", response={200: CohortDetail, **ERRORS}, summary="A cohort")
def apprenticeship_cohort(request: HttpRequest, cohort_id: Id) -> dict:
    """A cohort's dates, its module dates and deadlines; for the provider's programme leaders
    the number of apprentices from each employer."""
    return _cohort_detail(request.auth, cohort_id)
