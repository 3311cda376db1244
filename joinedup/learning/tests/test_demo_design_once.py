"""The demo's "design once" story, loaded by `joinedup demo`: the police programme a council's plan
will find, another partner's open plan and an agreed joint commission with its shares posted."""

from __future__ import annotations

from decimal import Decimal

from django.test import override_settings

from joinedup.learning import demo_design_once as story
from joinedup.learning.models import (
    CommissioningPlan,
    CommissionStatus,
    JointCommission,
    PlanStatus,
    Programme,
    SharingPolicy,
    SplitMethod,
)
from joinedup.partnership.demo import build_demo
from joinedup.partnership.models import AuditEvent, RechargeEntry

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_police_offer_a_trauma_informed_programme_to_partners(demo, db):
    programme = Programme.objects.get(title=story.POLICE_TITLE)
    assert programme.host.name == story.POLICE
    assert programme.sharing_policy == SharingPolicy.PARTNERS_FROM_START
    assert set(programme.topics.values_list("name", flat=True)) == set(story.POLICE_TOPICS)
    assert AuditEvent.objects.filter(
        action="programme.created", object_id=str(programme.pk)
    ).exists()


def test_the_fire_service_has_an_open_plan_on_the_same_topics(demo, db):
    plan = CommissioningPlan.objects.get(title=story.FIRE_PLAN["title"])
    assert plan.organisation.name == story.FIRE
    assert plan.status == PlanStatus.OPEN
    assert set(story.POLICE_TOPICS) <= set(plan.topics.values_list("name", flat=True))
    assert plan.starts_on < plan.ends_on


def test_brents_joint_commission_is_agreed_and_every_partners_share_is_posted(demo, db):
    commission = JointCommission.objects.get(plan__title=story.BRENT_PLAN["title"])
    assert commission.status == CommissionStatus.AGREED
    assert commission.plan.status == PlanStatus.COMMISSIONED
    assert commission.split_method == SplitMethod.PLACES
    partners = list(commission.partners.select_related("organisation", "recharge"))
    assert [p.places for p in partners] == [places for _, places in story.BRENT_PARTNERS]
    # Designed once (£12,000) and 125 places delivered at £85
    assert commission.total_cost == Decimal("22625.00") == sum(p.share for p in partners)
    lead = commission.lead_organisation
    assert lead.official_code == story.BRENT
    for partner in partners:
        if partner.organisation == lead:
            assert partner.recharge is None
            continue
        entry = partner.recharge
        assert (entry.payer, entry.payee, entry.amount) == (
            partner.organisation,
            lead,
            partner.share,
        )
    posted = RechargeEntry.objects.filter(source_id=str(commission.pk), payee=lead)
    assert posted.count() == len(partners) - 1


def test_running_the_demo_again_adds_no_design_once_rows(demo, db):
    models = (Programme, CommissioningPlan, JointCommission, RechargeEntry)
    before = {model.__name__: model.objects.count() for model in models}

    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        again = build_demo()

    assert {model.__name__: model.objects.count() for model in models} == before
    assert not any(again.created.values())
