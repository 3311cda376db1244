"""The public pages: openly published materials for anyone, with no personal data beyond the
names of authors who chose to show them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from joinedup.materials.models import Licence, Material
from joinedup.materials.tests.factories import MaterialAuthorFactory, ReuseFactory
from joinedup.materials.tests.page_helpers import linked_material, open_material, queries_for


def test_anyone_reads_an_openly_published_material_without_signing_in(world, client_for):
    material = open_material(world.own, title="Open deck", summary="For everyone.")
    response = client_for("anonymous").get(reverse("materials:open-material", args=[material.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Open deck" in page
    assert (
        'href="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"' in page
    )
    assert reverse("materials:open-download", args=[material.pk]) in page


@pytest.mark.parametrize(
    "fields",
    [
        {"licence": Licence.OGL_3},
        {"licence": Licence.PARTNERSHIP, "published_openly_at": timezone.now()},
        {
            "licence": Licence.CC_BY_4,
            "published_openly_at": timezone.now(),
            "hidden_at": timezone.now(),
        },
    ],
    ids=["not published", "published under an inside licence", "hidden"],
)
def test_anything_else_is_not_found_on_the_public_pages(world, client_for, fields):
    material = linked_material(world.own, **fields)
    for persona in ("anonymous", "own_ld_lead"):
        url = reverse("materials:open-material", args=[material.pk])
        assert client_for(persona).get(url).status_code == 404


def test_only_authors_who_chose_are_named_otherwise_the_organisation(world, client_for):
    material = open_material(world.own)
    MaterialAuthorFactory(material=material, person=world.own_staff, show_name_publicly=True)
    MaterialAuthorFactory(material=material, person=world.own_line_manager, position=1)
    page = client_for("anonymous").get(reverse("materials:open-material", args=[material.pk]))
    text = page.content.decode()
    assert "Sam Staff" in text
    assert "Lena Manager" not in text
    assert "lena.manager@barnet.test" not in text
    assert "and others at London Borough of Barnet" in text


def test_the_public_page_shows_no_reusing_organisations_only_the_totals(world, client_for):
    material = open_material(world.own)
    ReuseFactory(material=material, organisation=world.partner, context="Ward induction")
    text = (
        client_for("anonymous")
        .get(reverse("materials:open-material", args=[material.pk]))
        .content.decode()
    )
    assert "1, by 1 organisation" in text
    assert "Ward induction" not in text
    assert "London North West University Healthcare NHS Trust" not in text


def test_the_public_family_tree_credits_the_original_but_links_only_public_pages(world, client_for):
    original = linked_material(world.partner, licence=Licence.CC_BY_4, title="Trust original")
    Material.objects.filter(pk=original.pk).update(family_root=original)
    adaptation = open_material(
        world.own,
        licence=Licence.CC_BY_4,
        title="Council adaptation",
        adapted_from=original.current_version,
        family_root=original,
    )
    text = (
        client_for("anonymous")
        .get(reverse("materials:open-material", args=[adaptation.pk]))
        .content.decode()
    )
    assert "Trust original" in text
    assert "Original of this material" in text
    assert reverse("materials:open-material", args=[original.pk]) not in text
    assert reverse("materials:material", args=[original.pk]) not in text


def test_the_public_list_shows_only_openly_published_materials(world, client_for):
    shown = open_material(world.outsider_org, title="Manchester open guide")
    inside = linked_material(world.own, licence=Licence.OGL_3, title="Not yet published")
    text = client_for("anonymous").get(reverse("materials:open-list")).content.decode()
    assert reverse("materials:open-material", args=[shown.pk]) in text
    assert "Not yet published" not in text
    assert reverse("materials:open-material", args=[inside.pk]) not in text


def test_the_public_list_asks_as_many_queries_for_many_materials(world, client_for):
    client = client_for("anonymous")
    url = reverse("materials:open-list")
    open_material(world.own)
    few = queries_for(client, url)
    for owner in (world.own, world.partner, world.outsider_org) * 5:
        open_material(owner)
    assert queries_for(client, url) == few


def _with_text(material: Material, text: str) -> Material:
    """The material's search document as the services make it, with its file's words."""
    Material.objects.filter(pk=material.pk).update(search_document=f"{material.summary}\n{text}")
    return material


def test_anyone_finds_an_openly_published_material_by_a_word_inside_its_file(world, client_for):
    found = _with_text(open_material(world.own, title="Open deck"), "the kitchen table debrief")
    other = _with_text(open_material(world.own, title="Other deck"), "ward rounds")
    url = reverse("materials:open-list")
    response = client_for("anonymous").get(url, {"q": "kitchen"})
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("materials:open-material", args=[found.pk]) in page
    assert reverse("materials:open-material", args=[other.pk]) not in page
    assert "<mark>kitchen</mark>" in page
    assert 'value="kitchen"' in page


@pytest.mark.parametrize(
    "fields",
    [
        {"licence": Licence.OGL_3},
        {"licence": Licence.PARTNERSHIP, "published_openly_at": timezone.now()},
        {
            "licence": Licence.OGL_3,
            "published_openly_at": timezone.now(),
            "hidden_at": timezone.now(),
        },
    ],
)
def test_the_public_search_never_finds_what_is_not_published_openly(world, client_for, fields):
    unseen = _with_text(linked_material(world.own, title="Inside deck", **fields), "kitchen")
    _with_text(open_material(world.own, title="Open deck"), "kitchen")
    page = client_for("anonymous").get(reverse("materials:open-list"), {"q": "kitchen"})
    text = page.content.decode()
    assert "Open deck" in text
    assert "Inside deck" not in text
    assert reverse("materials:open-material", args=[unseen.pk]) not in text


def test_a_public_search_finding_nothing_says_so_and_one_too_long_is_named(world, client_for):
    open_material(world.own, title="Open deck")
    client = client_for("anonymous")
    nothing = client.get(reverse("materials:open-list"), {"q": "zebra"}).content.decode()
    assert 'id="no-results"' in nothing and "Open deck" not in nothing
    long = client.get(reverse("materials:open-list"), {"q": "x" * 201}).content.decode()
    assert "Search must be 200 characters or fewer" in long
    assert "Open deck" in long


def test_a_public_search_asks_as_many_queries_for_many_matches(world, client_for):
    client = client_for("anonymous")
    url = reverse("materials:open-list") + "?q=kitchen"
    _with_text(open_material(world.own), "kitchen")
    few = queries_for(client, url)
    for _ in range(8):
        _with_text(open_material(world.partner), "kitchen")
    assert queries_for(client, url) == few
