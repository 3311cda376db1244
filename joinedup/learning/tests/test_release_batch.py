"""The release job's batch path (`learning.release`): the per-run release's outcome, in a few
statements a batch, and the per-run path wherever a batch cannot land whole."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from joinedup.learning import allocation, notices, release
from joinedup.learning.jobs import release_due_runs
from joinedup.learning.models import (
    HOLDING_STATUSES,
    Booking,
    BookingStatus,
    Release,
    ReleaseMode,
    Reservation,
    Run,
    RunOrganisationShare,
)
from joinedup.learning.models import SharingPolicy as Policy
from joinedup.learning.reservations import reserve_places
from joinedup.learning.services import (
    BookingRefused,
    ReceivedTally,
    book_place,
    cancel_booking,
    release_unfilled_places,
)
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory
from joinedup.learning.tests.test_booking_concurrency import (
    host_and_partner,
    needs_two_writers,
    staff,
)
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import AuditEvent
from joinedup.partnership.tests.factories import EmploymentFactory

NOW = timezone.now


def run_of(world, policy=Policy.OWN_THEN_PARTNERS, **fields) -> Run:
    return RunFactory(programme=ProgrammeFactory(host=world.own, sharing_policy=policy), **fields)


def person_of(organisation):
    return EmploymentFactory(organisation=organisation).person


def book_self(organisation, run: Run) -> Booking:
    person = person_of(organisation)
    return book_place(actor=Actor(person=person, organisation=organisation), run=run, person=person)


def waiting(run: Run, organisation, hours: int) -> Booking:
    """A waiting request made `hours` after a moment three days ago."""
    return Booking.objects.create(
        run=run,
        person=person_of(organisation),
        organisation=organisation,
        status=BookingStatus.WAITING,
        requested_at=NOW() - dt.timedelta(days=3) + dt.timedelta(hours=hours),
    )


def due_in_order(*runs: Run) -> None:
    """Each run's cut-off has passed, the first's earliest, so the job releases them in order."""
    for minutes, run in enumerate(runs):
        Run.objects.filter(pk=run.pk).update(cut_off_at=NOW() - dt.timedelta(minutes=100 - minutes))


def statuses(*bookings: Booking) -> list[str]:
    return [Booking.objects.get(pk=booking.pk).status for booking in bookings]


def assert_within_limits(*runs: Run) -> None:
    """Each run's counter equals its held places and fits its capacity; each share its cap."""
    for run in runs:
        run.refresh_from_db()
        holding = Booking.objects.filter(run=run, status__in=HOLDING_STATUSES)
        assert run.places_taken == holding.count() <= run.capacity
        for share in RunOrganisationShare.objects.filter(run=run):
            held = holding.filter(organisation=share.organisation_id).count()
            assert share.places_taken == held
            assert share.cap is None or held <= share.cap


def mixed_runs(world) -> list[Run]:
    """Runs that use every part of the rule, due in the order returned."""
    # Last year the ICB received one of the host's places and the partner none.
    Booking.objects.create(
        run=run_of(world),
        person=person_of(world.icb),
        organisation=world.icb,
        status=BookingStatus.CONFIRMED,
        confirmed_at=NOW() - dt.timedelta(days=10),
    )
    # The partner gets the first run's place; in the second that makes a tie with the ICB,
    # which waited longer (without the first place the partner would go first).
    first, second = run_of(world, capacity=1), run_of(world, capacity=1)
    waiting(first, world.partner, 0)
    waiting(second, world.icb, 0)
    waiting(second, world.partner, 1)
    # Host first, then partners in turn; two left waiting.
    confirm = run_of(world, capacity=5)
    book_self(world.own, confirm)
    for hours, organisation in enumerate(
        [world.partner, world.partner, world.icb, world.own, world.icb, world.partner]
    ):
        waiting(confirm, organisation, hours)
    offer = run_of(world, capacity=3, release_mode=ReleaseMode.OFFER, offer_window_hours=24)
    for hours, organisation in enumerate([world.partner, world.own, world.icb, world.partner]):
        waiting(offer, organisation, hours)
    # A cap of two: the partner already holds one place, so it gets one more, the ICB two.
    capped = run_of(world, Policy.PARTNERS_FROM_START, capacity=6, partner_cap=2)
    book_self(world.partner, capped)
    for hours in range(3):
        waiting(capped, world.partner, hours)
        waiting(capped, world.icb, 10 + hours)
    own_only = run_of(world, Policy.OWN_ONLY, capacity=3)
    waiting(own_only, world.partner, 0)
    waiting(own_only, world.own, 1)
    full = run_of(world, capacity=1)
    book_self(world.own, full)
    waiting(full, world.partner, 0)
    empty = run_of(world, capacity=2)
    runs = [first, second, confirm, offer, capped, own_only, full, empty]
    due_in_order(*runs)
    return runs


