"""Release of unfilled places at the cut-off, offers, lapses and passing freed places on."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from joinedup.learning import allocation, services
from joinedup.learning.jobs import release_and_lapse, release_due_runs
from joinedup.learning.models import (
    Booking,
    BookingStatus,
    ReleaseMode,
    Run,
    RunOrganisationShare,
)
from joinedup.learning.models import SharingPolicy as Policy
from joinedup.learning.services import (
    BookingRefused,
    accept_offer,
    book_place,
    cancel_booking,
    decline_offer,
    lapse_offers,
    release_unfilled_places,
)
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory
from joinedup.learning.tests.test_booking_concurrency import host_and_partner, needs_two_writers
from joinedup.lib.contract_input import Instant
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import AuditEvent
from joinedup.partnership.tests.factories import EmploymentFactory

NOW = timezone.now


def run_of(world, policy=Policy.OWN_THEN_PARTNERS, **run_fields) -> Run:
    programme = ProgrammeFactory(host=world.own, sharing_policy=policy)
    return RunFactory(programme=programme, **run_fields)


def staff_of(organisation, count: int) -> list:
    return [EmploymentFactory(organisation=organisation).person for _ in range(count)]


def book_self(person, organisation, run: Run) -> Booking:
    return book_place(actor=Actor(person=person, organisation=organisation), run=run, person=person)


def self_actor(booking: Booking) -> Actor:
    return Actor(person=booking.person, organisation=booking.organisation)


def pass_cut_off(run: Run) -> None:
    Run.objects.filter(pk=run.pk).update(cut_off_at=NOW() - dt.timedelta(minutes=1))


def statuses(*bookings: Booking) -> list[str]:
    return [Booking.objects.get(pk=booking.pk).status for booking in bookings]


def waiting(run: Run, person, organisation, at: dt.datetime) -> Booking:
    return Booking.objects.create(
        run=run,
        person=person,
        organisation=organisation,
        status=BookingStatus.WAITING,
        requested_at=at,
    )


# --- The journey -------------------------------------------------------------------------------


def test_a_partners_waiting_person_is_offered_a_released_place_and_offers_pass_on_in_turn(world):
    run = run_of(world, capacity=3, release_mode=ReleaseMode.OFFER, offer_window_hours=48)
    own = [book_self(p, world.own, run) for p in staff_of(world.own, 2)]
    first, second, third = [book_self(p, world.partner, run) for p in staff_of(world.partner, 3)]
    assert statuses(*own) == [BookingStatus.CONFIRMED] * 2
    assert statuses(first, second, third) == [BookingStatus.WAITING] * 3

    assert release_and_lapse() == {"released": 0, "lapsed": 0, "waitlists_closed": 0}
    pass_cut_off(run)
    assert release_and_lapse() == {"released": 1, "lapsed": 0, "waitlists_closed": 0}

    first.refresh_from_db()
    assert first.status == BookingStatus.OFFERED
    assert first.offer_expires_at > NOW() + dt.timedelta(hours=47)
    assert statuses(second, third) == [BookingStatus.WAITING] * 2
    accept_offer(actor=self_actor(first), booking=first)
    assert statuses(first) == [BookingStatus.CONFIRMED]

    cancel_booking(actor=self_actor(first), booking=first)
    assert statuses(first, second, third) == [
        BookingStatus.CANCELLED,
        BookingStatus.OFFERED,
        BookingStatus.WAITING,
    ]

    assert lapse_offers(NOW() + dt.timedelta(hours=49)) == 1
    assert statuses(second, third) == [BookingStatus.LAPSED, BookingStatus.OFFERED]

    third.refresh_from_db()
    accept_offer(actor=self_actor(third), booking=third)
    assert statuses(third) == [BookingStatus.CONFIRMED]
    run.refresh_from_db()
    assert run.places_taken == 3
    share = RunOrganisationShare.objects.get(run=run, organisation=world.partner)
    assert share.places_taken == 1


def test_in_confirm_mode_the_release_confirms_the_allocated_people_directly(world):
    run = run_of(world, capacity=2)
    book_self(staff_of(world.own, 1)[0], world.own, run)
    partner = book_self(world.partner_staff, world.partner, run)
    pass_cut_off(run)

    release_due_runs()

    partner.refresh_from_db()
    assert partner.status == BookingStatus.CONFIRMED
    assert partner.confirmed_at is not None
    run.refresh_from_db()
    assert (run.places_taken, run.released_at is not None) == (2, True)


def test_declining_an_offer_passes_the_place_to_the_next_waiting_person(world):
    run = run_of(world, capacity=1, release_mode=ReleaseMode.OFFER)
    first, second = [book_self(p, world.partner, run) for p in staff_of(world.partner, 2)]
    release_unfilled_places(actor=None, run=run)
    first.refresh_from_db()

    decline_offer(actor=self_actor(first), booking=first)

    assert statuses(first, second) == [BookingStatus.DECLINED, BookingStatus.OFFERED]
    run.refresh_from_db()
    assert run.places_taken == 1


def test_an_offer_cannot_be_accepted_once_it_has_lapsed(world):
    run = run_of(world, capacity=1, release_mode=ReleaseMode.OFFER)
    offered = book_self(world.partner_staff, world.partner, run)
    release_unfilled_places(actor=None, run=run)
    Booking.objects.filter(pk=offered.pk).update(offer_expires_at=NOW() - dt.timedelta(seconds=1))

    with pytest.raises(BookingRefused, match="lapsed"):
        accept_offer(actor=self_actor(offered), booking=offered)
    assert lapse_offers() == 1
    run.refresh_from_db()
    assert run.places_taken == 0


def test_only_the_person_or_their_line_manager_answers_an_offer(world):
    run = run_of(world, capacity=1, release_mode=ReleaseMode.OFFER)
    offered = book_self(world.partner_staff, world.partner, run)
    release_unfilled_places(actor=None, run=run)
    offered.refresh_from_db()

    for persona in ("partner_admin", "own_ld_lead", "outsider"):
        with pytest.raises(PermissionDenied):
            accept_offer(actor=world.actor(persona), booking=offered)
        with pytest.raises(PermissionDenied):
            decline_offer(actor=world.actor(persona), booking=offered)
    assert statuses(offered) == [BookingStatus.OFFERED]


def test_before_the_release_a_freed_place_goes_to_the_hosts_waiting_staff_not_partners(world):
    run = run_of(world, capacity=1)
    holder = book_self(world.own_staff, world.own, run)
    partner = book_self(world.partner_staff, world.partner, run)
    own_waiting = book_self(world.own_admin, world.own, run)

    cancel_booking(actor=self_actor(holder), booking=holder)

    assert statuses(partner, own_waiting) == [BookingStatus.WAITING, BookingStatus.CONFIRMED]


# --- Who may release early ---------------------------------------------------------------------


def test_the_hosts_ld_lead_may_release_early_but_nobody_else(world):
    run = run_of(world, capacity=1)
    partner = book_self(world.partner_staff, world.partner, run)

    for persona in ("own_staff", "partner_ld_lead", "outsider", "anonymous"):
        with pytest.raises(PermissionDenied):
            release_unfilled_places(actor=world.actor(persona), run=run)
    assert statuses(partner) == [BookingStatus.WAITING]

    given = release_unfilled_places(actor=world.actor("own_ld_lead"), run=run)

    assert [booking.pk for booking in given] == [partner.pk]
    event = AuditEvent.objects.get(action="run.released")
    assert event.actor == world.own_ld_lead


# --- Idempotency -------------------------------------------------------------------------------


def test_releasing_twice_gives_each_place_once(world):
    run = run_of(world, capacity=2)
    people = [book_self(p, world.partner, run) for p in staff_of(world.partner, 4)]
    pass_cut_off(run)

    assert release_due_runs() == 1
    assert release_due_runs() == 0
    assert release_unfilled_places(actor=None, run=run) == []

    assert statuses(*people) == [BookingStatus.CONFIRMED] * 2 + [BookingStatus.WAITING] * 2
    run.refresh_from_db()
    assert run.places_taken == 2
    assert AuditEvent.objects.filter(action="run.released").count() == 1
    assert AuditEvent.objects.filter(action="booking.released").count() == 2


def test_a_release_that_fails_halfway_rolls_back_and_is_done_whole_next_time(world, monkeypatch):
    run = run_of(world, capacity=3)
    people = [book_self(p, world.partner, run) for p in staff_of(world.partner, 4)]
    pass_cut_off(run)
    before = AuditEvent.objects.count()

    def crash_writing_the_audit_log(**kwargs):
        # The places are claimed and the bookings moved by now; the worker dies before commit.
        assert Booking.objects.filter(run=run, status=BookingStatus.CONFIRMED).count() == 3
        raise RuntimeError("worker died")

    with monkeypatch.context() as patched:
        patched.setattr(services.audit, "record_many", crash_writing_the_audit_log)
        with pytest.raises(RuntimeError):
            release_unfilled_places(actor=None, run=run)

    run.refresh_from_db()
    assert (run.released_at, run.places_taken) == (None, 0)
    assert statuses(*people) == [BookingStatus.WAITING] * 4
    assert not RunOrganisationShare.objects.filter(run=run, places_taken__gt=0).exists()
    assert AuditEvent.objects.count() == before

    assert release_due_runs() == 1
    assert statuses(*people) == [BookingStatus.CONFIRMED] * 3 + [BookingStatus.WAITING]
    run.refresh_from_db()
    assert run.places_taken == 3


def test_a_claim_that_does_not_wholly_land_is_rolled_back_and_the_release_done_again(
    world, monkeypatch
):
    run = run_of(world, capacity=2)
    people = [book_self(p, world.partner, run) for p in staff_of(world.partner, 3)]
    pass_cut_off(run)
    claim_all = services._claim_all
    tries = []

    def lands_part_the_first_time(run, bookings, now):
        tries.append(len(bookings))
        claim_all(run, bookings[:1], now)
        if len(tries) == 1:
            raise services._NotAllLanded  # as if someone changed a booking meanwhile
        claim_all(run, bookings[1:], now)

    monkeypatch.setattr(services, "_claim_all", lands_part_the_first_time)
    given = release_unfilled_places(actor=None, run=run)

    assert [booking.pk for booking in given] == [people[0].pk, people[1].pk]
    assert statuses(*people) == [BookingStatus.CONFIRMED] * 2 + [BookingStatus.WAITING]
    run.refresh_from_db()
    assert run.places_taken == 2
    assert RunOrganisationShare.objects.get(run=run, organisation=world.partner).places_taken == 2
    assert AuditEvent.objects.filter(action="booking.released").count() == 2
    assert AuditEvent.objects.filter(action="run.released").count() == 1


def test_the_job_logs_a_failed_run_and_still_releases_the_others(world, monkeypatch):
    broken, fine = run_of(world, capacity=1), run_of(world, capacity=1)
    book_self(world.partner_staff, world.partner, broken)
    person = book_self(world.partner_admin, world.partner, fine)
    pass_cut_off(broken)
    pass_cut_off(fine)
    real = allocation.allocate

    def fail_for_broken(run, *args, **kwargs):
        # The rule itself, which the batch path and the per-run path both apply.
        if run.id == str(broken.pk):
            raise RuntimeError("bad run")
        return real(run, *args, **kwargs)

    monkeypatch.setattr(allocation, "allocate", fail_for_broken)
    release_due_runs()

    broken.refresh_from_db()
    assert broken.released_at is None
    assert statuses(person) == [BookingStatus.CONFIRMED]


# --- Caps and fairness -------------------------------------------------------------------------


def test_the_per_partner_cap_holds_at_release_counting_places_already_held(world):
    run = run_of(world, Policy.PARTNERS_FROM_START, capacity=6, partner_cap=2)
    held = book_self(world.partner_staff, world.partner, run)
    assert held.status == BookingStatus.CONFIRMED
    moment = NOW()
    partner_waiting = [
        waiting(run, p, world.partner, moment + dt.timedelta(seconds=i))
        for i, p in enumerate(staff_of(world.partner, 3))
    ]
    icb_waiting = [
        waiting(run, p, world.icb, moment + dt.timedelta(seconds=10 + i))
        for i, p in enumerate(staff_of(world.icb, 3))
    ]

    release_unfilled_places(actor=None, run=run)

    assert statuses(*partner_waiting) == [BookingStatus.CONFIRMED] + [BookingStatus.WAITING] * 2
    assert statuses(*icb_waiting) == [BookingStatus.CONFIRMED] * 2 + [BookingStatus.WAITING]
    shares = dict(
        RunOrganisationShare.objects.filter(run=run).values_list("organisation", "places_taken")
    )
    assert shares == {world.partner.pk: 2, world.icb.pk: 2}
    run.refresh_from_db()
    assert run.places_taken == 4


def test_the_release_follows_the_rule_host_first_then_fewest_given_then_fewest_received(world):
    run = run_of(world, capacity=4)
    earlier_run = run_of(world, capacity=10)
    moment = NOW() - dt.timedelta(days=30)
    for person in staff_of(world.icb, 2):
        Booking.objects.create(
            run=earlier_run,
            person=person,
            organisation=world.icb,
            status=BookingStatus.CONFIRMED,
            confirmed_at=NOW() - dt.timedelta(days=10),
        )
    # Places received over a year ago do not count against the partner.
    for person in staff_of(world.partner, 3):
        Booking.objects.create(
            run=earlier_run,
            person=person,
            organisation=world.partner,
            status=BookingStatus.CONFIRMED,
            confirmed_at=NOW() - dt.timedelta(days=400),
        )
    partner_1, partner_2 = staff_of(world.partner, 2)
    icb_1, icb_2 = staff_of(world.icb, 2)
    requests = {
        "partner_1": waiting(run, partner_1, world.partner, moment),
        "partner_2": waiting(run, partner_2, world.partner, moment + dt.timedelta(hours=1)),
        "icb_1": waiting(run, icb_1, world.icb, moment + dt.timedelta(hours=2)),
        "host": waiting(run, world.own_staff, world.own, moment + dt.timedelta(hours=3)),
        "icb_2": waiting(run, icb_2, world.icb, moment + dt.timedelta(hours=4)),
    }
    expected = allocation.allocate(
        allocation.Run(str(run.pk), str(world.own.pk), 4, 0, None),
        [
            allocation.Request(
                str(b.pk), str(b.organisation_id), Instant.of(b.requested_at), approved=True
            )
            for b in requests.values()
        ],
        received_last_365_days={str(world.icb.pk): 2},
    )

    given = release_unfilled_places(actor=None, run=run)

    names = {booking.pk: name for name, booking in requests.items()}
    assert [names[b.pk] for b in given] == ["host", "partner_1", "icb_1", "partner_2"]
    assert [str(b.pk) for b in given] == [a.request for a in expected.allocated]
    assert statuses(requests["icb_2"]) == [BookingStatus.WAITING]


def release_two_runs_in_one_job(world, first_waiting: list) -> tuple[Booking, Booking]:
    """Partners wait on two runs of one place; the job releases the first, then the second."""
    first, second = run_of(world, capacity=1), run_of(world, capacity=1)
    moment = NOW() - dt.timedelta(days=1)
    for offset, organisation in enumerate(first_waiting):
        at = moment + dt.timedelta(hours=offset)
        waiting(first, staff_of(organisation, 1)[0], organisation, at)
    partner = waiting(second, staff_of(world.partner, 1)[0], world.partner, moment)
    icb = waiting(second, staff_of(world.icb, 1)[0], world.icb, moment + dt.timedelta(hours=1))
    Run.objects.filter(pk=first.pk).update(cut_off_at=NOW() - dt.timedelta(minutes=2))
    pass_cut_off(second)
    assert release_due_runs() == 2
    return partner, icb


def test_the_job_counts_a_place_it_gave_a_partner_a_moment_ago_when_choosing_the_next(world):
    partner, icb = release_two_runs_in_one_job(world, [world.partner, world.icb])

    # The partner had the first run's place in this same job, so the ICB goes first now.
    assert statuses(partner, icb) == [BookingStatus.WAITING, BookingStatus.CONFIRMED]


def test_the_job_counts_each_place_it_gave_once(world):
    earlier = run_of(world, capacity=5)
    Booking.objects.create(
        run=earlier,
        person=staff_of(world.icb, 1)[0],
        organisation=world.icb,
        status=BookingStatus.CONFIRMED,
        confirmed_at=NOW() - dt.timedelta(days=10),
    )

    partner, icb = release_two_runs_in_one_job(world, [world.partner])

    # One place each in the last year: a tie, so the earlier request goes first.
    assert statuses(partner, icb) == [BookingStatus.CONFIRMED, BookingStatus.WAITING]


def test_the_job_leaves_the_connections_commit_setting_as_it_found_it(world):
    if connection.vendor != "postgresql":
        pytest.skip("Asynchronous commit is PostgreSQL's.")
    run = run_of(world, capacity=1)
    waiting(run, world.partner_staff, world.partner, NOW())
    pass_cut_off(run)
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        before = cursor.fetchone()[0]

    assert release_due_runs() == 1

    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == before


# --- Audit -------------------------------------------------------------------------------------


def test_the_release_and_every_place_it_gives_are_in_the_hosts_audit_log(world):
    run = run_of(world, capacity=2, release_mode=ReleaseMode.OFFER)
    people = [book_self(p, world.partner, run) for p in staff_of(world.partner, 2)]
    pass_cut_off(run)

    release_due_runs()

    released = AuditEvent.objects.get(action="run.released")
    assert released.actor is None
    assert released.organisation == world.own
    assert released.object_id == str(run.pk)
    assert released.changes == {
        "places_given": 2,
        "release_mode": "offer",
        "bookings": [people[0].pk, people[1].pk],
    }
    per_booking = AuditEvent.objects.filter(action="booking.released").order_by("id")
    assert [e.object_id for e in per_booking] == [str(p.pk) for p in people]
    assert all(e.changes["status"] == "offered" for e in per_booking)
    assert all(e.organisation == world.own for e in per_booking)

    assert lapse_offers(NOW() + dt.timedelta(days=3)) == 2
    assert AuditEvent.objects.filter(action="booking.lapsed").count() == 2


# --- Two workers at once -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_four_workers_running_the_job_at_once_release_each_run_once_and_give_each_place_once():
    host, partner = host_and_partner()
    runs = []
    for _ in range(3):
        run = RunFactory(programme=ProgrammeFactory(host=host), capacity=2)
        for person in staff_of(partner, 3):
            book_self(person, partner, run)
        pass_cut_off(run)
        runs.append(run)
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait(timeout=30)
            release_and_lapse()
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    needs_two_writers()
    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    for run in runs:
        run.refresh_from_db()
        assert run.released_at is not None
        assert run.places_taken == 2
        counts = Counter(Booking.objects.filter(run=run).values_list("status", flat=True))
        assert counts == {BookingStatus.CONFIRMED: 2, BookingStatus.WAITING: 1}
        released = AuditEvent.objects.filter(action="run.released", object_id=str(run.pk))
        assert released.count() == 1
    assert AuditEvent.objects.filter(action="booking.released").count() == 6


def test_a_cancellation_through_an_old_copy_of_the_run_still_passes_the_place_to_partners(world):
    run = run_of(world, capacity=1)
    holder = book_self(world.own_staff, world.own, run)
    partner = book_self(world.partner_staff, world.partner, run)
    stale = Booking.objects.select_related("run").get(pk=holder.pk)
    release_unfilled_places(actor=None, run=Run.objects.get(pk=run.pk))
    assert stale.run.released_at is None

    cancel_booking(actor=self_actor(stale), booking=stale)

    assert statuses(partner) == [BookingStatus.CONFIRMED]
