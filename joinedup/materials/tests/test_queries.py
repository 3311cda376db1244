"""Reads about materials: versions, the family tree across organisations, reuse totals and
savings per organisation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from joinedup.materials import access, queries, services
from joinedup.materials.models import Licence, MaterialKind
from joinedup.materials.tests.factories import (
    MaterialAuthorFactory,
    MaterialFactory,
    MaterialVersionFactory,
    ReuseFactory,
)
from joinedup.materials.tests.service_helpers import ld_lead_at, new_material

pytestmark = pytest.mark.django_db


def _adapt(actor, version, *, title: str, licence: str):
    return services.adapt_material(
        actor=actor,
        source_version=version,
        owner=actor.organisation,
        title=title,
        summary="",
        licence=licence,
        kind=MaterialKind.FACILITATOR_GUIDE,
        topics=[],
        programmes=[],
        authors=[],
    )


@pytest.fixture
def family(world):
    """An original at the borough (two versions), adapted by the trust from its first version,
    the trust's adaptation adapted by the ICB, and the borough's own owner-only adaptation."""
    borough = world.actor("own_ld_lead")
    original = new_material(
        borough,
        title="Original guide",
        licence=Licence.CC_BY_4,
        authors=[(world.own_ld_lead, True), (world.own_staff, False)],
    )
    first = original.current_version
    services.add_version(
        actor=borough, material=original, external_url="https://example.org/v2", change_note="2"
    )
    trust = _adapt(
        world.actor("partner_ld_lead"), first, title="Trust guide", licence=Licence.PARTNERSHIP
    )
    icb = _adapt(
        ld_lead_at(world.icb, "ivy.learning@icb.test"),
        trust.current_version,
        title="ICB guide",
        licence=Licence.PARTNERSHIP,
    )
    private = _adapt(
        borough, original.current_version, title="Borough only", licence=Licence.OWNER_ONLY
    )
    return {"original": original, "trust": trust, "icb": icb, "private": private}


def _shape(node: queries.FamilyNode) -> tuple:
    return (
        node.material.title,
        node.adapted_from_number,
        node.visible,
        [_shape(child) for child in node.children],
    )


def test_family_tree_spans_three_generations_across_organisations(world, family):
    tree = queries.family_tree(family["icb"])
    assert _shape(tree) == (
        "Original guide",
        None,
        True,
        [
            ("Trust guide", 1, True, [("ICB guide", 1, True, [])]),
            ("Borough only", 2, True, []),
        ],
    )
    by_title = {node.material.title: node for _, node in tree.walk()}
    assert by_title["ICB guide"].is_this
    assert by_title["Original guide"].is_original_of_this
    assert by_title["Trust guide"].is_original_of_this
    assert not by_title["Borough only"].is_original_of_this
    assert [depth for depth, _ in tree.walk()] == [0, 1, 2, 1]
    assert by_title["Trust guide"].material.owner == world.partner


def test_family_tree_credits_only_authors_who_chose_to_show_their_names(world, family):
    tree = queries.family_tree(family["trust"])
    assert [author.person for author in tree.credited_authors] == [world.own_ld_lead]


def test_family_tree_leaves_out_what_the_viewer_cannot_see(world, family):
    partner = world.actor("partner_ld_lead")
    tree = queries.family_tree(family["icb"], visible=access.visible_materials(partner))
    assert _shape(tree) == (
        "Original guide",
        None,
        True,
        [("Trust guide", 1, True, [("ICB guide", 1, True, [])])],
    )


def test_family_tree_keeps_invisible_originals_to_credit_them(world, family):
    """An anonymous visitor of the ICB's guide (if it were public) still sees where it came
    from, marked as not visible; the borough's owner-only branch is left out."""
    tree = queries.family_tree(family["icb"], visible=access.public_materials())
    assert _shape(tree) == (
        "Original guide",
        None,
        False,
        [("Trust guide", 1, False, [("ICB guide", 1, False, [])])],
    )


def test_family_tree_of_an_original_shows_its_visible_adaptations(world, family):
    outsider_view = queries.family_tree(
        family["original"], visible=access.visible_materials(world.actor("partner_staff"))
    )
    assert [node.material.title for _, node in outsider_view.walk()] == [
        "Original guide",
        "Trust guide",
        "ICB guide",
    ]
    assert outsider_view.is_this


def test_family_tree_of_a_material_alone_is_just_that_material(world):
    material = new_material(world.actor("own_ld_lead"))
    tree = queries.family_tree(material)
    assert tree.material == material
    assert tree.children == []
    assert tree.is_this