def outcome(runs: list[Run], events_before: int, emails: list) -> dict:
    """Everything a release leaves behind, with the moment of the release taken out."""
    released_at = dict(
        Run.objects.filter(pk__in=[r.pk for r in runs]).values_list("pk", "released_at")
    )
    bookings = []
    for booking in Booking.objects.filter(run__in=runs).order_by("pk"):
        at = released_at[booking.run_id]
        bookings.append(
            (
                booking.pk,
                booking.status,
                booking.released_place,
                "at the release" if booking.confirmed_at == at else booking.confirmed_at,
                booking.offer_expires_at - at if booking.offer_expires_at else None,
            )
        )
    releases = [
        (r.run_id, r.released_at == released_at[r.run_id], r.released_by_id, r.places_free,
         r.reserved_returned, r.places_given, r.waiting)
        for r in Release.objects.filter(run__in=runs).order_by("run_id")
    ]  # fmt: skip
    events = [
        (e.action, e.object_kind, e.object_id, e.object_label, e.changes, e.organisation_id,
         e.actor_id, e.acting_for_id)
        for e in AuditEvent.objects.filter(pk__gt=events_before).order_by("pk")
    ]  # fmt: skip
    return {
        "runs": sorted(
            Run.objects.filter(pk__in=released_at).values_list("pk", "places_taken", "capacity")
        ),
        "released": sorted(pk for pk, at in released_at.items() if at is not None),
        "bookings": bookings,
        "shares": sorted(
            RunOrganisationShare.objects.filter(run__in=runs).values_list(
                "run_id", "organisation_id", "cap", "places_taken"
            )
        ),
        "releases": releases,
        "audit": events,
        "emails": sorted((event, pk) for event, pks in emails for pk in pks),
    }


class _Undo(Exception):
    """Raised to roll back the per-run release once its outcome is taken."""


@pytest.fixture
def emails(monkeypatch) -> list:
    """The e-mails the release arranges to queue once it commits, as (event, booking ids)."""
    queued: list = []
    monkeypatch.setattr(
        notices, "_after_commit", lambda event, ids, extra=None: queued.append((event, ids))
    )
    return queued


def each_on_its_own(runs: list[Run]) -> None:
    """What the job did before batches: every run in its own release, one tally for all."""
    received = ReceivedTally(NOW())
    for run in Run.objects.filter(pk__in=[r.pk for r in runs]).select_related("programme__host"):
        release_unfilled_places(actor=None, run=run, received=received)


# --- The same outcome as releasing each run on its own ----------------------------------------


def test_a_batch_gives_the_same_places_rows_audit_entries_and_e_mails_as_one_run_at_a_time(
    world, emails, caplog
):
    runs = mixed_runs(world)
    emails.clear()  # those of the bookings made above
    before = AuditEvent.objects.latest("pk").pk
    try:
        with transaction.atomic():
            each_on_its_own(runs)
            expected = outcome(runs, before, emails)
            raise _Undo
    except _Undo:
        pass
    emails.clear()

    with caplog.at_level(logging.INFO, logger="joinedup.learning.release"):
        assert release_due_runs() == len(runs)

    assert "one by one" not in caplog.text  # all in the batch, none on the per-run path
    assert outcome(runs, before, emails) == expected
    assert [booking[1] for booking in expected["bookings"]].count(BookingStatus.OFFERED) == 3
    assert_within_limits(*runs)


def test_the_batch_follows_the_rule_and_the_caps(world):
    runs = mixed_runs(world)
    first, second, confirm, offer, capped, own_only, full, empty = runs

    release_due_runs()

    def given_on(run):
        bookings = Booking.objects.filter(run=run, confirmed_at__gte=F("run__released_at"))
        offered = Booking.objects.filter(run=run, status=BookingStatus.OFFERED)
        return sorted((bookings | offered).values_list("organisation_id", flat=True))

    assert given_on(first) == [world.partner.pk]
    assert given_on(second) == [world.icb.pk]
    assert given_on(own_only) == [world.own.pk]
    assert given_on(full) == [] and given_on(empty) == []
    assert sorted(
        RunOrganisationShare.objects.filter(run=capped).values_list(
            "organisation_id", "places_taken"
        )
    ) == sorted([(world.partner.pk, 2), (world.icb.pk, 2)])
    host_first = Booking.objects.filter(
        run=confirm, organisation=world.own, status=BookingStatus.CONFIRMED
    )
    assert host_first.count() == 2 and not host_first.filter(released_place=True).exists()
    assert Booking.objects.filter(run=confirm, released_place=True).count() == 3
    assert Booking.objects.filter(run=offer, status=BookingStatus.OFFERED).count() == 3
    assert_within_limits(*runs)


