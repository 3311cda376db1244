"""Assignment submissions and marking, and what they add up to for an enrolment.

- The apprentice submits an assignment of their cohort's programme: a file (through the safe
  upload service, `joinedup.lib.uploads`), text, or both; never neither. `submitted_on` is today's
  date in Europe/London and `feedback_due_on` is fixed then (`deadlines.feedback_due_on`: the end
  of the 15th working day after).
- A first attempt is made on or before the cohort's deadline for the assignment; after it, it is
  refused with a message naming the date. Nobody may let one apprentice submit late: an
  extension is given by the programme leader moving the cohort's deadline (the cohort's edit
  page), since a per-apprentice extension would need a record of its own.
- A resubmission is a new attempt, allowed only once the latest attempt was marked a fail; it is
  not bound by the cohort's deadline (the fail may come after it). Nothing is submitted while the
  latest attempt awaits feedback or after a pass.
- The enrolment's practice tutor or the provider's programme leaders mark an attempt once, with a
  grade and feedback (both required), by a conditional update: two markers at once cannot both
  mark it.
- Feedback is late when it is still unmarked after its due day, or was marked after it: on
  `feedback_due_on` itself it is due today, not late; from the next day it is late.

"Today" is `today_in_london()`, and every function that depends on it takes `today=` so
tests can fix the day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone

from joinedup.lib import uploads
from joinedup.partnership import audit
from joinedup.partnership.actor import Actor

from . import access, deadlines
from .models import (
    PASSING_GRADES,
    Assignment,
    CohortDeadline,
    Enrolment,
    EnrolmentStatus,
    Grade,
    Module,
    Submission,
)

KIND = "apprenticeships.submission"
TEXT_LIMIT = 100_000
FEEDBACK_LIMIT = 20_000
# An apprentice submits while their apprenticeship is under way (not before it starts, not on a
# break, not once it has ended).
SUBMITTING = (EnrolmentStatus.ACTIVE, EnrolmentStatus.AT_GATEWAY, EnrolmentStatus.IN_EPA)


def today_in_london() -> dt.date:
    """Today's date in Europe/London (pages and the API read the day here; tests may fix it)."""
    return timezone.localdate()


def _refuse(field_name: str, message: str) -> ValidationError:
    return ValidationError({field_name: [message]})


def day_text(day: dt.date) -> str:
    """For example "Friday 20 November 2026"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


# --- Late feedback --------------------------------------------------------------------------------


def feedback_is_late(submission: Submission, on: dt.date) -> bool:
    """Unmarked after its due day, or marked after it (`on` is today)."""
    if submission.marked_on is not None:
        return submission.marked_on > submission.feedback_due_on
    return on > submission.feedback_due_on


def feedback_state(submission: Submission, on: dt.date) -> str:
    """marked, marked_late, overdue, due_today or awaiting (`on` is today)."""
    if submission.marked_on is not None:
        return "marked_late" if feedback_is_late(submission, on) else "marked"
    if on > submission.feedback_due_on:
        return "overdue"
    return "due_today" if on == submission.feedback_due_on else "awaiting"


FEEDBACK_STATES = {
    "marked": "Marked",
    "marked_late": "Marked late",
    "overdue": "Feedback overdue",
    "due_today": "Feedback due today",
    "awaiting": "Awaiting feedback",
}


# --- Submitting -----------------------------------------------------------------------------------


def deadline_for(enrolment: Enrolment, assignment: Assignment) -> dt.date | None:
    """The cohort's deadline for the assignment (None if the cohort has none)."""
    found = CohortDeadline.objects.filter(cohort_id=enrolment.cohort_id, assignment=assignment)
    return found.values_list("due_on", flat=True).first()


def latest_attempt(enrolment: Enrolment, assignment: Assignment) -> Submission | None:
    """The apprentice's latest attempt at the assignment."""
    attempts = Submission.objects.filter(enrolment=enrolment, assignment=assignment)
    return attempts.order_by("-attempt").first()


def submit_refusal(
    enrolment: Enrolment,
    assignment: Assignment,
    *,
    previous: Submission | None,
    deadline: dt.date | None,
    on: dt.date,
) -> str | None:
    """Why the apprentice cannot submit the assignment today (None if they can)."""
    if enrolment.status not in SUBMITTING:
        return (
            f"Assignments can be submitted while the apprenticeship is under way; it is "
            f"{enrolment.get_status_display().lower()}"
        )
    if previous is not None and previous.marked_on is None:
        return (
            f"Attempt {previous.attempt} at {assignment.title} is awaiting feedback (due "
            f"{day_text(previous.feedback_due_on)}): you can submit again only after a fail"
        )
    if previous is not None and previous.grade in PASSING_GRADES:
        return f"You have passed {assignment.title} ({previous.get_grade_display().lower()})"
    if previous is None and deadline is not None and on > deadline:
        return (
            f"The deadline for {assignment.title} was {day_text(deadline)}: it can no longer be "
            f"submitted. Ask your programme leader whether the cohort's deadline can be moved"
        )
    return None


