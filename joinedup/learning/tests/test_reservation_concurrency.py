"""Invariant 1 for reserved blocks: simultaneous reserving and naming never take too many places.

Each thread works through the real services on its own database connection, so these need a
database with two writers: a file-based SQLite test database or PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from joinedup.learning import reservations
from joinedup.learning.models import Booking, BookingStatus, Reservation, Run
from joinedup.learning.models import SharingPolicy as Policy
from joinedup.learning.services import book_place
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory
from joinedup.learning.tests.test_booking_concurrency import needs_two_writers
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import OrganisationRole
from joinedup.partnership.tests.factories import (
    EmploymentFactory,
    MembershipFactory,
    OrganisationFactory,
    OrganisationRoleFactory,
    PartnershipFactory,
)

PARTNERS = 8


def all_at_once(jobs: list[Callable[[], object]]) -> list[BaseException]:
    """Run every job at the same moment, each on its own connection; return what they raised."""
    start = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def worker(job: Callable[[], object]) -> None:
        try:
            start.wait(timeout=30)
            job()
        except BaseException as error:  # noqa: BLE001 - reported by the callers' assertions
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def ld_lead(organisation) -> Actor:
    person = EmploymentFactory(organisation=organisation).person
    OrganisationRoleFactory(person=person, organisation=organisation, role=OrganisationRole.LD_LEAD)
    return Actor(person=person, organisation=organisation)


def run_with_partners(capacity: int, partner_cap: int | None = None) -> tuple[Run, list]:
    partnership = PartnershipFactory()
    host = OrganisationFactory()
    partners = [OrganisationFactory() for _ in range(PARTNERS)]
    for organisation in (host, *partners):
        MembershipFactory(partnership=partnership, organisation=organisation)
    programme = ProgrammeFactory(host=host, sharing_policy=Policy.PARTNERS_FROM_START)
    return RunFactory(programme=programme, capacity=capacity, partner_cap=partner_cap), partners


def reserve(actor: Actor, run: Run, places: int) -> Callable[[], object]:
    return lambda: reservations.reserve_places(actor=actor, run=run, places=places)


@pytest.mark.django_db(transaction=True)
def test_eight_partners_reserving_three_places_each_on_ten_take_no_more_than_ten():
    needs_two_writers()
    run, partners = run_with_partners(capacity=10)
    leads = [ld_lead(partner) for partner in partners]

    errors = all_at_once([reserve(lead, run, 3) for lead in leads])

    assert len(errors) == PARTNERS - 3
    assert all("not enough places" in str(error) for error in errors)
    run.refresh_from_db()
    assert Reservation.objects.filter(run=run).count() == 3
    assert run.places_taken == 9


@pytest.mark.django_db(transaction=True)
def test_one_lead_reserving_six_times_at_once_gets_one_block_and_its_places_once():
    needs_two_writers()
    run, partners = run_with_partners(capacity=20, partner_cap=5)
    lead = ld_lead(partners[0])

    errors = all_at_once([reserve(lead, run, 2) for _ in range(6)])

    assert len(errors) == 5
    assert all("already holds a block" in str(error) for error in errors)
    run.refresh_from_db()
    assert run.places_taken == 2
    assert run.shares.get().places_taken == 2


@pytest.mark.django_db(transaction=True)
def test_naming_ten_people_at_once_into_a_block_of_three_names_exactly_three():
    needs_two_writers()
    run, partners = run_with_partners(capacity=5)
    lead = ld_lead(partners[0])
    block = reservations.reserve_places(actor=lead, run=run, places=3)
    people = [EmploymentFactory(organisation=partners[0]).person for _ in range(10)]

    errors = all_at_once(
        [
            lambda person=person: reservations.name_into_reservation(
                actor=lead, reservation=block, person=person
            )
            for person in people
        ]
    )

    assert len(errors) == 7
    assert all("Every place in the block is named" in str(error) for error in errors)
    block.refresh_from_db()
    assert block.places_named == 3
    assert Booking.objects.filter(run=run, status=BookingStatus.CONFIRMED).count() == 3
    run.refresh_from_db()
    assert run.places_taken == 3


@pytest.mark.django_db(transaction=True)
def test_partners_reserving_while_staff_book_never_take_more_than_the_capacity():
    needs_two_writers()
    run, partners = run_with_partners(capacity=9)
    leads = [ld_lead(partner) for partner in partners[:4]]
    bookers = [
        EmploymentFactory(organisation=partner) for partner in partners[4:] for _ in range(2)
    ]

    def book(employment) -> Callable[[], object]:
        actor = Actor(person=employment.person, organisation=employment.organisation)
        return lambda: book_place(actor=actor, run=run, person=employment.person)

    errors = all_at_once(
        [reserve(lead, run, 2) for lead in leads] + [book(employment) for employment in bookers]
    )

    assert all("not enough places" in str(error) for error in errors)
    run.refresh_from_db()
    reserved = sum(Reservation.objects.filter(run=run).values_list("places", flat=True))
    confirmed = Booking.objects.filter(run=run, status=BookingStatus.CONFIRMED).count()
    assert run.places_taken == reserved + confirmed <= 9
    assert Booking.objects.filter(run=run).count() == len(bookers)
    assert run.places_taken >= 8
