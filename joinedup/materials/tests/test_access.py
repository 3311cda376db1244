"""The materials access funnel: who reads which material, persona by persona, for every licence,
published openly or not, hidden or shown, and who may change, adapt, reuse, report and hide."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from joinedup.materials import access
from joinedup.materials.models import Licence, Material
from joinedup.materials.tests.factories import (
    MaterialAuthorFactory,
    MaterialFactory,
    MaterialReportFactory,
    MaterialVersionFactory,
    ReuseFactory,
)
from joinedup.partnership.models import OrganisationRole
from joinedup.partnership.tests.factories import OrganisationRoleFactory
from joinedup.partnership.tests.world import PERSONAS

OPEN = {Licence.OGL_3, Licence.CC_BY_4, Licence.CC_BY_SA_4, Licence.CC_BY_NC_4}
OWNERS = ("own", "partner", "outsider")
# Where each persona works (the partnership lead works at the ICB, a member of the partnership).
HOME = {
    "own_staff": "own",
    "own_line_manager": "own",
    "own_admin": "own",
    "own_ld_lead": "own",
    "own_levy_officer": "own",
    "partner_staff": "partner",
    "partner_admin": "partner",
    "partner_ld_lead": "partner",
    "partnership_lead": "icb",
    "outsider": "outsider",
    "anonymous": None,
    "mentoring_lead": "icb",
    "space_moderator": "partner",
    "programme_leader": "partner",
    "practice_tutor": "partner",
    "apprentice": "own",
}
IN_PARTNERSHIP = {"own", "partner", "icb"}
# The L&D leads and admins of each organisation (the outsider is their organisation's admin).
KEEPERS = {
    "own": {"own_ld_lead", "own_admin"},
    "partner": {"partner_ld_lead", "partner_admin"},
    "outsider": {"outsider"},
}


def should_see(persona: str, owner: str, licence: str, published: bool, hidden: bool) -> bool:
    """The rule of issue 5, written out independently of access.py."""
    home = HOME[persona]
    partners = home in IN_PARTNERSHIP and owner in IN_PARTNERSHIP
    if hidden:
        if persona in KEEPERS[owner]:
            return True
        return persona == "partnership_lead" and partners and licence != Licence.OWNER_ONLY
    if published and licence in OPEN:
        return True
    if home == owner:
        return True
    return partners and licence != Licence.OWNER_ONLY


CASES = list(itertools.product(OWNERS, Licence.values, (False, True), (False, True)))


def _label(owner: str, licence: str, published: bool, hidden: bool) -> str:
    state = ("published" if published else "inside", "hidden" if hidden else "shown")
    return f"{owner}|{licence}|{state[0]}|{state[1]}"


@pytest.fixture
def library(world) -> dict[str, Material]:
    """One material for every owner, licence, published openly or not, hidden or shown."""
    organisations = {"own": world.own, "partner": world.partner, "outsider": world.outsider_org}
    now = timezone.now()
    materials = {}
    for owner, licence, published, hidden in CASES:
        label = _label(owner, licence, published, hidden)
        materials[label] = MaterialFactory(
            owner=organisations[owner],
            licence=licence,
            title=label,
            published_openly_at=now if published else None,
            hidden_at=now if hidden else None,
            hidden_reason="Reported" if hidden else "",
        )
    return materials


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_reads_exactly_the_materials_their_licence_allows(world, library, persona):
    seen = set(access.visible_materials(world.actor(persona)).values_list("title", flat=True))
    expected = {_label(*case) for case in CASES if should_see(persona, *case)}
    missing = sorted(expected - seen)
    extra = sorted(seen - expected)
    assert not missing and not extra, f"{persona} misses {missing} and sees {extra}"


def test_anonymous_reads_only_shown_openly_published_materials_under_an_open_licence(library):
    seen = set(access.public_materials().values_list("title", flat=True))
    assert seen == {
        _label(owner, licence, True, False) for owner in OWNERS for licence in sorted(OPEN)
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_fetching_an_invisible_material_is_not_found_for_each_persona(world, library, persona):
    actor = world.actor(persona)
    for case in CASES:
        material = library[_label(*case)]
        if should_see(persona, *case):
            assert access.get_material_for(actor, material.pk) == material
        else:
            with pytest.raises(Http404):
                access.get_material_for(actor, material.pk)


def test_an_organisation_token_reads_its_organisation_and_partners_but_no_hidden_ones(
    world, library
):
    from joinedup.partnership.actor import Actor

    token_actor = Actor(person=None, organisation=world.own)
    seen = set(access.visible_materials(token_actor).values_list("title", flat=True))
    assert _label("own", Licence.OWNER_ONLY, False, False) in seen
    assert _label("partner", Licence.PARTNERSHIP, False, False) in seen
    assert _label("own", Licence.PARTNERSHIP, False, True) not in seen


def test_a_version_of_an_invisible_material_is_not_found(world):
    version = MaterialVersionFactory(
        material__owner=world.own, material__licence=Licence.OWNER_ONLY
    )
    assert access.get_version_for(world.actor("own_staff"), version.pk) == version
    for persona in ("partner_ld_lead", "partnership_lead", "outsider", "anonymous"):
        with pytest.raises(Http404):
            access.get_version_for(world.actor(persona), version.pk)


# --- Changing a material ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("own_ld_lead", True),
        ("own_admin", True),
        ("own_staff", False),
        ("own_levy_officer", False),
        ("partner_ld_lead", False),
        ("partnership_lead", False),
    ],
)
def test_the_owners_ld_leads_and_admins_edit_and_others_who_see_it_get_403(world, persona, allowed):
    material = MaterialFactory(owner=world.own, licence=Licence.PARTNERSHIP)
    actor = world.actor(persona)
    assert access.may_edit(actor, material) is allowed
    if allowed:
        assert access.get_editable_material(actor, material.pk) == material
    else:
        with pytest.raises(PermissionDenied):
            access.get_editable_material(actor, material.pk)


def test_a_credited_author_on_the_owners_staff_may_edit(world):
    material = MaterialFactory(owner=world.own)
    MaterialAuthorFactory(material=material, person=world.own_staff)
    assert access.may_edit(world.actor("own_staff"), material)
    assert not access.may_edit(world.actor("own_line_manager"), material)


def test_an_author_acting_for_another_organisation_may_not_edit(world):
    material = MaterialFactory(owner=world.partner)
    MaterialAuthorFactory(material=material, person=world.own_staff)
    assert not access.may_edit(world.actor("own_staff"), material)


def test_editing_another_partnerships_private_material_is_not_found(world):
    material = MaterialFactory(owner=world.outsider_org, licence=Licence.PARTNERSHIP)
    with pytest.raises(Http404):
        access.get_editable_material(world.actor("own_ld_lead"), material.pk)


@pytest.mark.parametrize("licence", Licence.values)
def test_only_the_owners_ld_lead_publishes_and_only_under_an_open_licence(world, licence):
    material = MaterialFactory(owner=world.own, licence=licence)
    assert access.may_publish_openly(world.actor("own_ld_lead"), material) is (licence in OPEN)
    for persona in ("own_admin", "own_staff", "partner_ld_lead", "partnership_lead"):
        assert not access.may_publish_openly(world.actor(persona), material)


def test_a_hidden_material_cannot_be_published(world):
    material = MaterialFactory(owner=world.own, licence=Licence.OGL_3, hidden_at=timezone.now())
    assert not access.may_publish_openly(world.actor("own_ld_lead"), material)


# --- Adapting, recording reuse, reporting --------------------------------------------------------


def _lead_role(world, persona: str, role: str = OrganisationRole.PROGRAMME_LEADER) -> None:
    OrganisationRoleFactory(
        person=world.person(persona),
        organisation=world.employments[persona].organisation,
        role=role,
    )


def _versioned(**fields) -> Material:
    """A material with one version (adapting needs a current version)."""
    return MaterialVersionFactory(**{f"material__{k}": v for k, v in fields.items()}).material


def test_l_and_d_leads_and_programme_leaders_adapt_and_record_reuse(world):
    material = _versioned(owner=world.partner, licence=Licence.CC_BY_4)
    _lead_role(world, "own_staff")
    for persona in ("own_ld_lead", "own_staff"):
        assert access.may_adapt(world.actor(persona), material)
        assert access.may_record_reuse(world.actor(persona), material)
    for persona in ("own_admin", "own_line_manager", "partner_staff", "partnership_lead"):
        assert not access.may_adapt(world.actor(persona), material)
        assert not access.may_record_reuse(world.actor(persona), material)


def test_an_owner_only_material_is_adapted_only_inside_its_owner(world):
    material = _versioned(owner=world.own, licence=Licence.OWNER_ONLY)
    assert access.may_adapt(world.actor("own_ld_lead"), material)
    other = _versioned(owner=world.partner, licence=Licence.OWNER_ONLY)
    assert not access.may_adapt(world.actor("own_ld_lead"), other)


def test_a_material_without_a_current_version_is_not_adapted(world):
    material = MaterialFactory(owner=world.partner, licence=Licence.CC_BY_4)
    actor = world.actor("own_ld_lead")
    assert not access.may_adapt(actor, material)
    with pytest.raises(PermissionDenied):
        access.get_adaptable_material(actor, material.pk)
    MaterialVersionFactory(material=material)
    assert access.may_adapt(actor, material)
    assert access.get_adaptable_material(actor, material.pk) == material


def test_an_organisation_does_not_record_reuse_of_its_own_material(world):
    own = _versioned(owner=world.own, licence=Licence.CC_BY_4)
    theirs = _versioned(owner=world.partner, licence=Licence.CC_BY_4)
    actor = world.actor("own_ld_lead")
    assert access.is_own_material(actor, own)
    assert not access.may_record_reuse(actor, own)
    assert access.may_record_reuse(actor, theirs)
    # The form is still reached, so it can say why (the service refuses with the reason).
    assert access.get_reusable_material(actor, own.pk) == own


def test_a_hidden_material_is_not_adapted_reused_or_reported(world):
    material = MaterialFactory(owner=world.own, licence=Licence.CC_BY_4, hidden_at=timezone.now())
    actor = world.actor("own_ld_lead")
    assert not access.may_adapt(actor, material)
    assert not access.may_record_reuse(actor, material)
    assert not access.may_report(actor, material)


def test_an_outsiders_ld_lead_may_adapt_an_openly_published_material(world):
    _lead_role(world, "outsider", OrganisationRole.LD_LEAD)
    material = MaterialVersionFactory(
        material__owner=world.own,
        material__licence=Licence.CC_BY_SA_4,
        material__published_openly_at=timezone.now(),
    ).material
    assert access.get_adaptable_material(world.actor("outsider"), material.pk) == material


def test_adapting_a_material_without_a_version_is_forbidden(world):
    material = MaterialFactory(owner=world.own, licence=Licence.CC_BY_4)
    with pytest.raises(PermissionDenied):
        access.get_adaptable_material(world.actor("own_ld_lead"), material.pk)


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in ("anonymous", "outsider")])
def test_anyone_signed_in_who_reads_a_partnership_material_may_report_it(world, persona):
    material = MaterialFactory(owner=world.partner, licence=Licence.PARTNERSHIP)
    assert access.get_reportable_material(world.actor(persona), material.pk) == material


def test_reporting_is_not_for_anonymous_visitors(world):
    material = MaterialFactory(
        owner=world.own, licence=Licence.OGL_3, published_openly_at=timezone.now()
    )
    with pytest.raises(PermissionDenied):
        access.get_reportable_material(world.actor("anonymous"), material.pk)


# --- Hiding and reports -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("own_ld_lead", True),
        ("own_admin", True),
        ("partnership_lead", True),
        ("own_staff", False),
        ("partner_ld_lead", False),
        ("partner_admin", False),
    ],
)
def test_the_owners_keepers_and_the_partnership_lead_hide_a_material(world, persona, allowed):
    material = MaterialFactory(owner=world.own, licence=Licence.PARTNERSHIP)
    assert access.may_hide(world.actor(persona), material) is allowed


def test_the_partnership_lead_neither_sees_nor_hides_an_owner_only_material(world):
    material = MaterialFactory(owner=world.own, licence=Licence.OWNER_ONLY)
    lead = world.actor("partnership_lead")
    assert not access.may_hide(lead, material)
    with pytest.raises(Http404):
        access.get_hideable_material(lead, material.pk)


def test_reports_reach_the_owners_keepers_and_the_partnership_lead_only(world):
    own_report = MaterialReportFactory(material__owner=world.own, material__licence="partnership")
    partner_report = MaterialReportFactory(
        material__owner=world.partner, material__licence=Licence.CC_BY_4
    )
    owner_only = MaterialReportFactory(material__owner=world.own, material__licence="owner-only")
    outsider_report = MaterialReportFactory(material__owner=world.outsider_org)

    def reports(persona: str) -> set[int]:
        return set(access.visible_reports(world.actor(persona)).values_list("pk", flat=True))

    assert reports("own_ld_lead") == {own_report.pk, owner_only.pk}
    assert reports("own_admin") == {own_report.pk, owner_only.pk}
    assert reports("partner_ld_lead") == {partner_report.pk}
    assert reports("partnership_lead") == {own_report.pk, partner_report.pk}
    assert reports("outsider") == {outsider_report.pk}
    for persona in ("own_staff", "own_levy_officer", "partner_staff", "anonymous"):
        assert reports(persona) == set()
    with pytest.raises(Http404):
        access.get_report_for(world.actor("partner_ld_lead"), own_report.pk)


# --- Reuse --------------------------------------------------------------------------------------


def test_the_owner_and_the_partnership_lead_see_who_reused_others_their_own_reuse(world):
    material = MaterialFactory(owner=world.own, licence=Licence.PARTNERSHIP)
    by_partner = ReuseFactory(material=material, organisation=world.partner)
    by_icb = ReuseFactory(material=material, organisation=world.icb)

    def reuses(persona: str) -> set[int]:
        return set(
            access.visible_reuses(world.actor(persona), material).values_list("pk", flat=True)
        )

    assert reuses("own_staff") == {by_partner.pk, by_icb.pk}
    assert reuses("partnership_lead") == {by_partner.pk, by_icb.pk}
    assert reuses("partner_staff") == {by_partner.pk}
    assert reuses("anonymous") == set()