def _check_assignment(enrolment: Enrolment, assignment: Assignment | None) -> Assignment:
    if assignment is None:
        raise _refuse("assignment", "Choose the assignment you are submitting")
    programme_id = Module.objects.filter(pk=assignment.module_id).values_list(
        "programme_id", flat=True
    )
    if programme_id.first() != enrolment.cohort.programme_id:
        raise _refuse("assignment", "Choose an assignment of your programme")
    return assignment


def _checked(upload: Any) -> uploads.CheckedUpload | None:
    if upload is None or isinstance(upload, uploads.CheckedUpload):
        return upload
    try:
        return uploads.check_upload(upload)
    except uploads.UploadRefused as refusal:
        raise _refuse("file", refusal.reason) from refusal


def submit(
    *,
    actor: Actor,
    enrolment: Enrolment,
    assignment: Assignment | None,
    text: str = "",
    upload: Any = None,
    today: dt.date | None = None,
) -> Submission:
    """The apprentice submits an attempt at an assignment (text, a file or both); refusals name
    the field (assignment, text or file)."""
    if not access.may_submit(actor, enrolment):
        raise ValidationError("Only the apprentice submits their assignments")
    assignment = _check_assignment(enrolment, assignment)
    text = (text or "").strip()
    if len(text) > TEXT_LIMIT:
        raise _refuse("text", f"Your submission must be at most {TEXT_LIMIT:,} characters")
    if not text and upload is None:
        raise _refuse("text", "Write your submission or choose a file to upload")
    on = today or today_in_london()
    deadline = deadline_for(enrolment, assignment)
    previous = latest_attempt(enrolment, assignment)
    refusal = submit_refusal(enrolment, assignment, previous=previous, deadline=deadline, on=on)
    if refusal:
        raise _refuse("assignment", refusal)
    checked = _checked(upload)
    submission = Submission(
        enrolment=enrolment,
        provider_id=enrolment.provider_id,
        assignment=assignment,
        attempt=previous.attempt + 1 if previous else 1,
        deadline_on=deadline,
        submitted_on=on,
        submitted_at=timezone.now(),
        text=text,
        feedback_due_on=deadlines.feedback_due_on(enrolment.provider_id, on),
        created_by=actor.person,
    )
    if checked is not None:
        submission.file_name = checked.file_name
        submission.content_type = checked.content_type
        submission.size_bytes = checked.size_bytes
        submission.sha256 = checked.sha256
        # Stored before the transaction, and deleted again if saving the record fails.
        submission.storage_name = uploads.store(checked)
    try:
        with transaction.atomic():
            submission.save()
            _record(actor, "submitted", submission, _summary(submission))
    except IntegrityError:
        _forget_file(submission)
        raise _refuse(
            "assignment", "This attempt was submitted a moment ago: refresh the page"
        ) from None
    except BaseException:
        _forget_file(submission)
        raise
    return submission


def _forget_file(submission: Submission) -> None:
    if submission.storage_name:
        uploads.delete_stored(submission.storage_name)


def _summary(submission: Submission) -> dict[str, Any]:
    """The audit entry's changes: ids, dates and sizes, never the text or the file name."""
    return {
        "enrolment": submission.enrolment_id,
        "assignment": submission.assignment_id,
        "attempt": submission.attempt,
        "submitted_on": str(submission.submitted_on),
        "feedback_due_on": str(submission.feedback_due_on),
        "has_text": bool(submission.text),
        "file_bytes": submission.size_bytes,
    }


def _record(actor: Actor, action: str, submission: Submission, changes: dict[str, Any]) -> None:
    enrolment = submission.enrolment
    audit.record(
        actor=actor,
        action=f"submission.{action}",
        kind=KIND,
        object_id=submission.pk,
        label=f"{enrolment.reference} assignment {submission.assignment_id} "
        f"attempt {submission.attempt}",
        organisation=enrolment.provider,
        partnership=enrolment.cohort.programme.partnership,
        changes=changes,
    )


# --- Marking --------------------------------------------------------------------------------------


def mark(
    *,
    actor: Actor,
    submission: Submission,
    grade: str,
    feedback: str,
    today: dt.date | None = None,
) -> Submission:
    """The practice tutor or a programme leader marks the attempt once, with a grade and
    feedback; a second marking is refused."""
    if not access.may_mark(actor, submission.enrolment):
        raise ValidationError("Only the practice tutor or a programme leader marks this")
    if grade not in Grade.values:
        raise _refuse("grade", "Choose a grade")
    feedback = (feedback or "").strip()
    if not feedback:
        raise _refuse("feedback", "Write your feedback")
    if len(feedback) > FEEDBACK_LIMIT:
        raise _refuse("feedback", f"Feedback must be at most {FEEDBACK_LIMIT:,} characters")
    on = today or today_in_london()
    if on < submission.submitted_on:
        raise _refuse("grade", "An attempt cannot be marked before the day it was submitted")
    with transaction.atomic():
        claimed = Submission.objects.filter(pk=submission.pk, marked_on__isnull=True).update(
            grade=grade, feedback=feedback, marked_by=actor.person, marked_on=on
        )
        if not claimed:
            raise ValidationError("This attempt has already been marked")
        submission.grade, submission.feedback = grade, feedback
        submission.marked_by, submission.marked_on = actor.person, on
        _record(
            actor,
            "marked",
            submission,
            {
                "grade": grade,
                "marked_on": str(on),
                "feedback_due_on": str(submission.feedback_due_on),
                "late": feedback_is_late(submission, on),
            },
        )
    return submission


