"""Waiting-list rules: at most five overlapping waits, and lists that close with bookings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from joinedup.learning import services
from joinedup.learning.jobs import release_and_lapse
from joinedup.learning.models import Booking, BookingStatus, Run
from joinedup.learning.services import (
    MAX_OVERLAPPING_WAITS,
    BookingRefused,
    book_place,
    close_waiting_lists,
    overlapping_waits,
)
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory, SessionFactory
from joinedup.partnership.models import AuditEvent

DAY = timezone.localdate() + dt.timedelta(days=40)


def _full_run(world, *, day: dt.date = DAY, start: str = "09:30", end: str = "16:30", **prog):
    """A run of the own organisation with no place left, so bookings on it wait."""
    run = RunFactory(programme=ProgrammeFactory(host=world.own, **prog), capacity=1, places_taken=1)
    SessionFactory(
        run=run,
        date=day,
        starts_at=dt.time.fromisoformat(start),
        ends_at=dt.time.fromisoformat(end),
    )
    return run


def _book(world, persona: str, run: Run) -> Booking:
    return book_place(actor=world.actor(persona), run=run, person=world.person(persona))


def _wait_on(world, persona: str, count: int, **session) -> list[Booking]:
    bookings = [_book(world, persona, _full_run(world, **session)) for _ in range(count)]
    assert {booking.status for booking in bookings} == {BookingStatus.WAITING}
    return bookings


def test_a_sixth_overlapping_wait_is_refused_naming_the_limit(world):
    _wait_on(world, "own_staff", MAX_OVERLAPPING_WAITS)
    sixth = _full_run(world, start="13:00", end="14:00")
    with pytest.raises(BookingRefused, match="already waiting for 5 runs"):
        _book(world, "own_staff", sixth)
    assert not Booking.objects.filter(run=sixth).exists()


def test_five_overlapping_waits_are_allowed(world):
    _wait_on(world, "own_staff", MAX_OVERLAPPING_WAITS - 1)
    fifth = _book(world, "own_staff", _full_run(world))
    assert fifth.status == BookingStatus.WAITING


def test_waits_at_other_times_or_on_other_days_do_not_count(world):
    _wait_on(world, "own_staff", 3, start="09:00", end="12:00")
    _wait_on(world, "own_staff", 3, day=DAY + dt.timedelta(days=1))
    later = _full_run(world, start="12:00", end="15:00")
    assert overlapping_waits(world.person("own_staff"), later) == 0
    assert _book(world, "own_staff", later).status == BookingStatus.WAITING


def test_a_self_paced_run_never_overlaps(world):
    _wait_on(world, "own_staff", MAX_OVERLAPPING_WAITS)
    self_paced = RunFactory(
        programme__host=world.own,
        capacity=1,
        places_taken=1,
        completion_deadline=DAY,
    )
    assert _book(world, "own_staff", self_paced).status == BookingStatus.WAITING


def test_a_confirmed_place_is_still_booked_when_five_waits_overlap(world):
    _wait_on(world, "own_staff", MAX_OVERLAPPING_WAITS)
    run = RunFactory(programme__host=world.own, capacity=5)
    SessionFactory(run=run, date=DAY)
    assert _book(world, "own_staff", run).status == BookingStatus.CONFIRMED


def test_left_and_cancelled_waits_no_longer_count(world):
    first, *_ = _wait_on(world, "own_staff", MAX_OVERLAPPING_WAITS)
    services.cancel_booking(actor=world.actor("own_staff"), booking=first)
    assert _book(world, "own_staff", _full_run(world)).status == BookingStatus.WAITING


def test_requests_awaiting_approval_count_as_waiting(world):
    for _ in range(MAX_OVERLAPPING_WAITS):
        requested = _book(world, "own_staff", _full_run(world, approval_required=True))
        assert requested.status == BookingStatus.REQUESTED
    with pytest.raises(BookingRefused):
        _book(world, "own_staff", _full_run(world, approval_required=True))


def test_a_request_that_would_get_a_free_place_is_not_refused(world):
    _wait_on(world, "own_staff", MAX_OVERLAPPING_WAITS)
    run = RunFactory(programme=ProgrammeFactory(host=world.own, approval_required=True), capacity=3)
    SessionFactory(run=run, date=DAY)
    assert _book(world, "own_staff", run).status == BookingStatus.REQUESTED


def test_the_limit_is_per_person(world):
    _wait_on(world, "own_staff", MAX_OVERLAPPING_WAITS)
    assert _book(world, "own_admin", _full_run(world)).status == BookingStatus.WAITING


def test_a_manager_booking_for_a_report_over_the_limit_is_told_they_are_waiting(world):
    _wait_on(world, "own_staff", MAX_OVERLAPPING_WAITS)
    with pytest.raises(BookingRefused, match="They are already waiting"):
        book_place(
            actor=world.actor("own_line_manager"),
            run=_full_run(world),
            person=world.person("own_staff"),
        )


def test_overlapping_waits_are_found_in_two_queries_however_many(world):
    person = world.person("own_staff")
    target = _full_run(world)
    _wait_on(world, "own_staff", 2)
    with CaptureQueriesContext(connection) as few:
        assert overlapping_waits(person, target) == 2
    _wait_on(world, "own_staff", 3)
    with CaptureQueriesContext(connection) as many:
        assert overlapping_waits(person, target) == 5
    assert len(few) == len(many) == 2


# --- Waiting lists close when bookings close ---------------------------------------------------


def _close_bookings(run: Run) -> None:
    Run.objects.filter(pk=run.pk).update(bookings_close_at=timezone.now() - dt.timedelta(minutes=1))


def test_nobody_joins_a_waiting_list_after_bookings_close(world):
    run = _full_run(world)
    _close_bookings(run)
    run.refresh_from_db()
    with pytest.raises(BookingRefused, match="closed"):
        _book(world, "own_staff", run)


def test_closing_ends_every_waiting_booking_of_a_closed_run_once(world):
    run = _full_run(world)
    open_run = _full_run(world, day=DAY + dt.timedelta(days=1))
    closed = _book(world, "own_staff", run)
    still_open = _book(world, "own_staff", open_run)
    confirmed = Booking.objects.create(
        run=run,
        person=world.person("own_admin"),
        organisation=world.own,
        status=BookingStatus.CONFIRMED,
    )
    _close_bookings(run)

    assert close_waiting_lists() == 1
    assert close_waiting_lists() == 0

    closed.refresh_from_db()
    assert closed.status == BookingStatus.CANCELLED
    assert closed.cancelled_at is not None
    assert Booking.objects.get(pk=still_open.pk).status == BookingStatus.WAITING
    assert Booking.objects.get(pk=confirmed.pk).status == BookingStatus.CONFIRMED
    event = AuditEvent.objects.get(action="booking.waitlist_closed")
    assert event.object_id == str(closed.pk)


def test_the_every_minute_job_closes_waiting_lists(world):
    run = _full_run(world)
    booking = _book(world, "own_staff", run)
    _close_bookings(run)
    assert release_and_lapse()["waitlists_closed"] == 1
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED
