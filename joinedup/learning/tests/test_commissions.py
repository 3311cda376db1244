"""Joint commissions through the service: forming, agreeing, posting shares, reserving places."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from joinedup.learning import commissions, similar
from joinedup.learning.commissions import CommissionRefused
from joinedup.learning.models import (
    CommissioningPlan,
    CommissionPartner,
    CommissionStatus,
    JointCommission,
    PlanStatus,
    Reservation,
    SharingPolicy,
)
from joinedup.learning.services import add_run
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import AuditEvent, OrganisationRole, RechargeEntry
from joinedup.partnership.tests.factories import EmploymentFactory, OrganisationRoleFactory

FIRST_DAY = dt.date(2027, 3, 15)


def make_plan(world, **fields) -> CommissioningPlan:
    values = {
        "organisation": world.own,
        "title": "Trauma-informed practice",
        "need": "Front-line staff meet people in crisis.",
        "estimated_design_cost": Decimal("20000"),
        "delivery_cost_per_place": Decimal("100"),
        "expected_learners": 40,
    }
    return CommissioningPlan.objects.create(**(values | fields))


def icb_ld_lead(world):
    """An L&D lead at the integrated care board, a third member of the partnership."""
    employment = EmploymentFactory(organisation=world.icb, person__email="ld@icb.test")
    OrganisationRoleFactory(
        person=employment.person, organisation=world.icb, role=OrganisationRole.LD_LEAD
    )
    return Actor(person=employment.person, organisation=world.icb)


def started(world, places=40, **plan_fields) -> JointCommission:
    plan = make_plan(world, **plan_fields)
    return commissions.start_commission(actor=world.actor("own_ld_lead"), plan=plan, places=places)


def joined(world, places=20, **plan_fields) -> JointCommission:
    commission = started(world, **plan_fields)
    commissions.join_commission(
        actor=world.actor("partner_ld_lead"), commission=commission, places=places
    )
    return commission


def test_starting_makes_the_plans_organisation_the_lead_with_its_places_and_headcount(world):
    world.own.headcount = 5000
    world.own.save()

    commission = started(world, places=30)

    lead = commission.partners.get()
    assert commission.lead_organisation == world.own
    assert (lead.organisation, lead.places, lead.headcount) == (world.own, 30, 5000)
    assert commission.status == CommissionStatus.FORMING
    assert AuditEvent.objects.filter(action="commission.started").count() == 1


def test_only_the_plans_ld_lead_may_start(world):
    plan = make_plan(world)
    for persona in ("own_admin", "own_staff", "partner_ld_lead"):
        with pytest.raises(PermissionDenied):
            commissions.start_commission(actor=world.actor(persona), plan=plan, places=5)


def test_a_plan_not_open_or_already_commissioned_refuses_a_new_commission(world):
    closed = make_plan(world, status=PlanStatus.CLOSED)
    with pytest.raises(CommissionRefused, match="no longer open"):
        commissions.start_commission(actor=world.actor("own_ld_lead"), plan=closed, places=5)
    commission = started(world)
    with pytest.raises(CommissionRefused, match="already has a joint commission"):
        commissions.start_commission(
            actor=world.actor("own_ld_lead"), plan=commission.plan, places=5
        )


def test_places_must_be_a_whole_number_from_one(world):
    plan = make_plan(world)
    for junk in ("0", "-3", "many", "1.5", "", "100001"):
        with pytest.raises(ValidationError) as caught:
            commissions.start_commission(actor=world.actor("own_ld_lead"), plan=plan, places=junk)
        assert "places" in caught.value.message_dict


def test_a_partner_joins_with_its_headcount_noted_and_cannot_join_twice(world):
    world.partner.headcount = 12000
    world.partner.save()
    commission = joined(world, places=25)

    member = commission.partners.get(organisation=world.partner)
    assert (member.places, member.headcount) == (25, 12000)
    with pytest.raises(CommissionRefused, match="already joined"):
        commissions.join_commission(
            actor=world.actor("partner_ld_lead"), commission=commission, places=3
        )


def test_the_lead_and_partners_other_staff_and_outsiders_may_not_join(world):
    commission = started(world)
    for persona in ("own_ld_lead", "partner_admin", "partner_staff", "outsider"):
        with pytest.raises(PermissionDenied):
            commissions.join_commission(actor=world.actor(persona), commission=commission, places=3)


def test_a_partner_changes_its_places_and_leaves_while_forming(world):
    commission = joined(world)
    member = commission.partners.get(organisation=world.partner)

    commissions.change_places(actor=world.actor("partner_ld_lead"), member=member, places=7)
    assert commission.partners.get(organisation=world.partner).places == 7
    with pytest.raises(PermissionDenied):
        commissions.change_places(actor=world.actor("own_ld_lead"), member=member, places=9)

    commissions.leave_commission(actor=world.actor("partner_ld_lead"), member=member)
    assert not commission.partners.filter(organisation=world.partner).exists()


def test_the_lead_cannot_leave(world):
    commission = started(world)
    lead = commission.partners.get()
    with pytest.raises(CommissionRefused, match="cannot leave"):
        commissions.leave_commission(actor=world.actor("own_ld_lead"), member=lead)


def test_the_default_total_is_design_once_plus_delivery_of_every_committed_place(world):
    commission = joined(world, places=20)  # the lead's 40 and the partner's 20

    assert commissions.current_total(commission) == Decimal("20000") + Decimal("100") * 60


def test_the_lead_sets_the_method_and_a_total_and_blank_goes_back_to_the_default(world):
    commission = joined(world)
    lead = world.actor("own_ld_lead")

    commissions.set_terms(
        actor=lead, commission=commission, split_method="equal", total_cost="£25,000.50"
    )
    commission.refresh_from_db()
    assert (commission.split_method, commissions.current_total(commission)) == (
        "equal",
        Decimal("25000.50"),
    )
    commissions.set_terms(actor=lead, commission=commission, split_method="places", total_cost="")
    commission.refresh_from_db()
    assert commissions.current_total(commission) == Decimal("26000")
    for junk, words in (
        ("abc", "pounds and pence"),
        ("-5", "greater than zero"),
        ("1.001", "whole pence"),
    ):
        with pytest.raises(ValidationError, match=words):
            commissions.set_terms(
                actor=lead, commission=commission, split_method="equal", total_cost=junk
            )
    with pytest.raises(ValidationError, match="how to split"):
        commissions.set_terms(actor=lead, commission=commission, split_method="by magic")
    with pytest.raises(PermissionDenied):
        commissions.set_terms(
            actor=world.actor("partner_ld_lead"), commission=commission, split_method="equal"
        )


def test_agreeing_posts_each_partners_share_to_the_lead_once_and_commissions_the_plan(world):
    commission = joined(world, places=20)
    third = icb_ld_lead(world)
    commissions.join_commission(actor=third, commission=commission, places=10)
    lead = world.actor("own_ld_lead")
    commissions.set_terms(
        actor=lead, commission=commission, split_method="places", total_cost="10000"
    )

    commissions.agree_commission(actor=lead, commission=commission)

    commission.refresh_from_db()
    shares = {m.organisation_id: m.share for m in commission.partners.all()}
    assert shares == {
        world.own.pk: Decimal("5714.29"),
        world.partner.pk: Decimal("2857.14"),
        world.icb.pk: Decimal("1428.57"),
    }
    assert sum(shares.values()) == Decimal("10000")
    entries = RechargeEntry.objects.filter(source_kind="joint_commission")
    assert {(e.payer_id, e.payee_id, e.amount) for e in entries} == {
        (world.partner.pk, world.own.pk, Decimal("2857.14")),
        (world.icb.pk, world.own.pk, Decimal("1428.57")),
    }
    assert commission.status == CommissionStatus.AGREED
    assert commission.plan.status == PlanStatus.COMMISSIONED
    assert AuditEvent.objects.filter(action="commission.agreed").count() == 1

    with pytest.raises(CommissionRefused, match="agreed"):
        commissions.agree_commission(actor=lead, commission=commission)
    assert entries.count() == 2


def test_nothing_changes_after_agreement(world):
    commission = joined(world)
    commissions.agree_commission(actor=world.actor("own_ld_lead"), commission=commission)
    member = commission.partners.get(organisation=world.partner)
    with pytest.raises(CommissionRefused, match="agreed"):
        commissions.change_places(actor=world.actor("partner_ld_lead"), member=member, places=2)
    with pytest.raises(CommissionRefused, match="agreed"):
        commissions.cancel_commission(actor=world.actor("own_ld_lead"), commission=commission)
    with pytest.raises(CommissionRefused, match="agreed"):
        commissions.join_commission(actor=icb_ld_lead(world), commission=commission, places=2)


def test_agreeing_alone_or_by_headcount_of_nobody_is_refused_with_a_reason(world):
    for organisation in (world.own, world.partner):
        organisation.headcount = 0
        organisation.save()
    commission = started(world)
    with pytest.raises(CommissionRefused, match="No other organisation"):
        commissions.agree_commission(actor=world.actor("own_ld_lead"), commission=commission)
    commissions.join_commission(
        actor=world.actor("partner_ld_lead"), commission=commission, places=3
    )
    commissions.set_terms(
        actor=world.actor("own_ld_lead"), commission=commission, split_method="headcount"
    )
    with pytest.raises(ValidationError, match="headcount of every partner is zero"):
        commissions.agree_commission(actor=world.actor("own_ld_lead"), commission=commission)
    commission.refresh_from_db()
    assert commission.status == CommissionStatus.FORMING
    assert not RechargeEntry.objects.exists()


def test_cancelling_before_agreement_posts_nothing(world):
    commission = joined(world)
    commissions.cancel_commission(actor=world.actor("own_ld_lead"), commission=commission)
    commission.refresh_from_db()
    assert commission.status == CommissionStatus.CANCELLED
    assert commission.plan.status == PlanStatus.OPEN
    with pytest.raises(CommissionRefused, match="cancelled"):
        commissions.agree_commission(actor=world.actor("own_ld_lead"), commission=commission)
    assert not RechargeEntry.objects.exists()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    total=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2),
    lead_places=st.integers(1, 5000),
    partner_places=st.integers(1, 5000),
    icb_places=st.integers(1, 5000),
    method=st.sampled_from(["equal", "places", "headcount"]),
    headcounts=st.tuples(st.integers(0, 90000), st.integers(0, 90000), st.integers(1, 90000)),
)
def test_posted_shares_always_sum_exactly_to_the_total(
    world, total, lead_places, partner_places, icb_places, method, headcounts
):
    for organisation, headcount in zip(
        (world.own, world.partner, world.icb), headcounts, strict=True
    ):
        organisation.headcount = headcount
        organisation.save()
    plan = make_plan(world, title=f"Plan {CommissioningPlan.objects.count()}")
    lead = world.actor("own_ld_lead")
    commission = commissions.start_commission(actor=lead, plan=plan, places=lead_places)
    commissions.join_commission(
        actor=world.actor("partner_ld_lead"), commission=commission, places=partner_places
    )
    third = CommissionPartner.objects.create(
        commission=commission, organisation=world.icb, places=icb_places, headcount=headcounts[2]
    )
    commissions.set_terms(actor=lead, commission=commission, split_method=method, total_cost=total)

    commissions.agree_commission(actor=lead, commission=commission)

    members = list(commission.partners.all())
    assert sum(m.share for m in members) == total
    posted = RechargeEntry.objects.filter(
        source_kind="joint_commission", source_id=str(commission.pk)
    )
    lead_share = next(m.share for m in members if m.organisation_id == world.own.pk)
    assert sum(e.amount for e in posted) + lead_share == total
    assert third.pk in {m.pk for m in members}


def reserving_world(world, **programme_fields):
    """An agreed commission (partner 20 places, the ICB 10) with its programme linked."""
    commission = joined(world, places=20)
    commissions.join_commission(actor=icb_ld_lead(world), commission=commission, places=10)
    lead = world.actor("own_ld_lead")
    commissions.agree_commission(actor=lead, commission=commission)
    fields = {"host": world.own, "sharing_policy": SharingPolicy.OWN_THEN_PARTNERS}
    programme = ProgrammeFactory(**(fields | programme_fields))
    commissions.link_programme(actor=lead, commission=commission, programme=programme)
    return commission, programme


def add_a_run(world, programme, capacity, day=FIRST_DAY, **fields):
    return add_run(
        actor=world.actor("own_ld_lead"),
        programme=programme,
        sessions=[{"date": day, "starts_at": dt.time(9, 30), "ends_at": dt.time(16, 0)}],
        capacity=capacity,
        **fields,
    )


def test_a_run_added_reserves_each_partners_committed_places(world):
    _, programme = reserving_world(world)

    run = add_a_run(world, programme, capacity=50)

    blocks = {r.organisation_id: r.places for r in Reservation.objects.filter(run=run)}
    assert blocks == {world.partner.pk: 20, world.icb.pk: 10}
    run.refresh_from_db()
    assert run.places_taken == 30
    assert world.own.pk not in blocks


def test_a_small_run_serves_partners_in_joining_order_and_the_next_run_reserves_the_rest(world):
    _, programme = reserving_world(world)

    first = add_a_run(world, programme, capacity=25)
    second = add_a_run(world, programme, capacity=25, day=FIRST_DAY + dt.timedelta(days=7))

    on_first = {r.organisation_id: r.places for r in Reservation.objects.filter(run=first)}
    on_second = {r.organisation_id: r.places for r in Reservation.objects.filter(run=second)}
    assert on_first == {world.partner.pk: 20, world.icb.pk: 5}
    assert on_second == {world.icb.pk: 5}


def test_the_per_partner_cap_limits_each_block(world):
    _, programme = reserving_world(world)

    run = add_a_run(world, programme, capacity=50, partner_cap=8)

    blocks = {r.organisation_id: r.places for r in Reservation.objects.filter(run=run)}
    assert blocks == {world.partner.pk: 8, world.icb.pk: 8}


def test_linking_reserves_on_open_runs_and_refuses_a_programme_for_own_staff_or_not_hosted(world):
    commission = joined(world)
    lead = world.actor("own_ld_lead")
    programme = ProgrammeFactory(host=world.own, sharing_policy=SharingPolicy.PARTNERS_FROM_START)
    with pytest.raises(CommissionRefused, match="Agree"):
        commissions.link_programme(actor=lead, commission=commission, programme=programme)
    commissions.agree_commission(actor=lead, commission=commission)
    own_only = ProgrammeFactory(host=world.own, sharing_policy=SharingPolicy.OWN_ONLY)
    with pytest.raises(ValidationError, match="open to partners"):
        commissions.link_programme(actor=lead, commission=commission, programme=own_only)
    elsewhere = ProgrammeFactory(host=world.partner)
    with pytest.raises(ValidationError, match="your organisation hosts"):
        commissions.link_programme(actor=lead, commission=commission, programme=elsewhere)
    run = RunFactory(programme=programme, capacity=30)

    made = commissions.link_programme(actor=lead, commission=commission, programme=programme)

    assert [(r.run_id, r.organisation_id, r.places) for r in made] == [
        (run.pk, world.partner.pk, 20)
    ]
    with pytest.raises(CommissionRefused, match="linked already"):
        commissions.link_programme(actor=lead, commission=commission, programme=programme)


def test_runs_of_programmes_without_a_commission_reserve_nothing(world):
    programme = ProgrammeFactory(host=world.own)
    run = add_a_run(world, programme, capacity=10)
    assert not Reservation.objects.filter(run=run).exists()


def test_a_commissioned_plan_leaves_the_index_of_similar_items(world):
    similar.reset_for_tests()
    commission = joined(world)
    plan_item = similar.item_id(similar.PLAN, commission.plan_id)
    assert plan_item in similar.live_index()

    commissions.agree_commission(actor=world.actor("own_ld_lead"), commission=commission)

    assert plan_item not in similar.live_index()
    similar.reset_for_tests()
