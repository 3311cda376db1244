"""The own, partner's and outsider's workplace project and gateway for the project and gateway
pages and API (see declarations/apprenticeships_gateway.py), made anew on every call: a new
enrolment of the object's organisation (apprenticeships_scene.enrolment) with a proposed project
whose sponsor is a member of the employer's staff with no other part in it (SPONSORS; the
outsider's is a newcomer) and a plan of two milestones."""

from __future__ import annotations

import datetime as dt
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile

from joinedup.apprenticeships.models import Milestone, ProjectState, WorkplaceProject
from joinedup.lib import uploads
from joinedup.partnership.tests.world import World

from . import apprenticeships_scene
from .objects import Kwargs, Resolver, _newcomer

SPONSORS = {"own": "own_staff", "partner": "partner_admin"}
_NEWCOMERS = itertools.count(1)  # each call's outside sponsor is a new person (a unique email)


def _sponsor(world: World, which: str):
    if which in SPONSORS:
        return world.person(SPONSORS[which])
    return _newcomer(world, which, f"sponsor{next(_NEWCOMERS)}").person


def project(world: World, which: str, **fields) -> WorkplaceProject:
    """A proposed project of a new enrolment, with milestones in weeks 1 and 12."""
    enrolment = apprenticeships_scene.enrolment(world, which)
    made = WorkplaceProject.objects.create(
        enrolment=enrolment,
        title="A shared front door for adult social care",
        scope="Options for one front door across the partners.",
        sponsor=_sponsor(world, which),
        starts_on=dt.date(2027, 4, 5),
        created_by=enrolment.apprentice,
        **fields,
    )
    Milestone.objects.create(project=made, week=1, title="Interview the service leads")
    Milestone.objects.create(project=made, week=12, title="Present the proposal")
    return made


def enrolment_with_project(world: World, which: str) -> Kwargs:
    return {"pk": project(world, which).enrolment_id}


def milestone(world: World, which: str) -> Kwargs:
    made = project(world, which)
    return {"pk": made.enrolment_id, "milestone_pk": made.milestones.first().pk}


def submitted_with_file(world: World, which: str) -> Kwargs:
    """A submitted project with a stored text file."""
    checked = uploads.check_upload(SimpleUploadedFile("proposal.txt", b"The proposal.\n"))
    made = project(
        world,
        which,
        state=ProjectState.SUBMITTED,
        submitted_on=dt.date(2027, 7, 2),
        summary="One front door.",
        storage_name=uploads.store(checked),
        file_name=checked.file_name,
        content_type=checked.content_type,
        size_bytes=checked.size_bytes,
        sha256=checked.sha256,
    )
    return {"pk": made.enrolment_id}


def enrolment(world: World, which: str) -> Kwargs:
    return {"pk": apprenticeships_scene.enrolment(world, which).pk}


RESOLVERS: dict[str, Resolver] = {
    "apprenticeships:project": enrolment_with_project,
    "apprenticeships:project_propose": enrolment_with_project,
    "apprenticeships:project_approve": enrolment_with_project,
    "apprenticeships:project_milestone_done": milestone,
    "apprenticeships:project_submit": enrolment_with_project,
    "apprenticeships:project_sign_off": enrolment_with_project,
    "apprenticeships:project_file": submitted_with_file,
    "apprenticeships:gateway": enrolment,
    "apprenticeships:gateway_agree": enrolment,
    "api:apprenticeship_project": enrolment_with_project,
    "api:apprenticeship_gateway": enrolment,
    "api:apprenticeship_gateway_agree": enrolment,
}

ENROLMENTS = "/api/v1/apprenticeships/enrolments"
API_RESOLVERS: dict[str, Resolver] = {
    f"GET {ENROLMENTS}/{{pk}}/project": enrolment_with_project,
    f"GET {ENROLMENTS}/{{pk}}/gateway": enrolment,
    f"POST {ENROLMENTS}/{{pk}}/gateway/agree": enrolment,
}
