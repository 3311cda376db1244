"""API organisation operations: the organisations of the caller's partnerships."""

from __future__ import annotations

import pytest

from joinedup.partnership.tests.api_helpers import (
    API,
    api_client,
    api_queries,
    ids,
    organisation_client,
)
from joinedup.partnership.tests.factories import MembershipFactory, OrganisationFactory


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("own_staff", {"own", "partner", "icb"}),
        ("own_admin", {"own", "partner", "icb"}),
        ("partner_staff", {"own", "partner", "icb"}),
        ("partnership_lead", {"own", "partner", "icb"}),
        ("outsider", {"outsider_org"}),
    ],
)
def test_organisations_list_shows_the_callers_partnerships(world, persona, expected):
    listed = set(ids(api_client(world, persona).get(f"{API}/organisations")))
    assert listed == {getattr(world, name).pk for name in expected}


@pytest.mark.parametrize(
    ("persona", "target", "expected"),
    [
        ("own_staff", "own", 200),
        ("own_staff", "partner", 200),
        ("own_staff", "outsider_org", 404),
        ("partner_admin", "own", 200),
        ("partnership_lead", "partner", 200),
        ("outsider", "own", 404),
        ("outsider", "outsider_org", 200),
        ("anonymous", "own", 401),
    ],
)
def test_organisation_detail_answers_each_persona(world, persona, target, expected):
    organisation = getattr(world, target)
    response = api_client(world, persona).get(f"{API}/organisations/{organisation.pk}")
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["official_code"] == organisation.official_code
    else:
        assert response.json()["detail"]


def test_organisation_token_sees_its_partnerships_organisations(world):
    listed = set(ids(organisation_client(world, "partner_admin").get(f"{API}/organisations")))
    assert listed == {world.own.pk, world.partner.pk, world.icb.pk}


def test_organisations_list_pages_by_name_with_a_cursor(world):
    for number in range(5):
        MembershipFactory(partnership=world.partnership, organisation__name=f"Charity {number}")
    client = api_client(world, "own_staff")
    first = client.get(f"{API}/organisations?limit=3").json()
    second = client.get(f"{API}/organisations", {"limit": 3, "cursor": first["next"]}).json()
    third = client.get(f"{API}/organisations", {"limit": 3, "cursor": second["next"]}).json()
    names = [item["name"] for page in (first, second, third) for item in page["items"]]
    assert names == sorted(names)
    assert len(names) == 8
    assert third["next"] is None


def test_organisations_list_queries_do_not_grow_with_rows(world):
    client = api_client(world, "own_staff")
    small = api_queries(client, f"{API}/organisations")
    for _ in range(15):
        MembershipFactory(partnership=world.partnership, organisation=OrganisationFactory())
    assert api_queries(client, f"{API}/organisations") == small
