"""The workplace project and gateway tests' scene: the commitment statement scene's apprentice
(active since 1 September 2026, 10 off-the-job hours required) with a sponsor at the council, and
helpers that meet each gateway item."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from joinedup.apprenticeships import projects
from joinedup.apprenticeships.models import (
    CheckState,
    EnrolmentStatus,
    Evidence,
    EvidenceKind,
    Grade,
    Ksb,
    KsbKind,
    Module,
    OffTheJobActivity,
    OffTheJobEntry,
    ProjectState,
    Submission,
    WorkplaceProject,
)
from joinedup.partnership.actor import Actor

from .statement_scene import Scene, _staff, build_scene

STARTS = dt.date(2027, 4, 5)
PLAN = [
    projects.PlannedMilestone(1, "Interview the service leads"),
    projects.PlannedMilestone(6, "Options appraisal"),
    projects.PlannedMilestone(12, "Present the proposal"),
]


@dataclass
class GatewayScene(Scene):
    sponsor: Actor = None  # type: ignore[assignment]


def build() -> GatewayScene:
    scene = build_scene(
        status=EnrolmentStatus.ACTIVE,
        status_on=dt.date(2026, 9, 1),
        required_off_the_job_hours=10,
        planned_off_the_job_hours=10,
    )
    sponsor = _staff(
        scene.enrolment.employer, given_name="Sara", family_name="Sponsor", email="sara@brent.test"
    )
    return GatewayScene(**vars(scene), sponsor=sponsor)


def propose(scene: GatewayScene) -> WorkplaceProject:
    return projects.propose(
        actor=scene.apprentice,
        enrolment=scene.enrolment,
        title="A shared front door",
        scope="One front door for adult social care across the partners.",
        sponsor=scene.sponsor.person,
        starts_on=STARTS,
        milestones=PLAN,
    )


def signed_off_project(scene: GatewayScene) -> WorkplaceProject:
    project = propose(scene)
    WorkplaceProject.objects.filter(pk=project.pk).update(
        state=ProjectState.SIGNED_OFF,
        submitted_on=dt.date(2027, 7, 2),
        summary="One front door",
        signed_off_at=dt.datetime(2027, 7, 9, 10, tzinfo=dt.UTC),
        sponsor_comment="Agreed",
    )
    return project


def pass_modules(scene: GatewayScene, grade: str = Grade.PASS) -> None:
    """A marked submission with this grade for every assignment of the programme."""
    enrolment = scene.enrolment
    for module in Module.objects.filter(programme=enrolment.cohort.programme):
        for assignment in module.assignments.all():
            attempt = Submission.objects.filter(enrolment=enrolment, assignment=assignment).count()
            Submission.objects.create(
                enrolment=enrolment,
                provider=enrolment.provider,
                assignment=assignment,
                attempt=attempt + 1,
                submitted_on=dt.date(2027, 3, 1),
                feedback_due_on=dt.date(2027, 3, 22),
                grade=grade,
                marked_by=scene.tutor.person,
                marked_on=dt.date(2027, 3, 10),
                created_by=enrolment.apprentice,
            )


def ksbs(scene: GatewayScene) -> list[Ksb]:
    """Two KSBs of the standard (K90 and S90), made for the test."""
    standard = scene.enrolment.cohort.programme.standard
    return [
        Ksb.objects.get_or_create(
            standard=standard,
            code=f"{kind}90",
            defaults={"kind": kind, "number": 90, "description": "For the gateway tests"},
        )[0]
        for kind in (KsbKind.KNOWLEDGE, KsbKind.SKILL)
    ]


def evidence_all_ksbs(scene: GatewayScene, state: str = CheckState.ACCEPTED) -> None:
    item = Evidence.objects.create(
        enrolment=scene.enrolment,
        title="Leading the restructure",
        kind=EvidenceKind.TEXT,
        text="What I did",
        state=state,
        created_by=scene.enrolment.apprentice,
    )
    standard = scene.enrolment.cohort.programme.standard
    item.ksbs.set(Ksb.objects.filter(standard=standard))


def log_hours(scene: GatewayScene, hours: str, state: str = CheckState.ACCEPTED) -> None:
    OffTheJobEntry.objects.create(
        enrolment=scene.enrolment,
        on=dt.date(2027, 1, 11),
        hours=Decimal(hours),
        activity=OffTheJobActivity.MODULE_STUDY,
        state=state,
        created_by=scene.enrolment.apprentice,
    )


def make_ready(scene: GatewayScene) -> None:
    """Every item but the two agreements met."""
    pass_modules(scene)
    ksbs(scene)
    evidence_all_ksbs(scene)
    log_hours(scene, "10")
    signed_off_project(scene)
