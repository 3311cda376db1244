"""The register's pages: the list with search and filters, the CSV download, the initiative page,
and recording and changing an initiative through the form (rows of partners and sponsors)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from joinedup.network.models import (
    Initiative,
    InitiativeLevel,
    InitiativePlace,
    InitiativeSector,
    Mission,
)
from joinedup.network.tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


def make(world, **fields) -> Initiative:
    levels = fields.pop("levels", [])
    sectors = fields.pop("sectors", [])
    places = fields.pop("places", [])
    missions = fields.pop("missions", [])
    defaults = {
        "partnership": world.partnership,
        "owner_organisation": world.own,
        "created_by": world.own_staff,
    }
    initiative = InitiativeFactory(**(defaults | fields))
    for level in levels:
        InitiativeLevel.objects.create(initiative=initiative, level=level)
    for sector in sectors:
        InitiativeSector.objects.create(initiative=initiative, sector=sector)
    for code, name in places:
        InitiativePlace.objects.create(initiative=initiative, gss_code=code, name=name)
    initiative.missions.set(missions)
    return initiative


def titles(response) -> list[str]:
    return [initiative.title for initiative in response.context["page"].items]


def form_data(**changes) -> dict:
    values = {
        "title": "Discharge to assess",
        "summary": "Assessed at home.",
        "problem": "discharge",
        "problem_detail": "",
        "places": "Barnet\nE08000003",
        "started_on_day": "1",
        "started_on_month": "4",
        "started_on_year": "2025",
        "status": "pilot",
        "funding_amount": "1000",
        "funding_source": "",
        "levels": ["local"],
        "sectors": ["health"],
        "partners-count": "2",
        "partners-0-organisation_name": "Department of Health",
        "partners-0-brings": ["money", "legitimacy"],
        "partners-0-level": "central",
        "partners-1-organisation": "",
        "sponsors-count": "1",
        "sponsors-0-organisation_name": "",
    }
    return values | changes


# --- The list -----------------------------------------------------------------------------------


def test_the_register_lists_the_partnerships_initiatives_and_not_an_outsiders(world, client_for):
    make(world, title="Ours")
    make(world, title="Partner's", owner_organisation=world.partner)
    make(
        world,
        title="Elsewhere",
        partnership=world.other_partnership,
        owner_organisation=world.outsider_org,
    )
    response = client_for("partner_staff").get(reverse("network:initiatives"))
    assert titles(response) == ["Ours", "Partner's"]
    assert response.context["count"] == 2
    assert "2 initiatives found" in response.content.decode()


def test_search_finds_words_in_title_summary_and_problem_detail(world, client_for):
    make(world, title="Warm homes", summary="Insulation")
    make(world, title="Other", summary="Winter warmth checks")
    make(world, title="Third", problem_detail="Cold damp housing")
    make(world, title="Unrelated")
    client = client_for("own_staff")
    assert titles(client.get(reverse("network:initiatives"), {"q": "warm"})) == [
        "Other",
        "Warm homes",
    ]
    assert titles(client.get(reverse("network:initiatives"), {"q": "damp"})) == ["Third"]
    assert titles(client.get(reverse("network:initiatives"), {"q": "warm homes"})) == ["Warm homes"]


def test_each_filter_narrows_the_register(world, client_for):
    mission = Mission.objects.create(partnership=world.partnership, name="Home first")
    make(
        world,
        title="Match",
        problem="housing",
        status="scaling",
        levels=["nhs", "local"],
        sectors=["health", "housing"],
        places=[("E09000003", "Barnet"), ("E08000003", "Manchester")],
        missions=[mission],
    )
    make(
        world,
        title="Other",
        problem="poverty",
        status="pilot",
        levels=["central"],
        sectors=["voluntary"],
    )
    client = client_for("own_staff")
    url = reverse("network:initiatives")
    for query in (
        {"problem": "housing"},
        {"status": "scaling"},
        {"level": "nhs"},
        {"sector": "housing"},
        {"mission": mission.pk},
        {"place": "Barnet"},
        {"place": "e08000003"},
        {"place": "manch"},
    ):
        assert titles(client.get(url, query)) == ["Match"], query
    assert titles(client.get(url, {"place": "Cornwall"})) == []
    assert titles(client.get(url, {"status": "nonsense"})) == ["Match", "Other"]


def test_an_initiative_matching_twice_is_listed_once(world, client_for):
    make(
        world,
        title="Twice",
        places=[("E09000003", "Barnet"), ("E09000002", "Barking and Dagenham")],
    )
    response = client_for("own_staff").get(reverse("network:initiatives"), {"place": "bar"})
    assert titles(response) == ["Twice"]
    assert response.context["count"] == 1


def test_the_register_shows_25_a_page_with_a_next_link(world, client_for):
    for number in range(27):
        make(world, title=f"Initiative {number:02}")
    client = client_for("own_staff")
    first = client.get(reverse("network:initiatives"), {"status": "pilot"})
    assert len(first.context["page"].items) == 25
    assert first.context["count"] == 27
    second = client.get(reverse("network:initiatives") + first.context["links"]["next"])
    assert titles(second) == ["Initiative 25", "Initiative 26"]


def test_the_list_page_makes_the_same_queries_for_more_initiatives(
    world, client_for, django_assert_max_num_queries
):
    client = client_for("own_staff")
    for number in range(3):
        make(world, title=f"A {number}", places=[("E09000003", "Barnet")])
    client.get(reverse("network:initiatives"))
    for number in range(20):
        make(world, title=f"B {number}", places=[("E09000003", "Barnet")])
    with django_assert_max_num_queries(15):
        response = client.get(reverse("network:initiatives"))
    assert response.status_code == 200


# --- The CSV ------------------------------------------------------------------------------------


def rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def test_the_csv_holds_every_matching_initiative_with_the_filters_applied(world, client_for):
    for number in range(30):
        make(world, title=f"Pilot {number:02}", status="pilot")
    make(world, title="Mainstream", status="mainstreamed")
    make(
        world,
        title="Elsewhere",
        partnership=world.other_partnership,
        owner_organisation=world.outsider_org,
    )
    response = client_for("own_staff").get(reverse("network:initiatives-csv"), {"status": "pilot"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    found = rows(response)
    assert found[0][0] == "Title"
    assert [row[0] for row in found[1:]] == [f"Pilot {number:02}" for number in range(30)]


def test_the_csv_neutralises_formulas_in_every_text_cell(world, client_for):
    initiative = make(
        world, title='=HYPERLINK("http://evil")', summary="+SUM(A1)", funding_source="@cmd"
    )
    initiative.partners.create(organisation_name="-2+3")
    (row,) = rows(client_for("own_staff").get(reverse("network:initiatives-csv")))[1:]
    assert row[0] == '\'=HYPERLINK("http://evil")'
    assert row[5] == "'+SUM(A1)"
    assert row[11] == "'-2+3"
    assert row[16] == "'@cmd"


def test_the_list_links_to_the_csv_with_the_same_filters(world, client_for):
    make(world, title="One")
    response = client_for("own_staff").get(
        reverse("network:initiatives"), {"status": "pilot", "q": "one"}
    )
    assert 'download.csv?status=pilot&amp;q=one"' in response.content.decode()


# --- The initiative page ------------------------------------------------------------------------


def test_the_initiative_page_shows_every_field(world, client_for):
    mission = Mission.objects.create(partnership=world.partnership, name="Home first")
    initiative = make(
        world,
        title="Discharge to assess",
        problem_detail="Waiting for care",
        funding_amount="1200.50",
        funding_source="Better Care Fund",
        levels=["nhs"],
        sectors=["health"],
        places=[("E09000003", "Barnet")],
        missions=[mission],
    )
    initiative.partners.create(organisation=world.partner, brings_staff=True, contribution="Nurses")
    initiative.sponsors.create(organisation_name="A funder", role="Chair")
    page = client_for("partner_staff").get(reverse("network:initiative", args=[initiative.pk]))
    text = page.content.decode()
    for shown in (
        "Discharge to assess",
        "Waiting for care",
        "Home first",
        "NHS",
        "Health",
        "Barnet (E09000003)",
        "£1200.50",
        "Better Care Fund",
        world.partner.name,
        "Staff",
        "Nurses",
        "A funder",
        "Chair",
    ):
        assert shown in text, shown
    assert "Change the initiative" not in text
    assert page.context["may_review"] is True
    assert page.context["may_adopt"] is True
    assert list(page.context["reviews"]) == []
    assert list(page.context["adoptions"]) == []


def test_an_outsider_is_told_nothing_of_an_initiative(world, client_for):
    initiative = make(world)
    assert (
        client_for("outsider").get(reverse("network:initiative", args=[initiative.pk])).status_code
        == 404
    )


# --- Recording and changing ---------------------------------------------------------------------


def test_an_initiative_is_recorded_through_the_form(world, client_for):
    response = client_for("own_staff").post(
        reverse("network:initiative-new"),
        form_data(
            **{"partners-1-organisation": str(world.partner.pk), "partners-1-brings": ["data"]}
        ),
    )
    initiative = Initiative.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("network:initiative", args=[initiative.pk])
    assert initiative.owner_organisation == world.own
    assert initiative.started_on.isoformat() == "2025-04-01"
    assert sorted(initiative.places.values_list("name", flat=True)) == ["Barnet", "Manchester"]
    assert [p.display_name for p in initiative.partners.all()] == [
        "Department of Health",
        world.partner.name,
    ]
    assert initiative.partners.get(organisation=None).brings_money


def test_add_another_partner_shows_one_more_row_and_saves_nothing(world, client_for):
    response = client_for("own_staff").post(
        reverse("network:initiative-new"), form_data(add="partners")
    )
    assert response.status_code == 200
    assert len(response.context["partners"]) == 3
    assert response.context["partners"][0]["organisation_name"] == "Department of Health"
    assert 'name="partners-2-organisation_name"' in response.content.decode()
    assert not Initiative.objects.exists()


def test_a_bad_partner_row_is_named_in_the_error_summary(world, client_for):
    response = client_for("own_staff").post(
        reverse("network:initiative-new"), form_data(**{"partners-1-level": "nhs"})
    )
    assert "Partner 2: choose an organisation from the list" in response.content.decode()
    assert "Department of Health" in response.content.decode()


def test_an_unknown_place_is_named_on_the_form(world, client_for):
    response = client_for("own_staff").post(
        reverse("network:initiative-new"), form_data(places="Barnet\nAtlantis")
    )
    assert response.context["form"].errors["places"] == ["Not an English local authority: Atlantis"]


def test_bad_funding_is_named_on_its_field(world, client_for):
    response = client_for("own_staff").post(
        reverse("network:initiative-new"), form_data(funding_amount="-5")
    )
    assert response.context["form"].errors["funding_amount"] == ["Funding must not be negative"]


def test_an_end_before_the_start_is_named_on_the_end_date(world, client_for):
    response = client_for("own_staff").post(
        reverse("network:initiative-new"),
        form_data(ended_on_day="1", ended_on_month="1", ended_on_year="2025"),
    )
    assert "ended_on" in response.context["form"].errors


def test_the_edit_form_shows_the_current_rows_and_a_blank_one_more(world, client_for):
    initiative = make(world, places=[("E09000003", "Barnet")])
    initiative.partners.create(organisation=world.partner, brings_staff=True)
    response = client_for("own_staff").get(reverse("network:initiative-edit", args=[initiative.pk]))
    partners = response.context["partners"]
    assert partners[0]["organisation"] == str(world.partner.pk)
    assert partners[0]["brings"] == ["staff"]
    assert len(partners) == 4
    assert response.context["form"].initial["places"] == "E09000003"


@pytest.mark.parametrize("persona", ["own_staff", "own_admin", "own_ld_lead", "partnership_lead"])
def test_editors_change_an_initiative_through_the_form(world, client_for, persona):
    initiative = make(world)
    response = client_for(persona).post(
        reverse("network:initiative-edit", args=[initiative.pk]), form_data(title="Renamed")
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == "Renamed"


@pytest.mark.parametrize("persona", ["own_line_manager", "partner_admin", "partner_ld_lead"])
def test_other_readers_may_not_change_an_initiative(world, client_for, persona):
    initiative = make(world)
    client = client_for(persona)
    assert client.get(reverse("network:initiative", args=[initiative.pk])).status_code == 200
    assert client.get(reverse("network:initiative-edit", args=[initiative.pk])).status_code == 403
    response = client.post(
        reverse("network:initiative-edit", args=[initiative.pk]), form_data(title="X")
    )
    assert response.status_code == 403
    initiative.refresh_from_db()
    assert initiative.title != "X"


def test_the_page_offers_change_only_to_editors(world, client_for):
    initiative = make(world)
    url = reverse("network:initiative", args=[initiative.pk])
    assert "Change the initiative" in client_for("own_admin").get(url).content.decode()
    assert "Change the initiative" not in client_for("own_levy_officer").get(url).content.decode()
