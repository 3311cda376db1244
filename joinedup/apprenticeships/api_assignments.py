"""The assignments API under /api/v1/apprenticeships (see docs/API.md): an enrolment's assignments
and attempts, submitting (text, or a file with optional text), one attempt, marking, and the
deadline dashboard.

Everything is fetched through `access`, as the pages are: an attempt is read by whoever sees its
enrolment; only the apprentice submits; the enrolment's practice tutor or the provider's programme
leaders mark; the dashboard is for practice tutors and programme leaders. Writes need a person: an
organisation token is refused (403). A file goes through the safe upload service, as on the page.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import field_validator

from joinedup.partnership.actor import Actor
from joinedup.partnership.api import Error, Id, OrganisationRef, checked_cursor
from joinedup.partnership.api import storable as _storable
from joinedup.partnership.models import Person

from . import access, deadline_dashboard, submissions
from .api_enrolments import PersonRef, person, refused
from .models import Submission

router = Router(tags=["apprenticeships"])

ERRORS = {frozenset({401, 403, 404, 409, 422}): Error}
NOT_THE_APPRENTICE = "Only the apprentice submits their assignments"
NOT_A_MARKER = "Only the enrolment's practice tutor or the provider's programme leaders mark"
NOT_ON_THE_DASHBOARD = "The deadline dashboard is for practice tutors and programme leaders"
FEEDBACK_KINDS = (dt.date, int)
DEADLINE_KINDS = (dt.date, int, int)


class Named(Schema):
    id: int
    name: str


class SubmissionOut(Schema):
    id: int
    enrolment: int
    assignment: Named
    attempt: int
    deadline_on: dt.date | None = Field(description="The cohort's deadline for the assignment.")
    submitted_on: dt.date
    submitted_at: dt.datetime
    text: str
    file_name: str = Field(description="Empty when no file was uploaded.")
    size_bytes: int
    feedback_due_on: dt.date = Field(
        description="Feedback is due by the end of this day (15 working days after submission)."
    )
    feedback_state: str = Field(
        description="awaiting, due_today, overdue (late from the day after feedback_due_on), "
        "marked or marked_late."
    )
    grade: str | None = Field(description="fail, pass, merit or distinction; null until marked.")
    feedback: str
    marked_by: PersonRef | None
    marked_on: dt.date | None


class AssignmentOut(Schema):
    id: int
    title: str
    module: Named
    weighting: int
    deadline_on: dt.date | None
    may_submit: bool = Field(description="Whether the apprentice may submit an attempt today.")
    why_not: str | None = Field(description="Why they may not (null when they may).")
    attempts: list[SubmissionOut]


class ModuleResultOut(Schema):
    module: Named
    passed: bool
    why: str


class AssignmentsOut(Schema):
    enrolment: int
    assignments: list[AssignmentOut]
    module_results: list[ModuleResultOut]


class SubmitIn(Schema):
    assignment: Id
    text: str = Field(max_length=submissions.TEXT_LIMIT)

    @field_validator("text")
    @classmethod
    def storable(cls, value: str) -> str:
        return _storable(value)


class SubmitFileIn(Schema):
    assignment: Id
    text: str = Field(
        "", max_length=submissions.TEXT_LIMIT, description="Optional, beside the file."
    )

    @field_validator("text")
    @classmethod
    def storable(cls, value: str) -> str:
        return _storable(value)


class MarkIn(Schema):
    grade: str = Field(max_length=12, description="fail, pass, merit or distinction.")
    feedback: str = Field(max_length=submissions.FEEDBACK_LIMIT)

    @field_validator("grade", "feedback")
    @classmethod
    def storable(cls, value: str) -> str:
        return _storable(value)


class DashboardRow(Schema):
    submission: int
    enrolment: int
    apprentice: PersonRef
    employer: OrganisationRef
    assignment: Named
    attempt: int
    submitted_on: dt.date
    feedback_due_on: dt.date


class OverdueRow(DashboardRow):
    working_days_late: int


class SubmissionDueRow(Schema):
    enrolment: int
    reference: str
    apprentice: PersonRef
    employer: OrganisationRef
    assignment: Named
    due_on: dt.date


class OverduePage(Schema):
    items: list[OverdueRow]
    next: str | None


class DuePage(Schema):
    items: list[DashboardRow]
    next: str | None


class SubmissionsDuePage(Schema):
    items: list[SubmissionDueRow]
    next: str | None


class DeadlinesOut(Schema):
    today: dt.date
    feedback_due_by: dt.date = Field(description="The end of the 5th working day after today.")
    feedback_overdue: OverduePage
    feedback_due_soon: DuePage
    submissions_due_soon: SubmissionsDuePage = Field(
        description="Cohort deadlines in the next 14 days not yet submitted by active apprentices."
    )


class DeadlinesQuery(Schema):
    overdue_cursor: str | None = Field(None, max_length=1000)
    soon_cursor: str | None = Field(None, max_length=1000)
    submissions_cursor: str | None = Field(None, max_length=1000)
    limit: int = Field(50, ge=1, le=200, description="Items per list, from 1 to 200.")


def _person(who) -> dict | None:
    return None if who is None else {"id": who.pk, "name": who.full_name}


def submission_out(submission: Submission, today: dt.date) -> dict:
    """An attempt in the API's shape (its assignment and marker selected)."""
    return {
        "id": submission.pk,
        "enrolment": submission.enrolment_id,
        "assignment": {"id": submission.assignment_id, "name": submission.assignment.title},
        "attempt": submission.attempt,
        "deadline_on": submission.deadline_on,
        "submitted_on": submission.submitted_on,
        "submitted_at": submission.submitted_at,
        "text": submission.text,
        "file_name": submission.file_name,
        "size_bytes": submission.size_bytes,
        "feedback_due_on": submission.feedback_due_on,
        "feedback_state": submissions.feedback_state(submission, today),
        "grade": submission.grade or None,
        "feedback": submission.feedback,
        "marked_by": _person(submission.marked_by) if submission.marked_by_id else None,
        "marked_on": submission.marked_on,
    }