def test_family_tree_asks_the_same_queries_however_large_the_family(world, family):
    visible = access.visible_materials(world.actor("partner_ld_lead"))
    with CaptureQueriesContext(connection) as small:
        queries.family_tree(family["icb"], visible=visible)
    source = family["trust"]
    for n in range(6):
        child = MaterialFactory(
            owner=world.partner,
            adapted_from=source.current_version,
            family_root=family["original"],
        )
        MaterialVersionFactory(material=child, number=1)
        MaterialAuthorFactory(material=child, show_name_publicly=True)
        source = child if n % 2 else source
    visible = access.visible_materials(world.actor("partner_ld_lead"))
    with CaptureQueriesContext(connection) as large:
        tree = queries.family_tree(family["icb"], visible=visible)
    assert len(tree.walk()) == 9
    assert len(large.captured_queries) == len(small.captured_queries)


def test_versions_are_listed_newest_first(world):
    actor = world.actor("own_ld_lead")
    material = new_material(actor)
    services.add_version(
        actor=actor, material=material, external_url="https://example.org/2", change_note="2"
    )
    assert [version.number for version in queries.versions_of(material)] == [2, 1]


# --- Reuse --------------------------------------------------------------------------------------


def _use(world, material, persona: str, learners: int, hours: str, cost: str, days_ago: int = 1):
    actor = world.actor(persona) if isinstance(persona, str) else persona
    return services.record_reuse(
        actor=actor,
        material=material,
        organisation=actor.organisation,
        used_on=timezone.localdate() - dt.timedelta(days=days_ago),
        context="Team day",
        learners_reached=learners,
        hours_saved=hours,
        cost_saved=cost,
    )


def test_reuse_totals_add_up_exactly(world):
    material = new_material(world.actor("own_ld_lead"))
    icb_lead = ld_lead_at(world.icb, "ivy.learning@icb.test")
    _use(world, material, "partner_ld_lead", 12, "7.5", "450.10")
    _use(world, material, "partner_ld_lead", 8, "0.1", "0.20", days_ago=30)
    _use(world, material, icb_lead, 30, "14.2", "1200.00")
    totals = queries.reuse_totals(material)
    assert totals == queries.ReuseTotals(
        reuses=3,
        organisations=2,
        learners=50,
        hours_saved=Decimal("21.8"),
        cost_saved=Decimal("1650.30"),
    )
    assert str(totals.cost_saved) == "1650.30"


def test_a_material_never_reused_has_zero_totals(world):
    material = new_material(world.actor("own_ld_lead"))
    assert queries.reuse_totals(material) == queries.ReuseTotals(
        0, 0, 0, Decimal("0.0"), Decimal("0.00")
    )
    assert str(queries.reuse_totals(material).cost_saved) == "0.00"


def test_savings_per_reusing_organisation_biggest_first(world):
    borough = world.actor("own_ld_lead")
    guide = new_material(borough, title="Guide")
    toolkit = new_material(borough, title="Toolkit")
    icb_lead = ld_lead_at(world.icb, "ivy.learning@icb.test")
    _use(world, guide, "partner_ld_lead", 10, "5.0", "300.00")
    _use(world, toolkit, "partner_ld_lead", 5, "2.5", "150.55")
    _use(world, guide, icb_lead, 40, "20.0", "2000.00")
    # The borough's own use of its own material (only factories make one) is no saving.
    ReuseFactory(material=guide, organisation=world.own, cost_saved=Decimal("999"))
    # Reuse of another organisation's material is not the borough's.
    trust_material = MaterialFactory(owner=world.partner)
    ReuseFactory(material=trust_material, organisation=world.icb)

    rows = queries.reuse_by_organisation(world.own)
    assert [
        (row.organisation, row.reuses, row.materials, row.learners, row.hours_saved, row.cost_saved)
        for row in rows
    ] == [
        (world.icb, 1, 1, 40, Decimal("20.0"), Decimal("2000.00")),
        (world.partner, 2, 2, 15, Decimal("7.5"), Decimal("450.55")),
    ]
    assert queries.reused_totals_of(world.own) == queries.ReuseTotals(
        reuses=3,
        organisations=2,
        learners=55,
        hours_saved=Decimal("27.5"),
        cost_saved=Decimal("2450.55"),
    )
    assert queries.saved_by(world.partner) == queries.ReuseTotals(
        reuses=2,
        organisations=1,
        learners=15,
        hours_saved=Decimal("7.5"),
        cost_saved=Decimal("450.55"),
    )
    assert queries.reuse_by_organisation(world.outsider_org) == []


def test_reuse_by_organisation_asks_two_queries(world):
    material = new_material(world.actor("own_ld_lead"))
    for organisation in (world.partner, world.icb, world.outsider_org):
        ReuseFactory(material=material, organisation=organisation)
    with CaptureQueriesContext(connection) as captured:
        rows = queries.reuse_by_organisation(world.own)
    assert len(rows) == 3
    assert len(captured.captured_queries) == 2


def test_reuses_of_lists_newest_first(world):
    material = new_material(world.actor("own_ld_lead"))
    older = _use(world, material, "partner_ld_lead", 1, "1", "1", days_ago=10)
    newer = _use(world, material, "partner_ld_lead", 1, "1", "1", days_ago=2)
    assert list(queries.reuses_of(material)) == [newer, older]
