"""Partners' reserved blocks: reserving, naming people, cancelling, and returning at the cut-off."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.utils import timezone

from joinedup.learning import reservations
from joinedup.learning.jobs import release_and_lapse
from joinedup.learning.models import (
    HOLDING_STATUSES,
    Booking,
    BookingStatus,
    Reservation,
    Run,
    RunOrganisationShare,
)
from joinedup.learning.models import SharingPolicy as Policy
from joinedup.learning.services import (
    BookingRefused,
    book_place,
    cancel_booking,
    cancel_run,
    release_unfilled_places,
)
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import AuditEvent
from joinedup.partnership.tests.factories import EmploymentFactory


def run_of(world, policy=Policy.OWN_THEN_PARTNERS, **fields) -> Run:
    return RunFactory(programme=ProgrammeFactory(host=world.own, sharing_policy=policy), **fields)


def reserve(world, run: Run, places: int) -> Reservation:
    return reservations.reserve_places(actor=world.actor("partner_ld_lead"), run=run, places=places)


def name(world, reservation: Reservation, person) -> Booking:
    return reservations.name_into_reservation(
        actor=world.actor("partner_ld_lead"), reservation=reservation, person=person
    )


def partner_staff(world, count: int) -> list:
    return [EmploymentFactory(organisation=world.partner).person for _ in range(count)]


def assert_counters_match(run: Run) -> None:
    """The run's and each share's counter equal holding bookings plus unnamed reserved places."""
    run.refresh_from_db()
    holding = Booking.objects.filter(run=run, status__in=HOLDING_STATUSES)
    unnamed = sum(block.places_unnamed() for block in Reservation.objects.filter(run=run))
    assert run.places_taken == holding.count() + unnamed
    for share in RunOrganisationShare.objects.filter(run=run):
        blocks = Reservation.objects.filter(run=run, organisation=share.organisation)
        own_unnamed = sum(block.places_unnamed() for block in blocks)
        assert share.places_taken == holding.filter(organisation=share.organisation).count() + (
            own_unnamed
        )


def pass_cut_off(run: Run) -> None:
    Run.objects.filter(pk=run.pk).update(cut_off_at=timezone.now() - dt.timedelta(minutes=1))
    run.refresh_from_db()


# --- Reserving -------------------------------------------------------------------------------


def test_a_partner_lead_reserves_a_block_which_takes_its_places_at_once(world):
    run = run_of(world, capacity=10)

    block = reserve(world, run, 4)

    assert (block.places, block.places_named, block.organisation) == (4, 0, world.partner)
    assert_counters_match(run)
    assert run.places_taken == 4
    assert AuditEvent.objects.filter(action="reservation.made", object_id=str(block.pk)).exists()


def test_a_block_bigger_than_the_places_left_is_refused_and_claims_nothing(world):
    run = run_of(world, capacity=5)
    book_place(actor=world.actor("own_staff"), run=run, person=world.person("own_staff"))

    with pytest.raises(BookingRefused, match="not enough places free on this run: 4 left"):
        reserve(world, run, 5)

    run.refresh_from_db()
    assert run.places_taken == 1
    assert not Reservation.objects.exists()
    assert not RunOrganisationShare.objects.filter(run=run, places_taken__gt=0).exists()


def test_the_partner_cap_counts_reserved_places_and_confirmed_ones(world):
    run = run_of(world, policy=Policy.PARTNERS_FROM_START, capacity=10, partner_cap=3)
    book_place(actor=world.actor("partner_staff"), run=run, person=world.person("partner_staff"))

    with pytest.raises(BookingRefused, match="limit of 3 places"):
        reserve(world, run, 3)
    block = reserve(world, run, 2)
    waiting = book_place(
        actor=world.actor("partner_admin"), run=run, person=world.person("partner_admin")
    )

    assert block.places == 2
    assert waiting.status == BookingStatus.WAITING
    assert RunOrganisationShare.objects.get(run=run, organisation=world.partner).places_taken == 3
    assert_counters_match(run)


@pytest.mark.parametrize("persona", ["partner_staff", "partner_admin", "own_ld_lead", "outsider"])
def test_only_a_partners_ld_lead_may_reserve(world, persona):
    run = run_of(world)
    with pytest.raises(PermissionDenied):
        reservations.reserve_places(actor=world.actor(persona), run=run, places=1)


def test_no_block_on_a_programme_for_the_hosts_own_staff_only(world):
    run = run_of(world, policy=Policy.OWN_ONLY)
    with pytest.raises(BookingRefused, match="own staff only"):
        reserve(world, run, 1)


def test_no_block_after_the_cut_off(world):
    run = run_of(world)
    pass_cut_off(run)
    with pytest.raises(BookingRefused, match="cut-off"):
        reserve(world, run, 1)


def test_a_block_asked_for_with_a_stale_copy_of_a_released_run_is_refused(world):
    run = run_of(world)
    stale = Run.objects.select_related("programme__host").get(pk=run.pk)
    release_unfilled_places(actor=world.actor("own_ld_lead"), run=run)

    with pytest.raises(BookingRefused, match="cut-off"):
        reserve(world, stale, 1)

    run.refresh_from_db()
    assert run.places_taken == 0


def test_no_block_on_a_cancelled_run(world):
    run = run_of(world, cancelled_at=timezone.now())
    with pytest.raises(BookingRefused, match="cancelled"):
        reserve(world, run, 1)


@pytest.mark.parametrize("places", ["0", "-2", "many", "1001"])
def test_a_bad_number_of_places_names_the_field(world, places):
    with pytest.raises(ValidationError) as error:
        reserve(world, run_of(world), places)
    assert "places" in error.value.message_dict


def test_a_second_block_for_the_same_partner_is_refused(world):
    run = run_of(world)
    reserve(world, run, 2)
    with pytest.raises(BookingRefused, match="already holds a block"):
        reserve(world, run, 1)
    run.refresh_from_db()
    assert run.places_taken == 2


def test_a_block_grows_by_claiming_more_and_shrinks_by_giving_unnamed_places_back(world):
    run = run_of(world, capacity=6)
    block = reserve(world, run, 2)
    name(world, block, world.person("partner_staff"))
    lead = world.actor("partner_ld_lead")

    reservations.resize_reservation(actor=lead, reservation=block, places=5)
    assert_counters_match(run)
    assert run.places_taken == 5
    reservations.resize_reservation(actor=lead, reservation=block, places=1)
    assert_counters_match(run)
    assert run.places_taken == 1
    with pytest.raises(BookingRefused, match="not enough places"):
        reservations.resize_reservation(actor=lead, reservation=block, places=7)
    with pytest.raises(ValidationError):
        reservations.resize_reservation(actor=lead, reservation=block, places=0)
    block.refresh_from_db()
    assert block.places == 1
    assert_counters_match(run)


# --- Naming people into a block ----------------------------------------------------------------


def test_naming_someone_confirms_their_place_without_claiming_a_new_one(world):
    run = run_of(world, capacity=3)
    block = reserve(world, run, 2)

    booking = name(world, block, world.person("partner_staff"))

    assert booking.status == BookingStatus.CONFIRMED
    assert booking.reservation == block
    assert booking.organisation == world.partner
    block.refresh_from_db()
    assert block.places_named == 1
    assert_counters_match(run)
    assert run.places_taken == 2


def test_a_full_block_names_nobody_else(world):
    run = run_of(world, capacity=5)
    block = reserve(world, run, 1)
    first, second = partner_staff(world, 2)
    name(world, block, first)

    with pytest.raises(BookingRefused, match="Every place in the block is named"):
        name(world, block, second)

    assert not Booking.objects.filter(person=second).exists()
    assert_counters_match(run)


def test_only_the_partners_current_staff_in_the_seniority_range_may_be_named(world):
    run = run_of(world)
    run.programme.seniority_min = 5
    run.programme.save()
    block = reserve(world, run, 2)
    junior = EmploymentFactory(organisation=world.partner, seniority=2).person

    with pytest.raises(ValidationError):
        name(world, block, world.person("own_staff"))
    with pytest.raises(BookingRefused, match="seniority 5 to 9"):
        name(world, block, junior)
    block.refresh_from_db()
    assert block.places_named == 0


def test_someone_already_booked_is_not_named_again(world):
    run = run_of(world, capacity=5)
    book_place(actor=world.actor("partner_staff"), run=run, person=world.person("partner_staff"))
    block = reserve(world, run, 2)

    with pytest.raises(BookingRefused, match="already have a booking"):
        name(world, block, world.person("partner_staff"))

    block.refresh_from_db()
    assert block.places_named == 0


def test_nobody_is_named_after_the_cut_off(world):
    run = run_of(world)
    block = reserve(world, run, 2)
    pass_cut_off(run)
    block.refresh_from_db()
    with pytest.raises(BookingRefused, match="cut-off"):
        name(world, block, world.person("partner_staff"))


def test_only_the_blocks_own_lead_names_into_it(world):
    block = reserve(world, run_of(world), 2)
    with pytest.raises(PermissionDenied):
        reservations.name_into_reservation(
            actor=world.actor("own_ld_lead"), reservation=block, person=world.person("own_staff")
        )


# --- Cancelling a named place ----------------------------------------------------------------


def test_cancelling_a_named_place_gives_it_back_to_the_block(world):
    run = run_of(world, policy=Policy.PARTNERS_FROM_START, capacity=2)
    block = reserve(world, run, 2)
    booking = name(world, block, world.person("partner_staff"))
    waiting = book_place(actor=world.actor("own_staff"), run=run, person=world.person("own_staff"))

    cancel_booking(actor=world.actor("partner_ld_lead"), booking=booking)

    block.refresh_from_db()
    assert block.places_named == 0
    assert Booking.objects.get(pk=waiting.pk).status == BookingStatus.WAITING
    assert_counters_match(run)
    assert run.places_taken == 2


def test_cancelling_a_named_place_after_the_block_was_returned_frees_it_on_the_run(world):
    run = run_of(world, capacity=3)
    block = reserve(world, run, 3)
    booking = name(world, block, world.person("partner_staff"))
    pass_cut_off(run)
    release_unfilled_places(actor=None, run=run)
    assert_counters_match(run)
    assert run.places_taken == 1

    cancel_booking(actor=world.actor("partner_staff"), booking=booking)

    block.refresh_from_db()
    assert block.places_named == 1
    assert_counters_match(run)
    assert run.places_taken == 0


# --- Returning unnamed places at the cut-off ----------------------------------------------------


def test_unnamed_places_return_before_the_release_gives_them_to_waiting_people(world):
    run = run_of(world, capacity=4)
    block = reserve(world, run, 4)
    name(world, block, world.person("partner_staff"))
    waiting = [
        book_place(actor=world.actor(persona), run=run, person=world.person(persona))
        for persona in ("own_staff", "partner_admin")
    ]
    assert {booking.status for booking in waiting} == {BookingStatus.WAITING}
    pass_cut_off(run)

    given = release_unfilled_places(actor=None, run=run)

    block.refresh_from_db()
    assert block.returned_at is not None
    assert block.places_returned == 3
    assert {booking.pk for booking in given} == {booking.pk for booking in waiting}
    assert Booking.objects.get(pk=waiting[1].pk).released_place is True
    assert Booking.objects.get(pk=waiting[0].pk).released_place is False
    assert run.release.reserved_returned == 3
    assert_counters_match(run)
    assert run.places_taken == 3


def test_returning_twice_gives_the_places_back_once(world):
    run = run_of(world, capacity=5)
    reserve(world, run, 3)
    now = timezone.now()

    assert reservations.return_unnamed_places(run, now) == 3
    assert reservations.return_unnamed_places(run, now) == 0

    assert_counters_match(run)
    assert run.places_taken == 0
    assert RunOrganisationShare.objects.aggregate(total=Sum("places_taken"))["total"] == 0


def test_a_partner_booking_a_free_place_after_the_release_has_a_released_place(world):
    run = run_of(world, capacity=3)
    pass_cut_off(run)
    release_unfilled_places(actor=None, run=run)
    run.refresh_from_db()

    partner = book_place(
        actor=world.actor("partner_staff"), run=run, person=world.person("partner_staff")
    )
    own = book_place(actor=world.actor("own_staff"), run=run, person=world.person("own_staff"))

    assert partner.status == own.status == BookingStatus.CONFIRMED
    assert Booking.objects.get(pk=partner.pk).released_place is True
    assert Booking.objects.get(pk=own.pk).released_place is False


def test_a_partner_booking_before_the_release_has_no_released_place(world):
    run = run_of(world, policy=Policy.PARTNERS_FROM_START)
    actor = Actor(person=world.person("partner_staff"), organisation=world.partner)
    booking = book_place(actor=actor, run=run, person=world.person("partner_staff"))
    assert booking.status == BookingStatus.CONFIRMED
    assert Booking.objects.get(pk=booking.pk).released_place is False


def test_the_every_minute_job_returns_unnamed_places_and_gives_them_to_a_partners_waiter(world):
    run = run_of(world, capacity=2)
    reserve(world, run, 2)
    waiter = book_place(
        actor=world.actor("partner_admin"), run=run, person=world.person("partner_admin")
    )
    pass_cut_off(run)

    release_and_lapse()

    booking = Booking.objects.get(pk=waiter.pk)
    assert (booking.status, booking.released_place) == (BookingStatus.CONFIRMED, True)
    assert Reservation.objects.get(run=run).places_returned == 2
    assert_counters_match(run)
    assert run.places_taken == 1


def test_cancelling_the_run_ends_the_block_and_frees_every_place(world):
    run = run_of(world, policy=Policy.PARTNERS_FROM_START, capacity=5)
    block = reserve(world, run, 3)
    name(world, block, world.person("partner_staff"))
    book_place(actor=world.actor("own_staff"), run=run, person=world.person("own_staff"))

    cancel_run(actor=world.actor("own_ld_lead"), run=run, reason="Trainer unavailable")

    block.refresh_from_db()
    assert (block.returned_at is not None, block.places_returned) == (True, 2)
    assert_counters_match(run)
    assert run.places_taken == 0
    assert not RunOrganisationShare.objects.filter(run=run, places_taken__gt=0).exists()
