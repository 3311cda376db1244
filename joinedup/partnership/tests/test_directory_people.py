"""The people directory: who sees whom, search, filters, keyset pagination and bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from joinedup.partnership import queries
from joinedup.partnership.tests.factories import EmploymentFactory, PersonFactory
from joinedup.partnership.tests.manage_helpers import assert_status, queries_for

URL = reverse("partnership:people")
OWN = ("own_staff", "own_line_manager", "own_admin", "own_ld_lead", "own_levy_officer")
PARTNER = ("partner_staff", "partner_admin", "partner_ld_lead")


def shown(response, world, personas) -> list[str]:
    """The personas whose names appear in the directory table."""
    return [
        persona
        for persona in personas
        if f"{world.person(persona).family_name}, {world.person(persona).given_name}"
        in response.text
    ]


def everyone(world) -> tuple[str, ...]:
    return (*OWN, *PARTNER, "partnership_lead", "outsider")


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("own_staff", 200),
        ("own_admin", 200),
        ("own_ld_lead", 200),
        ("partner_staff", 200),
        ("partner_admin", 200),
        ("partnership_lead", 200),
        ("outsider", 200),
        ("anonymous", 302),
    ],
)
def test_every_signed_in_persona_may_open_the_people_directory(client_for, persona, expected):
    assert_status(client_for(persona).get(URL), expected)


def test_own_staff_see_only_their_own_organisation(client_for, world):
    response = client_for("own_staff").get(URL)
    assert shown(response, world, everyone(world)) == list(OWN)


def test_partner_staff_do_not_see_the_other_organisations_staff(client_for, world):
    response = client_for("partner_staff").get(URL)
    assert shown(response, world, everyone(world)) == list(PARTNER)


def test_own_admin_sees_their_organisation_only_like_other_staff(client_for, world):
    response = client_for("own_admin").get(URL)
    assert shown(response, world, everyone(world)) == list(OWN)


def test_partnership_lead_sees_every_member_organisations_staff(client_for, world):
    response = client_for("partnership_lead").get(URL)
    assert shown(response, world, everyone(world)) == [*OWN, *PARTNER, "partnership_lead"]


def test_outsider_never_sees_anyone_of_the_partnership(client_for, world):
    response = client_for("outsider").get(URL)
    assert shown(response, world, everyone(world)) == ["outsider"]
    assert world.own.name not in response.text
    assert world.partnership.name not in response.text


def test_directory_rows_show_job_title_organisation_and_work_email(client_for, world):
    response = client_for("own_staff").get(URL)
    line_manager = world.employments["own_line_manager"]
    assert line_manager.job_title in response.text
    assert f'href="mailto:{line_manager.work_email}"' in response.text
    person_url = reverse("partnership:person", args=[line_manager.person.pk])
    assert f'<a class="govuk-link" href="{person_url}">' in response.text


def test_leavers_are_not_in_the_directory(client_for, world):
    leaver = EmploymentFactory(
        organisation=world.own,
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2023, 1, 1),
        person=PersonFactory(family_name="Gonebefore"),
    )
    assert leaver.person.family_name not in client_for("own_admin").get(URL).text


def test_search_matches_names_email_addresses_and_job_titles(client_for, world):
    client = client_for("partnership_lead")
    by_name = client.get(URL, {"q": "sam staff"})
    by_email = client.get(URL, {"q": "pat.staff@lnwh"})
    by_job = client.get(URL, {"job_title": "NURSE"})
    assert shown(by_name, world, everyone(world)) == ["own_staff"]
    assert shown(by_email, world, everyone(world)) == ["partner_staff"]
    assert shown(by_job, world, everyone(world)) == ["partner_staff"]


def test_names_match_from_their_start_and_job_titles_anywhere(client_for, world):
    client = client_for("partnership_lead")
    assert shown(client.get(URL, {"q": "taff"}), world, everyone(world)) == []
    assert shown(client.get(URL, {"q": "sa"}), world, everyone(world)) == ["own_staff"]
    by_title = client.get(URL, {"job_title": "learning"})
    assert shown(by_title, world, everyone(world)) == ["own_ld_lead", "partner_ld_lead"]


def test_search_never_reaches_beyond_the_directory(client_for, world):
    response = client_for("own_staff").get(URL, {"q": "pat"})
    assert shown(response, world, everyone(world)) == []
    assert "No one matches your search and filters." in response.text


def test_lead_filters_by_organisation(client_for, world):
    response = client_for("partnership_lead").get(URL, {"organisation": world.partner.pk})
    assert shown(response, world, everyone(world)) == list(PARTNER)


def test_lead_filters_by_sector(client_for, world):
    response = client_for("partnership_lead").get(URL, {"sector": "health"})
    assert shown(response, world, everyone(world)) == [*PARTNER, "partnership_lead"]


def test_filter_by_seniority_band(client_for, world):
    world.employments["own_admin"].__class__.objects.filter(
        pk=world.employments["own_admin"].pk
    ).update(seniority=8)
    world.employments["own_staff"].__class__.objects.filter(
        pk=world.employments["own_staff"].pk
    ).update(seniority=3)
    client = client_for("own_staff")
    assert shown(client.get(URL, {"band": "senior"}), world, OWN) == ["own_admin"]
    assert shown(client.get(URL, {"band": "entry"}), world, OWN) == ["own_staff"]


def test_filter_panel_uses_govuk_markup_and_keeps_choices(client_for, world):
    response = client_for("partnership_lead").get(URL, {"sector": "health", "q": "nurse"})
    assert '<label class="govuk-label govuk-label--s" for="id_sector">Sector</label>' in (
        response.text
    )
    assert '<option value="health" selected>Health</option>' in response.text
    assert 'value="nurse"' in response.text
    assert "Clear filters" in response.text


def test_staff_are_offered_only_their_own_organisation_as_a_filter(client_for, world):
    response = client_for("own_staff").get(URL)
    assert f'<option value="{world.own.pk}">' in response.text
    assert f'<option value="{world.partner.pk}">' not in response.text


def test_an_organisation_outside_the_directory_is_a_friendly_error(client_for, world):
    response = client_for("own_staff").get(URL, {"organisation": world.partner.pk})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert '<a href="#id_organisation">Choose an organisation from the list</a>' in response.text
    assert shown(response, world, everyone(world)) == list(OWN)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"organisation": "abc"}, "Choose an organisation from the list"),
        ({"sector": "space"}, "Choose a sector from the list"),
        ({"band": "top"}, "Choose a seniority band from the list"),
        ({"q": "x" * 101}, "Search terms must be 100 characters or fewer"),
        ({"job_title": "x" * 101}, "Job title must be 100 characters or fewer"),
    ],
)
def test_bad_filter_values_give_a_message_naming_the_field(client_for, world, params, message):
    response = client_for("partnership_lead").get(URL, params)
    assert response.status_code == 200
    assert message in response.text
    assert response.context["form"].errors


@pytest.mark.parametrize("cursor", ["not-a-cursor", "W10", "%%%", "eyJhIjoxfQ", "A" * 2000])
def test_a_bad_cursor_gives_the_first_page(client_for, world, cursor):
    response = client_for("own_staff").get(URL, {"after": cursor, "before": cursor})
    assert response.status_code == 200
    assert shown(response, world, OWN) == list(OWN)


def add_staff(organisation, count: int, family_name: str = "Zephyr") -> None:
    for number in range(count):
        EmploymentFactory(
            organisation=organisation,
            person=PersonFactory(family_name=family_name, given_name=f"Person{number:03d}"),
            job_title="Caseworker",
        )


def test_the_directory_pages_fifty_at_a_time_with_next_and_previous(client_for, world):
    add_staff(world.own, 60)
    client = client_for("own_staff")
    first = client.get(URL, {"q": "zephyr"})
    assert len(first.context["employments"]) == 50
    assert "next" in first.context["links"] and "previous" not in first.context["links"]
    second = client.get(URL + first.context["links"]["next"])
    names = [row.person.given_name for row in second.context["employments"]]
    assert names == [f"Person{number:03d}" for number in range(50, 60)]
    assert "q=zephyr" in first.context["links"]["next"]
    back = client.get(URL + second.context["links"]["previous"])
    assert [row.pk for row in back.context["employments"]] == [
        row.pk for row in first.context["employments"]
    ]


def test_the_whole_directory_pages_in_name_order_without_a_search(client_for, world):
    add_staff(world.own, 60)
    client = client_for("own_staff")
    first = client.get(URL)
    second = client.get(URL + first.context["links"]["next"])
    rows = [*first.context["employments"], *second.context["employments"]]
    keys = [(row.person.family_name, row.person.given_name, row.person_id) for row in rows]
    assert len(rows) == 66 and keys == sorted(keys)
    assert "next" not in second.context["links"]


def test_the_query_count_does_not_grow_with_the_directory(client_for, world):
    client = client_for("partnership_lead")
    searched = f"{URL}?q=abbott&job_title=case&sector=health&band=middle"
    few, few_searched = queries_for(client, URL), queries_for(client, searched)
    add_staff(world.own, 40)
    add_staff(world.partner, 40, family_name="Abbott")
    assert queries_for(client, URL) == few
    assert queries_for(client, searched) == few_searched


def test_a_name_search_pages_family_and_other_matches_together_in_name_order(world):
    # Family names that start with the word are read apart from given names and e-mail
    # addresses that do (queries.people_directory); the pages must still be one list in order.
    names = [
        ("Barker", "Zoe"),
        ("barker", "amy"),
        ("Adams", "Barkley"),
        ("Barkerville", "Bo"),
        ("Young", "Barbara"),
        ("Zed", "Barker"),
        ("Barker-Lee", "Cy"),
    ]
    for family, given in names:
        EmploymentFactory(
            organisation=world.own, person=PersonFactory(family_name=family, given_name=given)
        )
    EmploymentFactory(
        organisation=world.own,
        person=PersonFactory(family_name="Mail", given_name="Only", email="barker.m@example.org"),
    )
    actor = world.actor("own_staff")
    pages, cursor = [], None
    while True:
        page = queries.people_directory(actor, query="bark", after=cursor, size=2)
        pages.append([(row.person.family_name, row.person.given_name) for row in page.items])
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    found = [name for rows in pages for name in rows]
    assert found == [
        ("Adams", "Barkley"),
        ("barker", "amy"),
        ("Barker", "Zoe"),
        ("Barker-Lee", "Cy"),
        ("Barkerville", "Bo"),
        ("Mail", "Only"),
        ("Zed", "Barker"),
    ]
    assert [len(rows) for rows in pages] == [2, 2, 2, 1]
    last = queries.people_directory(actor, query="bark", after=cursor, size=2)
    back = queries.people_directory(actor, query="bark", before=last.previous_cursor, size=2)
    assert [(row.person.family_name, row.person.given_name) for row in back.items] == found[4:6]
    assert back.previous_cursor and back.next_cursor


def test_a_name_search_of_several_words_needs_each_of_them(world):
    for family, given in [("Barker", "Sam"), ("Barker", "Jo"), ("Samson", "Barker")]:
        EmploymentFactory(
            organisation=world.own, person=PersonFactory(family_name=family, given_name=given)
        )
    page = queries.people_directory(world.actor("own_staff"), query="sam barker")
    found = [(row.person.family_name, row.person.given_name) for row in page.items]
    assert found == [("Barker", "Sam"), ("Samson", "Barker")]


def test_the_directory_works_without_javascript(client_for, world):
    response = client_for("own_staff").get(URL)
    assert '<form method="get" action="/people/"' in response.text
    assert 'type="submit"' in response.text


def test_navigation_offers_people_organisations_and_my_profile(client_for, world):
    home = client_for("own_staff").get("/").text
    for name in ("people", "organisations", "profile"):
        assert f'href="{reverse(f"partnership:{name}")}"' in home


def test_only_the_most_specific_navigation_link_is_current(client_for, world):
    manage_page = client_for("own_admin").get(reverse("partnership:manage", args=[world.own.pk]))
    current = [item.label for item in manage_page.context["navigation"] if item.active]
    people_page = client_for("own_admin").get(URL)
    assert current == ["Manage organisation"]
    assert [item.label for item in people_page.context["navigation"] if item.active] == ["People"]


@pytest.mark.parametrize(("word", "expected"), [("o_e", "O_Eve"), ("10%", "10%Cent")])
def test_a_wildcard_in_a_name_search_is_taken_as_itself(world, word, expected):
    # Unescaped, "o_e" would match Ocean and "10%" would match 100Years.
    for family in ("Ocean", "O_Eve", "100Years", "10%Cent"):
        EmploymentFactory(
            organisation=world.own, person=PersonFactory(family_name=family, given_name="Kim")
        )
    page = queries.people_directory(world.actor("own_staff"), query=word)
    assert [row.person.family_name for row in page.items] == [expected]
