"""The talent profile pages and the skills vocabulary pages, through HTTP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from joinedup.partnership.models import AuditEvent
from joinedup.talent import profiles
from joinedup.talent.models import PriorExperience, Profile, Skill, SkillStatus, SkillSynonym
from joinedup.talent.tests.factories import SkillFactory


def _profile(world, persona="own_staff") -> Profile:
    return profiles.profile_for(world.person(persona))


def test_home_links_my_profile_and_the_vocabulary_only_for_curators(client_for):
    page = client_for("own_staff").get(reverse("talent:home")).content.decode()
    assert reverse("talent:my-profile") in page
    assert reverse("talent:skills") not in page
    page = client_for("own_ld_lead").get(reverse("talent:home")).content.decode()
    assert reverse("talent:skills") in page


def test_my_profile_says_who_sees_it_and_starts_private(world, client_for):
    response = client_for("own_staff").get(reverse("talent:my-profile"))
    assert response.status_code == 200
    assert b"Let partners find my profile" in response.content
    assert b"nobody outside the partnership" in response.content
    assert Profile.objects.get(person=world.own_staff).discoverable is False


def test_editing_the_profile_saves_skills_and_aspirations(world, client_for):
    client = client_for("own_staff")
    response = client.post(
        reverse("talent:my-profile-edit"),
        {
            "headline": "Social worker keen on data",
            "skills": "Safeguarding, Data analysis, safeguarding",
            "aspiration_kinds": ["shadowing", "project"],
            "aspiration_sectors": ["health"],
            "aspiration_seniority_min": "3",
            "aspiration_seniority_max": "5",
            "areas": "Barnet",
            "remote": "on",
            "hours_per_week": "7.5",
            "available_from_day": "1",
            "available_from_month": "4",
            "available_from_year": "2027",
        },
    )
    assert response.status_code == 302
    profile = _profile(world)
    assert profiles.skill_names(profile) == ["Data analysis", "Safeguarding"]
    assert profile.aspiration_kinds == ["shadowing", "project"]
    assert profile.remote is True
    assert profile.available_from == dt.date(2027, 4, 1)
    page = client.get(reverse("talent:my-profile")).content.decode()
    assert "Shadowing" in page and "Data analysis" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"hours_per_week": "lots"}, "hours_per_week", "Hours a week must be a number"),
        ({"hours_per_week": "99"}, "hours_per_week", "no more than 60"),
        ({"aspiration_kinds": ["pirate"]}, "aspiration_kinds", "Choose kinds of opportunity"),
        ({"aspiration_seniority_min": "12"}, "aspiration_seniority_min", "lowest seniority"),
        (
            {"aspiration_seniority_min": "7", "aspiration_seniority_max": "2"},
            "aspiration_seniority_max",
            "same as or above the lowest",
        ),
        ({"skills": "x" * 101}, "skills", "100 characters or fewer"),
        ({"skills": "a\x00b"}, "skills", "Null characters"),
        ({"headline": "h" * 201}, "headline", "200 characters or fewer"),
        (
            {
                "available_from_day": "31",
                "available_from_month": "2",
                "available_from_year": "2027",
            },
            "available_from",
            "real date",
        ),
    ],
)
def test_junk_in_the_profile_form_is_named_on_its_field(client_for, data, field, message):
    response = client_for("own_staff").post(reverse("talent:my-profile-edit"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in " ".join(response.context["form"].errors[field])
    assert b"There is a problem" in response.content


def test_opting_out_hides_the_profile_from_a_partner_ld_lead_at_once(world, client_for):
    owner = client_for("own_staff")
    profile = _profile(world)
    partner_lead = client_for("partner_ld_lead")
    address = reverse("talent:profile", args=[profile.pk])
    assert partner_lead.get(address).status_code == 404

    owner.post(reverse("talent:my-profile-discoverable"), {"discoverable": "yes"})
    assert partner_lead.get(address).status_code == 200
    assert client_for("outsider").get(address).status_code == 404

    owner.post(reverse("talent:my-profile-discoverable"), {"discoverable": "no"})
    assert partner_lead.get(address).status_code == 404
    assert client_for("partnership_lead").get(address).status_code == 404
    # Colleagues at the person's own organisation still see it.
    assert client_for("own_ld_lead").get(address).status_code == 200
    assert AuditEvent.objects.filter(action="talent_profile.hidden").exists()


def test_the_discoverable_page_asks_again_without_a_choice(client_for):
    response = client_for("own_staff").post(reverse("talent:my-profile-discoverable"), {})
    assert response.status_code == 200
    assert "Choose whether partners may find your profile" in response.content.decode()


def test_experience_is_added_named_when_wrong_and_removed_only_by_its_owner(world, client_for):
    client = client_for("own_staff")
    response = client.post(
        reverse("talent:experience-add"), {"sector": "moon", "role": "", "years": "x"}
    )
    assert set(response.context["form"].errors) == {"sector", "role"}
    response = client.post(
        reverse("talent:experience-add"), {"sector": "private", "role": "Analyst", "years": "x"}
    )
    assert "years" in response.context["form"].errors
    response = client.post(
        reverse("talent:experience-add"), {"sector": "private", "role": "Analyst", "years": "2.5"}
    )
    assert response.status_code == 302
    experience = PriorExperience.objects.get()
    remove = reverse("talent:experience-remove", args=[experience.pk])
    assert client_for("own_admin").post(remove).status_code == 404
    assert client.post(remove).status_code == 302
    assert not PriorExperience.objects.exists()


def test_a_colleague_sees_a_private_profile_and_the_outsider_does_not(world, client_for):
    profile = _profile(world)
    address = reverse("talent:profile", args=[profile.pk])
    assert client_for("own_line_manager").get(address).status_code == 200
    assert client_for("partner_staff").get(address).status_code == 404
    assert client_for("outsider").get(address).status_code == 404


# --- The vocabulary ------------------------------------------------------------------------------


def test_the_vocabulary_is_for_curators(client_for):
    assert client_for("own_staff").get(reverse("talent:skills")).status_code == 403
    assert client_for("own_admin").get(reverse("talent:skills")).status_code == 403
    for persona in ("own_ld_lead", "partner_ld_lead", "partnership_lead"):
        assert client_for(persona).get(reverse("talent:skills")).status_code == 200


def test_the_vocabulary_lists_skills_with_synonyms_usage_and_free_entries(world, client_for):
    owner = world.actor("own_staff")
    profiles.set_skills(owner, _profile(world), ["Data analysis", "Knitting"])
    lead = client_for("own_ld_lead")
    response = lead.post(reverse("talent:skills"), {"name": "Data analysis"})
    assert response.status_code == 200
    assert "free entry" in " ".join(response.context["form"].errors["name"])
    lead.post(reverse("talent:skills"), {"name": "Budgeting"})
    budgeting = Skill.objects.get(key="budgeting")
    lead.post(reverse("talent:synonym-add", args=[budgeting.pk]), {"synonym": "Budgets"})
    response = lead.get(reverse("talent:skills"))
    curated = {skill.name: skill for skill in response.context["curated"]}
    free = {skill.name: skill.held for skill in response.context["free"]}
    assert list(curated) == ["Budgeting"]
    assert [s.name for s in curated["Budgeting"].synonyms.all()] == ["Budgets"]
    assert free == {"Data analysis": 1, "Knitting": 1}
    assert "Budgets" in response.content.decode()


def test_the_vocabulary_page_asks_the_same_queries_however_many_skills(world, client_for):
    lead = client_for("own_ld_lead")
    SkillFactory(partnership=world.partnership, name="First")
    lead.get(reverse("talent:skills"))
    with CaptureQueriesContext(connection) as few:
        lead.get(reverse("talent:skills"))
    for n in range(30):
        skill = SkillFactory(partnership=world.partnership, name=f"Skill {n:02}")
        SkillSynonym.objects.create(
            partnership=world.partnership, skill=skill, name=f"S{n}", key=f"s{n}"
        )
        SkillFactory(partnership=world.partnership, name=f"Free {n}", status=SkillStatus.FREE)
    with CaptureQueriesContext(connection) as many:
        lead.get(reverse("talent:skills"))
    assert len(many) == len(few)


def test_a_lead_merges_a_free_entry_by_typing_a_curated_name(world, client_for):
    profiles.set_skills(world.actor("own_staff"), _profile(world), ["number crunching"])
    free = Skill.objects.get(key="number crunching")
    lead = client_for("partner_ld_lead")
    lead.post(reverse("talent:skills"), {"name": "Data analysis"})
    response = lead.post(reverse("talent:skill-merge", args=[free.pk]), {"into": "No such"})
    assert "No skill in the vocabulary is called No such" in response.content.decode()
    response = lead.post(reverse("talent:skill-merge", args=[free.pk]), {"into": "data analysis"})
    assert response.status_code == 302
    assert profiles.skill_names(_profile(world)) == ["Data analysis"]
    assert SkillSynonym.objects.filter(key="number crunching").exists()


def test_a_synonym_already_taken_is_named_on_the_field(world, client_for):
    lead = client_for("own_ld_lead")
    lead.post(reverse("talent:skills"), {"name": "Budgeting"})
    lead.post(reverse("talent:skills"), {"name": "Coaching"})
    coaching = Skill.objects.get(key="coaching")
    response = lead.post(
        reverse("talent:synonym-add", args=[coaching.pk]), {"synonym": "budgeting"}
    )
    assert response.status_code == 200
    assert "already a skill" in " ".join(response.context["synonym_form"].errors["synonym"])


def test_promote_and_remove_a_synonym(world, client_for):
    lead = client_for("partnership_lead")
    free = SkillFactory(partnership=world.partnership, name="Kayaking", status=SkillStatus.FREE)
    assert lead.post(reverse("talent:skill-promote", args=[free.pk])).status_code == 302
    free.refresh_from_db()
    assert free.status == SkillStatus.CURATED
    synonym = SkillSynonym.objects.create(
        partnership=world.partnership, skill=free, name="Canoeing", key="canoeing"
    )
    remove = reverse("talent:synonym-remove", args=[synonym.pk])
    assert client_for("own_staff").post(remove).status_code == 403
    assert lead.post(remove).status_code == 302
    assert not SkillSynonym.objects.exists()
