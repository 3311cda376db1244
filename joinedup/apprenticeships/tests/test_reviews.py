"""Progress reviews through the services: scheduling (on activation, idempotent, a moved planned
end), recording with the hours snapshot, signing in turn with the refusals, overdue on the right
day, the "Reviews due" list and the daily overdue e-mails."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from joinedup.apprenticeships import enrolments, reviews, statements
from joinedup.apprenticeships.models import (
    CheckState,
    EnrolmentStatus,
    OffTheJobActivity,
    OffTheJobEntry,
    ProgressReview,
    ReviewParty,
)
from joinedup.apprenticeships.tests.factories import EnrolmentFactory
from joinedup.partnership.models import AuditEvent

from .statement_scene import Scene, build_scene

FIRST_DUE = dt.date(2026, 11, 24)
HELD = dt.date(2026, 11, 24)


@pytest.fixture
def scene(db) -> Scene:
    made = build_scene(status=EnrolmentStatus.ACTIVE)
    reviews.schedule(made.enrolment)
    return made


def first(scene: Scene) -> ProgressReview:
    return scene.enrolment.reviews.select_related("enrolment").get(number=1)


def _record(scene: Scene, review: ProgressReview | None = None, **changes) -> ProgressReview:
    values = {
        "held_on": HELD,
        "progress": "Leading people module passed",
        "actions": "Plan the workplace project",
        "off_the_job_check": "On track",
        **changes,
    }
    return reviews.record(actor=scene.tutor, review=review or first(scene), **values)


def test_schedule_makes_eight_reviews_for_two_years_and_again_changes_nothing(scene):
    enrolment = scene.enrolment
    due = list(enrolment.reviews.order_by("number").values_list("due_on", flat=True))
    assert due[0] == FIRST_DUE
    assert due[-1] == dt.date(2028, 7, 4)
    assert len(due) == 8
    assert reviews.schedule(enrolment) == 0
    assert enrolment.reviews.count() == 8


def test_a_later_planned_end_adds_reviews_and_an_earlier_one_keeps_the_recorded_ones(scene):
    enrolment = scene.enrolment
    _record(scene)
    enrolment.planned_end_on = dt.date(2028, 12, 31)
    assert reviews.schedule(enrolment) == 2
    enrolment.planned_end_on = dt.date(2026, 12, 31)
    reviews.schedule(enrolment)
    assert list(enrolment.reviews.values_list("number", flat=True)) == [1]
    enrolment.planned_end_on = dt.date(2026, 10, 1)
    reviews.schedule(enrolment)
    assert enrolment.reviews.get().recorded_at is not None


def test_the_enrolment_gets_its_reviews_when_all_three_sign_the_statement(db):
    new = build_scene()
    statement = statements.issue(new.enrolment, actor=new.employer, reason="Enrolled")
    assert not new.enrolment.reviews.exists()
    for actor in (new.apprentice, new.employer, new.provider):
        statements.sign(actor=actor, statement=statement)
    assert new.enrolment.reviews.count() == 8


def test_the_daily_job_schedules_live_enrolments_that_started_before_reviews(scene):
    older = EnrolmentFactory(status=EnrolmentStatus.ACTIVE)
    waiting = EnrolmentFactory(status=EnrolmentStatus.AWAITING_COMMITMENT)
    assert reviews.schedule_all() == 8
    assert older.reviews.count() == 8
    assert not waiting.reviews.exists()
    assert reviews.schedule_all() == 0


def test_the_tutor_records_a_review_with_the_hours_logged_and_verified_so_far(scene):
    for hours, state in (("7.5", CheckState.ACCEPTED), ("3", CheckState.AWAITING)):
        OffTheJobEntry.objects.create(
            enrolment=scene.enrolment,
            on=dt.date(2026, 10, 1),
            hours=Decimal(hours),
            activity=OffTheJobActivity.MODULE_STUDY,
            state=state,
            created_by=scene.apprentice.person,
        )
    review = _record(scene)
    assert review.held_on == HELD
    assert review.logged_hours == Decimal("10.5")
    assert review.verified_hours == Decimal("7.5")
    assert review.recorded_by == scene.tutor.person
    assert AuditEvent.objects.filter(
        action="apprenticeships.review_recorded", object_id=str(review.pk)
    ).exists()


def test_recording_refuses_a_future_date_blank_check_a_second_time_and_others(scene):
    tomorrow = reviews.today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        _record(scene, held_on=tomorrow)
    assert "cannot be in the future" in error.value.message_dict["held_on"][0]
    with pytest.raises(ValidationError) as error:
        _record(scene, off_the_job_check="  ")
    assert error.value.message_dict == {"off_the_job_check": ["Enter the off-the-job check"]}
    with pytest.raises(PermissionDenied):
        reviews.record(
            actor=scene.line_manager,
            review=first(scene),
            held_on=HELD,
            progress="x",
            actions="x",
            off_the_job_check="x",
        )
    _record(scene)
    with pytest.raises(ValidationError, match="already been recorded"):
        _record(scene)


def test_the_provider_programme_leader_may_record_too(scene):
    review = reviews.record(
        actor=scene.provider,
        review=first(scene),
        held_on=HELD,
        progress="Good",
        actions="More",
        off_the_job_check="Fine",
    )
    assert review.recorded_by == scene.provider.person


def test_all_three_sign_in_turn_and_the_third_makes_it_fully_signed(scene):
    review = _record(scene)
    with pytest.raises(ValidationError, match="not your turn.*the apprentice signs next"):
        reviews.sign(actor=scene.line_manager, review=review)
    with pytest.raises(ValidationError, match="the apprentice signs next"):
        reviews.sign(actor=scene.tutor, review=review)
    reviews.sign(actor=scene.apprentice, review=review)
    with pytest.raises(ValidationError, match="already signed review 1 for the apprentice"):
        reviews.sign(actor=scene.apprentice, review=review)
    reviews.sign(actor=scene.line_manager, review=review)
    assert review.fully_signed_at is None
    reviews.sign(actor=scene.tutor, review=review)
    review.refresh_from_db()
    assert review.fully_signed_at is not None
    parties = list(review.signatures.order_by("id").values_list("party", flat=True))
    assert parties == [ReviewParty.APPRENTICE, ReviewParty.LINE_MANAGER, ReviewParty.TUTOR]
    with pytest.raises(ValidationError, match="already signed by all three"):
        reviews.sign(actor=scene.tutor, review=review)


def test_an_unrecorded_review_is_not_signed_and_others_may_not_sign(scene):
    with pytest.raises(ValidationError, match="has not been recorded yet"):
        reviews.sign(actor=scene.apprentice, review=first(scene))
    review = _record(scene)
    for outsider in (scene.employer, scene.provider, scene.outsider):
        with pytest.raises(PermissionDenied):
            reviews.sign(actor=outsider, review=review)


def test_without_a_line_manager_the_tutor_is_told_the_employer_must_name_one(db):
    new = build_scene(status=EnrolmentStatus.ACTIVE, line_manager=None)
    reviews.schedule(new.enrolment)
    review = _record(new)
    reviews.sign(actor=new.apprentice, review=review)
    with pytest.raises(ValidationError, match="the employer's L&D lead must name one"):
        reviews.sign(actor=new.tutor, review=review)


def test_a_review_is_overdue_the_day_after_it_is_due_until_all_three_sign(scene):
    review = first(scene)
    assert reviews.state_of(review, on=FIRST_DUE).key == "due"
    assert reviews.state_of(review, on=FIRST_DUE + dt.timedelta(days=1)).key == "overdue"
    _record(scene)
    review = first(scene)
    reviews.sign(actor=scene.apprentice, review=review)
    state = reviews.state_of(review, on=FIRST_DUE + dt.timedelta(days=1))
    assert (state.key, state.overdue) == ("awaiting_signatures", True)
    assert state.next_party_name == "the line manager"
    reviews.sign(actor=scene.line_manager, review=review)
    reviews.sign(actor=scene.tutor, review=review)
    assert reviews.state_of(first(scene), on=FIRST_DUE + dt.timedelta(days=1)).key == "signed"


def test_reviews_due_lists_the_tutors_and_the_employers_and_not_an_outsiders(scene):
    day = FIRST_DUE + dt.timedelta(days=3)
    for actor in (scene.tutor, scene.employer, scene.provider):
        assert [r.number for r in reviews.due_list(actor, on=day)] == [1]
    assert not reviews.due_list(scene.outsider, on=day).exists()
    assert not reviews.due_list(scene.line_manager, on=day).exists()
    assert [r.number for r in reviews.due_list(scene.tutor, on=dt.date(2027, 1, 25))] == [1, 2]


def test_reviews_due_follows_the_enrolments_tutor_and_status(scene):
    day = FIRST_DUE + dt.timedelta(days=3)
    enrolment = scene.enrolment
    standard = enrolment.cohort.programme.standard
    standard.off_the_job_hours = 187  # the rules for starts from August 2025 need it
    standard.save(update_fields=["off_the_job_hours"])
    enrolments.edit_terms(
        actor=scene.employer,
        enrolment=enrolment,
        price=enrolment.price,
        planned_end_on=enrolment.planned_end_on,
        hours_per_week=enrolment.hours_per_week,
        practice_tutor=None,
        line_manager=enrolment.line_manager,
        reason="The tutor has left",
    )
    assert not reviews.due_list(scene.tutor, on=day).exists()
    assert [r.number for r in reviews.due_list(scene.employer, on=day)] == [1]
    enrolments.change_status(
        actor=scene.employer,
        enrolment=enrolment,
        status=EnrolmentStatus.ON_BREAK,
        effective_on=enrolment.status_on,
        reason="Leave",
    )
    assert not reviews.due_list(scene.employer, on=day).exists()
    assert set(enrolment.reviews.values_list("live", "practice_tutor")) == {(False, None)}


def test_reviews_due_takes_the_same_queries_for_one_review_or_many(scene):
    day = dt.date(2027, 1, 25)
    list(reviews.due_list(scene.tutor, on=FIRST_DUE))  # the actor's roles, read once
    with CaptureQueriesContext(connection) as one:
        list(reviews.due_list(scene.tutor, on=FIRST_DUE))
    for _ in range(3):
        more = EnrolmentFactory(
            status=EnrolmentStatus.ACTIVE,
            cohort=scene.enrolment.cohort,
            practice_tutor=scene.tutor.person,
        )
        reviews.schedule(more)
    with CaptureQueriesContext(connection) as many:
        assert len(list(reviews.due_list(scene.tutor, on=day))) == 8
    assert len(one) == len(many)


def test_the_daily_job_emails_the_tutor_and_the_ld_lead_once_about_a_review_now_overdue(scene):
    mail.outbox.clear()
    assert reviews.flag_overdue_reviews(on=FIRST_DUE)["emails"] == 0
    done = reviews.flag_overdue_reviews(on=FIRST_DUE + dt.timedelta(days=1))
    assert done["flagged"] == 1
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [scene.tutor.person.email, scene.employer.person.email]
    )
    message = mail.outbox[0]
    assert message.subject == "A progress review is overdue"
    assert "Amara Okafor" in message.body
    assert "review 1, due 24 November 2026" in message.body
    assert reviews.flag_overdue_reviews(on=FIRST_DUE + dt.timedelta(days=2))["emails"] == 0
    assert len(mail.outbox) == 2


def test_the_daily_job_leaves_out_signed_reviews_and_enrolments_on_a_break(scene):
    review = _record(scene)
    for actor in (scene.apprentice, scene.line_manager, scene.tutor):
        reviews.sign(actor=actor, review=review)
    paused = build_scene(status=EnrolmentStatus.ON_BREAK)
    reviews.schedule(paused.enrolment)
    mail.outbox.clear()
    assert reviews.flag_overdue_reviews(on=FIRST_DUE + dt.timedelta(days=1))["flagged"] == 0
    assert mail.outbox == []


def test_the_progress_summary_counts_overdue_and_names_reviews_to_sign(scene):
    _record(scene)
    summary = reviews.summary(scene.apprentice, scene.enrolment, on=dt.date(2027, 2, 17))
    assert summary.next_due.number == 1
    assert summary.overdue == 2
    assert [r.number for r in summary.to_sign] == [1]
    assert reviews.summary(scene.tutor, scene.enrolment, on=dt.date(2027, 2, 17)).to_sign == []
