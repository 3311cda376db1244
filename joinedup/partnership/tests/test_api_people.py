"""API people operations: scoped exactly like the people directory and the person page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from joinedup.lib.keyset import encode_cursor
from joinedup.partnership import access
from joinedup.partnership.models import Destination
from joinedup.partnership.tests.api_helpers import API, api_client, api_queries, ids
from joinedup.partnership.tests.factories import EmploymentFactory, OrganisationFactory

OWN = {"own_staff", "own_line_manager", "own_admin", "own_ld_lead", "own_levy_officer"}
PARTNER = {"partner_staff", "partner_admin", "partner_ld_lead"}


def walk(client, url: str) -> list[int]:
    """Every id of a list, following `next` cursors page by page."""
    seen, cursor = [], None
    for _ in range(100):
        response = client.get(url, {"cursor": cursor} if cursor else {})
        assert response.status_code == 200, response.content
        seen += ids(response)
        cursor = response.json()["next"]
        if cursor is None:
            return seen
    raise AssertionError("the cursor never ran out")


@pytest.mark.parametrize(
    ("persona", "sees", "does_not_see"),
    [
        ("own_staff", OWN, PARTNER | {"partnership_lead", "outsider"}),
        ("own_admin", OWN, PARTNER | {"outsider"}),
        ("partner_staff", PARTNER, OWN | {"outsider"}),
        ("partner_admin", PARTNER, OWN | {"outsider"}),
        ("partnership_lead", OWN | PARTNER | {"partnership_lead"}, {"outsider"}),
        ("outsider", {"outsider"}, OWN | PARTNER | {"partnership_lead"}),
    ],
)
def test_people_list_shows_only_the_personas_directory(world, persona, sees, does_not_see):
    listed = set(walk(api_client(world, persona), f"{API}/people?limit=3"))
    assert {world.person(p).pk for p in sees} <= listed
    assert not {world.person(p).pk for p in does_not_see} & listed


@pytest.mark.parametrize(
    "persona",
    ["own_staff", "own_admin", "partner_staff", "partnership_lead", "outsider", "own_ld_lead"],
)
def test_people_list_is_exactly_the_access_functions_answer(world, persona):
    expected = list(
        access.visible_people(world.actor(persona))
        .order_by("family_name", "given_name", "id")
        .values_list("pk", flat=True)
    )
    assert walk(api_client(world, persona), f"{API}/people?limit=2") == expected


def test_people_list_shows_current_jobs_in_the_directory(world):
    items = api_client(world, "own_staff").get(f"{API}/people").json()["items"]
    staff = next(item for item in items if item["id"] == world.own_staff.pk)
    assert staff["jobs"] == [
        {
            "organisation": {"id": world.own.pk, "name": world.own.name},
            "job_title": "Social worker",
            "work_email": "sam.staff@barnet.test",
        }
    ]


def test_person_detail_shows_their_current_jobs_in_the_directory(world):
    response = api_client(world, "own_staff").get(f"{API}/people/{world.own_staff.pk}")
    assert response.json()["jobs"] == [
        {
            "organisation": {"id": world.own.pk, "name": world.own.name},
            "job_title": "Social worker",
            "work_email": "sam.staff@barnet.test",
        }
    ]


def test_anonymous_caller_gets_401_on_people(world):
    response = api_client(world, "anonymous").get(f"{API}/people")
    assert response.status_code == 401
    assert response.json()["detail"]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("own_staff", 200),
        ("own_line_manager", 200),
        ("own_admin", 200),
        ("partner_staff", 404),
        ("partner_admin", 404),
        ("partnership_lead", 200),
        ("outsider", 404),
        ("anonymous", 401),
    ],
)
def test_person_detail_answers_each_persona(world, persona, expected):
    response = api_client(world, persona).get(f"{API}/people/{world.own_staff.pk}")
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["family_name"] == "Staff"
    else:
        assert response.json()["detail"]


def test_outsider_gets_404_for_every_partnership_person(world):
    client = api_client(world, "outsider")
    for persona in OWN | PARTNER | {"partnership_lead"}:
        person = world.person(persona)
        assert client.get(f"{API}/people/{person.pk}").status_code == 404
        assert client.get(f"{API}/people/{person.pk}/employments").status_code == 404


def test_partnership_person_gets_404_for_the_outsider(world):
    for persona in ("own_staff", "partner_admin", "partnership_lead"):
        client = api_client(world, persona)
        assert client.get(f"{API}/people/{world.outsider.pk}").status_code == 404


def test_missing_person_is_a_json_404(world):
    response = api_client(world, "own_staff").get(f"{API}/people/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such person"}


@pytest.fixture
def staff_with_history(world):
    """Own staff previously worked at a charity outside the partnership."""
    charity = OrganisationFactory(name="Camden Carers")
    return EmploymentFactory(
        person=world.own_staff,
        organisation=charity,
        job_title="Support worker",
        start_date=dt.date(2015, 1, 5),
        end_date=dt.date(2021, 12, 31),
        destination=Destination.OTHER_PUBLIC,
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("own_staff", "history"),
        ("own_admin", "history"),
        ("partnership_lead", "history"),
        ("own_line_manager", "current"),
        ("own_ld_lead", "current"),
        ("partner_staff", 404),
        ("partner_admin", 404),
        ("outsider", 404),
        ("anonymous", 401),
    ],
)
def test_employments_show_history_only_to_those_who_may_see_it(
    world, staff_with_history, persona, expected
):
    response = api_client(world, persona).get(f"{API}/people/{world.own_staff.pk}/employments")
    current = world.employments["own_staff"].pk
    if expected == "history":
        assert ids(response) == [current, staff_with_history.pk]
    elif expected == "current":
        assert ids(response) == [current]
    else:
        assert response.status_code == expected


def test_employments_mirror_the_access_function(world, staff_with_history):
    for persona in ("own_staff", "own_line_manager", "partnership_lead"):
        expected = set(
            access.employments_for(world.actor(persona), world.own_staff).values_list(
                "pk", flat=True
            )
        )
        client = api_client(world, persona)
        assert set(walk(client, f"{API}/people/{world.own_staff.pk}/employments?limit=1")) == (
            expected
        )


def test_employment_items_say_whether_they_are_current(world, staff_with_history):
    client = api_client(world, "own_staff")
    items = client.get(f"{API}/people/{world.own_staff.pk}/employments").json()["items"]
    assert [item["is_current"] for item in items] == [True, False]
    assert items[1]["end_date"] == "2021-12-31"
    assert items[1]["organisation"]["name"] == "Camden Carers"


def test_me_shows_the_callers_profile_roles_and_history(world, staff_with_history):
    body = api_client(world, "own_admin").get(f"{API}/me").json()
    assert body["email"] == "ada.admin@barnet.test"
    assert body["roles"] == ["org_admin"]
    body = api_client(world, "own_staff").get(f"{API}/me").json()
    assert [item["id"] for item in body["employments"]] == [
        world.employments["own_staff"].pk,
        staff_with_history.pk,
    ]


def test_me_answers_anonymous_with_401(world):
    assert api_client(world, "anonymous").get(f"{API}/me").status_code == 401


def test_cursor_walk_visits_everyone_once_in_order(world):
    for number in range(11):
        EmploymentFactory(organisation=world.own, person__family_name=f"Zed{number % 3}")
    client = api_client(world, "own_admin")
    everyone = ids(client.get(f"{API}/people?limit=200"))
    walked = walk(client, f"{API}/people?limit=4")
    assert walked == everyone
    assert len(walked) == len(set(walked)) == 17


def test_a_cursor_for_another_list_is_a_422(world):
    client = api_client(world, "own_admin")
    for _ in range(3):
        EmploymentFactory(organisation=world.own)
    cursor = client.get(f"{API}/people?limit=1").json()["next"]
    response = client.get(f"{API}/people/{world.own_staff.pk}/employments", {"cursor": cursor})
    assert response.status_code == 422
    assert "cursor (query)" in response.json()["detail"]


def test_people_list_queries_do_not_grow_with_rows(world):
    client = api_client(world, "partnership_lead")
    small = api_queries(client, f"{API}/people")
    for number in range(20):
        employment = EmploymentFactory(organisation=world.partner if number % 2 else world.own)
        EmploymentFactory(person=employment.person, organisation=world.icb)
    assert api_queries(client, f"{API}/people") == small


def test_employments_queries_do_not_grow_with_rows(world):
    client = api_client(world, "own_admin")
    url = f"{API}/people/{world.own_staff.pk}/employments"
    small = api_queries(client, url)
    for year in range(2000, 2015):
        EmploymentFactory(
            person=world.own_staff,
            organisation=world.own,
            start_date=dt.date(year, 1, 1),
            end_date=dt.date(year, 12, 31),
        )
    assert api_queries(client, url) == small
    assert len(ids(client.get(url))) == 16


def test_leavers_stay_visible_to_their_admin_only(world):
    leaver = world.employments["own_line_manager"]
    leaver.end_date = timezone.localdate() - dt.timedelta(days=2)
    leaver.save()
    assert world.own_line_manager.pk in ids(api_client(world, "own_admin").get(f"{API}/people"))
    assert world.own_line_manager.pk not in ids(
        api_client(world, "own_ld_lead").get(f"{API}/people")
    )


@pytest.mark.parametrize(
    "values",
    [
        ["Staff", "Sam", -1],
        ["Staff", "Sam", 2**70],
        ["Staff", "Sam", "2"],
        ["Sta\x00ff", "Sam", 1],
        ["\ud800", "Sam", 1],
        ["Staff", "Sam"],
        ["Staff", "Sam", True],
    ],
)
def test_a_tampered_cursor_is_a_422_not_a_crash(world, values):
    response = api_client(world, "own_staff").get(
        f"{API}/people", {"cursor": encode_cursor(values)}
    )
    assert response.status_code == 422
    assert "cursor (query)" in response.json()["detail"]


@pytest.mark.parametrize("day", ["2024-13-01", "99999-01-01", "soon"])
def test_an_employment_cursor_with_a_bad_date_is_a_422(world, day):
    response = api_client(world, "own_staff").get(
        f"{API}/people/{world.own_staff.pk}/employments", {"cursor": encode_cursor([day, 1])}
    )
    assert response.status_code == 422
