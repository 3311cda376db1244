"""E-mails about bookings: sent once after the change commits, to the right person, with facts."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks import default_task_backend
from django_tasks_db.models import DBTaskResult

from joinedup.learning import notices
from joinedup.learning.models import Booking, BookingStatus, ReleaseMode, Run
from joinedup.learning.models import SharingPolicy as Policy
from joinedup.learning.services import (
    accept_offer,
    approve_booking,
    book_place,
    cancel_booking,
    cancel_run,
    close_waiting_lists,
    decline_booking,
    release_unfilled_places,
    update_run,
)
from joinedup.learning.tasks import send_learning_notices
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory, SessionFactory
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import NotificationPreference, SentNotification
from joinedup.partnership.tests.factories import EmploymentFactory

JOINING = "Bring your ID badge to reception."


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what the services arrange for after their transaction commits, as a real commit does."""

    def run_callbacks():
        return django_capture_on_commit_callbacks(execute=True)

    return run_callbacks


def run_of(world, policy=Policy.OWN_THEN_PARTNERS, approval=False, **run_fields) -> Run:
    programme = ProgrammeFactory(
        host=world.own,
        title="Motivational interviewing",
        sharing_policy=policy,
        approval_required=approval,
        joining_instructions=JOINING,
    )
    run = RunFactory(programme=programme, **run_fields)
    SessionFactory(run=run, venue="Barnet House, 2 Bristol Avenue")
    return run


def book(world, persona: str, run: Run) -> Booking:
    return book_place(actor=world.actor(persona), run=run, person=world.person(persona))


def to(person) -> list:
    return [message for message in mail.outbox if message.to == [person.email]]


def test_a_confirmed_booking_sends_one_e_mail_with_joining_instructions_sessions_and_calendar(
    world, commit
):
    run = run_of(world)
    with commit():
        booking = book(world, "own_staff", run)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.own_staff.email]
    assert message.subject == "Your place is confirmed: Motivational interviewing"
    assert JOINING in message.body
    assert "Barnet House, 2 Bristol Avenue" in message.body
    session = run.sessions.get()
    assert f"{session.date.day} {session.date:%B %Y}, 09:30 to 16:30" in message.body
    assert f"/learning/bookings/{booking.pk}/calendar.ics" in message.body
    assert SentNotification.objects.filter(
        person=world.own_staff, template="learning_confirmed"
    ).exists()


def test_nothing_is_sent_before_the_transaction_commits_nor_when_it_rolls_back(world):
    run = run_of(world)
    with transaction.atomic():
        book(world, "own_staff", run)
        assert mail.outbox == []
        transaction.set_rollback(True)

    assert mail.outbox == []


def test_a_partner_waiting_before_the_cut_off_is_told_their_position(world, commit):
    run = run_of(world)
    with commit():
        book(world, "partner_staff", run)
    second = EmploymentFactory(organisation=world.partner).person
    with commit():
        book_place(actor=Actor(person=second, organisation=world.partner), run=run, person=second)

    [first_mail] = to(world.partner_staff)
    assert first_mail.subject.startswith("You are on the waiting list")
    assert "You are number 1." in first_mail.body
    [second_mail] = to(second)
    assert "You are number 2." in second_mail.body


def test_a_request_asks_the_line_manager_and_the_approval_brings_the_place(world, commit):
    run = run_of(world, approval=True)
    with commit():
        booking = book(world, "own_staff", run)
    with commit():
        approve_booking(actor=world.actor("own_line_manager"), booking=booking)

    requested, approved = to(world.own_staff)
    assert requested.subject.startswith("Your booking is waiting for approval")
    assert approved.subject == "Your booking is approved: Motivational interviewing"
    assert "Your place is confirmed." in approved.body
    assert JOINING in approved.body
    [asked] = to(world.own_line_manager)
    assert asked.subject == (
        "Approve or decline: Sam Staff asks for a place on Motivational interviewing"
    )
    assert "/learning/team/approvals/" in asked.body
    assert len(mail.outbox) == 3


def test_a_declined_booking_tells_the_person_the_reason(world, commit):
    run = run_of(world, approval=True)
    booking = book(world, "own_staff", run)
    with commit():
        decline_booking(
            actor=world.actor("own_line_manager"), booking=booking, reason="Rota is too tight"
        )

    [message] = mail.outbox
    assert message.to == [world.own_staff.email]
    assert message.subject.startswith("Your booking was declined")
    assert "Rota is too tight" in message.body


