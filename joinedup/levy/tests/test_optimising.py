"""Needs and optimiser runs as services: cost schedules, who adds what, the plan and the pledge."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from joinedup.levy import optimising
from joinedup.levy.models import Pledge, Recommendation
from joinedup.levy.pledges import PledgeRefused
from joinedup.levy.tests.factories import NeedFactory
from joinedup.levy.tests.pooling import add_months, build_pooling
from joinedup.partnership.models import AuditEvent

pytestmark = pytest.mark.django_db


def need_values(organisation, **changes):
    values = {
        "organisation": organisation,
        "standard_code": "ST0072",
        "standard_title": "Adult care worker",
        "level": 2,
        "start_month": add_months(optimising.timezone.localdate(), 2),
        "duration_months": 12,
        "apprentices": 2,
        "funding_band": Decimal("6000"),
        "priority": 2,
        "job_role": "Care worker",
        "location": "Barnet",
    }
    return values | changes


def test_cost_schedule_is_band_times_apprentices_through_the_payment_rules(world):
    need = NeedFactory(
        start_month=add_months(optimising.timezone.localdate(), 1),
        duration_months=12,
        apprentices=2,
        funding_band=Decimal("6000"),
    )
    costs = optimising.need_costs(need)
    months = list(costs)
    assert len(months) == 12
    assert months[0] == f"{need.start_month:%Y-%m}"
    # 80% of £12,000 over 12 instalments, the 20% completion payment in the last month.
    assert costs[months[0]] == Decimal("800")
    assert costs[months[-1]] == Decimal("800") + Decimal("2400")
    assert sum(costs.values()) == Decimal("12000")


def test_levy_officer_adds_a_need_for_their_own_organisation_with_an_audit_entry(world):
    actor = world.actor("own_levy_officer")
    need = optimising.create_need(actor=actor, **need_values(world.own, standard_title=" Chef "))
    assert need.partnership == world.partnership
    assert need.standard_title == "Chef"
    assert need.start_month.day == 1
    event = AuditEvent.objects.get(action="levy.need.added", object_id=str(need.pk))
    assert event.changes["apprentices"] == 2


def test_levy_officer_cannot_add_a_need_for_a_partner(world):
    with pytest.raises(ValidationError) as refused:
        optimising.create_need(actor=world.actor("own_levy_officer"), **need_values(world.partner))
    assert "organisation" in refused.value.message_dict


def test_partnership_lead_adds_a_need_for_any_member(world):
    need = optimising.create_need(
        actor=world.actor("partnership_lead"), **need_values(world.partner)
    )
    assert need.organisation == world.partner


def test_bad_need_details_name_each_field(world):
    with pytest.raises(ValidationError) as refused:
        optimising.create_need(
            actor=world.actor("own_levy_officer"),
            **need_values(
                world.own, priority=4, level=9, funding_band=Decimal("-1"), apprentices=0
            ),
        )
    assert set(refused.value.message_dict) == {"priority", "level", "funding_band", "apprentices"}


def test_changing_and_withdrawing_a_need(world):
    actor = world.actor("own_levy_officer")
    need = optimising.create_need(actor=actor, **need_values(world.own))
    assert optimising.update_need(actor=actor, need=need, **need_values(world.own, priority=3))
    assert not optimising.update_need(actor=actor, need=need, **need_values(world.own, priority=3))
    need.refresh_from_db()
    assert need.priority == 3
    optimising.withdraw_need(actor=actor, need=need)
    assert need.withdrawn_at is not None
    assert not optimising.open_needs(world.partnership, optimising.timezone.localdate()).exists()
    with pytest.raises(ValidationError):
        optimising.withdraw_need(actor=actor, need=need)


def test_run_covers_the_charitys_need_from_the_trusts_expiring_funds(world):
    pooling = build_pooling(world)
    run = optimising.run_optimiser(
        actor=world.actor("partnership_lead"), partnership=world.partnership, today=pooling.today
    )
    assert run.status == "optimal"
    assert run.gap == 0
    assert run.expiry_without_transfers == Decimal("20000")
    recommendation = run.recommendations.get()
    assert recommendation.need == pooling.need
    assert recommendation.sender == pooling.trust_account
    assert recommendation.amount == Decimal("6000")
    # Its £400 instalments up to the expiry month spend funds that would otherwise expire.
    expiry = f"{pooling.expiry_month:%Y-%m}"
    saved = sum(
        amount for month, amount in optimising.need_costs(pooling.need).items() if month <= expiry
    )
    assert 0 < saved < Decimal("6000")
    assert recommendation.expiry_avoided == saved
    assert [
        (saving["month"], Decimal(saving["amount"])) for saving in recommendation.explanation
    ] == [(expiry, saved)]
    assert run.expiry_avoided == saved
    assert run.greedy_expiry_avoided == saved
    assert run.priority_funded == 3
    assert Decimal(run.inputs["senders"][0]["allowance"]) == Decimal("10000")
    assert AuditEvent.objects.filter(action="levy.optimiser.run", object_id=str(run.pk)).exists()
    assert optimising.in_words(recommendation) == (
        f"{pooling.trust.name} funds the Adult care worker apprenticeship at Barnet Carers "
        f"Centre: £{saved:,.2f} of its funds expiring in {pooling.expiry_month:%B %Y} are spent "
        "instead of lost."
    )


def test_a_sender_never_funds_its_own_organisations_need(world):
    pooling = build_pooling(world)
    pooling.need.delete()
    NeedFactory(
        partnership=world.partnership,
        organisation=pooling.trust,
        start_month=add_months(pooling.today, 1),
    )
    run = optimising.run_optimiser(
        actor=world.actor("partnership_lead"), partnership=world.partnership, today=pooling.today
    )
    assert not run.recommendations.exists()
    assert run.expiry_avoided == 0


def test_a_need_costing_more_than_the_remaining_allowance_is_not_recommended(world):
    pooling = build_pooling(world)
    big = NeedFactory(
        partnership=world.partnership,
        organisation=pooling.charity,
        start_month=add_months(pooling.today, 1),
        funding_band=Decimal("15000"),
        priority=3,
    )
    run = optimising.run_optimiser(
        actor=world.actor("partnership_lead"), partnership=world.partnership, today=pooling.today
    )
    assert set(run.recommendations.values_list("need", flat=True)) == {pooling.need.pk}
    assert big.pk not in run.recommendations.values_list("need", flat=True)


def test_withdrawn_and_already_pledged_needs_are_left_out(world):
    pooling = build_pooling(world)
    first = optimising.run_optimiser(
        actor=world.actor("partnership_lead"), partnership=world.partnership, today=pooling.today
    )
    optimising.pledge_recommendation(
        actor=pooling.officer(), recommendation=first.recommendations.get()
    )
    again = optimising.run_optimiser(
        actor=world.actor("partnership_lead"), partnership=world.partnership, today=pooling.today
    )
    assert not again.recommendations.exists()
    assert again.inputs["needs"] == []


def test_the_senders_levy_officer_makes_the_recommendation_a_pledge_in_one_step(world):
    pooling = build_pooling(world)
    run = optimising.run_optimiser(
        actor=world.actor("partnership_lead"), partnership=world.partnership, today=pooling.today
    )
    recommendation = run.recommendations.get()
    pledge = optimising.pledge_recommendation(
        actor=pooling.officer(), recommendation=recommendation
    )
    assert pledge.account == pooling.trust_account
    assert pledge.amount == Decimal("6000")
    assert pledge.sectors == [pooling.charity.sector]
    assert pledge.levels == [2]
    assert pledge.job_roles == ["Care worker"]
    assert pledge.locations == ["Barnet"]
    assert Recommendation.objects.get(pk=recommendation.pk).pledge == pledge
    with pytest.raises(PledgeRefused):
        optimising.pledge_recommendation(actor=pooling.officer(), recommendation=recommendation)
    assert Pledge.objects.count() == 1


def test_a_run_with_no_senders_or_no_needs_recommends_nothing(world):
    pooling = build_pooling(world)
    pooling.need.delete()
    without_needs = optimising.run_optimiser(
        actor=world.actor("partnership_lead"), partnership=world.partnership, today=pooling.today
    )
    assert without_needs.status == "optimal"
    assert without_needs.expiry_avoided == 0
    assert without_needs.expiry_without_transfers == Decimal("20000")
    NeedFactory(
        partnership=world.other_partnership,
        organisation=world.outsider_org,
        start_month=add_months(pooling.today, 1),
    )
    without_senders = optimising.run_optimiser(
        actor=world.actor("outsider"), partnership=world.other_partnership, today=pooling.today
    )
    assert without_senders.inputs["senders"] == []
    assert len(without_senders.inputs["needs"]) == 1
    assert not without_senders.recommendations.exists()


def test_savings_over_many_months_are_explained_as_a_total_from_first_to_last(world):
    pooling = build_pooling(world)
    run = optimising.run_optimiser(
        actor=world.actor("partnership_lead"), partnership=world.partnership, today=pooling.today
    )
    recommendation = run.recommendations.get()
    recommendation.explanation = [
        {"month": "2027-03", "amount": "1200"},
        {"month": "2027-04", "amount": "400"},
        {"month": "2027-12", "amount": "1600"},
    ]
    assert optimising.in_words(recommendation).endswith(
        "£3,200.00 of its funds expiring from March 2027 to December 2027 are spent instead of "
        "lost."
    )
    recommendation.explanation = recommendation.explanation[:2]
    assert optimising.in_words(recommendation).endswith(
        "£1,200.00 of its funds expiring in March 2027 and £400.00 of its funds expiring in "
        "April 2027 are spent instead of lost."
    )