def test_the_batch_writes_its_runs_in_a_handful_of_statements_however_many_there_are(world):
    def runs_with_waiting(count: int) -> list[Run]:
        runs = []
        for _ in range(count):
            run = run_of(world, capacity=3, partner_cap=1)
            for hours, organisation in enumerate(
                [world.own, world.partner, world.icb, world.partner]
            ):
                waiting(run, organisation, hours)
            runs.append(run)
        due_in_order(*runs)
        return runs

    counts = []
    for count in (2, 6):
        runs = runs_with_waiting(count)
        with CaptureQueriesContext(connection) as queries:
            release_due_runs()
        counts.append(len(queries))
        assert Release.objects.filter(run__in=runs).count() == count
        assert_within_limits(*runs)
    # The second job counts last year's places again (a new tally), as the first did.
    assert counts[0] == counts[1]


# --- Idempotent --------------------------------------------------------------------------------


def test_releasing_again_gives_nothing_more(world):
    runs = mixed_runs(world)
    assert release_due_runs() == len(runs)
    before = (
        list(Booking.objects.order_by("pk").values_list("pk", "status")),
        AuditEvent.objects.count(),
        Release.objects.count(),
    )

    assert release_due_runs() == 0
    assert release.release_batch([run.pk for run in runs], ReceivedTally(NOW())) == len(runs)

    after = (
        list(Booking.objects.order_by("pk").values_list("pk", "status")),
        AuditEvent.objects.count(),
        Release.objects.count(),
    )
    assert after == before
    assert_within_limits(*runs)


# --- Falling back to the per-run release -------------------------------------------------------


def read_as_of_a_moment_ago(monkeypatch, change) -> None:
    """The batch reads its runs, then `change` makes what it read out of date (as another
    transaction committing between the read and the writes would)."""
    real = release._read

    def stale(run_ids):
        runs = real(run_ids)
        change({run.pk: run for run in runs})
        return runs

    monkeypatch.setattr(release, "_read", stale)


def released_by_the_job(caplog) -> str:
    """Run the job; what the batch path logged."""
    with caplog.at_level(logging.INFO, logger="joinedup.learning.release"):
        release_due_runs()
    return caplog.text


# A guarded statement fell short (not a database error, such as a constraint refusing it).
FELL_SHORT = "Runs changed while being released together; releasing them one by one"


def test_a_waiting_person_who_left_meanwhile_sends_the_batch_to_the_per_run_release(
    world, monkeypatch, caplog
):
    run, other = run_of(world, capacity=2), run_of(world, capacity=1)
    left, second, third = [waiting(run, world.partner, hours) for hours in range(3)]
    on_other = waiting(other, world.icb, 0)
    due_in_order(run, other)
    Booking.objects.filter(pk=left.pk).update(status=BookingStatus.CANCELLED)

    def still_waiting_as_read(runs):
        runs[run.pk].waiting.insert(
            0, release.Waiting(left.pk, world.partner.pk, left.person_id, left.requested_at)
        )

    read_as_of_a_moment_ago(monkeypatch, still_waiting_as_read)

    assert released_by_the_job(caplog).strip().endswith(FELL_SHORT)
    assert (
        statuses(left, second, third, on_other)
        == [BookingStatus.CANCELLED] + [BookingStatus.CONFIRMED] * 3
    )
    assert Release.objects.filter(run__in=[run, other]).count() == 2
    assert AuditEvent.objects.filter(action="run.released").count() == 2
    assert_within_limits(run, other)


def test_a_place_taken_meanwhile_sends_the_batch_to_the_per_run_release(world, monkeypatch, caplog):
    run = run_of(world, capacity=2)
    book_self(world.own, run)
    people = [waiting(run, world.partner, hours) for hours in range(2)]
    due_in_order(run)

    def one_more_place_as_read(runs):
        runs[run.pk].taken -= 1

    read_as_of_a_moment_ago(monkeypatch, one_more_place_as_read)

    assert released_by_the_job(caplog).strip().endswith(FELL_SHORT)

    assert statuses(*people) == [BookingStatus.CONFIRMED, BookingStatus.WAITING]
    assert_within_limits(run)


def test_a_share_filled_meanwhile_sends_the_batch_to_the_per_run_release(
    world, monkeypatch, caplog
):
    run = run_of(world, Policy.PARTNERS_FROM_START, capacity=5, partner_cap=2)
    book_self(world.partner, run)
    book_self(world.partner, run)
    partner = waiting(run, world.partner, 0)
    icb = waiting(run, world.icb, 1)
    due_in_order(run)

    def one_place_left_under_the_cap_as_read(runs):
        runs[run.pk].held[world.partner.pk] = 1

    read_as_of_a_moment_ago(monkeypatch, one_place_left_under_the_cap_as_read)

    assert released_by_the_job(caplog).strip().endswith(FELL_SHORT)

    assert statuses(partner, icb) == [BookingStatus.WAITING, BookingStatus.CONFIRMED]
    assert RunOrganisationShare.objects.get(run=run, organisation=world.partner).places_taken == 2
    assert_within_limits(run)