def test_a_released_place_offered_sends_the_expiry_and_the_accept_link_then_accepting_confirms(
    world, commit
):
    run = run_of(world, capacity=1, release_mode=ReleaseMode.OFFER, offer_window_hours=48)
    waiting = book(world, "partner_staff", run)
    with commit():
        release_unfilled_places(actor=None, run=run)
    waiting.refresh_from_db()

    [offer] = mail.outbox
    assert offer.to == [world.partner_staff.email]
    assert offer.subject.startswith("You are offered a place")
    assert notices.london(waiting.offer_expires_at) in offer.body
    assert f"/learning/bookings/{waiting.pk}/accept/" in offer.body

    with commit():
        accept_offer(actor=world.actor("partner_staff"), booking=waiting)
    assert [m.subject for m in to(world.partner_staff)][1].startswith("Your place is confirmed")
    assert len(mail.outbox) == 2


def test_a_place_passed_on_after_a_cancellation_confirms_the_next_person_by_e_mail(world, commit):
    run = run_of(world, capacity=1, policy=Policy.PARTNERS_FROM_START)
    holder = book(world, "own_staff", run)
    book(world, "partner_staff", run)
    with commit():
        cancel_booking(actor=world.actor("own_staff"), booking=holder)

    [message] = mail.outbox
    assert message.to == [world.partner_staff.email]
    assert message.subject.startswith("Your place is confirmed")


def test_a_booking_no_longer_in_the_state_an_e_mail_describes_gets_no_e_mail(world):
    run = run_of(world)
    booking = book(world, "own_staff", run)
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CANCELLED)

    assert notices.send(notices.CONFIRMED, [booking.pk]) == 0
    assert mail.outbox == []


def test_run_cancelled_and_changed_e_mails_give_the_reason_and_what_changed(world, commit):
    run = run_of(world)
    booking = book(world, "own_staff", run)
    with commit():
        notices.run_changed(run, [booking.pk], ["The venue is now Room 4, Barnet House"])
    with commit():
        notices.run_cancelled(run, [booking.pk], "The trainer is ill")

    changed, cancelled = to(world.own_staff)
    assert changed.subject == "Changed: Motivational interviewing"
    assert "- The venue is now Room 4, Barnet House" in changed.body
    assert cancelled.subject == "Cancelled: Motivational interviewing"
    assert "The trainer is ill" in cancelled.body


def test_a_release_of_many_places_only_enqueues_one_task_and_sends_nothing_itself(
    world, django_capture_on_commit_callbacks
):
    run = run_of(world, capacity=3)
    people = [EmploymentFactory(organisation=world.partner).person for _ in range(3)]
    for person in people:
        book_place(actor=Actor(person=person, organisation=world.partner), run=run, person=person)
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy):
        default_task_backend.clear()
        with django_capture_on_commit_callbacks(execute=True):
            given = release_unfilled_places(actor=None, run=run)
        results = list(default_task_backend.results)

    assert len(given) == 3
    assert mail.outbox == []
    [queued] = results
    assert queued.task.name == "send_learning_notices"
    assert queued.kwargs["event"] == notices.CONFIRMED
    assert sorted(queued.kwargs["booking_ids"]) == sorted(booking.pk for booking in given)


def test_an_optional_e_mail_honours_the_preference_but_booking_e_mails_always_go(world):
    run = run_of(world)
    booking = book(world, "own_staff", run)
    NotificationPreference.objects.create(person=world.own_staff, email_optional=False)

    assert notices.send(notices.REMINDER_7_DAYS, [booking.pk]) == 0
    assert notices.send(notices.CONFIRMED, [booking.pk]) == 1
    assert [message.subject for message in mail.outbox] == [
        "Your place is confirmed: Motivational interviewing"
    ]
    assert SentNotification.objects.filter(
        person=world.own_staff, template="learning_reminder_7_days", skipped=True
    ).exists()


def test_an_offer_e_mail_gives_the_expiry_in_london_time(world):
    run = run_of(world, release_mode=ReleaseMode.OFFER)
    booking = book(world, "own_staff", run)
    expiry = dt.datetime(2027, 7, 1, 16, 0, tzinfo=dt.UTC)
    Booking.objects.filter(pk=booking.pk).update(
        status=BookingStatus.OFFERED, offer_expires_at=expiry
    )

    notices.send(notices.OFFERED, [booking.pk])

    assert "17:00, 1 July 2027" in mail.outbox[0].body
    assert timezone.now() < expiry


