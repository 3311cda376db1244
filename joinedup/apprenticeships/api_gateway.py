"""The apprenticeships API for the workplace project and the gateway (see docs/API.md), under
/api/v1/apprenticeships/enrolments/{enrolment}/:

- GET .../project: the project and its 12-week plan, for whoever sees the enrolment and for the
  project's sponsor;
- GET .../gateway: the six gateway items, each met or not with why, for whoever sees the
  enrolment;
- POST .../gateway/agree: the employer's L&D lead or the provider's programme leader agrees (403
  for others who see it and for organisation tokens; 409 while the other items are not met).

Everything is fetched through `access`; an organisation token acts as no person and sees none.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from joinedup.partnership.actor import Actor
from joinedup.partnership.api import Id

from . import access, gateway
from .api_enrolments import ERRORS, PersonRef, person

router = Router(tags=["apprenticeships"])

NOT_AN_AGREER = "Only the employer's L&D lead or the provider's programme leader agrees"
NO_PROJECT = "No workplace project has been proposed yet"


class MilestoneOut(Schema):
    id: int
    week: int
    title: str
    done_on: dt.date | None


class ProjectOut(Schema):
    enrolment: int
    title: str
    scope: str
    sponsor: PersonRef
    starts_on: dt.date
    state: str = Field(description="proposed, approved, submitted or signed_off.")
    state_label: str
    scope_approved_by: PersonRef | None
    scope_approved_at: dt.datetime | None
    submitted_on: dt.date | None
    summary: str
    file_name: str = Field(description="The submitted file's name; empty when none.")
    signed_off_at: dt.datetime | None
    sponsor_comment: str
    milestones: list[MilestoneOut]


class ItemOut(Schema):
    key: str = Field(description="modules, ksbs, off_the_job, project, employer or provider.")
    title: str
    met: bool
    why: str


class GatewayOut(Schema):
    enrolment: int
    status: str = Field(description="The enrolment's status: at_gateway once the gateway passed.")
    passed: bool
    met: int
    items: list[ItemOut]


def _person(who) -> dict | None:
    return {"id": who.pk, "name": who.full_name} if who is not None else None


def project_out(project) -> dict:
    return {
        "enrolment": project.enrolment_id,
        "title": project.title,
        "scope": project.scope,
        "sponsor": _person(project.sponsor),
        "starts_on": project.starts_on,
        "state": project.state,
        "state_label": project.get_state_display(),
        "scope_approved_by": _person(project.scope_approved_by),
        "scope_approved_at": project.scope_approved_at,
        "submitted_on": project.submitted_on,
        "summary": project.summary,
        "file_name": project.file_name,
        "signed_off_at": project.signed_off_at,
        "sponsor_comment": project.sponsor_comment,
        "milestones": list(project.milestones.all()),
    }


def gateway_out(enrolment) -> dict:
    checklist = gateway.check(enrolment)
    return {
        "enrolment": enrolment.pk,
        "status": enrolment.status,
        "passed": checklist.passed,
        "met": checklist.met,
        "items": [
            {"key": item.key, "title": item.title, "met": item.met, "why": item.why}
            for item in checklist.items
        ],
    }


@router.get(
    "/{pk}/project",
    response={200: ProjectOut, **ERRORS},
    summary="An enrolment's workplace project",
)
def apprenticeship_project(request: HttpRequest, pk: Id) -> dict:
    """The project and its plan, for whoever sees the enrolment and for the sponsor (404 when no
    project has been proposed)."""
    actor: Actor = request.auth
    _enrolment, project = access.get_project_page_for(actor, pk)
    if project is None:
        raise HttpError(404, NO_PROJECT)
    return project_out(project)


@router.get("/{pk}/gateway", response={200: GatewayOut, **ERRORS}, summary="Gateway status")
def apprenticeship_gateway(request: HttpRequest, pk: Id) -> dict:
    """The six gateway items for the enrolment, each met or not with why."""
    actor: Actor = request.auth
    return gateway_out(access.get_gateway_enrolment_for(actor, pk))


@router.post(
    "/{pk}/gateway/agree", response={200: GatewayOut, **ERRORS}, summary="Agree at the gateway"
)
def apprenticeship_gateway_agree(request: HttpRequest, pk: Id) -> dict:
    """The employer's L&D lead or the provider's programme leader agrees the apprentice is ready
    (409 with the reason while other items are not met or the party has agreed already)."""
    actor = person(request)
    enrolment = access.get_gateway_enrolment_for(actor, pk)
    if access.gateway_party_of(actor, enrolment) is None:
        raise HttpError(403, NOT_AN_AGREER)
    try:
        gateway.agree(actor=actor, enrolment=enrolment)
    except ValidationError as error:
        raise HttpError(409, " ".join(error.messages)) from error
    return gateway_out(access.get_gateway_enrolment_for(actor, pk))
