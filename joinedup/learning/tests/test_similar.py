"""Similar programmes and plans through the database (learning/similar.py): the per-process index,
kept current by the change log, and what each viewer may see of its matches."""

from __future__ import annotations

import random

import pytest

from joinedup.learning import plans, services, similar
from joinedup.learning.models import (
    DeliveryMode,
    Programme,
    ProgrammeKind,
    SharingPolicy,
    SimilarityChange,
)
from joinedup.learning.similarity import Item
from joinedup.learning.tests.factories import ProgrammeFactory

COMMON = """team service partner staff practice skill session learner course module workshop
online manager people change project quality data budget digital customer report review plan
safety audit communication resilience wellbeing induction policy record system process"""
WORDS = COMMON.split() + [f"word{number}" for number in range(2_000)]


@pytest.fixture(autouse=True)
def _fresh_index():
    similar.reset_for_tests()
    yield
    similar.reset_for_tests()


def many_programmes(hosts, count: int, seed: int = 6) -> None:
    """Programmes of words drawn at random, alike only by chance, written in bulk."""
    rng = random.Random(seed)
    Programme.objects.bulk_create(
        Programme(
            host=hosts[number % len(hosts)],
            title=" ".join(rng.choices(WORDS, k=3)),
            summary=" ".join(rng.choices(WORDS, k=25)),
            kind=ProgrammeKind.COURSE,
            delivery_mode=DeliveryMode.ONLINE,
        )
        for number in range(count)
    )
    similar.record_rebuild()


def plan_for(world, persona: str = "own_ld_lead", **fields):
    values = {
        "title": "Trauma-informed practice for housing officers",
        "need": "Frontline housing officers meet residents after trauma and need to respond well",
        "topics": ["Trauma-informed practice"],
    }
    return plans.create_plan(actor=world.actor(persona), **{**values, **fields})


def test_plan_finds_a_planted_near_duplicate_among_thousands_and_explains_it(world):
    many_programmes([world.own, world.partner, world.icb], 3_000)
    planted = ProgrammeFactory(
        host=world.partner,
        title="Trauma-informed practice for frontline housing officers",
        summary="How housing officers respond to residents after trauma",
    )
    similar.record_change(similar.PROGRAMME, planted.pk)
    plan = plan_for(world)

    found = similar.similar_for_plan(plan, world.actor("own_ld_lead"))

    assert found.programmes[0].programme == planted
    assert found.programmes[0].score > 0.5
    assert {"trauma", "housing", "officers"} <= set(found.programmes[0].shared_terms)


def test_two_processes_agree_after_an_edit_through_the_change_log(world):
    first, second = similar.LiveIndex(), similar.LiveIndex()
    programme = services.create_programme(
        actor=world.actor("own_ld_lead"),
        title="Budget basics",
        kind=ProgrammeKind.COURSE,
        delivery_mode=DeliveryMode.ONLINE,
        summary="Reading a budget",
    )
    first.catch_up(), second.catch_up()
    services.update_programme(
        actor=world.actor("own_ld_lead"),
        programme=programme,
        title="Coaching conversations",
        summary="Coaching for managers",
    )

    wanted = similar.item_id(similar.PROGRAMME, programme.pk)
    for index in (first.catch_up(), second.catch_up()):
        assert index.most_similar(Item("q", "coaching conversations"), k=1)[0].id == wanted
        assert index.most_similar(Item("q", "budget basics"), k=1) == []


def test_a_closed_plan_leaves_every_index(world):
    index = similar.LiveIndex()
    plan = plan_for(world)
    assert similar.item_id(similar.PLAN, plan.pk) in index.catch_up()

    plans.close_plan(actor=world.actor("own_ld_lead"), plan=plan)

    assert similar.item_id(similar.PLAN, plan.pk) not in index.catch_up()


def test_partner_sees_an_open_plan_as_similar_but_not_its_own_organisations(world):
    own_plan = plan_for(world)
    partner_plan = plan_for(world, "partner_ld_lead")

    own_view = similar.similar_for_plan(own_plan, world.actor("own_ld_lead"))
    partner_view = similar.similar_for_plan(partner_plan, world.actor("partner_ld_lead"))

    assert [item.plan for item in own_view.plans] == [partner_plan]
    assert [item.plan for item in partner_view.plans] == [own_plan]


def test_programmes_kept_for_the_hosts_own_staff_are_not_offered_to_partners(world):
    ProgrammeFactory(
        host=world.partner,
        title="Trauma-informed practice for housing officers",
        sharing_policy=SharingPolicy.OWN_ONLY,
    )
    plan = plan_for(world)

    assert similar.similar_for_plan(plan, world.actor("own_ld_lead")).programmes == []


def test_an_outsiders_programmes_and_plans_are_never_offered(world):
    ProgrammeFactory(host=world.outsider_org, title="Trauma-informed practice for housing officers")
    plan = plan_for(world)

    found = similar.similar_for_plan(plan, world.actor("own_ld_lead"))

    assert not found


def test_a_pruned_log_makes_a_process_behind_it_rebuild(world):
    index = similar.LiveIndex()
    plan = plan_for(world)
    index.catch_up()
    ProgrammeFactory(host=world.own, title="Trauma-informed practice refresher")
    programme = Programme.objects.get(title="Trauma-informed practice refresher")
    similar.record_change(similar.PROGRAMME, programme.pk)
    similar.record_change(similar.PLAN, plan.pk)
    assert similar.prune_changes(keep=1) >= 2

    assert similar.item_id(similar.PROGRAMME, programme.pk) in index.catch_up()


def test_a_change_committed_late_below_the_newest_is_still_applied(world):
    index = similar.LiveIndex()
    index.catch_up()
    late = SimilarityChange.objects.create(kind=similar.PROGRAMME, object_id=999_999)
    newest = SimilarityChange.objects.create(kind=similar.PROGRAMME, object_id=999_998)
    late_id = late.pk
    late.delete()  # as if not yet committed when the index reads the log
    index.catch_up()
    assert index.last_id == newest.pk and late_id in index.gaps

    programme = ProgrammeFactory(host=world.own, title="Late arrival")
    SimilarityChange.objects.create(pk=late_id, kind=similar.PROGRAMME, object_id=programme.pk)

    assert similar.item_id(similar.PROGRAMME, programme.pk) in index.catch_up()
    assert late_id not in index.gaps