@router.get(
    "/enrolments/{pk}/assignments",
    response={200: AssignmentsOut, **ERRORS},
    summary="An enrolment's assignments",
)
def apprenticeship_assignments(request: HttpRequest, pk: Id) -> dict:
    """Each assignment of the programme with the cohort's deadline and every attempt, and each
    module's result, for whoever sees the enrolment."""
    actor: Actor = request.auth
    enrolment = access.get_enrolment_for(actor, pk)
    today = submissions.today_in_london()
    programme = submissions.assignments_of(enrolment, today=today)
    rows = programme.rows
    markers = {
        p.pk: p
        for p in _markers([a.marked_by_id for row in rows for a in row.attempts if a.marked_by_id])
    }
    for row in rows:
        for attempt in row.attempts:
            attempt.marked_by = markers.get(attempt.marked_by_id)
    may_submit = access.may_submit(actor, enrolment)
    return {
        "enrolment": enrolment.pk,
        "assignments": [
            {
                "id": row.assignment.pk,
                "title": row.assignment.title,
                "module": {"id": row.module.pk, "name": row.module.title},
                "weighting": row.assignment.weighting,
                "deadline_on": row.deadline,
                "may_submit": may_submit and row.refusal is None,
                "why_not": row.refusal if may_submit else NOT_THE_APPRENTICE,
                "attempts": [submission_out(a, today) for a in row.attempts],
            }
            for row in rows
        ],
        "module_results": [
            {
                "module": {"id": result.module.pk, "name": result.module.title},
                "passed": result.passed,
                "why": result.why,
            }
            for result in programme.results
        ],
    }


def _markers(ids: list[int]):
    return Person.objects.filter(pk__in=set(ids)) if ids else []


@router.post(
    "/enrolments/{pk}/submissions",
    response={201: SubmissionOut, **ERRORS},
    summary="Submit an assignment",
)
def apprenticeship_submit(request: HttpRequest, pk: Id, data: SubmitIn) -> Status:
    """The apprentice submits an attempt as text, on or before the cohort's deadline (a
    resubmission only after a fail). 422 naming the field when refused, such as after the
    deadline; 403 for anyone else who sees the enrolment."""
    return _submit(request, pk, data.assignment, data.text, upload=None)


@router.post(
    "/enrolments/{pk}/submissions/file",
    response={201: SubmissionOut, **ERRORS},
    summary="Submit an assignment as a file",
)
def apprenticeship_submit_file(
    request: HttpRequest, pk: Id, data: Form[SubmitFileIn], file: File[UploadedFile]
) -> Status:
    """The apprentice submits an attempt as a file (multipart form data: `assignment`, `text`
    optional, `file`), checked by the safe upload service: a refused file is a 422 naming `file`
    and stores nothing. Otherwise as submitting text."""
    return _submit(request, pk, data.assignment, data.text, upload=file)


