"""Recharges for places: a partner's attended place, no-show or late cancellation, posted once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from joinedup.learning import attendance, recharges, services
from joinedup.learning.models import Booking, BookingStatus, Outcome, Run
from joinedup.learning.tests.factories import RunFactory, SessionFactory
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import AuditEvent, OrganisationRole, RechargeEntry
from joinedup.partnership.tests.factories import EmploymentFactory, OrganisationRoleFactory


def past_run(world, **fields) -> Run:
    run = RunFactory(
        programme__host=world.own, programme__title="Motivational interviewing", **fields
    )
    SessionFactory(run=run, date=timezone.localdate() - dt.timedelta(days=1))
    return run


def place(world, persona: str, run: Run, **fields) -> Booking:
    return Booking.objects.create(
        run=run,
        person=world.person(persona),
        organisation=world.employments[persona].organisation,
        status=BookingStatus.CONFIRMED,
        **fields,
    )


def record(world, run: Run, booking: Booking, outcome: str, persona: str = "own_ld_lead"):
    attendance.record_outcomes(actor=world.actor(persona), run=run, outcomes={booking.pk: outcome})
    booking.refresh_from_db()


def test_a_partners_attended_place_posts_one_charge_from_partner_to_host(world):
    run = past_run(world, partner_price=Decimal("150.00"))
    pat = place(world, "partner_staff", run, purchase_order="PO-77", cost_centre="CC-9")
    record(world, run, pat, Outcome.COMPLETED)
    entry = RechargeEntry.objects.get()
    assert pat.recharge_id == entry.pk
    assert (entry.payer, entry.payee) == (world.partner, world.own)
    assert entry.amount == Decimal("150.00")
    assert (entry.source_kind, entry.source_id) == ("run", str(run.pk))
    assert entry.source_label == f"Motivational interviewing, run {run.pk}: attended"
    assert (entry.purchase_order, entry.cost_centre) == ("PO-77", "CC-9")
    assert world.person("partner_staff").family_name not in entry.source_label


def test_attended_but_not_completed_is_charged_too(world):
    run = past_run(world)
    pat = place(world, "partner_staff", run)
    record(world, run, pat, Outcome.NOT_COMPLETED)
    assert RechargeEntry.objects.get().source_label.endswith(": attended")


def test_the_hosts_own_staff_are_never_charged(world):
    run = past_run(world, charge_no_shows=True)
    sam = place(world, "own_staff", run)
    record(world, run, sam, Outcome.COMPLETED)
    record(world, run, sam, Outcome.NO_SHOW)
    assert not RechargeEntry.objects.exists()
    assert sam.recharge_id is None


def test_a_free_place_posts_nothing(world):
    run = past_run(world, partner_price=Decimal("0"))
    pat = place(world, "partner_staff", run)
    record(world, run, pat, Outcome.COMPLETED)
    assert not RechargeEntry.objects.exists()


def test_a_run_that_does_not_charge_attended_places_posts_nothing(world):
    run = past_run(world, charge_attended=False)
    pat = place(world, "partner_staff", run)
    record(world, run, pat, Outcome.COMPLETED)
    assert not RechargeEntry.objects.exists()


def test_no_shows_are_charged_only_where_the_run_says_so(world):
    free = past_run(world)
    charged = past_run(world, charge_no_shows=True)
    record(world, free, place(world, "partner_staff", free), Outcome.NO_SHOW)
    assert not RechargeEntry.objects.exists()
    record(world, charged, place(world, "partner_staff", charged), Outcome.NO_SHOW)
    assert RechargeEntry.objects.get().source_label.endswith(": no-show")


def test_posting_twice_posts_once_the_second_entry_rolled_back(world):
    run = past_run(world)
    pat = place(world, "partner_staff", run, outcome=Outcome.COMPLETED)
    first = recharges.post_place_charge(pat, recharges.ATTENDED, timezone.localdate())
    again = recharges.post_place_charge(
        Booking.objects.get(pk=pat.pk), recharges.ATTENDED, timezone.localdate()
    )
    assert first is not None
    assert again is None
    assert RechargeEntry.objects.count() == 1
    # One event in each party's log, for the one entry that stands.
    assert AuditEvent.objects.filter(action="recharge.posted").count() == 2


def test_recording_the_same_outcome_again_posts_nothing_more(world):
    run = past_run(world)
    pat = place(world, "partner_staff", run)
    record(world, run, pat, Outcome.COMPLETED)
    record(world, run, pat, Outcome.NOT_COMPLETED)
    record(world, run, pat, Outcome.COMPLETED)
    assert RechargeEntry.objects.count() == 1


def test_correcting_an_attended_place_to_a_no_show_reverses_the_charge(world):
    run = past_run(world)
    pat = place(world, "partner_staff", run)
    record(world, run, pat, Outcome.COMPLETED)
    charge = RechargeEntry.objects.get()
    record(world, run, pat, Outcome.NO_SHOW)
    reversal = RechargeEntry.objects.get(reverses=charge)
    assert reversal.amount == Decimal("-150.00")
    assert reversal.reason == "Outcome corrected"
    assert pat.recharge_id is None
    balance = sum(RechargeEntry.objects.values_list("amount", flat=True), Decimal("0"))
    assert balance == Decimal("0")


def test_correcting_a_no_show_to_attended_charges_it_as_attended(world):
    run = past_run(world, charge_no_shows=True)
    pat = place(world, "partner_staff", run)
    record(world, run, pat, Outcome.NO_SHOW)
    no_show = RechargeEntry.objects.get()
    record(world, run, pat, Outcome.COMPLETED)
    assert RechargeEntry.objects.filter(reverses=no_show).exists()
    standing = RechargeEntry.objects.get(pk=pat.recharge_id)
    assert standing.source_label.endswith(": attended")
    balance = sum(RechargeEntry.objects.values_list("amount", flat=True), Decimal("0"))
    assert balance == Decimal("150.00")


def test_a_programme_leader_cannot_make_a_correction_that_cancels_a_charge(world):
    run = past_run(world)
    leader = EmploymentFactory(organisation=world.own, person__email="leo.leader@barnet.test")
    OrganisationRoleFactory(
        person=leader.person, organisation=world.own, role=OrganisationRole.PROGRAMME_LEADER
    )
    pat = place(world, "partner_staff", run)
    actor = Actor(person=leader.person, organisation=world.own)
    attendance.record_outcomes(actor=actor, run=run, outcomes={pat.pk: Outcome.COMPLETED})
    with pytest.raises(ValidationError) as refused:
        attendance.record_outcomes(actor=actor, run=run, outcomes={pat.pk: Outcome.NO_SHOW})
    assert "learning and development lead" in str(refused.value)
    pat.refresh_from_db()
    assert pat.outcome == Outcome.COMPLETED
    assert RechargeEntry.objects.count() == 1


def upcoming_run(world, days: int, **fields) -> Run:
    run = RunFactory(
        programme__host=world.own,
        programme__sharing_policy="partners_from_start",
        charge_late_cancellations=True,
        late_cancellation_days=7,
        **fields,
    )
    SessionFactory(run=run, date=timezone.localdate() + dt.timedelta(days=days))
    return run


def test_a_partner_cancelling_within_the_window_is_charged(world):
    run = upcoming_run(world, days=3)
    pat = services.book_place(
        actor=world.actor("partner_staff"), run=run, person=world.person("partner_staff")
    )
    assert pat.status == BookingStatus.CONFIRMED
    services.cancel_booking(actor=world.actor("partner_staff"), booking=pat)
    entry = RechargeEntry.objects.get()
    assert (entry.payer, entry.payee, entry.amount) == (world.partner, world.own, Decimal("150"))
    assert entry.source_label.endswith(": late cancellation")
    assert Booking.objects.get(pk=pat.pk).recharge_id == entry.pk


def test_cancelling_before_the_window_or_by_the_host_is_not_charged(world):
    early = upcoming_run(world, days=30)
    pat = services.book_place(
        actor=world.actor("partner_staff"), run=early, person=world.person("partner_staff")
    )
    services.cancel_booking(actor=world.actor("partner_staff"), booking=pat)
    late = upcoming_run(world, days=2)
    pat = services.book_place(
        actor=world.actor("partner_staff"), run=late, person=world.person("partner_staff")
    )
    services.cancel_booking(actor=world.actor("own_ld_lead"), booking=pat)
    assert not RechargeEntry.objects.exists()


def test_leaving_a_waiting_list_late_is_not_charged(world):
    run = upcoming_run(world, days=2, capacity=1)
    services.book_place(actor=world.actor("own_staff"), run=run, person=world.person("own_staff"))
    pat = services.book_place(
        actor=world.actor("partner_staff"), run=run, person=world.person("partner_staff")
    )
    assert pat.status == BookingStatus.WAITING
    services.cancel_booking(actor=world.actor("partner_staff"), booking=pat)
    assert not RechargeEntry.objects.exists()
