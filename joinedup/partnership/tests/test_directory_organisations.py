"""The organisations directory and the organisation page: scope, filters, links and bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from joinedup.partnership.models import OrganisationKind
from joinedup.partnership.tests.factories import MembershipFactory, OrganisationFactory
from joinedup.partnership.tests.manage_helpers import assert_status, queries_for

URL = reverse("partnership:organisations")


def page_url(organisation) -> str:
    return reverse("partnership:organisation", args=[organisation.pk])


def listed(response, organisations) -> list[str]:
    return [o.name for o in organisations if f">{o.name}</a>" in response.text]


def all_four(world):
    return (world.own, world.partner, world.icb, world.outsider_org)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("own_staff", 200), ("partner_admin", 200), ("partnership_lead", 200), ("outsider", 200),
     ("anonymous", 302)],
)  # fmt: skip
def test_signed_in_personas_may_open_the_organisations_directory(client_for, persona, expected):
    assert_status(client_for(persona).get(URL), expected)


def test_staff_see_every_member_organisation_of_their_partnership(client_for, world):
    response = client_for("own_staff").get(URL)
    assert listed(response, all_four(world)) == [world.own.name, world.partner.name, world.icb.name]


def test_outsider_sees_only_their_own_partnerships_organisations(client_for, world):
    response = client_for("outsider").get(URL)
    assert listed(response, all_four(world)) == [world.outsider_org.name]


def test_an_organisation_that_left_the_partnership_is_not_listed(client_for, world):
    former = OrganisationFactory(name="Former member")
    MembershipFactory(
        partnership=world.partnership,
        organisation=former,
        joined_on=dt.date(2020, 1, 1),
        left_on=dt.date(2021, 1, 1),
    )
    assert "Former member" not in client_for("own_staff").get(URL).text


def test_rows_show_kind_sector_official_code_and_levy_payer(client_for, world):
    response = client_for("own_staff").get(URL)
    assert "London borough" in response.text
    assert "Local government" in response.text
    assert "E09000003" in response.text
    assert ">Yes</td>" in response.text and ">No</td>" in response.text


def test_search_and_filters_narrow_the_list(client_for, world):
    client = client_for("own_staff")
    assert listed(client.get(URL, {"q": "barnet"}), all_four(world)) == [world.own.name]
    assert listed(client.get(URL, {"sector": "health"}), all_four(world)) == [
        world.partner.name,
        world.icb.name,
    ]
    by_kind = client.get(URL, {"kind": OrganisationKind.INTEGRATED_CARE_BOARD})
    assert listed(by_kind, all_four(world)) == [world.icb.name]
    assert "No organisation matches" in client.get(URL, {"q": "manchester"}).text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"sector": "space"}, "Choose a sector from the list"),
        ({"kind": "castle"}, "Choose a kind of organisation from the list"),
        ({"q": "x" * 101}, "Search terms must be 100 characters or fewer"),
    ],
)
def test_bad_filter_values_give_a_message_naming_the_field(client_for, world, params, message):
    response = client_for("own_staff").get(URL, params)
    assert response.status_code == 200
    assert message in response.text
    assert listed(response, all_four(world)) == [world.own.name, world.partner.name, world.icb.name]


def test_a_bad_cursor_gives_the_first_page(client_for, world):
    response = client_for("own_staff").get(URL, {"after": "garbage", "before": "!!"})
    assert response.status_code == 200
    assert listed(response, all_four(world)) == [world.own.name, world.partner.name, world.icb.name]


def test_organisations_page_in_fifties_and_the_query_count_stays_the_same(client_for, world):
    client = client_for("own_staff")
    few = queries_for(client, URL)
    for number in range(55):
        MembershipFactory(
            partnership=world.partnership,
            organisation=OrganisationFactory(name=f"Voluntary group {number:02d}"),
        )
    many = queries_for(client, URL)
    assert few == many
    first = client.get(URL)
    assert len(first.context["organisations"]) == 50
    second = client.get(URL + first.context["links"]["next"])
    assert len(second.context["organisations"]) == 8


@pytest.mark.parametrize(
    ("persona", "target", "expected"),
    [
        ("own_staff", "own", 200),
        ("own_staff", "partner", 200),
        ("own_staff", "outsider_org", 404),
        ("partner_admin", "own", 200),
        ("partnership_lead", "partner", 200),
        ("partnership_lead", "outsider_org", 404),
        ("outsider", "outsider_org", 200),
        ("outsider", "own", 404),
        ("outsider", "partner", 404),
        ("anonymous", "own", 302),
    ],
)
def test_who_may_open_an_organisation_page(client_for, world, persona, target, expected):
    response = client_for(persona).get(page_url(getattr(world, target)))
    assert_status(response, expected)


def test_an_unknown_organisation_is_not_found(client_for, world):
    assert (
        client_for("own_staff").get(reverse("partnership:organisation", args=[999_999])).status_code
        == 404
    )


def test_organisation_page_shows_details_and_memberships_of_the_partnership(client_for, world):
    response = client_for("own_staff").get(page_url(world.partner))
    assert world.partner.name in response.text
    assert "NHS trust" in response.text and "R1K" in response.text
    assert '<dd class="govuk-summary-list__value" id="headcount">9000</dd>' in response.text
    assert world.partnership.name in response.text


def test_memberships_of_other_partnerships_are_not_shown(client_for, world):
    MembershipFactory(partnership=world.other_partnership, organisation=world.partner)
    response = client_for("own_staff").get(page_url(world.partner))
    assert world.other_partnership.name not in response.text


def test_staff_link_appears_only_where_the_actor_may_see_the_staff(client_for, world):
    people = reverse("partnership:people")
    own_page = client_for("own_staff").get(page_url(world.own)).text
    partner_page = client_for("own_staff").get(page_url(world.partner)).text
    lead_page = client_for("partnership_lead").get(page_url(world.partner)).text
    assert f'href="{people}?organisation={world.own.pk}"' in own_page
    assert 'id="staff-link"' not in partner_page
    assert f'href="{people}?organisation={world.partner.pk}"' in lead_page


def test_manage_link_is_offered_to_the_organisations_own_admin_only(client_for, world):
    manage = reverse("partnership:manage", args=[world.own.pk])
    assert f'href="{manage}"' in client_for("own_admin").get(page_url(world.own)).text
    assert 'id="manage-link"' not in client_for("own_staff").get(page_url(world.own)).text
    assert 'id="manage-link"' not in client_for("partner_admin").get(page_url(world.own)).text