def test_an_error_in_the_batch_is_logged_and_its_runs_released_one_by_one(
    world, monkeypatch, caplog
):
    runs = mixed_runs(world)

    def broken_audit(runs, now):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(release, "_audit", broken_audit)
    with caplog.at_level(logging.ERROR, logger="joinedup.learning.release"):
        assert release_due_runs() == len(runs)

    assert "Releasing runs together failed" in caplog.text
    assert Release.objects.filter(run__in=runs).count() == len(runs)
    assert AuditEvent.objects.filter(action="run.released").count() == len(runs)
    assert_within_limits(*runs)


def test_a_run_that_fails_on_its_own_is_left_for_next_time_and_the_others_released(
    world, monkeypatch
):
    broken, fine = run_of(world, capacity=1), run_of(world, capacity=1)
    waiting(broken, world.partner, 0)
    person = waiting(fine, world.partner, 0)
    due_in_order(broken, fine)
    real = allocation.allocate

    def fail_for_broken(run, *args, **kwargs):
        if run.id == str(broken.pk):
            raise RuntimeError("bad run")
        return real(run, *args, **kwargs)

    monkeypatch.setattr(allocation, "allocate", fail_for_broken)
    assert release_due_runs() == 1

    broken.refresh_from_db()
    assert broken.released_at is None
    assert statuses(person) == [BookingStatus.CONFIRMED]
    monkeypatch.setattr(allocation, "allocate", real)
    assert release_due_runs() == 1
    assert_within_limits(broken, fine)


def test_a_run_with_a_block_still_to_return_is_released_on_its_own_with_the_block_returned(world):
    blocked, plain = run_of(world, capacity=3), run_of(world, capacity=1)
    reserve_places(actor=world.actor("partner_ld_lead"), run=blocked, places=2)
    waiter = waiting(blocked, world.icb, 0)
    other = waiting(plain, world.icb, 0)
    due_in_order(blocked, plain)

    assert release_due_runs() == 2

    assert Reservation.objects.get(run=blocked).places_returned == 2
    assert Release.objects.get(run=blocked).reserved_returned == 2
    assert statuses(waiter, other) == [BookingStatus.CONFIRMED] * 2
    blocked.refresh_from_db()
    assert blocked.places_taken == 1


def test_a_batch_queues_one_e_mail_task_per_event_for_all_its_runs(world, emails):
    runs = mixed_runs(world)
    emails.clear()  # those of the bookings made above

    release_due_runs()

    assert sorted(event for event, _ids in emails) == [notices.CONFIRMED, notices.OFFERED]
    offered = dict(emails)[notices.OFFERED]
    assert sorted(offered) == sorted(
        Booking.objects.filter(run__in=runs, status=BookingStatus.OFFERED).values_list(
            "pk", flat=True
        )
    )


# --- Under concurrency -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_bookings_and_cancellations_during_the_job_never_take_a_run_or_share_over_its_limit():
    host, partner = host_and_partner()
    runs = []
    waiters = []
    for _ in range(6):
        run = RunFactory(programme=ProgrammeFactory(host=host), capacity=3, partner_cap=2)
        for actor in staff(partner, 3):
            waiters.append(book_place(actor=actor, run=run, person=actor.person))
        runs.append(run)
    due_in_order(*runs)
    bookers = staff(partner, 12)
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def together(work) -> None:
        try:
            start.wait(timeout=30)
            work()
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    def book(actors: list[Actor]) -> None:
        for number, actor in enumerate(actors):
            book_place(actor=actor, run=runs[number % len(runs)], person=actor.person)

    def leave() -> None:
        for booking in waiters[::3]:
            booking.refresh_from_db()
            actor = Actor(person=booking.person, organisation=booking.organisation)
            # The release may move it a moment after it was read: refused then, fine either way.
            with contextlib.suppress(BookingRefused):
                cancel_booking(actor=actor, booking=booking)

    needs_two_writers()
    work = [release_due_runs, release_due_runs, lambda: book(bookers), leave]
    threads = [threading.Thread(target=together, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)

    assert errors == []
    assert_within_limits(*runs)
    for run in runs:
        assert run.released_at is not None
        assert Release.objects.filter(run=run).count() == 1
        released = AuditEvent.objects.filter(action="run.released", object_id=str(run.pk))
        assert released.count() == 1