def _submit(
    request: HttpRequest, pk: int, assignment_id: int, text: str, *, upload: UploadedFile | None
) -> Status:
    actor = person(request)
    enrolment = access.get_enrolment_for(actor, pk)
    if not access.may_submit(actor, enrolment):
        raise HttpError(403, NOT_THE_APPRENTICE)
    today = submissions.today_in_london()
    assignment = next(
        (
            row.assignment
            for row in submissions.assignment_rows(enrolment, today=today)
            if row.assignment.pk == assignment_id
        ),
        None,
    )
    if assignment is None:
        raise HttpError(422, "assignment (body): Choose an assignment of the programme")
    try:
        made = submissions.submit(
            actor=actor,
            enrolment=enrolment,
            assignment=assignment,
            text=text,
            upload=upload,
            today=today,
        )
    except ValidationError as error:
        raise refused(error) from error
    return Status(201, submission_out(access.get_submission_for(actor, made.pk), today))


@router.get("/submissions/{pk}", response={200: SubmissionOut, **ERRORS}, summary="An attempt")
def apprenticeship_submission(request: HttpRequest, pk: Id) -> dict:
    """One attempt, its feedback due date, grade and feedback, for whoever sees the enrolment."""
    actor: Actor = request.auth
    found = access.get_submission_for(actor, pk)
    return submission_out(found, submissions.today_in_london())


@router.post(
    "/submissions/{pk}/mark", response={200: SubmissionOut, **ERRORS}, summary="Mark an attempt"
)
def apprenticeship_mark(request: HttpRequest, pk: Id, data: MarkIn) -> dict:
    """The practice tutor or a programme leader marks the attempt once, with a grade and feedback
    (409 when it has been marked already; 403 for others who see it)."""
    actor = person(request)
    found = access.get_submission_for(actor, pk)
    if not access.may_mark(actor, found.enrolment):
        raise HttpError(403, NOT_A_MARKER)
    today = submissions.today_in_london()
    try:
        submissions.mark(
            actor=actor, submission=found, grade=data.grade, feedback=data.feedback, today=today
        )
    except ValidationError as error:
        raise refused(error) from error
    return submission_out(access.get_submission_for(actor, pk), today)


def _feedback_row(submission: Submission) -> dict:
    enrolment = submission.enrolment
    return {
        "submission": submission.pk,
        "enrolment": enrolment.pk,
        "apprentice": _person(enrolment.apprentice),
        "employer": enrolment.employer,
        "assignment": {"id": submission.assignment_id, "name": submission.assignment.title},
        "attempt": submission.attempt,
        "submitted_on": submission.submitted_on,
        "feedback_due_on": submission.feedback_due_on,
    }


@router.get("/deadlines", response={200: DeadlinesOut, **ERRORS}, summary="Deadline dashboard")
def apprenticeship_deadlines(request: HttpRequest, query: Query[DeadlinesQuery]) -> dict:
    """Feedback overdue (oldest first, with working days late), feedback due in the next 5
    working days, and submissions due in the next 14 days: a practice tutor's apprentices, or
    every apprentice of a programme leader's organisation. Each list has its own cursor."""
    actor: Actor = request.auth
    if not access.may_see_deadlines(actor):
        raise HttpError(403, NOT_ON_THE_DASHBOARD)
    cursors = {
        "overdue": (checked_cursor(query.overdue_cursor, FEEDBACK_KINDS), None),
        "soon": (checked_cursor(query.soon_cursor, FEEDBACK_KINDS), None),
        "submissions": (checked_cursor(query.submissions_cursor, DEADLINE_KINDS), None),
    }
    today = submissions.today_in_london()
    found = deadline_dashboard.dashboard(actor, today, cursors=cursors, size=query.limit)
    return {
        "today": today,
        "feedback_due_by": found.horizon,
        "feedback_overdue": {
            "items": [
                {**_feedback_row(row.submission), "working_days_late": row.working_days_late}
                for row in found.overdue_rows
            ],
            "next": found.overdue.next_cursor,
        },
        "feedback_due_soon": {
            "items": [_feedback_row(s) for s in found.due_soon.items],
            "next": found.due_soon.next_cursor,
        },
        "submissions_due_soon": {
            "items": [
                {
                    "enrolment": e.pk,
                    "reference": e.reference,
                    "apprentice": {"id": e.apprentice_id, "name": e.apprentice_name},
                    "employer": {"id": e.employer_id, "name": e.employer_name},
                    "assignment": {"id": e.due_assignment_id, "name": e.assignment_title},
                    "due_on": e.due_on,
                }
                for e in found.submissions_soon.items
            ],
            "next": found.submissions_soon.next_cursor,
        },
    }
