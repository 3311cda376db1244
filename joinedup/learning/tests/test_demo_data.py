"""The demo's shared learning offer, loaded by `joinedup demo` through the app demo hook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.test import override_settings
from django.utils import timezone

from joinedup.learning.demo_data import PROGRAMMES
from joinedup.learning.models import (
    Booking,
    BookingStatus,
    DeliveryMode,
    Evaluation,
    Outcome,
    Programme,
    ProgrammeKind,
    Reservation,
    Run,
    Session,
    SharingPolicy,
)
from joinedup.partnership.demo import build_demo
from joinedup.partnership.models import AuditEvent, OrganisationKind

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LEARNING_MODELS = (Programme, Run, Session, Booking, AuditEvent)


def persona_bookings(given: str, family: str):
    return Booking.objects.filter(person__given_name=given, person__family_name=family)


def test_the_demo_creates_about_forty_programmes_with_runs_and_bookings(demo, db):
    assert demo.created["learning programmes"] == len(PROGRAMMES)
    assert Programme.objects.count() == len(PROGRAMMES) + demo.created["design-once programmes"]
    assert 35 <= len(PROGRAMMES) <= 45
    trainer_runs = demo.created["trainer runs"]  # the trainer cascade's runs (materials demo)
    assert demo.created["learning runs"] == Run.objects.count() - trainer_runs > len(PROGRAMMES)
    trainer_bookings = demo.created["trainer bookings"]
    assert demo.created["learning bookings"] == Booking.objects.count() - trainer_bookings > 100


def test_programmes_are_hosted_by_boroughs_and_trusts_in_every_kind_mode_and_policy(demo, db):
    programmes = Programme.objects.all()
    assert set(programmes.values_list("host__kind", flat=True)) == {
        OrganisationKind.LONDON_BOROUGH,
        OrganisationKind.NHS_TRUST,
        OrganisationKind.NHS_FOUNDATION_TRUST,
        OrganisationKind.POLICE,  # the design-once story's programme
    }
    assert set(programmes.values_list("kind", flat=True)) == set(ProgrammeKind.values)
    assert set(programmes.values_list("delivery_mode", flat=True)) == set(DeliveryMode.values)
    assert set(programmes.values_list("sharing_policy", flat=True)) == set(SharingPolicy.values)
    assert programmes.filter(title="Mental Health First Aid", host__name__contains="Ealing")


def test_runs_have_sessions_in_the_coming_months_and_self_paced_runs_a_deadline(demo, db):
    today = timezone.localdate()
    dated = Run.objects.exclude(programme__delivery_mode=DeliveryMode.SELF_PACED)
    assert not dated.filter(sessions__isnull=True).exists()
    # Only the run held three weeks ago (attendance, outcomes, charges) and the runs the trust's
    # accredited trainers delivered (the trainer cascade) lie in the past.
    past = Session.objects.filter(date__lte=today)
    assert set(past.values_list("run__programme__title", flat=True)) == {
        "Safeguarding adults level 3",
        "Conflict resolution training",
    }
    assert Session.objects.filter(date__gt=today + dt.timedelta(days=90))
    self_paced = Run.objects.filter(programme__delivery_mode=DeliveryMode.SELF_PACED)
    assert self_paced.exists()
    assert not self_paced.filter(completion_deadline__isnull=True).exists()


def test_the_partner_staff_persona_holds_a_released_place_after_a_passed_cut_off(demo, db):
    booking = persona_bookings("Pat", "Nwosu").get(run__released_at__isnull=False, outcome="")
    run = booking.run
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.organisation.official_code == "R1K"
    assert run.programme.sharing_policy == SharingPolicy.OWN_THEN_PARTNERS
    assert run.cut_off_at < timezone.now()
    assert run.places_taken == run.capacity
    assert run.bookings.filter(status=BookingStatus.WAITING).exists()
    assert AuditEvent.objects.filter(action="booking.released", object_id=str(booking.pk)).exists()
    assert AuditEvent.objects.filter(action="run.released", object_id=str(run.pk)).exists()


def test_the_partner_staff_persona_completed_a_past_released_place_and_both_sides_see_the_charge(
    demo, db
):
    booking = persona_bookings("Pat", "Nwosu").get(outcome=Outcome.COMPLETED)
    assert booking.released_place
    assert booking.recharge is not None
    charge = booking.recharge
    assert (charge.payer.official_code, charge.payee.official_code) == ("R1K", "E09000003")
    assert charge.amount == booking.run.partner_price > 0
    run = booking.run
    assert run.release.places_given >= 1
    assert run.bookings.filter(outcome=Outcome.NO_SHOW).count() == 2
    assert Evaluation.objects.filter(booking__run=run).count() >= 3
    assert not Evaluation.objects.filter(booking=booking).exists(), "left for the persona to give"


def test_the_partner_lead_holds_a_reserved_block_with_one_person_named(demo, db):
    block = Reservation.objects.get(organisation__official_code="R1K")
    assert (block.places, block.places_named) == (3, 1)
    assert block.bookings.get().status == BookingStatus.CONFIRMED
    run = block.run
    holding = run.bookings.filter(status__in=(BookingStatus.CONFIRMED, BookingStatus.OFFERED))
    assert run.places_taken == holding.count() + block.places_unnamed()


def test_the_own_staff_persona_waits_on_a_full_run_hosted_by_a_partner(demo, db):
    booking = persona_bookings("Sam", "Okafor").get(status=BookingStatus.WAITING)
    assert booking.run.places_taken == booking.run.capacity
    assert booking.run.programme.host.official_code != "E09000003"


def test_every_programme_and_run_was_written_through_the_services_with_audit(demo, db):
    assert AuditEvent.objects.filter(action="programme.created").count() == len(PROGRAMMES) + 1
    assert AuditEvent.objects.filter(action="run.added").count() == Run.objects.count()


def test_running_the_demo_again_changes_nothing_in_the_learning_offer(demo, db):
    before = {model.__name__: model.objects.count() for model in LEARNING_MODELS}

    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        again = build_demo()

    assert {model.__name__: model.objects.count() for model in LEARNING_MODELS} == before
    assert not any(again.created.values())


def test_the_partnership_app_never_imports_the_learning_app():
    package = Path(__file__).resolve().parents[2] / "partnership"
    importing = [
        path.name
        for path in package.rglob("*.py")
        if "tests" not in path.parts and "joinedup.learning" in path.read_text()
    ]
    assert importing == []
