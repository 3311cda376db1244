"""Secondment agreements written at once: the last two signatures landing together sign (and
start) the agreement once, and the daily job run by several workers together starts it once, with
one employment and one recharge. Each thread works through the real services on its own
connection, so these need a file-based SQLite test database or PostgreSQL."""

from __future__ import annotations

import pytest

from joinedup.learning.tests.test_booking_concurrency import needs_two_writers
from joinedup.learning.tests.test_reservation_concurrency import all_at_once
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import AuditEvent, Employment, EmploymentKind, RechargeEntry
from joinedup.talent import agreements
from joinedup.talent.models import AgreementStatus, SecondmentAgreement

from .agreement_data import STARTS, released, signed


def fresh(world, persona: str) -> Actor:
    """A new actor per thread: an actor remembers facts for one request only."""
    actor = world.actor(persona)
    return Actor(person=actor.person, organisation=actor.organisation)


@pytest.mark.django_db(transaction=True)
def test_the_last_two_signatures_at_once_sign_and_start_it_once(world):
    needs_two_writers()
    agreement = released(world, recharge="4500")
    agreements.sign(
        actor=world.actor("own_staff"), agreement=agreement, terms_version=1, today=STARTS
    )

    def sign(persona: str):
        return lambda: agreements.sign(
            actor=fresh(world, persona),
            agreement=SecondmentAgreement.objects.get(pk=agreement.pk),
            terms_version=1,
            today=STARTS,
        )

    errors = all_at_once([sign("own_ld_lead"), sign("partner_ld_lead")])
    assert errors == []
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    assert Employment.objects.filter(kind=EmploymentKind.SECONDMENT).count() == 1
    assert RechargeEntry.objects.filter(source_kind="secondment").count() == 1
    started = AuditEvent.objects.filter(action="secondment.started", object_id=agreement.pk)
    assert started.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_daily_job_run_by_three_workers_starts_it_once(world):
    needs_two_writers()
    agreement = signed(world, recharge="4500")
    errors = all_at_once([lambda: agreements.run_secondment_dates(STARTS)] * 3)
    assert errors == []
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    assert Employment.objects.filter(kind=EmploymentKind.SECONDMENT).count() == 1
    assert RechargeEntry.objects.filter(source_kind="secondment").count() == 1
