"""Accrediting and withdrawing: who may, every rule in order with its message, one audit entry
each, and the learners each branch of the cascade reached."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from joinedup.learning.models import Outcome, SharingPolicy
from joinedup.learning.tests.factories import ProgrammeFactory
from joinedup.materials import accreditation_queries, services
from joinedup.materials.models import Accreditation, Licence
from joinedup.materials.services import MaterialRefused
from joinedup.materials.tests.factories import MaterialFactory
from joinedup.partnership.models import AuditEvent

from .accreditation_helpers import (
    TODAY,
    YEAR_AGO,
    accreditation,
    accredited_programme,
    delivered_run,
    learners,
    staff_at,
)

EVIDENCE = "https://learning.example.test/evidence"


def give(actor, person, programme, **overrides):
    values = {
        "accredited_on": TODAY,
        "expires_on": TODAY + dt.timedelta(days=730),
        "evidence_url": EVIDENCE,
    }
    values.update(overrides)
    return services.accredit(actor=actor, person=person, programme=programme, **values)


def refusal(call) -> MaterialRefused:
    with pytest.raises(MaterialRefused) as caught:
        call()
    return caught.value


# --- Who may accredit -----------------------------------------------------------------------------


def test_hosts_ld_lead_gives_a_first_generation_accreditation_with_one_audit_entry(world):
    programme = accredited_programme(world.own)
    before = AuditEvent.objects.count()
    given = give(world.actor("own_ld_lead"), world.own_staff, programme)
    assert given.trained_by is None
    assert given.accredited_by == world.own_ld_lead
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-pk").first()
    assert event.action == "accreditation.given"
    assert event.changes["person"] == world.own_staff.pk
    assert event.changes["trained_by"] is None


def test_an_accredited_trainer_gives_the_next_generation_across_organisations(world):
    programme = accredited_programme(world.own)
    mine = accreditation(world.partner_staff, programme, by=world.own_ld_lead)
    trainer = world.actor("partner_staff")
    given = give(trainer, world.own_staff, programme)
    assert given.trained_by == mine


def test_a_host_lead_who_is_also_accredited_records_their_own_accreditation(world):
    programme = accredited_programme(world.own)
    mine = accreditation(world.own_ld_lead, programme, by=world.own_admin)
    given = give(world.actor("own_ld_lead"), world.own_staff, programme)
    assert given.trained_by == mine


def test_staff_without_an_accreditation_may_not_accredit(world):
    programme = accredited_programme(world.own)
    with pytest.raises(PermissionDenied):
        give(world.actor("own_staff"), world.partner_staff, programme)


def test_a_partners_ld_lead_is_not_a_first_generation_accreditor(world):
    programme = accredited_programme(world.own)
    with pytest.raises(PermissionDenied):
        give(world.actor("partner_ld_lead"), world.partner_staff, programme)


@pytest.mark.parametrize(
    "change",
    [
        {"expires": TODAY - dt.timedelta(days=1)},
        {"on": TODAY + dt.timedelta(days=2)},
    ],
)
def test_an_expired_or_not_yet_started_accreditation_does_not_let_a_trainer_accredit(world, change):
    programme = accredited_programme(world.own)
    on = change.get("on", YEAR_AGO)
    accreditation(
        world.partner_staff, programme, by=world.own_ld_lead, on=on, expires=change.get("expires")
    )
    with pytest.raises(PermissionDenied):
        give(world.actor("partner_staff"), world.own_staff, programme)


def test_a_withdrawn_trainer_may_not_accredit(world):
    programme = accredited_programme(world.own)
    held = accreditation(world.partner_staff, programme, by=world.own_ld_lead)
    services.withdraw_accreditation(
        actor=world.actor("own_ld_lead"), accreditation=held, reason="Left the trust"
    )
    with pytest.raises(PermissionDenied):
        give(world.actor("partner_staff"), world.own_staff, programme)


def test_a_trainer_cannot_date_an_accreditation_before_their_own(world):
    programme = accredited_programme(world.own)
    accreditation(
        world.partner_staff, programme, by=world.own_ld_lead, on=TODAY - dt.timedelta(days=10)
    )
    found = refusal(
        lambda: give(
            world.actor("partner_staff"),
            world.own_staff,
            programme,
            accredited_on=TODAY - dt.timedelta(days=20),
        )
    )
    assert found.errors == {"accredited_on": "Your own accreditation was not in force on that date"}


def test_the_programme_must_be_delivered_by_accredited_trainers(world):
    programme = ProgrammeFactory(host=world.own)
    found = refusal(lambda: give(world.actor("own_ld_lead"), world.own_staff, programme))
    assert found.field is None
    assert "not delivered by accredited trainers" in found.message


def test_a_programme_the_actor_cannot_see_is_refused(world):
    programme = accredited_programme(world.partner, sharing_policy=SharingPolicy.OWN_ONLY)
    with pytest.raises(PermissionDenied):
        give(world.actor("own_ld_lead"), world.own_staff, programme)


# --- The rules, each with its message -------------------------------------------------------------


def test_self_accreditation_is_refused(world):
    programme = accredited_programme(world.own)
    found = refusal(lambda: give(world.actor("own_ld_lead"), world.own_ld_lead, programme))
    assert found.errors == {
        "person": "You cannot accredit yourself: another trainer or your L&D lead must"
    }


def test_someone_outside_the_partnership_is_refused(world):
    programme = accredited_programme(world.own)
    found = refusal(lambda: give(world.actor("own_ld_lead"), world.outsider, programme))
    assert found.errors == {
        "person": "Choose someone on the staff of your organisation or a partner"
    }


def test_no_person_is_refused_naming_the_field(world):
    programme = accredited_programme(world.own)
    found = refusal(lambda: give(world.actor("own_ld_lead"), None, programme))
    assert found.field == "person"


def test_expiry_must_be_after_the_accreditation_date(world):
    programme = accredited_programme(world.own)
    found = refusal(
        lambda: give(world.actor("own_ld_lead"), world.own_staff, programme, expires_on=TODAY)
    )
    assert found.errors == {"expires_on": "The expiry date must be after the accreditation date"}


def test_the_accreditation_date_may_not_be_in_the_future_or_junk(world):
    programme = accredited_programme(world.own)
    actor = world.actor("own_ld_lead")
    later = timezone.localdate() + dt.timedelta(days=1)
    found = refusal(
        lambda: give(
            actor,
            world.own_staff,
            programme,
            accredited_on=later,
            expires_on=later + dt.timedelta(days=9),
        )
    )
    assert found.errors["accredited_on"] == "The accreditation date must be today or in the past"
    found = refusal(lambda: give(actor, world.own_staff, programme, accredited_on="yesterday"))
    assert found.errors["accredited_on"] == "Enter the accreditation date, like 14 3 2026"


def test_evidence_is_needed_and_a_link_must_be_a_web_address(world):
    programme = accredited_programme(world.own)
    actor = world.actor("own_ld_lead")
    found = refusal(lambda: give(actor, world.own_staff, programme, evidence_url=""))
    assert found.errors == {
        "evidence_url": "Choose a material or give a link as evidence of the training"
    }
    found = refusal(lambda: give(actor, world.own_staff, programme, evidence_url="javascript:x"))
    assert found.field == "evidence_url"


def test_evidence_material_the_actor_cannot_read_is_refused(world):
    programme = accredited_programme(world.own)
    private = MaterialFactory(owner=world.partner, licence=Licence.OWNER_ONLY)
    found = refusal(
        lambda: give(
            world.actor("own_ld_lead"),
            world.own_staff,
            programme,
            evidence_url="",
            evidence_material=private,
        )
    )
    assert found.errors == {
        "evidence_material": "Choose a material from the library that you can read"
    }


def test_evidence_material_the_actor_reads_is_kept(world):
    programme = accredited_programme(world.own)
    shared = MaterialFactory(owner=world.partner, licence=Licence.PARTNERSHIP)
    given = give(
        world.actor("own_ld_lead"),
        world.own_staff,
        programme,
        evidence_url="",
        evidence_material=shared,
    )
    assert given.evidence_material == shared


def test_a_second_accreditation_on_the_same_day_is_refused(world):
    programme = accredited_programme(world.own)
    actor = world.actor("own_ld_lead")
    give(actor, world.own_staff, programme)
    found = refusal(lambda: give(actor, world.own_staff, programme))
    assert found.field == "accredited_on"
    assert "already has an accreditation" in found.message
    assert Accreditation.objects.count() == 1


def test_every_refused_field_is_named_at_once_and_nothing_is_written(world):
    programme = accredited_programme(world.own)
    before = AuditEvent.objects.count()
    found = refusal(
        lambda: give(
            world.actor("own_ld_lead"), None, programme, expires_on="soon", evidence_url=""
        )
    )
    assert set(found.errors) == {"person", "expires_on", "evidence_url"}
    assert Accreditation.objects.count() == 0
    assert AuditEvent.objects.count() == before


# --- Withdrawing ----------------------------------------------------------------------------------


def test_hosts_ld_lead_withdraws_with_a_reason_and_one_audit_entry(world):
    programme = accredited_programme(world.own)
    held = accreditation(world.partner_staff, programme, by=world.own_admin)
    before = AuditEvent.objects.count()
    services.withdraw_accreditation(
        actor=world.actor("own_ld_lead"), accreditation=held, reason="Did not renew"
    )
    held.refresh_from_db()
    assert held.withdrawn_at is not None
    assert held.withdrawn_reason == "Did not renew"
    assert AuditEvent.objects.count() == before + 1
    assert not held.is_current(TODAY)


def test_the_accreditor_may_withdraw_what_they_gave(world):
    programme = accredited_programme(world.own)
    held = accreditation(world.own_staff, programme, by=world.partner_staff)
    services.withdraw_accreditation(
        actor=world.actor("partner_staff"), accreditation=held, reason="Given by mistake"
    )
    held.refresh_from_db()
    assert held.withdrawn_at is not None


def test_others_may_not_withdraw(world):
    programme = accredited_programme(world.own)
    held = accreditation(world.own_staff, programme, by=world.own_ld_lead)
    for persona in ("own_staff", "partner_ld_lead", "own_admin"):
        with pytest.raises(PermissionDenied):
            services.withdraw_accreditation(
                actor=world.actor(persona), accreditation=held, reason="No"
            )


def test_withdrawing_needs_a_reason_and_happens_once(world):
    programme = accredited_programme(world.own)
    held = accreditation(world.own_staff, programme, by=world.own_ld_lead)
    actor = world.actor("own_ld_lead")
    found = refusal(
        lambda: services.withdraw_accreditation(actor=actor, accreditation=held, reason=" ")
    )
    assert found.errors == {"reason": "Enter why it is withdrawn"}
    services.withdraw_accreditation(actor=actor, accreditation=held, reason="Left")
    found = refusal(
        lambda: services.withdraw_accreditation(actor=actor, accreditation=held, reason="Again")
    )
    assert found.message == "This accreditation has already been withdrawn"


def test_a_withdrawal_leaves_the_trainees_accreditations_in_force(world):
    programme = accredited_programme(world.own)
    top = accreditation(world.partner_staff, programme, by=world.own_ld_lead)
    below = accreditation(world.own_staff, programme, by=world.partner_staff, trained_by=top)
    services.withdraw_accreditation(
        actor=world.actor("own_ld_lead"), accreditation=top, reason="Left"
    )
    below.refresh_from_db()
    assert below.is_current(TODAY)


# --- Learners reached and the cascade -------------------------------------------------------------


def test_cascade_counts_learners_each_branch_reached(world):
    """Lena (first generation) trained Pat; Pat trained Sam. Lena taught 3 (one did not attend),
    Pat 2 on an adopted programme at the partner, Sam 1; a run before Sam's accreditation and a
    run of another programme do not count."""
    programme = accredited_programme(world.own)
    adopted = ProgrammeFactory(host=world.partner, adopted_from=programme)
    other = ProgrammeFactory(host=world.own)
    lena = world.own_line_manager
    pat = world.partner_staff
    sam = staff_at(world.partner, "sam.trainer@lnwh.test")
    top = accreditation(lena, programme, by=world.own_ld_lead, on=YEAR_AGO)
    middle = accreditation(
        pat, programme, by=lena, trained_by=top, on=YEAR_AGO + dt.timedelta(days=30)
    )
    sam_on = YEAR_AGO + dt.timedelta(days=60)
    bottom = accreditation(sam, programme, by=pat, trained_by=middle, on=sam_on)
    people = learners(world.own, "learner", 8)
    delivered_run(
        programme,
        lena,
        YEAR_AGO + dt.timedelta(days=5),
        [
            (people[0], Outcome.COMPLETED),
            (people[1], Outcome.NOT_COMPLETED),
            (people[2], Outcome.NO_SHOW),
        ],
    )
    delivered_run(
        programme, lena, YEAR_AGO + dt.timedelta(days=6), [(people[3], Outcome.COMPLETED)]
    )
    delivered_run(
        adopted,
        pat,
        YEAR_AGO + dt.timedelta(days=40),
        [(people[4], Outcome.COMPLETED), (people[5], Outcome.COMPLETED)],
    )
    delivered_run(programme, sam, sam_on - dt.timedelta(days=1), [(people[6], Outcome.COMPLETED)])
    delivered_run(programme, sam, sam_on, [(people[7], Outcome.COMPLETED)])
    delivered_run(other, sam, sam_on, [(people[0], Outcome.COMPLETED)])

    found = accreditation_queries.cascade_of(programme)

    counts = {
        node.id: (node.learners, node.branch_learners, node.generation) for node, _ in found.rows()
    }
    assert counts == {top.pk: (3, 6, 1), middle.pk: (2, 3, 2), bottom.pk: (1, 1, 3)}
    assert found.total_learners == 6


def test_a_renewed_trainer_counts_each_run_once_for_the_accreditation_then_in_force(world):
    programme = accredited_programme(world.own)
    lena = world.own_line_manager
    first = accreditation(lena, programme, by=world.own_ld_lead, on=YEAR_AGO)
    renewed = accreditation(
        lena, programme, by=world.own_ld_lead, on=YEAR_AGO + dt.timedelta(days=200)
    )
    people = learners(world.own, "renewal", 3)
    delivered_run(
        programme, lena, YEAR_AGO + dt.timedelta(days=10), [(people[0], Outcome.COMPLETED)]
    )
    delivered_run(
        programme,
        lena,
        YEAR_AGO + dt.timedelta(days=210),
        [(people[1], Outcome.COMPLETED), (people[2], Outcome.COMPLETED)],
    )
    reached = accreditation_queries.learners_reached(programme, [first, renewed])
    assert reached == {first.pk: 1, renewed.pk: 2}


def test_cascade_queries_do_not_grow_with_trainers(world, django_assert_max_num_queries):
    programme = accredited_programme(world.own)
    top = accreditation(world.own_line_manager, programme, by=world.own_ld_lead)
    for i in range(6):
        trainer = staff_at(world.own, f"trainer{i}@barnet.test")
        accreditation(trainer, programme, by=world.own_line_manager, trained_by=top)
        delivered_run(
            programme,
            trainer,
            TODAY,
            [(p, Outcome.COMPLETED) for p in learners(world.own, f"t{i}x", 2)],
        )
    with django_assert_max_num_queries(3):
        found = accreditation_queries.cascade_of(programme)
    assert found.trainers == 7
    assert found.total_learners == 12
