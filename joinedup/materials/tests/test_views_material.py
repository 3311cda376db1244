"""A material's page: what it shows, to whom, with credits, versions, the family tree and reuse."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from joinedup.materials.models import Licence, Material, MaterialVersion
from joinedup.materials.tests.factories import (
    FileVersionFactory,
    MaterialAuthorFactory,
    MaterialFactory,
    MaterialVersionFactory,
    ReuseFactory,
)
from joinedup.materials.tests.page_helpers import linked_material


def _page(client, material: Material):
    return client.get(reverse("materials:material", args=[material.pk]))


def test_own_staff_read_their_organisations_owner_only_material(world, client_for):
    material = linked_material(world.own, licence=Licence.OWNER_ONLY, title="Team handbook")
    response = _page(client_for("own_staff"), material)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Team handbook" in page
    assert "Owner organisation only" in page


def test_a_partners_owner_only_material_is_not_found_for_the_partner(world, client_for):
    material = linked_material(world.own, licence=Licence.OWNER_ONLY)
    assert _page(client_for("partner_ld_lead"), material).status_code == 404
    assert _page(client_for("partnership_lead"), material).status_code == 404


def test_partners_read_a_partnership_material_and_the_outsider_gets_404(world, client_for):
    material = linked_material(world.own, licence=Licence.PARTNERSHIP)
    assert _page(client_for("partner_staff"), material).status_code == 200
    assert _page(client_for("outsider"), material).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in_from_the_inside_page(world, client_for):
    material = linked_material(world.own, licence=Licence.OGL_3, published_openly_at=timezone.now())
    response = _page(client_for("anonymous"), material)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_outsider_reads_an_openly_published_material_signed_in(world, client_for):
    material = linked_material(
        world.own, licence=Licence.CC_BY_4, published_openly_at=timezone.now()
    )
    assert _page(client_for("outsider"), material).status_code == 200


def test_the_licence_links_to_its_text(world, client_for):
    material = linked_material(world.own, licence=Licence.CC_BY_SA_4)
    page = _page(client_for("own_staff"), material).content.decode()
    assert 'href="https://creativecommons.org/licenses/by-sa/4.0/"' in page


def test_every_version_is_listed_with_its_own_download_link(world, client_for):
    material = linked_material(world.own)
    second = FileVersionFactory(material=material, number=2, change_note="New contacts")
    page = _page(client_for("partner_staff"), material).content.decode()
    first = MaterialVersion.objects.get(material=material, number=1)
    assert reverse("materials:download", args=[first.pk]) in page
    assert reverse("materials:download", args=[second.pk]) in page
    assert "New contacts" in page
    assert "2 (current)" in page


def test_owner_staff_see_every_author_and_partners_only_those_who_chose(world, client_for):
    material = linked_material(world.own)
    MaterialAuthorFactory(material=material, person=world.own_staff, show_name_publicly=True)
    MaterialAuthorFactory(material=material, person=world.own_line_manager, position=1)
    inside = _page(client_for("own_ld_lead"), material).content.decode()
    assert "Sam Staff" in inside and "Lena Manager" in inside
    partner = _page(client_for("partner_staff"), material).content.decode()
    assert "Sam Staff" in partner
    assert "Lena Manager" not in partner
    assert "and others at London Borough of Barnet" in partner


def test_with_no_consenting_author_the_organisation_is_credited(world, client_for):
    material = linked_material(world.own)
    MaterialAuthorFactory(material=material, person=world.own_staff)
    partner = _page(client_for("partner_staff"), material).content.decode()
    assert "Sam Staff" not in partner
    assert 'id="credits">London Borough of Barnet' in partner


def test_an_adaptation_credits_the_exact_version_and_owner_of_its_original(world, client_for):
    original = linked_material(world.partner, licence=Licence.CC_BY_4, title="Trust guide")
    source_version = original.current_version
    FileVersionFactory(material=original, number=2)
    adaptation = linked_material(
        world.own,
        licence=Licence.CC_BY_4,
        title="Council guide",
        adapted_from=source_version,
        family_root=original,
    )
    Material.objects.filter(pk=original.pk).update(family_root=original)
    page = _page(client_for("own_staff"), adaptation).content.decode()
    assert "Version 1 of Trust guide, by London North West University Healthcare NHS Trust" in page
    assert 'id="family-tree"' in page
    assert reverse("materials:material", args=[original.pk]) in page
    assert "Original of this material" in page
    original_page = _page(client_for("partner_staff"), original).content.decode()
    assert reverse("materials:material", args=[adaptation.pk]) in original_page


def test_reuse_counts_and_savings_show_and_the_owner_sees_who_reused(world, client_for):
    material = linked_material(world.own)
    ReuseFactory(material=material, organisation=world.partner, cost_saved="450.00")
    ReuseFactory(material=material, organisation=world.icb, context="ICB induction")
    owner = _page(client_for("own_staff"), material).content.decode()
    assert "2, by 2 organisations" in owner
    assert "£900.00" in owner
    assert "ICB induction" in owner
    lead = _page(client_for("partnership_lead"), material).content.decode()
    assert "ICB induction" in lead
    partner = _page(client_for("partner_staff"), material).content.decode()
    assert "2, by 2 organisations" in partner
    assert "ICB induction" not in partner
    assert "Your organisation's uses" in partner


def test_actions_show_only_to_who_may_take_them(world, client_for):
    material = linked_material(world.partner, licence=Licence.CC_BY_4)
    lead = _page(client_for("own_ld_lead"), material).content.decode()
    assert reverse("materials:adapt", args=[material.pk]) in lead
    assert reverse("materials:record-reuse", args=[material.pk]) in lead
    assert reverse("materials:edit", args=[material.pk]) not in lead
    staff = _page(client_for("own_staff"), material).content.decode()
    assert reverse("materials:adapt", args=[material.pk]) not in staff
    assert reverse("materials:report", args=[material.pk]) in staff
    keeper = _page(client_for("partner_ld_lead"), material).content.decode()
    assert reverse("materials:edit", args=[material.pk]) in keeper
    assert reverse("materials:publish", args=[material.pk]) in keeper
    assert reverse("materials:record-reuse", args=[material.pk]) not in keeper


def test_adapt_is_offered_only_once_the_material_has_a_version(world, client_for):
    material = MaterialFactory(owner=world.partner, licence=Licence.CC_BY_4)
    adapt = reverse("materials:adapt", args=[material.pk])
    page = _page(client_for("own_ld_lead"), material).content.decode()
    assert material.title in page and adapt not in page
    MaterialVersionFactory(material=material)
    assert adapt in _page(client_for("own_ld_lead"), material).content.decode()


def test_the_owner_is_not_offered_to_record_reuse_of_its_own_material(world, client_for):
    material = linked_material(world.own, licence=Licence.CC_BY_4)
    page = _page(client_for("own_ld_lead"), material).content.decode()
    assert reverse("materials:adapt", args=[material.pk]) in page
    assert reverse("materials:record-reuse", args=[material.pk]) not in page


def test_a_hidden_material_shows_its_reason_to_its_keeper_and_is_404_to_staff(world, client_for):
    material = linked_material(world.own, hidden_at=timezone.now(), hidden_reason="Out of date")
    page = _page(client_for("own_ld_lead"), material).content.decode()
    assert "Out of date" in page
    assert reverse("materials:unhide", args=[material.pk]) in page
    assert _page(client_for("own_staff"), material).status_code == 404


def test_the_page_asks_as_many_queries_with_many_versions_authors_and_reuses(world, client_for):
    from joinedup.materials.tests.page_helpers import queries_for

    material = linked_material(world.own)
    client = client_for("own_ld_lead")
    url = reverse("materials:material", args=[material.pk])
    few = queries_for(client, url)
    for number in range(2, 8):
        FileVersionFactory(material=material, number=number)
    for persona in ("own_staff", "own_line_manager", "own_admin"):
        MaterialAuthorFactory(material=material, person=world.person(persona))
    for organisation in (world.partner, world.icb, world.outsider_org):
        ReuseFactory(material=material, organisation=organisation)
    assert queries_for(client, url) == few