# --- An enrolment's assignments -------------------------------------------------------------------


@dataclass
class AssignmentRow:
    """One assignment of the programme for an enrolment: its deadline and every attempt."""

    assignment: Assignment
    module: Module
    deadline: dt.date | None
    attempts: list[Submission] = field(default_factory=list)
    refusal: str | None = None  # why the apprentice cannot submit now (None: they can)

    @property
    def latest(self) -> Submission | None:
        return self.attempts[-1] if self.attempts else None

    @property
    def latest_marked(self) -> Submission | None:
        marked = [attempt for attempt in self.attempts if attempt.marked_on is not None]
        return marked[-1] if marked else None

    @property
    def passed(self) -> bool:
        latest = self.latest_marked
        return latest is not None and latest.grade in PASSING_GRADES


def _modules(enrolment: Enrolment) -> list[Module]:
    """The programme's modules in order, each with its assignments and the cohort's deadline for
    each (`cohort_due_on`, None when it has none): two queries."""
    deadline = CohortDeadline.objects.filter(
        cohort_id=enrolment.cohort_id, assignment=OuterRef("pk")
    ).values("due_on")[:1]
    assignments = Assignment.objects.annotate(cohort_due_on=Subquery(deadline))
    return list(
        Module.objects.filter(programme_id=enrolment.cohort.programme_id)
        .order_by("order")
        .prefetch_related(Prefetch("assignments", queryset=assignments))
    )


@dataclass(frozen=True)
class Assignments:
    """An enrolment's programme: its modules in order and a row per assignment."""

    modules: list[Module]
    rows: list[AssignmentRow]

    @property
    def results(self) -> list[ModuleResult]:
        """Each module passed or not, and why (`_results_of`)."""
        return _results_of(self.modules, self.rows)


def assignments_of(enrolment: Enrolment, *, today: dt.date | None = None) -> Assignments:
    """Every module and assignment of the enrolment's programme in order, with the cohort's
    deadline and the attempts so far (three queries whatever the size)."""
    modules = _modules(enrolment)
    return Assignments(modules, _rows(enrolment, modules, today or today_in_london()))


def assignment_rows(enrolment: Enrolment, *, today: dt.date | None = None) -> list[AssignmentRow]:
    """The rows of `assignments_of`."""
    return assignments_of(enrolment, today=today).rows


def _rows(enrolment: Enrolment, modules: list[Module], on: dt.date) -> list[AssignmentRow]:
    attempts: dict[int, list[Submission]] = {}
    for submission in Submission.objects.filter(enrolment=enrolment).order_by(
        "assignment_id", "attempt"
    ):
        attempts.setdefault(submission.assignment_id, []).append(submission)
    rows = []
    for module in modules:
        for assignment in module.assignments.all():
            for attempt in attempts.get(assignment.pk, []):
                attempt.assignment = assignment
            row = AssignmentRow(
                assignment=assignment,
                module=module,
                deadline=assignment.cohort_due_on,
                attempts=attempts.get(assignment.pk, []),
            )
            row.refusal = submit_refusal(
                enrolment, assignment, previous=row.latest, deadline=row.deadline, on=on
            )
            rows.append(row)
    return rows


# --- Module results (the gateway's "all modules passed") ------------------------------------------


@dataclass(frozen=True)
class ModuleResult:
    """Whether the apprentice has passed one module, and why (or why not) in words."""

    module: Module
    passed: bool
    why: str


def _attempt_words(row: AssignmentRow) -> str:
    latest, marked = row.latest, row.latest_marked
    title = row.assignment.title
    if latest is None:
        return f"{title} not submitted yet"
    if marked is None:
        return f"{title} awaiting feedback"
    if marked.grade in PASSING_GRADES:
        return f"{title} passed ({marked.get_grade_display().lower()})"
    if latest.pk != marked.pk:
        return (
            f"{title} failed at attempt {marked.attempt}; attempt {latest.attempt} awaits feedback"
        )
    return f"{title} failed at attempt {marked.attempt}"


def _results_of(modules: Iterable[Module], rows: list[AssignmentRow]) -> list[ModuleResult]:
    """Each module passed when every assignment's latest marked attempt has a passing grade."""
    results = []
    for module in modules:
        own = [row for row in rows if row.module.pk == module.pk]
        if not own:
            results.append(ModuleResult(module, False, "The module has no assignments to pass"))
            continue
        passed = all(row.passed for row in own)
        words = "; ".join(_attempt_words(row) for row in own)
        results.append(ModuleResult(module, passed, ("Passed: " if passed else "") + words))
    return results
