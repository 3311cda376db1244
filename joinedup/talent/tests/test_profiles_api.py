"""The caller's own talent profile at /api/v1/talent/profile, and the skills vocabulary."""

from __future__ import annotations

from joinedup.partnership.tests.api_helpers import (
    API,
    api_client,
    api_queries,
    organisation_client,
)
from joinedup.talent import access, profiles
from joinedup.talent.models import ProfileSkill, SkillStatus, SkillSynonym
from joinedup.talent.tests.factories import SkillFactory

PROFILE = f"{API}/talent/profile"
SKILLS = f"{PROFILE}/skills"


def test_my_profile_is_made_private_on_first_read(world):
    response = api_client(world, "own_staff").get(PROFILE)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["organisation"]["id"] == world.own.pk
    assert body["discoverable"] is False
    assert body["skills"] == []


def test_organisation_tokens_are_refused_because_they_are_not_a_person(world):
    client = organisation_client(world, "own_admin")
    assert client.get(PROFILE).status_code == 403
    response = client.patch(PROFILE, {"headline": "Hi"}, content_type="application/json")
    assert response.status_code == 403
    assert "not as a person" in response.json()["detail"]


def test_patch_changes_only_what_it_sends_with_skills(world):
    client = api_client(world, "own_staff")
    response = client.patch(
        PROFILE,
        {
            "headline": "Analyst",
            "skills": ["Data analysis", "Coaching"],
            "aspiration_kinds": ["rotation"],
            "hours_per_week": "7.5",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["skills"] == ["Coaching", "Data analysis"]
    assert body["hours_per_week"] == "7.5"
    response = client.patch(PROFILE, {"summary": "More"}, content_type="application/json")
    assert response.json()["headline"] == "Analyst"
    assert response.json()["skills"] == ["Coaching", "Data analysis"]


def test_bad_fields_are_named_and_nothing_is_saved(world):
    client = api_client(world, "own_staff")
    response = client.patch(
        PROFILE,
        {"aspiration_kinds": ["pirate"], "hours_per_week": 100},
        content_type="application/json",
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "aspiration_kinds" in detail and "hours_per_week" in detail
    response = client.patch(
        PROFILE,
        {"headline": "Saved?", "aspiration_seniority_min": 7, "aspiration_seniority_max": 3},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "aspiration_seniority_max (body)" in response.json()["detail"]
    assert client.get(PROFILE).json()["headline"] == ""
    response = client.patch(PROFILE, {"skills": ["a\x00b"]}, content_type="application/json")
    assert response.status_code == 422 and "skills" in response.json()["detail"]


def test_opting_out_through_the_api_hides_the_profile_and_its_skill_rows_at_once(world):
    client = api_client(world, "own_staff")
    client.patch(
        PROFILE, {"skills": ["Coaching"], "discoverable": True}, content_type="application/json"
    )
    profile = profiles.profile_for(world.own_staff)
    partner_lead = world.actor("partner_ld_lead")
    assert access.visible_profiles(partner_lead).filter(pk=profile.pk).exists()
    assert ProfileSkill.objects.get(profile=profile).discoverable is True

    response = client.patch(PROFILE, {"discoverable": False}, content_type="application/json")
    assert response.json()["discoverable"] is False
    assert not access.visible_profiles(partner_lead).filter(pk=profile.pk).exists()
    assert ProfileSkill.objects.get(profile=profile).discoverable is False


def test_the_vocabulary_lists_curated_skills_with_other_names_in_constant_queries(world):
    skill = SkillFactory(partnership=world.partnership, name="Management information")
    SkillSynonym.objects.create(partnership=world.partnership, skill=skill, name="MI", key="mi")
    SkillFactory(partnership=world.partnership, name="Typed once", status=SkillStatus.FREE)
    SkillFactory(partnership=world.other_partnership, name="Elsewhere")
    client = api_client(world, "partner_staff")
    response = client.get(SKILLS)
    assert response.status_code == 200
    assert response.json()["items"] == [
        {"id": skill.pk, "name": "Management information", "description": "", "synonyms": ["MI"]}
    ]
    few = api_queries(client, SKILLS)
    for n in range(10):
        more = SkillFactory(partnership=world.partnership, name=f"Skill {n}")
        SkillSynonym.objects.create(
            partnership=world.partnership, skill=more, name=f"S{n}", key=f"s{n}"
        )
    assert api_queries(client, SKILLS) == few


def test_past_roles_are_added_named_when_wrong_and_removed_only_by_their_owner(world):
    client = api_client(world, "own_staff")
    address = f"{PROFILE}/experiences"
    response = client.post(
        address, {"sector": "moon", "role": "", "years": 0}, content_type="application/json"
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "sector (body)" in detail and "role (body)" in detail and "years (body)" in detail
    response = client.post(
        address,
        {"sector": "private", "role": "Analyst", "years": "1.25"},
        content_type="application/json",
    )
    assert response.status_code == 422 and "years (body)" in response.json()["detail"]
    response = client.post(
        address,
        {"sector": "private", "role": "Analyst", "years": "2.5", "organisation_name": "Acme"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["years"] == "2.5"
    assert client.get(PROFILE).json()["experiences"] == [made]
    assert api_client(world, "own_admin").delete(f"{address}/{made['id']}").status_code == 404
    assert (
        organisation_client(world, "own_admin").delete(f"{address}/{made['id']}").status_code == 403
    )
    assert client.delete(f"{address}/{made['id']}").status_code == 204
    assert client.get(PROFILE).json()["experiences"] == []