# --- The host's changes to a run, and waiting lists closing -------------------------------------


def test_cancelling_a_run_tells_everyone_booked_or_waiting_once_with_the_reason(world, commit):
    run = run_of(world, capacity=1)
    book(world, "own_staff", run)
    book(world, "partner_staff", run)
    with commit():
        cancel_run(actor=world.actor("own_ld_lead"), run=run, reason="The trainer is ill")

    for persona in ("own_staff", "partner_staff"):
        [message] = to(world.person(persona))
        assert message.subject == "Cancelled: Motivational interviewing"
        assert "The trainer is ill" in message.body
    assert len(mail.outbox) == 2


def test_moving_a_runs_session_tells_the_people_booked_what_changed(world, commit):
    run = run_of(world)
    book(world, "own_staff", run)
    session = run.sessions.get()
    moved = {
        "date": session.date + dt.timedelta(days=1),
        "starts_at": dt.time(10, 0),
        "ends_at": dt.time(12, 0),
        "venue": "Room 4, Barnet House",
    }
    with commit():
        update_run(actor=world.actor("own_ld_lead"), run=run, sessions=[moved])

    [message] = mail.outbox
    assert message.to == [world.own_staff.email]
    assert message.subject == "Changed: Motivational interviewing"
    assert "Sessions are now:" in message.body
    assert "10:00-12:00 at Room 4, Barnet House" in message.body


def test_a_change_people_do_not_see_sends_no_e_mail(world, commit):
    run = run_of(world)
    book(world, "own_staff", run)
    with commit():
        update_run(actor=world.actor("own_ld_lead"), run=run, capacity=20)

    assert mail.outbox == []


def test_a_person_still_waiting_when_bookings_close_hears_the_list_has_closed(world, commit):
    run = run_of(world, bookings_close_at=timezone.now() + dt.timedelta(days=1))
    book(world, "partner_staff", run)
    with commit():
        close_waiting_lists(timezone.now() + dt.timedelta(days=2))

    [message] = mail.outbox
    assert message.to == [world.partner_staff.email]
    assert message.subject.startswith("The waiting list has closed")


# --- With the database task queue (as deployed) ---------------------------------------------------

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_with_the_database_queue_the_task_is_written_with_the_booking_or_not_at_all(
    world, settings
):
    settings.TASKS = DATABASE_TASKS
    run = run_of(world)
    with transaction.atomic():
        book(world, "partner_staff", run)
        transaction.set_rollback(True)
    assert not DBTaskResult.objects.exists()

    booking = book(world, "own_staff", run)

    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "joinedup.learning.tasks.send_learning_notices"
    assert queued.args_kwargs == {
        "args": [],
        "kwargs": {"event": notices.CONFIRMED, "booking_ids": [booking.pk], "extra": None},
    }


def test_the_task_row_a_booking_writes_is_the_one_the_task_librarys_enqueue_writes(world, settings):
    settings.TASKS = DATABASE_TASKS
    booking = book(world, "own_staff", run_of(world))
    ours = DBTaskResult.objects.get()

    send_learning_notices.enqueue(event=notices.CONFIRMED, booking_ids=[booking.pk], extra=None)

    library = DBTaskResult.objects.exclude(pk=ours.pk).get()
    compared = [
        field.attname
        for field in DBTaskResult._meta.concrete_fields
        if field.name not in ("id", "enqueued_at")
    ]
    assert {name: getattr(ours, name) for name in compared} == {
        name: getattr(library, name) for name in compared
    }
    assert ours.task_result.task.func == library.task_result.task.func


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_e_mail_of_a_booking_queued_in_the_database(world, settings):
    settings.TASKS = DATABASE_TASKS
    book(world, "own_staff", run_of(world))

    call_command("worker", "--once", stdout=StringIO())

    assert [message.subject for message in to(world.own_staff)] == [
        "Your place is confirmed: Motivational interviewing"
    ]
    sent = DBTaskResult.objects.get(task_path="joinedup.learning.tasks.send_learning_notices")
    assert sent.status == "SUCCESSFUL"
