"""Reminders 7 days and 1 day before a run starts and before an offer lapses: each sent once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection

from joinedup.learning.jobs import send_due_reminders
from joinedup.learning.models import LONDON, Booking, BookingStatus
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory, SessionFactory
from joinedup.learning.tests.test_booking_concurrency import host_and_partner, needs_two_writers
from joinedup.partnership.models import NotificationPreference
from joinedup.partnership.tests.factories import EmploymentFactory

# A fixed moment: Monday 1 March 2027, 09:00 in London (GMT).
NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=LONDON)


def booked_run(world, *, starts_in: dt.timedelta, status=BookingStatus.CONFIRMED, **booking):
    """A run whose first session starts `starts_in` after NOW, with own_staff booked on it."""
    programme = ProgrammeFactory(host=world.own, title="Coaching skills")
    run = RunFactory(programme=programme, cut_off_at=NOW - dt.timedelta(days=30))
    start = NOW + starts_in
    SessionFactory(run=run, date=start.date(), starts_at=start.time(), ends_at=dt.time(23, 0))
    SessionFactory(run=run, date=start.date() + dt.timedelta(days=7))
    fields = {"confirmed_at": NOW - dt.timedelta(days=20)} | booking
    return Booking.objects.create(
        run=run, person=world.own_staff, organisation=world.own, status=status, **fields
    )


@pytest.fixture
def remind(django_capture_on_commit_callbacks):
    """Run the job as the scheduler does, outside a transaction, so what it queues runs."""

    def run_job(at: dt.datetime) -> dict[str, int]:
        with django_capture_on_commit_callbacks(execute=True):
            return send_due_reminders(at)

    return run_job


def subjects() -> list[str]:
    return [message.subject for message in mail.outbox]


def test_the_7_day_reminder_goes_once_however_often_the_job_runs(world, remind):
    booking = booked_run(world, starts_in=dt.timedelta(days=6, hours=23))

    first = remind(NOW)
    second = remind(NOW + dt.timedelta(minutes=5))

    assert first["reminder_7_days"] == 1
    assert second["reminder_7_days"] == 0
    assert subjects() == ["One week to go: Coaching skills"]
    assert mail.outbox[0].to == [world.own_staff.email]
    booking.refresh_from_db()
    assert booking.reminded_7_days_at == NOW
    assert booking.reminded_1_day_at is None


def test_the_1_day_reminder_follows_once_on_the_day_before(world, remind):
    booking = booked_run(world, starts_in=dt.timedelta(days=6, hours=23))
    remind(NOW)
    day_before = NOW + dt.timedelta(days=6)

    remind(day_before)
    remind(day_before + dt.timedelta(hours=1))

    assert subjects() == ["One week to go: Coaching skills", "Tomorrow: Coaching skills"]
    booking.refresh_from_db()
    assert booking.reminded_1_day_at == day_before


def test_nothing_is_sent_too_early_or_for_a_run_already_started(world, remind):
    booked_run(world, starts_in=dt.timedelta(days=7, hours=1))
    booked_run(world, starts_in=-dt.timedelta(days=1))

    assert remind(NOW) == {
        "reminder_7_days": 0,
        "reminder_1_day": 0,
        "offer_lapsing": 0,
    }
    assert mail.outbox == []


def test_cancelled_bookings_and_cancelled_runs_get_no_reminder(world, remind):
    booked_run(world, starts_in=dt.timedelta(hours=20), status=BookingStatus.CANCELLED)
    gone = booked_run(world, starts_in=dt.timedelta(hours=20))
    gone.run.cancelled_at = NOW
    gone.run.save()

    remind(NOW)

    assert mail.outbox == []


def test_a_place_confirmed_after_the_7_day_point_gets_only_the_1_day_reminder(world, remind):
    booking = booked_run(
        world, starts_in=dt.timedelta(days=3), confirmed_at=NOW - dt.timedelta(hours=1)
    )

    remind(NOW)
    remind(NOW + dt.timedelta(days=2, hours=1))

    assert subjects() == ["Tomorrow: Coaching skills"]
    booking.refresh_from_db()
    assert booking.reminded_7_days_at is None


def test_reminders_honour_the_preference_against_optional_e_mails_and_are_still_claimed(
    world, remind
):
    booking = booked_run(world, starts_in=dt.timedelta(hours=20))
    NotificationPreference.objects.create(person=world.own_staff, email_optional=False)

    remind(NOW)

    assert mail.outbox == []
    booking.refresh_from_db()
    assert booking.reminded_1_day_at == NOW


def test_an_offer_about_to_lapse_is_reminded_once_whatever_the_preference(world, remind):
    booking = booked_run(
        world,
        starts_in=dt.timedelta(days=20),
        status=BookingStatus.OFFERED,
        offer_expires_at=NOW + dt.timedelta(hours=11),
        confirmed_at=None,
    )
    NotificationPreference.objects.create(person=world.own_staff, email_optional=False)

    remind(NOW)
    remind(NOW + dt.timedelta(minutes=5))

    assert subjects() == ["Your offered place lapses at 20:00, 1 March 2027: Coaching skills"]
    assert f"/learning/bookings/{booking.pk}/accept/" in mail.outbox[0].body
    booking.refresh_from_db()
    assert booking.offer_reminded_at == NOW


def test_an_offer_with_hours_to_spare_is_not_reminded_yet(world, remind):
    booked_run(
        world,
        starts_in=dt.timedelta(days=20),
        status=BookingStatus.OFFERED,
        offer_expires_at=NOW + dt.timedelta(hours=30),
    )

    assert remind(NOW)["offer_lapsing"] == 0


def test_the_1_day_reminder_is_due_24_hours_before_a_session_in_bst_read_as_london_time(
    world, remind
):
    """Clocks go forward on 28 March 2027: 08:00 on 29 March in London is 07:00 UTC."""
    booking = booked_run(world, starts_in=dt.timedelta(days=27, hours=23))
    first = booking.run.first_session()
    assert (first.date, first.starts_at) == (dt.date(2027, 3, 29), dt.time(8, 0))
    due = dt.datetime(2027, 3, 28, 7, 0, tzinfo=dt.UTC)

    assert remind(due - dt.timedelta(minutes=1))["reminder_1_day"] == 0
    assert remind(due)["reminder_1_day"] == 1


@pytest.mark.django_db(transaction=True)
def test_workers_running_the_job_at_once_send_each_reminder_once():
    needs_two_writers()
    host, _ = host_and_partner()
    run = RunFactory(programme=ProgrammeFactory(host=host), cut_off_at=NOW - dt.timedelta(days=30))
    start = NOW + dt.timedelta(hours=20)
    SessionFactory(run=run, date=start.date(), starts_at=start.time(), ends_at=dt.time(23, 0))
    people = [EmploymentFactory(organisation=host).person for _ in range(5)]
    for person in people:
        Booking.objects.create(
            run=run, person=person, organisation=host, status=BookingStatus.CONFIRMED
        )
    workers = 4
    start_together = threading.Barrier(workers)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start_together.wait()
            send_due_reminders(NOW)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(message.to[0] for message in mail.outbox) == sorted(p.email for p in people)
