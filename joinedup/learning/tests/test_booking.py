"""Booking a place, the waiting list, cancelling, approvals and the per-partner cap (services)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from joinedup.learning.models import Booking, BookingStatus, Run, RunOrganisationShare
from joinedup.learning.models import SharingPolicy as Policy
from joinedup.learning.services import (
    BookingRefused,
    approve_booking,
    book_place,
    cancel_booking,
    decline_booking,
)
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import AuditEvent, Membership, OrganisationRole
from joinedup.partnership.tests.factories import (
    EmploymentFactory,
    OrganisationRoleFactory,
    PersonFactory,
)


def run_of(world, policy=Policy.OWN_THEN_PARTNERS, **run_fields) -> Run:
    approval = run_fields.pop("approval_required", False)
    programme = ProgrammeFactory(host=world.own, sharing_policy=policy, approval_required=approval)
    return RunFactory(programme=programme, **run_fields)


def book(world, persona: str, run: Run, **kwargs) -> Booking:
    return book_place(actor=world.actor(persona), run=run, person=world.person(persona), **kwargs)


def staff_of(organisation, count: int) -> list:
    return [EmploymentFactory(organisation=organisation).person for _ in range(count)]


def self_actor(person, organisation) -> Actor:
    return Actor(person=person, organisation=organisation)


# --- The sharing policy, persona by persona ----------------------------------------------------


@pytest.mark.parametrize("policy", list(Policy))
def test_own_staff_get_a_free_place_under_every_sharing_policy(world, policy):
    run = run_of(world, policy)

    booking = book(world, "own_staff", run)

    assert booking.status == BookingStatus.CONFIRMED
    assert booking.organisation == world.own
    run.refresh_from_db()
    assert run.places_taken == 1


def test_partner_staff_wait_before_the_cut_off_when_the_host_keeps_places_for_its_own(world):
    run = run_of(world, Policy.OWN_THEN_PARTNERS)

    booking = book(world, "partner_staff", run)

    assert booking.status == BookingStatus.WAITING
    assert booking.organisation == world.partner
    run.refresh_from_db()
    assert run.places_taken == 0


def test_partner_staff_get_a_free_place_once_the_run_is_released_to_partners(world):
    run = run_of(world, Policy.OWN_THEN_PARTNERS, released_at=timezone.now())

    assert book(world, "partner_staff", run).status == BookingStatus.CONFIRMED


def test_partner_staff_get_a_free_place_from_the_start_when_the_run_is_shared_from_the_start(
    world,
):
    run = run_of(world, Policy.PARTNERS_FROM_START)

    assert book(world, "partner_staff", run).status == BookingStatus.CONFIRMED


def test_partner_staff_cannot_book_or_wait_for_a_run_kept_for_own_staff_only(world):
    run = run_of(world, Policy.OWN_ONLY, released_at=timezone.now())

    with pytest.raises(BookingRefused, match="own staff only"):
        book(world, "partner_staff", run)
    assert not Booking.objects.exists()


def test_outsider_cannot_book_a_run_of_an_organisation_outside_their_partnership(world):
    run = run_of(world, Policy.PARTNERS_FROM_START)

    with pytest.raises(BookingRefused, match="not offered to your organisation"):
        book(world, "outsider", run)


def test_anonymous_cannot_book(world):
    run = run_of(world)

    with pytest.raises(PermissionDenied):
        book_place(actor=world.actor("anonymous"), run=run, person=world.own_staff)


def test_nobody_books_for_someone_they_do_not_line_manage(world):
    run = run_of(world)

    with pytest.raises(PermissionDenied):
        book_place(actor=world.actor("own_ld_lead"), run=run, person=world.own_staff)
    with pytest.raises(PermissionDenied):
        book_place(actor=world.actor("own_staff"), run=run, person=world.own_line_manager)


def test_line_manager_books_a_place_for_their_report(world):
    run = run_of(world)

    booking = book_place(actor=world.actor("own_line_manager"), run=run, person=world.own_staff)

    assert booking.status == BookingStatus.CONFIRMED
    assert booking.person == world.own_staff
    assert booking.booked_by == world.own_line_manager


# --- The job a booking is made under, and the partnership it counts in --------------------------


def end_job(world, persona: str, on: dt.date) -> None:
    job = world.employments[persona]
    job.end_date = on
    job.save()


def end_membership(world, organisation, on: dt.date) -> None:
    Membership.objects.filter(partnership=world.partnership, organisation=organisation).update(
        left_on=on
    )


def test_a_job_that_ended_yesterday_books_nothing_but_one_ending_today_still_does(world):
    run = run_of(world)
    today = timezone.localdate()

    end_job(world, "own_staff", today)
    assert book(world, "own_staff", run).status == BookingStatus.CONFIRMED

    end_job(world, "own_admin", today - dt.timedelta(days=1))
    with pytest.raises(PermissionDenied):
        book(world, "own_admin", run)


def test_a_job_that_has_not_started_books_nothing(world):
    run = run_of(world)
    job = world.employments["own_staff"]
    job.start_date = timezone.localdate() + dt.timedelta(days=1)
    job.save()

    with pytest.raises(PermissionDenied):
        book(world, "own_staff", run)
    with pytest.raises(PermissionDenied):
        book_place(actor=world.actor("own_line_manager"), run=run, person=world.own_staff)


def test_a_line_manager_whose_own_job_has_ended_cannot_book_for_their_former_report(world):
    run = run_of(world)
    end_job(world, "own_line_manager", timezone.localdate() - dt.timedelta(days=1))

    with pytest.raises(PermissionDenied):
        book_place(actor=world.actor("own_line_manager"), run=run, person=world.own_staff)


def test_someone_with_jobs_at_two_partners_books_for_the_one_they_act_for(world):
    run = run_of(world, Policy.PARTNERS_FROM_START, partner_cap=1)
    EmploymentFactory(person=world.own_staff, organisation=world.partner, seniority=4)

    booking = book_place(
        actor=Actor(person=world.own_staff, organisation=world.partner),
        run=run,
        person=world.own_staff,
    )

    assert booking.organisation == world.partner
    assert RunOrganisationShare.objects.get(run=run).organisation == world.partner


def test_a_report_whose_job_is_at_another_partner_is_booked_for_that_partner(world):
    run = run_of(world, Policy.PARTNERS_FROM_START)
    report = EmploymentFactory(
        organisation=world.icb, line_manager=world.employments["own_line_manager"]
    ).person

    booking = book_place(actor=world.actor("own_line_manager"), run=run, person=report)

    assert booking.status == BookingStatus.CONFIRMED
    assert booking.organisation == world.icb


def test_a_partner_leaving_the_partnership_tomorrow_books_but_not_once_it_has_left(world):
    run = run_of(world, Policy.PARTNERS_FROM_START)
    today = timezone.localdate()

    end_membership(world, world.partner, today + dt.timedelta(days=1))
    assert book(world, "partner_staff", run).status == BookingStatus.CONFIRMED

    end_membership(world, world.partner, today)
    with pytest.raises(BookingRefused, match="not offered to your organisation"):
        book(world, "partner_admin", run)


def test_once_the_host_has_left_the_partnership_partners_can_no_longer_book(world):
    run = run_of(world, Policy.PARTNERS_FROM_START)
    end_membership(world, world.own, timezone.localdate())

    with pytest.raises(BookingRefused, match="not offered to your organisation"):
        book(world, "partner_staff", run)
    assert book(world, "own_staff", run).status == BookingStatus.CONFIRMED


# --- Waiting list, cancelling ------------------------------------------------------------------


def test_people_join_the_waiting_list_when_the_run_is_full(world):
    run = run_of(world, capacity=2)
    first, second, third = staff_of(world.own, 3)

    statuses = [
        book_place(actor=self_actor(p, world.own), run=run, person=p).status
        for p in (first, second, third)
    ]

    assert statuses == [BookingStatus.CONFIRMED, BookingStatus.CONFIRMED, BookingStatus.WAITING]
    run.refresh_from_db()
    assert run.places_taken == 2


def test_cancelling_a_confirmed_place_passes_it_to_the_next_waiting_person(world):
    run = run_of(world, capacity=1)
    booking = book(world, "own_staff", run)
    next_in_line = book(world, "own_admin", run)
    assert next_in_line.status == BookingStatus.WAITING

    cancel_booking(actor=world.actor("own_staff"), booking=booking)

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.cancelled_at is not None
    next_in_line.refresh_from_db()
    assert next_in_line.status == BookingStatus.CONFIRMED
    run.refresh_from_db()
    assert run.places_taken == 1


def test_cancelling_a_confirmed_place_with_nobody_waiting_frees_it_for_the_next_booking(world):
    run = run_of(world, capacity=1)
    booking = book(world, "own_staff", run)

    cancel_booking(actor=world.actor("own_staff"), booking=booking)

    run.refresh_from_db()
    assert run.places_taken == 0
    assert book(world, "own_ld_lead", run).status == BookingStatus.CONFIRMED


def test_cancelling_a_waiting_request_leaves_the_places_alone(world):
    run = run_of(world, capacity=1)
    book(world, "own_staff", run)
    waiting = book(world, "own_admin", run)

    cancel_booking(actor=world.actor("own_admin"), booking=waiting)

    run.refresh_from_db()
    assert run.places_taken == 1


def test_cancelling_twice_is_refused_and_frees_only_one_place(world):
    run = run_of(world, capacity=3)
    booking = book(world, "own_staff", run)
    book(world, "own_admin", run)
    cancel_booking(actor=world.actor("own_staff"), booking=booking)

    with pytest.raises(BookingRefused):
        cancel_booking(actor=world.actor("own_staff"), booking=booking)
    run.refresh_from_db()
    assert run.places_taken == 1


def test_line_manager_and_host_may_cancel_but_a_colleague_may_not(world):
    run = run_of(world)
    booking = book(world, "own_staff", run)

    with pytest.raises(PermissionDenied):
        cancel_booking(actor=world.actor("own_admin"), booking=booking)
    with pytest.raises(PermissionDenied):
        cancel_booking(actor=world.actor("partner_ld_lead"), booking=booking)
    cancel_booking(actor=world.actor("own_line_manager"), booking=booking)

    OrganisationRoleFactory(
        person=world.own_admin, organisation=world.own, role=OrganisationRole.PROGRAMME_LEADER
    )
    again = book(world, "own_staff", run)
    cancel_booking(actor=world.actor("own_admin"), booking=again)
    assert again.status == BookingStatus.CANCELLED


def test_a_person_cannot_hold_two_active_bookings_on_one_run(world):
    run = run_of(world)
    book(world, "own_staff", run)

    with pytest.raises(BookingRefused, match="already have a booking"):
        book(world, "own_staff", run)
    run.refresh_from_db()
    assert run.places_taken == 1


def test_bookings_are_refused_once_bookings_close(world):
    run = run_of(world, bookings_close_at=timezone.now() - dt.timedelta(minutes=1))

    with pytest.raises(BookingRefused, match="closed"):
        book(world, "own_staff", run)


def test_bookings_outside_the_programmes_seniority_range_are_refused(world):
    run = run_of(world)
    run.programme.seniority_min = 7
    run.programme.save()
    employment = world.employments["own_staff"]
    employment.seniority = 3
    employment.save()

    with pytest.raises(BookingRefused, match="seniority 7 to 9"):
        book(world, "own_staff", run)


# --- Per-partner cap ---------------------------------------------------------------------------


def test_a_partner_gets_no_more_places_than_the_cap_while_the_host_is_not_capped(world):
    run = run_of(world, Policy.PARTNERS_FROM_START, capacity=5, partner_cap=1)
    partner_people = staff_of(world.partner, 2)
    own_people = staff_of(world.own, 2)

    partner_statuses = [
        book_place(actor=self_actor(p, world.partner), run=run, person=p).status
        for p in partner_people
    ]
    own_statuses = [
        book_place(actor=self_actor(p, world.own), run=run, person=p).status for p in own_people
    ]

    assert partner_statuses == [BookingStatus.CONFIRMED, BookingStatus.WAITING]
    assert own_statuses == [BookingStatus.CONFIRMED, BookingStatus.CONFIRMED]
    share = RunOrganisationShare.objects.get(run=run, organisation=world.partner)
    assert (share.places_taken, share.cap) == (1, 1)
    assert not RunOrganisationShare.objects.filter(organisation=world.own).exists()


def test_cancelling_a_partners_place_frees_its_share_of_the_cap(world):
    run = run_of(world, Policy.PARTNERS_FROM_START, partner_cap=1)
    booking = book(world, "partner_staff", run)

    cancel_booking(actor=world.actor("partner_staff"), booking=booking)

    share = RunOrganisationShare.objects.get(run=run, organisation=world.partner)
    assert share.places_taken == 0
    assert book(world, "partner_admin", run).status == BookingStatus.CONFIRMED


def test_a_partner_refused_by_a_full_run_does_not_keep_a_share_of_the_cap(world):
    run = run_of(world, Policy.PARTNERS_FROM_START, capacity=1, partner_cap=2)
    book(world, "own_staff", run)

    assert book(world, "partner_staff", run).status == BookingStatus.WAITING
    assert RunOrganisationShare.objects.get(run=run, organisation=world.partner).places_taken == 0


# --- Approval by the line manager --------------------------------------------------------------


def test_a_booking_needing_approval_holds_no_place_until_the_line_manager_approves(world):
    run = run_of(world, approval_required=True)

    booking = book(world, "own_staff", run)
    assert booking.status == BookingStatus.REQUESTED
    run.refresh_from_db()
    assert run.places_taken == 0

    approve_booking(actor=world.actor("own_line_manager"), booking=booking)

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.approved_by == world.own_line_manager
    run.refresh_from_db()
    assert run.places_taken == 1


def test_an_approved_request_waits_when_the_run_is_full(world):
    run = run_of(world, approval_required=True, capacity=1)
    booking = book(world, "own_staff", run)
    other_report = EmploymentFactory(
        organisation=world.own, line_manager=world.employments["own_line_manager"]
    ).person
    book_place(actor=world.actor("own_line_manager"), run=run, person=other_report)

    approve_booking(actor=world.actor("own_line_manager"), booking=booking)

    booking.refresh_from_db()
    assert booking.status == BookingStatus.WAITING
    assert booking.approved_at is not None


def test_a_booking_made_by_the_line_manager_needs_no_separate_approval(world):
    run = run_of(world, approval_required=True)

    booking = book_place(actor=world.actor("own_line_manager"), run=run, person=world.own_staff)

    assert booking.status == BookingStatus.CONFIRMED
    assert booking.approved_by == world.own_line_manager


def test_line_manager_declines_a_request_with_a_reason(world):
    run = run_of(world, approval_required=True)
    booking = book(world, "own_staff", run)

    decline_booking(
        actor=world.actor("own_line_manager"), booking=booking, reason="Rota is full that week"
    )

    booking.refresh_from_db()
    assert booking.status == BookingStatus.DECLINED
    assert booking.decline_reason == "Rota is full that week"


def test_declining_without_a_reason_names_the_reason_field(world):
    run = run_of(world, approval_required=True)
    booking = book(world, "own_staff", run)

    with pytest.raises(ValidationError) as raised:
        decline_booking(actor=world.actor("own_line_manager"), booking=booking, reason="  ")
    assert "reason" in raised.value.message_dict
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


@pytest.mark.parametrize(
    "persona", ["own_staff", "own_admin", "own_ld_lead", "partner_ld_lead", "partnership_lead"]
)
def test_only_the_line_manager_may_approve_or_decline(world, persona):
    run = run_of(world, approval_required=True)
    booking = book(world, "own_staff", run)

    with pytest.raises(PermissionDenied):
        approve_booking(actor=world.actor(persona), booking=booking)
    with pytest.raises(PermissionDenied):
        decline_booking(actor=world.actor(persona), booking=booking, reason="No")


def test_a_decided_request_cannot_be_decided_again(world):
    run = run_of(world, approval_required=True)
    booking = book(world, "own_staff", run)
    approve_booking(actor=world.actor("own_line_manager"), booking=booking)

    with pytest.raises(BookingRefused):
        approve_booking(actor=world.actor("own_line_manager"), booking=booking)
    with pytest.raises(BookingRefused):
        decline_booking(actor=world.actor("own_line_manager"), booking=booking, reason="No")
    run.refresh_from_db()
    assert run.places_taken == 1


# --- Audit -------------------------------------------------------------------------------------


def test_every_change_of_a_booking_is_in_the_hosts_audit_log_without_personal_text(world):
    run = run_of(world, approval_required=True)
    booking = book(world, "own_staff", run, note="Needs a hearing loop")
    approve_booking(actor=world.actor("own_line_manager"), booking=booking)
    cancel_booking(actor=world.actor("own_staff"), booking=booking)

    events = AuditEvent.objects.filter(object_kind="booking", object_id=str(booking.pk))
    assert list(events.order_by("id").values_list("action", flat=True)) == [
        "booking.requested",
        "booking.approved",
        "booking.cancelled",
    ]
    first = events.order_by("id").first()
    assert first.actor == world.own_staff
    assert first.acting_for == world.own
    assert first.organisation == world.own
    assert first.changes == {
        "run": run.pk,
        "person": world.own_staff.pk,
        "organisation": world.own.pk,
        "status": "requested",
    }
    assert all("hearing" not in str(event.changes) for event in events)


def test_waitlisting_is_audited_too(world):
    run = run_of(world)

    booking = book(world, "partner_staff", run)

    event = AuditEvent.objects.get(object_kind="booking", object_id=str(booking.pk))
    assert event.action == "booking.waiting"
    assert event.acting_for == world.partner


# --- Database constraints behind the counters --------------------------------------------------


def test_the_database_refuses_more_places_taken_than_capacity(world):
    run = run_of(world, capacity=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Run.objects.filter(pk=run.pk).update(places_taken=F("capacity") + 1)


def test_the_database_refuses_a_partner_share_over_its_cap(world):
    run = run_of(world, partner_cap=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        RunOrganisationShare.objects.create(
            run=run, organisation=world.partner, cap=1, places_taken=2
        )


def test_the_database_refuses_a_second_active_booking_for_one_person(world):
    run = run_of(world)
    person = PersonFactory()
    Booking.objects.create(run=run, person=person, organisation=world.own, status="waiting")
    Booking.objects.create(run=run, person=person, organisation=world.own, status="cancelled")

    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(run=run, person=person, organisation=world.own, status="confirmed")
