"""After a run: registers, outcomes, self-paced completion and evaluations (the services)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from joinedup.learning import attendance
from joinedup.learning.models import (
    Attendance,
    Booking,
    BookingStatus,
    DeliveryMode,
    Evaluation,
    Outcome,
    Run,
)
from joinedup.learning.tests.factories import RunFactory, SessionFactory
from joinedup.partnership.models import AuditEvent

RATINGS = {"rating_overall": 5, "rating_content": 4, "rating_delivery": 4, "rating_usefulness": 3}


def past_run(world, *, sessions: int = 1, **fields) -> Run:
    """A run the own organisation hosted, its sessions on the days before today."""
    run = RunFactory(programme__host=world.own, **fields)
    today = timezone.localdate()
    for days in range(sessions, 0, -1):
        SessionFactory(run=run, date=today - dt.timedelta(days=days))
    return run


def place(world, persona: str, run: Run, **fields) -> Booking:
    """A confirmed place on the run for the persona, for the organisation they work for."""
    return Booking.objects.create(
        run=run,
        person=world.person(persona),
        organisation=world.employments[persona].organisation,
        status=BookingStatus.CONFIRMED,
        **fields,
    )


def test_the_host_records_a_register_for_a_session_that_has_started(world):
    run = past_run(world)
    session = run.sessions.get()
    sam, pat = place(world, "own_staff", run), place(world, "partner_staff", run)
    attendance.record_attendance(
        actor=world.actor("own_ld_lead"), session=session, present={sam.pk: True, pat.pk: False}
    )
    marks = dict(Attendance.objects.values_list("booking_id", "present"))
    assert marks == {sam.pk: True, pat.pk: False}
    event = AuditEvent.objects.get(action="attendance.recorded")
    assert event.changes == {"run": run.pk, "present": [sam.pk], "absent": [pat.pk]}


def test_recording_a_register_again_corrects_it_rather_than_adding_rows(world):
    run = past_run(world)
    session = run.sessions.get()
    sam = place(world, "own_staff", run)
    lead = world.actor("own_ld_lead")
    attendance.record_attendance(actor=lead, session=session, present={sam.pk: False})
    attendance.record_attendance(actor=lead, session=session, present={sam.pk: True})
    assert list(Attendance.objects.values_list("present", flat=True)) == [True]


def test_a_session_in_the_future_cannot_be_recorded(world):
    run = RunFactory(programme__host=world.own)
    session = SessionFactory(run=run, date=timezone.localdate() + dt.timedelta(days=3))
    sam = place(world, "own_staff", run)
    with pytest.raises(ValidationError) as refused:
        attendance.record_attendance(
            actor=world.actor("own_ld_lead"), session=session, present={sam.pk: True}
        )
    assert "once the session has started" in str(refused.value)
    assert not Attendance.objects.exists()


def test_only_the_host_records_attendance(world):
    run = past_run(world)
    sam = place(world, "own_staff", run)
    for persona in ("own_staff", "own_admin", "partner_ld_lead"):
        with pytest.raises(PermissionDenied):
            attendance.record_attendance(
                actor=world.actor(persona), session=run.sessions.get(), present={sam.pk: True}
            )


def test_a_register_naming_someone_without_a_confirmed_place_is_refused(world):
    run = past_run(world)
    sam = place(world, "own_staff", run)
    Booking.objects.filter(pk=sam.pk).update(status=BookingStatus.CANCELLED)
    with pytest.raises(ValidationError):
        attendance.record_attendance(
            actor=world.actor("own_ld_lead"), session=run.sessions.get(), present={sam.pk: True}
        )


def test_the_host_records_outcomes_with_an_audit_entry_each(world):
    run = past_run(world)
    sam = place(world, "own_staff", run)
    changed = attendance.record_outcomes(
        actor=world.actor("own_ld_lead"), run=run, outcomes={sam.pk: Outcome.COMPLETED}
    )
    sam.refresh_from_db()
    assert [booking.pk for booking in changed] == [sam.pk]
    assert sam.outcome == Outcome.COMPLETED
    assert sam.outcome_recorded_at is not None
    event = AuditEvent.objects.get(action="booking.outcome_recorded")
    assert event.changes["outcome"] == "completed"
    assert event.changes["previous"] == ""


def test_someone_who_attended_no_session_is_a_no_show(world):
    run = past_run(world, sessions=2)
    sam = place(world, "own_staff", run)
    lead = world.actor("own_ld_lead")
    for session in run.sessions.all():
        attendance.record_attendance(actor=lead, session=session, present={sam.pk: False})
    with pytest.raises(ValidationError) as refused:
        attendance.record_outcomes(actor=lead, run=run, outcomes={sam.pk: Outcome.COMPLETED})
    assert f"outcome_{sam.pk}" in refused.value.error_dict
    attendance.record_outcomes(actor=lead, run=run, outcomes={sam.pk: Outcome.NO_SHOW})
    sam.refresh_from_db()
    assert sam.outcome == Outcome.NO_SHOW


def test_someone_present_at_a_session_cannot_be_a_no_show(world):
    run = past_run(world)
    sam = place(world, "own_staff", run)
    lead = world.actor("own_ld_lead")
    attendance.record_attendance(actor=lead, session=run.sessions.get(), present={sam.pk: True})
    with pytest.raises(ValidationError):
        attendance.record_outcomes(actor=lead, run=run, outcomes={sam.pk: Outcome.NO_SHOW})


def test_outcomes_wait_for_the_first_session(world):
    run = RunFactory(programme__host=world.own)
    SessionFactory(run=run, date=timezone.localdate() + dt.timedelta(days=2))
    sam = place(world, "own_staff", run)
    with pytest.raises(ValidationError) as refused:
        attendance.record_outcomes(
            actor=world.actor("own_ld_lead"), run=run, outcomes={sam.pk: Outcome.COMPLETED}
        )
    assert "first session has started" in str(refused.value)


def test_an_unknown_outcome_is_refused_naming_the_person(world):
    run = past_run(world)
    sam = place(world, "own_staff", run)
    with pytest.raises(ValidationError) as refused:
        attendance.record_outcomes(
            actor=world.actor("own_ld_lead"), run=run, outcomes={sam.pk: "excellent"}
        )
    assert refused.value.error_dict[f"outcome_{sam.pk}"][0].message == (
        f"Select an outcome for {world.person('own_staff').full_name}"
    )


def self_paced_run(world) -> Run:
    return RunFactory(
        programme__host=world.own,
        programme__delivery_mode=DeliveryMode.SELF_PACED,
        completion_deadline=timezone.localdate() + dt.timedelta(days=30),
    )


def test_a_self_paced_learner_says_they_completed_and_the_host_confirms(world):
    run = self_paced_run(world)
    sam = place(world, "own_staff", run)
    attendance.report_completion(actor=world.actor("own_staff"), booking=sam)
    sam.refresh_from_db()
    assert sam.completion_reported_at is not None
    assert sam.outcome == ""
    attendance.record_outcomes(
        actor=world.actor("own_ld_lead"), run=run, outcomes={sam.pk: Outcome.COMPLETED}
    )
    sam.refresh_from_db()
    assert sam.outcome == Outcome.COMPLETED
    assert AuditEvent.objects.filter(action="booking.completion_reported").count() == 1


def test_completion_is_reported_once_and_only_by_the_learner(world):
    run = self_paced_run(world)
    sam = place(world, "own_staff", run)
    with pytest.raises(PermissionDenied):
        attendance.report_completion(actor=world.actor("own_line_manager"), booking=sam)
    attendance.report_completion(actor=world.actor("own_staff"), booking=sam)
    with pytest.raises(ValidationError):
        attendance.report_completion(actor=world.actor("own_staff"), booking=sam)


def test_a_run_with_sessions_has_no_completion_button(world):
    sam = place(world, "own_staff", past_run(world))
    with pytest.raises(ValidationError):
        attendance.report_completion(actor=world.actor("own_staff"), booking=sam)


def test_an_attendee_evaluates_once_after_the_last_session(world):
    run = past_run(world)
    sam = place(world, "own_staff", run, outcome=Outcome.NOT_COMPLETED)
    evaluation = attendance.submit_evaluation(
        actor=world.actor("own_staff"), booking=sam, ratings=RATINGS, went_well="The cases"
    )
    assert evaluation.rating_overall == 5
    assert evaluation.went_well == "The cases"
    event = AuditEvent.objects.get(action="evaluation.submitted")
    assert "went_well" not in event.changes
    with pytest.raises(ValidationError):
        attendance.submit_evaluation(actor=world.actor("own_staff"), booking=sam, ratings=RATINGS)
    assert Evaluation.objects.count() == 1


def test_no_shows_and_runs_not_yet_over_are_not_evaluated(world):
    no_show = place(world, "own_staff", past_run(world), outcome=Outcome.NO_SHOW)
    upcoming = RunFactory(programme__host=world.own)
    SessionFactory(run=upcoming, date=timezone.localdate() + dt.timedelta(days=5))
    early = place(world, "own_staff", upcoming, outcome=Outcome.COMPLETED)
    for booking in (no_show, early):
        with pytest.raises(ValidationError):
            attendance.submit_evaluation(
                actor=world.actor("own_staff"), booking=booking, ratings=RATINGS
            )


def test_ratings_outside_one_to_five_are_refused_naming_the_field(world):
    sam = place(world, "own_staff", past_run(world), outcome=Outcome.COMPLETED)
    with pytest.raises(ValidationError) as refused:
        attendance.submit_evaluation(
            actor=world.actor("own_staff"), booking=sam, ratings={**RATINGS, "rating_content": 6}
        )
    assert set(refused.value.error_dict) == {"rating_content"}


def test_nobody_evaluates_on_someone_elses_behalf(world):
    sam = place(world, "own_staff", past_run(world), outcome=Outcome.COMPLETED)
    with pytest.raises(PermissionDenied):
        attendance.submit_evaluation(
            actor=world.actor("own_line_manager"), booking=sam, ratings=RATINGS
        )


def test_results_count_average_and_distribute_the_ratings(world):
    run = past_run(world)
    first = place(world, "own_staff", run, outcome=Outcome.COMPLETED)
    second = place(world, "partner_staff", run, outcome=Outcome.COMPLETED)
    attendance.submit_evaluation(
        actor=world.actor("own_staff"), booking=first, ratings=RATINGS, to_improve="Longer lunch"
    )
    attendance.submit_evaluation(
        actor=world.actor("partner_staff"), booking=second, ratings={**RATINGS, "rating_overall": 2}
    )
    results = attendance.evaluation_results(run)
    assert results.count == 2
    assert results.attendees == 2
    overall = results.questions[0]
    assert str(overall.average) == "3.5"
    assert [(bar.rating, bar.count, bar.percent) for bar in overall.bars] == [
        (1, 0, 0),
        (2, 1, 50),
        (3, 0, 0),
        (4, 0, 0),
        (5, 1, 50),
    ]
    assert results.comments == [("", "Longer lunch")]


def test_my_follow_ups_list_completion_evaluation_and_certificates(world):
    completed = place(world, "own_staff", past_run(world), outcome=Outcome.COMPLETED)
    self_paced = place(world, "own_staff", self_paced_run(world))
    place(world, "own_staff", past_run(world), outcome=Outcome.NO_SHOW)
    found = attendance.my_follow_ups(world.actor("own_staff"))
    assert found.to_complete == [self_paced]
    assert found.to_evaluate == [completed]
    assert found.certificates == [completed]
