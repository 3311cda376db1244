"""The organisation's own materials, with how often others reused each and what it saved."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from joinedup.materials.tests.factories import ReuseFactory
from joinedup.materials.tests.page_helpers import linked_material, queries_for


def test_the_page_lists_only_the_acting_organisations_materials(world, client_for):
    own = linked_material(world.own, title="Barnet workbook")
    partner = linked_material(world.partner, title="Trust guide")
    text = client_for("own_staff").get(reverse("materials:mine")).content.decode()
    assert reverse("materials:material", args=[own.pk]) in text
    assert reverse("materials:material", args=[partner.pk]) not in text


def test_reuse_and_savings_show_per_material_and_in_total(world, client_for):
    guide = linked_material(world.own, title="Guide")
    deck = linked_material(world.own, title="Deck")
    ReuseFactory(material=guide, organisation=world.partner, cost_saved=Decimal("450.00"))
    ReuseFactory(material=guide, organisation=world.icb, cost_saved=Decimal("1000.00"))
    ReuseFactory(material=deck, organisation=world.partner, cost_saved=Decimal("50.50"))
    text = client_for("own_ld_lead").get(reverse("materials:mine")).content.decode()
    assert "£1,450.00" in text
    assert "£50.50" in text
    assert "£1,500.50" in text
    assert "3, by 2 organisations" in text


def test_the_owner_sees_who_reused_its_materials_and_the_reuser_what_it_saved(world, client_for):
    guide = linked_material(world.own, title="Guide")
    deck = linked_material(world.own, title="Deck")
    ReuseFactory(material=guide, organisation=world.partner, cost_saved=Decimal("450.00"))
    ReuseFactory(material=deck, organisation=world.partner, cost_saved=Decimal("50.50"))
    ReuseFactory(material=guide, organisation=world.icb, cost_saved=Decimal("1000.00"))
    owner = client_for("own_ld_lead").get(reverse("materials:mine")).content.decode()
    start = owner.index('id="who-reused"')
    table = owner[start : owner.index("</table>", start)]
    # Biggest saving first: the board's £1,000.00 on one material, then the trust's two.
    assert table.index(world.icb.name) < table.index(world.partner.name)
    assert "£500.50" in table and "£1,000.00" in table
    reuser = client_for("partner_ld_lead").get(reverse("materials:mine")).content.decode()
    assert 'id="who-reused"' not in reuser
    assert "Used 2 times" in reuser and "£500.50" in reuser


def test_hidden_materials_are_listed_to_keepers_only(world, client_for):
    hidden = linked_material(world.own, hidden_at=timezone.now(), hidden_reason="Checking")
    link = reverse("materials:material", args=[hidden.pk])
    assert link in client_for("own_admin").get(reverse("materials:mine")).content.decode()
    assert link not in client_for("own_staff").get(reverse("materials:mine")).content.decode()


def test_only_those_who_may_add_see_the_add_button(world, client_for):
    add = reverse("materials:create")
    assert add in client_for("own_ld_lead").get(reverse("materials:mine")).content.decode()
    assert add not in client_for("own_staff").get(reverse("materials:mine")).content.decode()


def test_the_page_asks_as_many_queries_for_many_materials_and_reuses(world, client_for):
    client = client_for("own_ld_lead")
    url = reverse("materials:mine")
    ReuseFactory(material=linked_material(world.own), organisation=world.partner)
    few = queries_for(client, url)
    for _ in range(12):
        material = linked_material(world.own)
        ReuseFactory(material=material, organisation=world.partner)
        ReuseFactory(material=material, organisation=world.icb)
    assert queries_for(client, url) == few


def test_the_outsider_sees_their_own_organisations_materials_only(world, client_for):
    own = linked_material(world.own)
    theirs = linked_material(world.outsider_org)
    text = client_for("outsider").get(reverse("materials:mine")).content.decode()
    assert reverse("materials:material", args=[theirs.pk]) in text
    assert reverse("materials:material", args=[own.pk]) not in text


def test_anonymous_visitors_are_sent_to_sign_in(world, client_for):
    response = client_for("anonymous").get(reverse("materials:mine"))
    assert response["Location"].startswith("/accounts/login/")


def test_who_reused_counts_materials_per_organisation_and_never_the_owners_own_uses(
    world, client_for
):
    guide = linked_material(world.own, title="Guide")
    deck = linked_material(world.own, title="Deck")
    ReuseFactory(material=guide, organisation=world.partner, cost_saved=Decimal("10.00"))
    ReuseFactory(material=guide, organisation=world.partner, cost_saved=Decimal("20.00"))
    ReuseFactory(material=deck, organisation=world.partner, cost_saved=Decimal("30.00"))
    ReuseFactory(material=deck, organisation=world.own, cost_saved=Decimal("999.00"))
    owner = client_for("own_ld_lead").get(reverse("materials:mine")).content.decode()
    start = owner.index('id="who-reused"')
    table = owner[start : owner.index("</table>", start)]
    row = table[table.index(world.partner.name) :]
    cells = [cell.split(">", 1)[1].split("<", 1)[0] for cell in row.split("<td")[1:6]]
    assert cells[:2] == ["3", "2"]  # three uses of two materials
    assert cells[4] == "£60.00"
    assert world.own.name not in table
    assert "£999.00" not in table
