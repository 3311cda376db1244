"""The trainer pool services: joining, changing, leaving, and availability ranges."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from joinedup.materials.models import TrainerAvailability, TrainerOffer
from joinedup.materials.services import MaterialRefused
from joinedup.materials.services import pool as services
from joinedup.materials.tests.pool_factories import AccreditationFactory
from joinedup.materials.tests.service_helpers import last_audit
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import AuditEvent
from joinedup.partnership.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return timezone.localdate()


def days(count: int) -> dt.date:
    return today() + dt.timedelta(days=count)


@pytest.fixture
def trainer(world) -> Actor:
    """Own staff, accredited for a programme, acting for their employer."""
    AccreditationFactory(person=world.own_staff, accredited_on=today() - dt.timedelta(days=30))
    return world.actor("own_staff")


def joined(actor: Actor, **values) -> TrainerOffer:
    values.setdefault("days_per_month", 2)
    values.setdefault("partners", [])
    return services.join_pool(actor=actor, **values)


def refused_fields(call) -> dict[str, str]:
    with pytest.raises(MaterialRefused) as refusal:
        call()
    return refusal.value.errors


# --- Joining --------------------------------------------------------------------------------------


def test_accredited_trainer_joins_for_their_employer(world, trainer):
    offer = joined(trainer, partners=[world.partner], note="Evenings too")
    assert offer.person == world.own_staff
    assert offer.organisation == world.own
    assert offer.days_per_month == 2
    assert list(offer.partners.all()) == [world.partner]
    assert offer.is_active
    event = last_audit()
    assert event.action == "trainer_pool.joined"
    assert event.changes == {"days_per_month": 2, "partners": [world.partner.pk]}


def test_joining_again_updates_the_one_offer(world, trainer):
    joined(trainer, partners=[world.partner])
    offer = joined(trainer, days_per_month="", partners=[])
    assert TrainerOffer.objects.count() == 1
    assert offer.days_per_month is None
    assert list(offer.partners.all()) == []
    assert last_audit().action == "trainer_pool.updated"


def test_person_without_accreditation_cannot_join(world):
    errors = refused_fields(lambda: joined(world.actor("own_staff")))
    assert errors == {"__all__": services.NOT_ACCREDITED}
    assert not TrainerOffer.objects.exists()


def test_expired_or_withdrawn_accreditation_does_not_count(world):
    AccreditationFactory(
        person=world.own_staff,
        accredited_on=dt.date(2020, 1, 1),
        expires_on=today() - dt.timedelta(days=1),
    )
    AccreditationFactory(
        person=world.own_staff, accredited_on=dt.date(2021, 1, 1), withdrawn_at=timezone.now()
    )
    errors = refused_fields(lambda: joined(world.actor("own_staff")))
    assert errors == {"__all__": services.NOT_ACCREDITED}


def test_accreditation_expiring_today_still_counts(world):
    AccreditationFactory(
        person=world.own_staff, accredited_on=dt.date(2020, 1, 1), expires_on=today()
    )
    assert joined(world.actor("own_staff")).is_active


@pytest.mark.parametrize("value", ["0", "32", "two", "1.5", -1, True])
def test_days_per_month_must_be_1_to_31(trainer, value):
    errors = refused_fields(lambda: joined(trainer, days_per_month=value))
    assert errors == {"days_per_month": "Days per month must be a whole number from 1 to 31"}


def test_partners_must_be_partnership_members(world, trainer):
    for partners in ([world.outsider_org], [OrganisationFactory()], ["x"], [world.own]):
        errors = refused_fields(lambda partners=partners: joined(trainer, partners=partners))
        assert errors == {"partners": "Choose partner organisations from the list"}


def test_note_is_limited(trainer):
    errors = refused_fields(lambda: joined(trainer, note="x" * 2001))
    assert errors == {"note": "A note must be 2,000 characters or fewer"}


def test_organisation_token_cannot_join(world):
    with pytest.raises(PermissionDenied):
        joined(Actor(person=None, organisation=world.own))


# --- Leaving --------------------------------------------------------------------------------------


def test_trainer_leaves_and_returns(world, trainer):
    offer = joined(trainer)
    services.add_availability(actor=trainer, starts_on=days(1), ends_on=days(5))
    services.leave_pool(actor=trainer)
    offer.refresh_from_db()
    assert not offer.is_active
    assert last_audit().action == "trainer_pool.left"
    assert offer.availability.count() == 1
    assert joined(trainer).is_active
    assert last_audit().action == "trainer_pool.joined"


def test_leaving_when_not_in_the_pool_is_refused(trainer):
    with pytest.raises(MaterialRefused):
        services.leave_pool(actor=trainer)


# --- Availability ---------------------------------------------------------------------------------


def ranges(offer: TrainerOffer) -> list[tuple[dt.date, dt.date]]:
    return list(offer.availability.order_by("starts_on").values_list("starts_on", "ends_on"))


def test_adds_a_range_with_one_audit_entry(trainer):
    offer = joined(trainer)
    before = AuditEvent.objects.count()
    added = services.add_availability(
        actor=trainer, starts_on=days(3), ends_on=days(10), note="Tuesdays"
    )
    assert ranges(offer) == [(days(3), days(10))]
    assert added.note == "Tuesdays"
    assert AuditEvent.objects.count() == before + 1
    assert last_audit().changes["merged"] == []


def test_overlapping_and_touching_ranges_merge(trainer):
    offer = joined(trainer)
    services.add_availability(actor=trainer, starts_on=days(1), ends_on=days(5))
    services.add_availability(actor=trainer, starts_on=days(20), ends_on=days(25))
    services.add_availability(actor=trainer, starts_on=days(40), ends_on=days(45))
    services.add_availability(actor=trainer, starts_on=days(4), ends_on=days(19))
    assert ranges(offer) == [(days(1), days(25)), (days(40), days(45))]


def test_a_range_inside_another_changes_nothing_but_merges(trainer):
    offer = joined(trainer)
    services.add_availability(actor=trainer, starts_on=days(1), ends_on=days(30))
    services.add_availability(actor=trainer, starts_on=days(5), ends_on=days(6))
    assert ranges(offer) == [(days(1), days(30))]


def test_dates_may_come_as_text(trainer):
    offer = joined(trainer)
    services.add_availability(
        actor=trainer, starts_on=days(2).isoformat(), ends_on=days(2).isoformat()
    )
    assert ranges(offer) == [(days(2), days(2))]


def test_range_checks_name_the_field(trainer):
    joined(trainer)
    add = services.add_availability
    assert refused_fields(lambda: add(actor=trainer, starts_on="soon", ends_on=days(2))) == {
        "starts_on": "Enter the first date as a real date"
    }
    assert refused_fields(lambda: add(actor=trainer, starts_on=days(2), ends_on="2027-02-30")) == {
        "ends_on": "Enter the last date as a real date"
    }
    assert refused_fields(lambda: add(actor=trainer, starts_on=days(-1), ends_on=days(2))) == {
        "starts_on": "The first date must be today or later"
    }
    assert refused_fields(lambda: add(actor=trainer, starts_on=days(5), ends_on=days(4))) == {
        "ends_on": "The last date must be the same as or after the first date"
    }
    assert refused_fields(lambda: add(actor=trainer, starts_on=days(5), ends_on=days(800))) == {
        "ends_on": "The last date must be within two years"
    }
    assert not TrainerAvailability.objects.exists()


def test_availability_needs_an_active_offer(trainer):
    add = services.add_availability
    assert refused_fields(lambda: add(actor=trainer, starts_on=days(1), ends_on=days(2))) == {
        "__all__": services.NOT_IN_POOL
    }


def test_trainer_removes_their_own_range(trainer):
    offer = joined(trainer)
    added = services.add_availability(actor=trainer, starts_on=days(1), ends_on=days(2))
    services.remove_availability(actor=trainer, availability=added)
    assert ranges(offer) == []
    assert last_audit().action == "trainer_pool.availability_removed"


def test_nobody_else_removes_a_trainers_range(world, trainer):
    joined(trainer)
    added = services.add_availability(actor=trainer, starts_on=days(1), ends_on=days(2))
    with pytest.raises(PermissionDenied):
        services.remove_availability(actor=world.actor("own_ld_lead"), availability=added)
    assert TrainerAvailability.objects.filter(pk=added.pk).exists()
