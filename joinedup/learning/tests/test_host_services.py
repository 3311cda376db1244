"""The host changes programmes and runs, cancels runs and releases early; the release log row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from joinedup.learning import services
from joinedup.learning.models import (
    Booking,
    BookingStatus,
    Release,
    Run,
    RunOrganisationShare,
    Session,
)
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory, SessionFactory
from joinedup.partnership.models import AuditEvent


def hosted_run(world, **fields) -> Run:
    run = RunFactory(programme=ProgrammeFactory(host=world.own), **fields)
    SessionFactory(run=run)
    return run


def book(world, persona: str, run: Run) -> Booking:
    return services.book_place(actor=world.actor(persona), run=run, person=world.person(persona))


def fresh(run: Run) -> Run:
    return Run.objects.select_related("programme__host").get(pk=run.pk)


# --- Changing a programme ---------------------------------------------------------------------


def test_the_host_ld_lead_changes_a_programme_and_gets_back_what_changed(world):
    programme = ProgrammeFactory(host=world.own, title="Old title", partner_price=Decimal("150"))

    changed = services.update_programme(
        actor=world.actor("own_ld_lead"),
        programme=programme,
        title="New title",
        partner_price="150.00",
        topics=["Safeguarding"],
    )

    assert changed == {"title": ("Old title", "New title"), "topics": ([], ["Safeguarding"])}
    programme.refresh_from_db()
    assert programme.title == "New title"
    event = AuditEvent.objects.get(action="programme.updated")
    assert event.changes == {"title": "New title", "topics": ["Safeguarding"]}


def test_a_programme_change_with_bad_input_names_the_fields(world):
    programme = ProgrammeFactory(host=world.own)

    with pytest.raises(ValidationError) as caught:
        services.update_programme(
            actor=world.actor("own_ld_lead"), programme=programme, title=" ", seniority_min=0
        )

    assert set(caught.value.message_dict) == {"title", "seniority_min"}


@pytest.mark.parametrize("persona", ["own_staff", "own_admin", "partner_ld_lead", "outsider"])
def test_only_the_hosts_ld_lead_or_programme_leader_may_change_a_programme(world, persona):
    programme = ProgrammeFactory(host=world.own)
    with pytest.raises(PermissionDenied):
        services.update_programme(actor=world.actor(persona), programme=programme, title="x")


# --- Changing a run ---------------------------------------------------------------------------


def test_the_host_changes_a_runs_capacity_and_price_with_an_audit_entry(world):
    run = hosted_run(world, capacity=10, partner_price=Decimal("150"))

    changed = services.update_run(
        actor=world.actor("own_ld_lead"), run=run, capacity=12, partner_price="99.50"
    )

    assert changed == {"capacity": (10, 12), "partner_price": (Decimal("150"), Decimal("99.50"))}
    assert fresh(run).capacity == 12
    event = AuditEvent.objects.get(action="run.updated")
    assert event.changes == {"capacity": 12, "partner_price": "99.50"}


def test_capacity_may_not_drop_below_the_places_taken(world):
    run = hosted_run(world, capacity=3)
    book(world, "own_staff", run)
    book(world, "own_line_manager", run)

    with pytest.raises(ValidationError) as caught:
        services.update_run(actor=world.actor("own_ld_lead"), run=fresh(run), capacity=1)

    assert caught.value.message_dict == {
        "capacity": ["Capacity cannot be below the 2 places already taken"]
    }
    assert fresh(run).capacity == 3


def test_raising_the_capacity_gives_the_new_place_to_someone_waiting(world):
    run = hosted_run(world, capacity=1)
    book(world, "own_staff", run)
    waiting = book(world, "own_line_manager", run)
    assert waiting.status == BookingStatus.WAITING

    services.update_run(actor=world.actor("own_ld_lead"), run=fresh(run), capacity=2)

    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.CONFIRMED
    assert fresh(run).places_taken == 2


def test_changing_the_cut_off_after_the_release_is_refused(world):
    run = hosted_run(world)
    services.release_unfilled_places(actor=None, run=run)

    with pytest.raises(ValidationError) as caught:
        services.update_run(
            actor=world.actor("own_ld_lead"),
            run=fresh(run),
            cut_off_at=run.cut_off_at - dt.timedelta(days=1),
        )

    assert "already released" in caught.value.message_dict["cut_off_at"][0]


def test_the_cut_off_must_stay_before_the_first_session(world):
    run = hosted_run(world)
    with pytest.raises(ValidationError) as caught:
        services.update_run(
            actor=world.actor("own_ld_lead"),
            run=run,
            cut_off_at=timezone.now() + dt.timedelta(days=60),
        )
    assert caught.value.message_dict["cut_off_at"] == [
        "The cut-off must be before the first session starts"
    ]


def test_sessions_are_changed_in_place_and_reported(world):
    run = hosted_run(world)
    day = timezone.localdate() + dt.timedelta(days=30)
    sessions = [
        {"date": day, "starts_at": dt.time(10), "ends_at": dt.time(12), "venue": "Town hall"},
        {"date": day, "starts_at": dt.time(13), "ends_at": dt.time(15), "online_link": ""},
    ]

    changed = services.update_run(actor=world.actor("own_ld_lead"), run=run, sessions=sessions)

    assert len(changed["sessions"][1]) == 2
    assert list(Session.objects.filter(run=run).values_list("starts_at", flat=True)) == [
        dt.time(10),
        dt.time(13),
    ]


def test_a_partner_cap_below_what_a_partner_holds_is_refused(world):
    run = hosted_run(world)
    RunOrganisationShare.objects.create(run=run, organisation=world.partner, places_taken=2)

    with pytest.raises(ValidationError) as caught:
        services.update_run(actor=world.actor("own_ld_lead"), run=run, partner_cap=1)

    assert "2 places" in caught.value.message_dict["partner_cap"][0]
    assert RunOrganisationShare.objects.get(run=run).cap is None


def test_a_run_with_nothing_changed_writes_no_audit_entry(world):
    run = hosted_run(world)
    assert services.update_run(actor=world.actor("own_ld_lead"), run=run, capacity=10) == {}
    assert not AuditEvent.objects.filter(action="run.updated").exists()


def test_a_partners_ld_lead_may_not_change_a_run(world):
    with pytest.raises(PermissionDenied):
        services.update_run(actor=world.actor("partner_ld_lead"), run=hosted_run(world))


# --- Cancelling a run -------------------------------------------------------------------------


def test_cancelling_a_run_cancels_every_active_booking_and_frees_the_places(world):
    run = hosted_run(world, capacity=1)
    confirmed = book(world, "own_staff", run)
    waiting = book(world, "own_line_manager", run)

    cancelled = services.cancel_run(
        actor=world.actor("own_ld_lead"), run=fresh(run), reason="The trainer is unwell"
    )

    assert {booking.pk for booking in cancelled} == {confirmed.pk, waiting.pk}
    assert set(Booking.objects.filter(run=run).values_list("status", flat=True)) == {
        BookingStatus.CANCELLED
    }
    run = fresh(run)
    assert run.places_taken == 0
    assert run.is_cancelled()
    assert run.cancellation_reason == "The trainer is unwell"
    assert AuditEvent.objects.filter(action="run.cancelled").count() == 1


def test_a_cancelled_run_cannot_be_booked(world):
    run = hosted_run(world)
    services.cancel_run(actor=world.actor("own_ld_lead"), run=run, reason="Venue closed")

    with pytest.raises(services.BookingRefused, match="This run has been cancelled."):
        book(world, "own_staff", fresh(run))


def test_cancelling_needs_a_reason_and_happens_once(world):
    run = hosted_run(world)
    with pytest.raises(ValidationError) as caught:
        services.cancel_run(actor=world.actor("own_ld_lead"), run=run, reason="  ")
    assert caught.value.message_dict == {"reason": ["Enter a reason for cancelling the run"]}

    services.cancel_run(actor=world.actor("own_ld_lead"), run=run, reason="Venue closed")
    with pytest.raises(ValidationError, match="already cancelled"):
        services.cancel_run(actor=world.actor("own_ld_lead"), run=fresh(run), reason="Again")


def test_a_cancelled_run_cannot_be_changed_or_released(world):
    run = hosted_run(world)
    services.cancel_run(actor=world.actor("own_ld_lead"), run=run, reason="Venue closed")

    with pytest.raises(ValidationError, match="cancelled"):
        services.update_run(actor=world.actor("own_ld_lead"), run=fresh(run), capacity=5)
    assert services.release_unfilled_places(actor=None, run=fresh(run)) == []
    assert not Release.objects.exists()


# --- The release log row ----------------------------------------------------------------------


def test_releasing_writes_a_release_row_with_the_counts(world):
    run = hosted_run(world, capacity=3)
    book(world, "own_staff", run)
    book(world, "partner_staff", run)
    book(world, "partner_ld_lead", run)
    book(world, "partner_admin", run)

    given = services.release_unfilled_places(actor=world.actor("own_ld_lead"), run=fresh(run))

    assert len(given) == 2
    release = Release.objects.get(run=run)
    assert (release.places_free, release.places_given, release.waiting) == (2, 2, 3)
    assert release.reserved_returned == 0
    assert release.released_by == world.person("own_ld_lead")


def test_the_job_releases_with_nobody_named_and_only_once(world):
    run = hosted_run(world)
    services.release_unfilled_places(actor=None, run=run)
    services.release_unfilled_places(actor=None, run=fresh(run))

    release = Release.objects.get(run=run)
    assert release.released_by is None
    assert (release.places_free, release.places_given, release.waiting) == (10, 0, 0)
