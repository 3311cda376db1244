"""Invariant 1 under concurrency: simultaneous bookings never take more places than there are.

Each thread books through the real service on its own database connection, so these need a
database with two writers: a file-based SQLite test database or PostgreSQL.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from joinedup.learning.models import Booking, BookingStatus, Run, RunOrganisationShare
from joinedup.learning.models import SharingPolicy as Policy
from joinedup.learning.services import book_place
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Organisation
from joinedup.partnership.tests.factories import (
    EmploymentFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
)

PEOPLE = 20


def needs_two_writers() -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "needs a file-based SQLite test database (DATABASE_TEST_NAME=/tmp/name.sqlite3) "
            "or PostgreSQL (DATABASE_URL): an in-memory database cannot have two writers"
        )


def host_and_partner() -> tuple[Organisation, Organisation]:
    partnership = PartnershipFactory()
    host, partner = OrganisationFactory(), OrganisationFactory()
    for organisation in (host, partner):
        MembershipFactory(partnership=partnership, organisation=organisation)
    return host, partner


def staff(organisation: Organisation, count: int) -> list[Actor]:
    people = [EmploymentFactory(organisation=organisation).person for _ in range(count)]
    return [Actor(person=person, organisation=organisation) for person in people]


def book_all_at_once(run: Run, actors: list[Actor]) -> list[BaseException]:
    """Every actor books the run for themselves at the same moment, each on its own connection."""
    start = threading.Barrier(len(actors))
    errors: list[BaseException] = []

    def worker(actor: Actor) -> None:
        try:
            start.wait(timeout=30)
            book_place(actor=actor, run=run, person=actor.person)
        except BaseException as error:  # noqa: BLE001 - reported by the callers' assertions
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(actor,)) for actor in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def statuses(run: Run) -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in Booking.objects.filter(run=run).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_bookings_for_three_places_confirm_exactly_three():
    needs_two_writers()
    host, _ = host_and_partner()
    run = RunFactory(programme=ProgrammeFactory(host=host), capacity=3)
    actors = staff(host, PEOPLE)

    errors = book_all_at_once(run, actors)

    assert errors == []
    assert statuses(run) == {BookingStatus.CONFIRMED: 3, BookingStatus.WAITING: PEOPLE - 3}
    run.refresh_from_db()
    assert run.places_taken == 3
    booked = set(Booking.objects.filter(run=run).values_list("person", flat=True))
    assert booked == {actor.person.pk for actor in actors}


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_partner_bookings_confirm_no_more_than_the_partner_cap():
    needs_two_writers()
    host, partner = host_and_partner()
    programme = ProgrammeFactory(host=host, sharing_policy=Policy.PARTNERS_FROM_START)
    run = RunFactory(programme=programme, capacity=10, partner_cap=2)
    actors = staff(partner, PEOPLE)

    errors = book_all_at_once(run, actors)

    assert errors == []
    assert statuses(run) == {BookingStatus.CONFIRMED: 2, BookingStatus.WAITING: PEOPLE - 2}
    run.refresh_from_db()
    assert run.places_taken == 2
    assert RunOrganisationShare.objects.get(run=run, organisation=partner).places_taken == 2


@pytest.mark.django_db(transaction=True)
def test_host_and_partner_staff_racing_for_few_places_respect_both_capacity_and_cap():
    needs_two_writers()
    host, partner = host_and_partner()
    programme = ProgrammeFactory(host=host, sharing_policy=Policy.PARTNERS_FROM_START)
    run = RunFactory(programme=programme, capacity=4, partner_cap=2)
    actors = staff(host, PEOPLE // 2) + staff(partner, PEOPLE // 2)

    errors = book_all_at_once(run, actors)

    assert errors == []
    confirmed = Booking.objects.filter(run=run, status=BookingStatus.CONFIRMED)
    assert confirmed.count() == 4
    assert confirmed.filter(organisation=partner).count() <= 2
    assert Booking.objects.filter(run=run).count() == PEOPLE
    run.refresh_from_db()
    assert run.places_taken == 4
    share = RunOrganisationShare.objects.get(run=run, organisation=partner)
    assert share.places_taken == confirmed.filter(organisation=partner).count()


@pytest.mark.django_db(transaction=True)
def test_one_person_booking_twice_at_once_gets_one_booking_and_one_place():
    needs_two_writers()
    host, _ = host_and_partner()
    run = RunFactory(programme=ProgrammeFactory(host=host), capacity=3)
    actor = staff(host, 1)[0]

    errors = book_all_at_once(run, [actor] * 6)

    assert len(errors) == 5
    assert all("already have a booking" in str(error) for error in errors)
    assert statuses(run) == {BookingStatus.CONFIRMED: 1}
    run.refresh_from_db()
    assert run.places_taken == 1
