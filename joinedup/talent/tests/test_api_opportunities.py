"""The opportunity and application API: search pages, create with fields named, recommended,
candidates for hosts, the application journey, organisation tokens refused."""

from __future__ import annotations

import pytest

from joinedup.partnership.tests.api_helpers import (
    API,
    api_client,
    api_queries,
    ids,
    organisation_client,
)
from joinedup.talent.models import Profile
from joinedup.talent.tests.factories import add_skills
from joinedup.talent.tests.test_applications import hosted
from joinedup.talent.tests.test_opportunities import fields

pytestmark = pytest.mark.django_db

OPPORTUNITIES = f"{API}/talent/opportunities"
APPLICATIONS = f"{API}/talent/applications"


def body(**changes) -> dict:
    values = fields(**changes)
    for name in ("starts_on", "closes_on"):
        values[name] = values[name].isoformat()
    return values


def test_a_host_creates_an_opportunity_and_bad_fields_are_named(world):
    client = api_client(world, "partner_ld_lead")
    created = client.post(OPPORTUNITIES, body(), content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["essential_skills"] == ["Data analysis", "Stakeholder engagement"]
    bad = client.post(
        OPPORTUNITIES,
        body(location="", seniority_min=7, seniority_max=3),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert (
        "location (body)" in bad.json()["detail"] and "seniority_max (body)" in bad.json()["detail"]
    )
    staff = api_client(world, "partner_staff").post(
        OPPORTUNITIES, body(), content_type="application/json"
    )
    assert staff.status_code == 403


def test_search_pages_with_cursors_in_constant_queries(world):
    made = [hosted(world, title=f"Opportunity {n}") for n in range(5)]
    client = api_client(world, "own_staff")
    first = client.get(OPPORTUNITIES, {"limit": 2})
    assert ids(first) == [o.pk for o in made[:2]]
    second = client.get(OPPORTUNITIES, {"limit": 2, "cursor": first.json()["next"]})
    assert ids(second) == [o.pk for o in made[2:4]]
    assert ids(client.get(OPPORTUNITIES, {"q": "Opportunity 3"})) == [made[3].pk]
    few = api_queries(client, f"{OPPORTUNITIES}?limit=2")
    assert api_queries(client, f"{OPPORTUNITIES}?limit=5") == few
    assert client.get(OPPORTUNITIES, {"cursor": "nonsense"}).status_code == 422


def test_recommended_and_candidates_carry_reasons(world):
    opportunity = hosted(world)
    skill = opportunity.opportunity_skills.filter(essential=True).first().skill
    profile = Profile.objects.create(
        person=world.own_staff,
        partnership=world.partnership,
        organisation=world.own,
        sector=world.own.sector,
        seniority=5,
        discoverable=True,
    )
    add_skills(profile, skill)
    mine = api_client(world, "own_staff").get(f"{OPPORTUNITIES}/recommended")
    assert mine.json()[0]["opportunity"]["id"] == opportunity.pk
    assert mine.json()[0]["reasons"][0].startswith("has 1 of 2 essential skills")
    found = api_client(world, "partner_ld_lead").get(f"{OPPORTUNITIES}/{opportunity.pk}/candidates")
    assert [c["profile"] for c in found.json()] == [profile.pk]
    assert (
        api_client(world, "own_ld_lead")
        .get(f"{OPPORTUNITIES}/{opportunity.pk}/candidates")
        .status_code
        == 403
    )
    assert api_client(world, "outsider").get(f"{OPPORTUNITIES}/{opportunity.pk}").status_code == 404


def test_the_application_journey_through_the_api(world):
    opportunity = hosted(world)
    staff = api_client(world, "own_staff")
    host = api_client(world, "partner_ld_lead")
    empty = staff.post(
        APPLICATIONS,
        {"opportunity": opportunity.pk, "statement": ""},
        content_type="application/json",
    )
    assert empty.status_code == 422 and "statement (body)" in empty.json()["detail"]
    applied = staff.post(
        APPLICATIONS,
        {"opportunity": opportunity.pk, "statement": "Hello"},
        content_type="application/json",
    )
    assert applied.status_code == 201
    pk = applied.json()["id"]
    again = staff.post(
        APPLICATIONS,
        {"opportunity": opportunity.pk, "statement": "Hello"},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert staff.post(f"{APPLICATIONS}/{pk}/shortlist").status_code == 403
    assert host.post(f"{APPLICATIONS}/{pk}/accept").status_code == 403
    assert host.post(f"{APPLICATIONS}/{pk}/shortlist").json()["status"] == "shortlisted"
    noted = host.post(
        f"{APPLICATIONS}/{pk}/interview", {"notes": "Good"}, content_type="application/json"
    )
    assert noted.json()["interview_notes"] == "Good"
    assert staff.get(f"{APPLICATIONS}/{pk}").json()["interview_notes"] is None
    assert host.post(f"{APPLICATIONS}/{pk}/offer").json()["status"] == "offered"
    accepted = staff.post(f"{APPLICATIONS}/{pk}/accept")
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["next_steps"] == ["withdraw"]
    assert ids(host.get(f"{APPLICATIONS}/hosted", {"opportunity": opportunity.pk})) == [pk]
    assert ids(staff.get(APPLICATIONS)) == [pk]
    assert (
        host.post(
            f"{APPLICATIONS}/{pk}/decline", {"reason": "x"}, content_type="application/json"
        ).status_code
        == 409
    )


def test_organisation_tokens_are_refused(world):
    client = organisation_client(world, "own_admin")
    assert client.get(OPPORTUNITIES).status_code == 403
    assert client.get(APPLICATIONS).status_code == 403
