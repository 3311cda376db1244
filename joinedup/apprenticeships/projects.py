"""The workplace project: the apprentice proposes it (title, scope, a sponsor at the employer, a
start date and a 12-week plan of milestones), the practice tutor or a provider's programme leader
approves the scope, the apprentice marks milestones done and submits the proposal (a summary and an
optional file through the safe upload service), and the sponsor signs it off.

Each step moves the project from one state to the next by a conditional UPDATE (`state=...` in
the filter), so two people acting at once cannot both move it; a refusal is a `ValidationError`
naming the field. Every step is in the audit log. Whoever acts next is told by e-mail once the
step is saved: the practice tutor of a proposal (the programme's leaders when there is none), the
apprentice of the approval and the sign-off, the sponsor of the submission.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from joinedup.lib import uploads
from joinedup.partnership import audit
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Person
from joinedup.partnership.notifications import notify_after_commit

from . import access, enrolments, statements
from .models import (
    PROJECT_WEEKS,
    Enrolment,
    EnrolmentStatus,
    Milestone,
    Party,
    ProjectState,
    WorkplaceProject,
)

KIND = "apprenticeships.project"
TITLE_LIMIT = WorkplaceProject._meta.get_field("title").max_length
MILESTONE_LIMIT = Milestone._meta.get_field("title").max_length
SCOPE_LIMIT = 5000
SUMMARY_LIMIT = 5000
COMMENT_LIMIT = 2000
S = ProjectState


@dataclass(frozen=True)
class PlannedMilestone:
    week: int
    title: str


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _record(actor: Actor, action: str, project: WorkplaceProject, changes: dict) -> None:
    enrolment = project.enrolment
    audit.record(
        actor=actor,
        action=f"project.{action}",
        kind=KIND,
        object_id=project.pk,
        label=enrolment.reference,
        organisation=enrolment.employer,
        partnership=enrolment.cohort.programme.partnership,
        changes={"enrolment": enrolment.pk, **changes},
    )


def _tell(people: list[Person], template: str, project: WorkplaceProject) -> None:
    """E-mail each person `notifications/<template>.txt` about the project once the transaction
    commits; a failed e-mail is logged and leaves the step as it is."""
    path = reverse("apprenticeships:project", args=[project.enrolment_id])
    context = {"project": project, "url": settings.SITE_URL.rstrip("/") + path}
    notify_after_commit(people, template, context)


def _approvers(enrolment: Enrolment) -> list[Person]:
    """Who is asked to approve a proposal: the practice tutor, else the programme's leaders."""
    if enrolment.practice_tutor_id is not None:
        return [enrolment.practice_tutor]
    return statements.signers_of(enrolment, Party.PROVIDER)


def _check_open(enrolment: Enrolment) -> None:
    if enrolment.status != EnrolmentStatus.ACTIVE:
        status = EnrolmentStatus(enrolment.status).label.lower()
        raise ValidationError(f"The enrolment is {status}: the project changes only while active")


def _text(value: str, field: str, label: str, limit: int) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise _refuse(field, f"Enter the {label}")
    if len(cleaned) > limit:
        raise _refuse(field, f"The {label} must be {limit:,} characters or fewer")
    return cleaned


def _moved_on(project: WorkplaceProject, field: str, expected: str) -> ValidationError:
    """The refusal when the project is no longer in the expected state."""
    current = WorkplaceProject.objects.filter(pk=project.pk).values_list("state", flat=True)
    state = S(current.first() or expected).label.lower()
    return _refuse(field, f"The project's state has changed: it is now {state}")


# --- Finding the sponsor --------------------------------------------------------------------------


def find_sponsor(enrolment: Enrolment, work_email: str) -> Person:
    """The sponsor: a current member of the employer's staff, by work e-mail (or sign-in)."""
    return enrolments.find_staff_at(enrolment.employer, work_email, "sponsor_email").person


# --- Proposing ------------------------------------------------------------------------------------


def _check_plan(milestones: Sequence[PlannedMilestone]) -> list[PlannedMilestone]:
    plan = []
    for milestone in milestones:
        week = milestone.week
        if isinstance(week, bool) or not isinstance(week, int) or not 1 <= week <= PROJECT_WEEKS:
            raise _refuse("milestones", f"Each milestone's week must be 1 to {PROJECT_WEEKS}")
        title = (milestone.title or "").strip()
        if not title:
            continue
        if len(title) > MILESTONE_LIMIT:
            raise _refuse(
                f"week_{week}",
                f"Week {week}'s milestone must be {MILESTONE_LIMIT} characters or fewer",
            )
        plan.append(PlannedMilestone(week, title))
    if not plan:
        raise _refuse("milestones", "Enter at least one milestone of the 12-week plan")
    return sorted(plan, key=lambda row: row.week)


