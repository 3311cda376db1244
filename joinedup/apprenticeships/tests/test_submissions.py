"""Submitting and marking assignments: the cohort's deadline, attempts, marking once, late feedback
flagged from the day after its due day, and module results.

The scene (statement_scene.py): a council's apprentice on a university's cohort whose reflective
essay is due on Friday 20 November 2026; the practice tutor and the programme leader mark.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from joinedup.apprenticeships import deadline_dashboard, submissions
from joinedup.apprenticeships.models import EnrolmentStatus, Grade, Submission
from joinedup.materials.tests.service_helpers import private_folder, stored_files
from joinedup.partnership.models import AuditEvent

from .statement_scene import build_scene

pytestmark = pytest.mark.django_db

DEADLINE = dt.date(2026, 11, 20)  # a Friday
MONDAY = dt.date(2026, 11, 16)


@pytest.fixture
def scene():
    return build_scene(status=EnrolmentStatus.ACTIVE)


def _essay(scene):
    return scene.enrolment.cohort.programme.modules.get(order=1).assignments.get()


def _submit(scene, on: dt.date, **fields):
    values = {"text": "My reflective essay."} | fields
    return submissions.submit(
        actor=scene.apprentice,
        enrolment=scene.enrolment,
        assignment=_essay(scene),
        today=on,
        **values,
    )


def _mark(scene, submission, grade: str, on: dt.date, marker=None):
    return submissions.mark(
        actor=marker or scene.tutor,
        submission=submission,
        grade=grade,
        feedback="Clear and well argued.",
        today=on,
    )


def _refusal(error: ValidationError, field: str) -> str:
    return " ".join(error.value.message_dict[field])


def test_a_submission_on_the_deadline_day_fixes_feedback_due_15_working_days_later(scene):
    made = _submit(scene, DEADLINE)
    assert (made.attempt, made.submitted_on, made.deadline_on) == (1, DEADLINE, DEADLINE)
    assert made.provider_id == scene.enrolment.provider_id
    # Monday 23 November is the first working day after; the 15th is Friday 11 December.
    assert made.feedback_due_on == dt.date(2026, 12, 11)
    assert AuditEvent.objects.filter(action="submission.submitted", object_id=made.pk).exists()


def test_a_first_attempt_after_the_deadline_is_refused_naming_the_date(scene):
    with pytest.raises(ValidationError) as error:
        _submit(scene, DEADLINE + dt.timedelta(days=1))
    assert "Friday 20 November 2026" in _refusal(error, "assignment")
    assert not Submission.objects.exists()


def test_only_the_apprentice_submits_and_something_must_be_submitted(scene):
    with pytest.raises(ValidationError):
        submissions.submit(
            actor=scene.tutor,
            enrolment=scene.enrolment,
            assignment=_essay(scene),
            text="On their behalf",
            today=MONDAY,
        )
    with pytest.raises(ValidationError) as error:
        _submit(scene, MONDAY, text="   ")
    assert "Write your submission or choose a file" in _refusal(error, "text")


def test_an_apprenticeship_awaiting_its_statement_cannot_submit():
    scene = build_scene()
    with pytest.raises(ValidationError) as error:
        _submit(scene, MONDAY)
    assert "awaiting commitment statement" in _refusal(error, "assignment")


def test_a_resubmission_after_a_fail_is_a_new_attempt_even_after_the_deadline(scene):
    first = _submit(scene, MONDAY)
    with pytest.raises(ValidationError) as error:
        _submit(scene, MONDAY)
    assert "awaiting feedback" in _refusal(error, "assignment")
    _mark(scene, first, Grade.FAIL, dt.date(2026, 11, 30))
    second = _submit(scene, dt.date(2026, 12, 2))
    assert second.attempt == 2
    assert second.deadline_on == DEADLINE
    _mark(scene, second, Grade.MERIT, dt.date(2026, 12, 3), marker=scene.provider)
    with pytest.raises(ValidationError) as error:
        _submit(scene, dt.date(2026, 12, 4))
    assert "You have passed" in _refusal(error, "assignment")


def test_an_attempt_is_marked_once_even_from_a_stale_copy(scene):
    made = _submit(scene, MONDAY)
    stale = Submission.objects.get(pk=made.pk)
    _mark(scene, made, Grade.PASS, MONDAY)
    with pytest.raises(ValidationError, match="already been marked"):
        _mark(scene, stale, Grade.DISTINCTION, MONDAY, marker=scene.provider)
    made.refresh_from_db()
    assert (made.grade, made.marked_on, made.marked_by_id) == (
        Grade.PASS,
        MONDAY,
        scene.tutor.person.pk,
    )


def test_marking_needs_the_tutor_or_a_leader_a_grade_and_feedback(scene):
    made = _submit(scene, MONDAY)
    for actor in (scene.line_manager, scene.employer, scene.apprentice):
        with pytest.raises(ValidationError):
            _mark(scene, made, Grade.PASS, MONDAY, marker=actor)
    with pytest.raises(ValidationError) as error:
        submissions.mark(
            actor=scene.tutor, submission=made, grade="excellent", feedback="x", today=MONDAY
        )
    assert "Choose a grade" in _refusal(error, "grade")
    with pytest.raises(ValidationError) as error:
        submissions.mark(
            actor=scene.tutor, submission=made, grade=Grade.PASS, feedback="  ", today=MONDAY
        )
    assert "Write your feedback" in _refusal(error, "feedback")
    assert Submission.objects.get(pk=made.pk).marked_on is None


def test_late_feedback_is_flagged_on_the_first_day_after_the_due_day(scene):
    made = _submit(scene, MONDAY)
    due = made.feedback_due_on
    assert due == dt.date(2026, 12, 7)
    day_after = due + dt.timedelta(days=1)
    assert submissions.feedback_state(made, due) == "due_today"
    assert not submissions.feedback_is_late(made, due)
    assert submissions.feedback_state(made, day_after) == "overdue"
    assert submissions.feedback_is_late(made, day_after)
    # On the dashboard: due today (not overdue) on the due day; overdue, 1 working day, the next.
    on_the_day = deadline_dashboard.dashboard(scene.provider, due)
    assert [s.pk for s in on_the_day.due_soon.items] == [made.pk]
    assert on_the_day.overdue_rows == []
    next_day = deadline_dashboard.dashboard(scene.provider, day_after)
    assert [(r.submission.pk, r.working_days_late) for r in next_day.overdue_rows] == [(made.pk, 1)]
    assert next_day.due_soon.items == []
    # Marked on the due day it was on time; marked the day after, it was late.
    _mark(scene, made, Grade.PASS, due)
    assert submissions.feedback_state(made, day_after) == "marked"
    made.marked_on = day_after
    assert submissions.feedback_state(made, day_after) == "marked_late"


def test_working_days_late_skip_weekends_and_the_providers_closure_days(scene):
    from joinedup.apprenticeships.models import ClosureDay

    made = _submit(scene, MONDAY)  # feedback due Monday 7 December
    ClosureDay.objects.create(
        provider=scene.enrolment.provider,
        on=dt.date(2026, 12, 9),
        reason="Staff day",
        added_by=scene.provider.person,
    )
    rows = deadline_dashboard.dashboard(scene.tutor, dt.date(2026, 12, 13)).overdue_rows
    # Tuesday 8, (Wednesday 9 closed), Thursday 10, Friday 11; not the weekend.
    assert [(r.submission.pk, r.working_days_late) for r in rows] == [(made.pk, 3)]


def test_modules_pass_when_every_assignments_latest_marked_attempt_passes(scene):
    made = _submit(scene, MONDAY)
    results = submissions.assignments_of(scene.enrolment).results
    assert [(r.module.order, r.passed) for r in results] == [(1, False), (2, False)]
    assert "awaiting feedback" in results[0].why
    _mark(scene, made, Grade.PASS, MONDAY)
    results = submissions.assignments_of(scene.enrolment).results
    assert [(r.module.order, r.passed) for r in results] == [(1, True), (2, False)]
    assert results[0].why == "Passed: Reflective essay passed (pass)"
    assert "Strategy report not submitted yet" in results[1].why


def test_a_file_is_stored_and_a_refused_file_stores_nothing(scene, settings, tmp_path):
    root = private_folder(settings, tmp_path)
    made = _submit(scene, MONDAY, text="", upload=SimpleUploadedFile("essay.txt", b"My essay\n"))
    assert (made.file_name, made.size_bytes) == ("essay.txt", 9)
    assert len(stored_files(root)) == 1
    other = scene.enrolment.cohort.programme.modules.get(order=2).assignments.first()
    with pytest.raises(ValidationError) as error:
        submissions.submit(
            actor=scene.apprentice,
            enrolment=scene.enrolment,
            assignment=other,
            upload=SimpleUploadedFile("page.txt", b"<html><script>x</script></html>"),
            today=MONDAY,
        )
    assert error.value.message_dict["file"]
    assert len(stored_files(root)) == 1


def test_submissions_due_soon_lists_deadlines_in_the_next_14_days_not_yet_submitted(scene):
    soon = deadline_dashboard.dashboard(scene.tutor, dt.date(2026, 11, 6)).submissions_soon
    enrolment = scene.enrolment
    assert [
        (e.pk, e.due_on, e.assignment_title, e.apprentice_name, e.employer_name) for e in soon.items
    ] == [
        (
            enrolment.pk,
            DEADLINE,
            "Reflective essay",
            enrolment.apprentice.full_name,
            enrolment.employer.name,
        )
    ]
    assert (
        deadline_dashboard.dashboard(scene.tutor, dt.date(2026, 11, 5)).submissions_soon.items == []
    )
    _submit(scene, MONDAY)
    assert deadline_dashboard.dashboard(scene.provider, MONDAY).submissions_soon.items == []
    assert deadline_dashboard.dashboard(scene.employer, MONDAY).submissions_soon.items == []
