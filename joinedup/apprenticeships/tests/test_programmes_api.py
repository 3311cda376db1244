"""The programmes API at /api/v1/apprenticeships/programmes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from joinedup.apprenticeships.models import Cohort, Programme
from joinedup.apprenticeships.tests.factories import EnrolmentFactory, ProgrammeFactory
from joinedup.apprenticeships.tests.test_programmes import (
    MODULE_STARTS,
    dates_for,
    senior_leader_programme,
)
from joinedup.partnership.services import create_organisation_token, create_personal_token

pytestmark = pytest.mark.django_db

URL = "/api/v1/apprenticeships/programmes"


def api(world, persona: str) -> Client:
    _, raw = create_personal_token(actor=world.actor(persona), name="Test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def org_api(world) -> Client:
    _, raw = create_organisation_token(
        actor=world.actor("partner_admin"), organisation=world.partner, name="Test"
    )
    return Client(headers={"Authorization": f"Bearer {raw}"})


def cohort_body(programme) -> dict:
    dates = dates_for(programme)
    return {
        "name": "September 2026",
        "starts_on": "2026-09-01",
        "ends_on": "2028-08-31",
        "modules": [
            {"module": pk, "starts_on": day.isoformat()}
            for pk, day in dates["module_starts"].items()
        ],
        "deadlines": [
            {"assignment": pk, "due_on": day.isoformat()} for pk, day in dates["deadlines"].items()
        ],
    }


def test_list_shows_the_partnerships_programmes_with_the_next_cohort(world):
    programme = senior_leader_programme(world)
    ProgrammeFactory(partnership=world.other_partnership, title="Elsewhere")
    response = api(world, "own_staff").get(URL)
    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["title"] for item in items] == ["Senior Leader MBA"]
    assert items[0]["provider"]["name"] == world.partner.name
    assert items[0]["standard"]["reference_code"] == "ST0480"
    assert items[0]["standard"]["level"] == 7
    assert items[0]["next_cohort"] is None
    assert programme.pk == items[0]["id"]


def test_list_reads_a_fixed_number_of_queries(world):
    client = api(world, "own_staff")
    senior_leader_programme(world)
    client.get(URL)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    for _ in range(3):
        senior_leader_programme(world)
    with CaptureQueriesContext(connection) as four:
        assert len(client.get(URL).json()["items"]) == 4
    assert len(four) == len(one)


def test_detail_has_modules_assignments_weightings_and_staff(world):
    programme = senior_leader_programme(world)
    body = api(world, "own_ld_lead").get(f"{URL}/{programme.pk}").json()
    assert [m["term"] for m in body["modules"]] == [
        "autumn",
        "spring",
        "summer",
        "autumn",
        "spring",
        "summer",
    ]
    assert body["modules"][0]["assignments"][0]["weighting"] == 100
    assert body["modules"][0]["weighting_warning"] is None
    assert body["may_manage"] is False


def test_outsider_gets_404(world):
    programme = senior_leader_programme(world)
    assert api(world, "outsider").get(f"{URL}/{programme.pk}").status_code == 404


def test_leader_sets_up_a_programme_adds_a_module_and_a_cohort(world):
    client = api(world, "programme_leader")
    response = client.post(
        URL,
        {"standard": "ST0480", "title": "Senior Leader", "summary": "Two years"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert Programme.objects.get(pk=pk).provider == world.partner
    response = client.post(
        f"{URL}/{pk}/modules",
        {"title": "Leading strategically", "online_weeks": 6, "campus_days": 2, "term": "autumn"},
        content_type="application/json",
    )
    assert response.status_code == 201
    module = response.json()["modules"][0]
    assert module["order"] == 1
    assert module["weighting_warning"].startswith("Leading strategically has no assignments")
    response = client.post(
        f"{URL}/{pk}/cohorts",
        {
            "name": "September 2026",
            "starts_on": "2026-09-01",
            "ends_on": "2028-08-31",
            "modules": [{"module": module["id"], "starts_on": "2026-09-14"}],
            "deadlines": [],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    cohort = response.json()
    assert cohort["modules"][0]["starts_on"] == "2026-09-14"
    assert cohort["enrolments_by_employer"] == []
    listed = client.get(f"{URL}/{pk}/cohorts").json()["items"]
    assert [c["id"] for c in listed] == [cohort["id"]]


def test_bad_values_are_a_422_naming_the_field(world):
    client = api(world, "programme_leader")
    response = client.post(
        URL, {"standard": "ST9999", "title": "X"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("standard (body): No standard has the code")
    programme = senior_leader_programme(world)
    response = client.post(
        f"{URL}/{programme.pk}/modules",
        {"title": "M", "online_weeks": 6, "campus_days": 2, "term": "winter"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "term (body): Choose the term" in response.json()["detail"]
    body = cohort_body(programme)
    body["modules"][0]["starts_on"] = "2029-01-01"
    response = client.post(f"{URL}/{programme.pk}/cohorts", body, content_type="application/json")
    assert response.status_code == 422
    assert "Module 1 (Leading strategically) must start between" in response.json()["detail"]


def test_only_programme_leaders_write(world):
    programme = senior_leader_programme(world)
    module = {"title": "M", "online_weeks": 6, "campus_days": 2, "term": "autumn"}
    response = api(world, "partner_ld_lead").post(
        URL, {"standard": "ST0480", "title": "X"}, content_type="application/json"
    )
    assert response.status_code == 403
    response = api(world, "partner_ld_lead").post(
        f"{URL}/{programme.pk}/modules", module, content_type="application/json"
    )
    assert response.status_code == 403
    response = org_api(world).post(
        f"{URL}/{programme.pk}/modules", module, content_type="application/json"
    )
    assert response.status_code == 403
    response = api(world, "outsider").post(
        f"{URL}/{programme.pk}/modules", module, content_type="application/json"
    )
    assert response.status_code == 404


def test_cohort_counts_by_employer_for_the_providers_leaders_only(world):
    programme = senior_leader_programme(world)
    client = api(world, "programme_leader")
    cohort = client.post(
        f"{URL}/{programme.pk}/cohorts", cohort_body(programme), content_type="application/json"
    ).json()
    on = Cohort.objects.get(pk=cohort["id"])
    EnrolmentFactory(cohort=on, employment=world.employments["apprentice"])
    EnrolmentFactory(cohort=on, employment=world.employments["own_staff"])
    body = client.get(f"{URL}/cohorts/{on.pk}").json()
    assert body["enrolments_by_employer"] == [
        {"employer": {"id": world.own.pk, "name": world.own.name}, "apprentices": 2}
    ]
    assert [row["starts_on"] for row in body["modules"]] == [
        day.isoformat() for day in MODULE_STARTS
    ]
    other = api(world, "own_ld_lead").get(f"{URL}/cohorts/{on.pk}").json()
    assert other["enrolments_by_employer"] is None
    assert world.apprentice.full_name not in str(other)
    assert dt.date.fromisoformat(other["ends_on"]) == dt.date(2028, 8, 31)