def _check_start(enrolment: Enrolment, starts_on: dt.date | None) -> dt.date:
    if starts_on is None:
        raise _refuse("starts_on", "Enter the date the project starts")
    if starts_on < enrolment.start_on:
        raise _refuse(
            "starts_on",
            f"The project must start on or after {enrolment.start_on:%-d %B %Y}, the start of "
            "the apprenticeship",
        )
    if starts_on + dt.timedelta(weeks=PROJECT_WEEKS) > enrolment.planned_end_on:
        raise _refuse(
            "starts_on",
            f"The project's {PROJECT_WEEKS} weeks must end by "
            f"{enrolment.planned_end_on:%-d %B %Y}, the planned end of the apprenticeship",
        )
    return starts_on


def propose(
    *,
    actor: Actor,
    enrolment: Enrolment,
    title: str,
    scope: str,
    sponsor: Person,
    starts_on: dt.date | None,
    milestones: Sequence[PlannedMilestone],
) -> WorkplaceProject:
    """The apprentice proposes their project, or changes the proposal while it awaits approval
    (the plan's milestones are replaced)."""
    if actor.person_id != enrolment.apprentice_id:
        raise ValidationError("Only the apprentice proposes their workplace project")
    _check_open(enrolment)
    title = _text(title, "title", "project's title", TITLE_LIMIT)
    scope = _text(scope, "scope", "scope", SCOPE_LIMIT)
    if sponsor.pk == enrolment.apprentice_id:
        raise _refuse("sponsor_email", "The sponsor cannot be the apprentice")
    if not sponsor.employments.current().filter(organisation=enrolment.employer_id).exists():
        raise _refuse(
            "sponsor_email", f"The sponsor must be a current member of {enrolment.employer.name}"
        )
    starts_on = _check_start(enrolment, starts_on)
    plan = _check_plan(milestones)
    values = {"title": title, "scope": scope, "sponsor": sponsor, "starts_on": starts_on}
    existing = WorkplaceProject.objects.filter(enrolment=enrolment).first()
    with transaction.atomic():
        if existing is None:
            try:
                with transaction.atomic():
                    project = WorkplaceProject.objects.create(
                        enrolment=enrolment, created_by=actor.person, **values
                    )
            except IntegrityError as error:
                raise _refuse("title", "A project has already been proposed") from error
            action = "proposed"
        else:
            changed = WorkplaceProject.objects.filter(pk=existing.pk, state=S.PROPOSED).update(
                **values
            )
            if not changed:
                raise _refuse(
                    "title", "The scope has been approved: the proposal no longer changes"
                )
            existing.milestones.all().delete()
            project = WorkplaceProject.objects.get(pk=existing.pk)
            action = "proposal_changed"
        Milestone.objects.bulk_create(
            Milestone(project=project, week=row.week, title=row.title) for row in plan
        )
        project.enrolment = enrolment
        _record(
            actor,
            action,
            project,
            {"sponsor": sponsor.pk, "starts_on": str(starts_on), "milestones": len(plan)},
        )
        _tell(_approvers(enrolment), "apprenticeship_project_to_approve", project)
    return project


# --- Approving, milestones, submitting, signing off -----------------------------------------------


def may_approve(actor: Actor, enrolment: Enrolment) -> bool:
    """The enrolment's practice tutor or the provider's programme leaders approve the scope."""
    return access.may_approve_project(actor, enrolment)


def approve(*, actor: Actor, project: WorkplaceProject) -> WorkplaceProject:
    """The practice tutor (or a provider's programme leader) approves the proposed scope."""
    enrolment = project.enrolment
    if not may_approve(actor, enrolment):
        raise ValidationError("Only the practice tutor or a programme leader approves the scope")
    _check_open(enrolment)
    now = timezone.now()
    with transaction.atomic():
        changed = WorkplaceProject.objects.filter(pk=project.pk, state=S.PROPOSED).update(
            state=S.APPROVED, scope_approved_by=actor.person, scope_approved_at=now
        )
        if not changed:
            raise _moved_on(project, "state", S.PROPOSED)
        _record(actor, "scope_approved", project, {"state": S.APPROVED})
        _tell([enrolment.apprentice], "apprenticeship_project_approved", project)
    project.state = S.APPROVED
    project.scope_approved_by = actor.person
    project.scope_approved_at = now
    return project


def mark_done(
    *, actor: Actor, project: WorkplaceProject, milestone_id: int, on: dt.date | None = None
) -> Milestone:
    """The apprentice marks a milestone of their approved project done (today unless given)."""
    enrolment = project.enrolment
    if actor.person_id != enrolment.apprentice_id:
        raise ValidationError("Only the apprentice marks their milestones done")
    _check_open(enrolment)
    milestone = project.milestones.filter(pk=milestone_id).first()
    if milestone is None:
        raise _refuse("milestone", "Choose a milestone of this project")
    on = on or timezone.localdate()
    if on < project.starts_on:
        raise _refuse(
            "milestone",
            f"A milestone can be done from {project.starts_on:%-d %B %Y}, when the project starts",
        )
    with transaction.atomic():
        changed = Milestone.objects.filter(
            pk=milestone.pk,
            done_on__isnull=True,
            project__state=S.APPROVED,
        ).update(done_on=on)
        if not changed:
            if milestone.done_on is not None:
                raise _refuse("milestone", f"Week {milestone.week}'s milestone is already done")
            raise _refuse(
                "milestone",
                "Milestones are marked done once the scope is approved, until it is submitted",
            )
        _record(actor, "milestone_done", project, {"milestone": milestone.pk, "on": str(on)})
    milestone.done_on = on
    return milestone


def check_file(upload) -> uploads.CheckedUpload | None:
    """An uploaded file through the shared gate (None when no file was chosen)."""
    if upload is None or isinstance(upload, uploads.CheckedUpload):
        return upload
    try:
        return uploads.check_upload(upload)
    except uploads.UploadRefused as refusal:
        raise _refuse("file", refusal.reason) from refusal


def submit(
    *, actor: Actor, project: WorkplaceProject, summary: str, upload=None
) -> WorkplaceProject:
    """The apprentice submits their approved project: a summary of what it recommends and
    optionally the proposal as a file (stored before the transaction, deleted if it fails)."""
    enrolment = project.enrolment
    if actor.person_id != enrolment.apprentice_id:
        raise ValidationError("Only the apprentice submits their workplace project")
    _check_open(enrolment)
    summary = _text(summary, "summary", "summary", SUMMARY_LIMIT)
    if project.state == S.PROPOSED:
        raise _refuse("summary", "The scope must be approved before the project is submitted")
    checked = check_file(upload)
    values = {
        "state": S.SUBMITTED,
        "submitted_on": timezone.localdate(),
        "summary": summary,
    }
    if checked is not None:
        values.update(
            file_name=checked.file_name,
            content_type=checked.content_type,
            size_bytes=checked.size_bytes,
            sha256=checked.sha256,
        )
    storage_name = uploads.store(checked) if checked is not None else ""
    try:
        with transaction.atomic():
            if storage_name:
                values["storage_name"] = storage_name
            changed = WorkplaceProject.objects.filter(pk=project.pk, state=S.APPROVED).update(
                **values
            )
            if not changed:
                raise _moved_on(project, "summary", S.APPROVED)
            _record(actor, "submitted", project, {"state": S.SUBMITTED, "file": bool(checked)})
            _tell([project.sponsor], "apprenticeship_project_to_sign_off", project)
    except BaseException:
        if storage_name:
            uploads.delete_stored(storage_name)
        raise
    for name, value in values.items():
        setattr(project, name, value)
    return project


def sign_off(*, actor: Actor, project: WorkplaceProject, comment: str) -> WorkplaceProject:
    """The sponsor signs off the submitted project, with a comment."""
    if actor.person_id != project.sponsor_id:
        raise ValidationError("Only the project's sponsor signs it off")
    _check_open(project.enrolment)
    comment = _text(comment, "comment", "comment", COMMENT_LIMIT)
    now = timezone.now()
    with transaction.atomic():
        changed = WorkplaceProject.objects.filter(pk=project.pk, state=S.SUBMITTED).update(
            state=S.SIGNED_OFF, signed_off_at=now, sponsor_comment=comment
        )
        if not changed:
            if project.state in (S.PROPOSED, S.APPROVED):
                raise _refuse("comment", "The project has not been submitted yet")
            raise _moved_on(project, "comment", S.SUBMITTED)
        _record(actor, "signed_off", project, {"state": S.SIGNED_OFF})
        _tell([project.enrolment.apprentice], "apprenticeship_project_signed_off", project)
    project.state = S.SIGNED_OFF
    project.signed_off_at = now
    project.sponsor_comment = comment
    return project
