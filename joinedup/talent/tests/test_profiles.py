"""Talent profile services: the profile and its copy of the main job, checked fields, skills,
discoverability (with the skill rows the ranking reads), prior experience, and the vocabulary."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from joinedup.partnership.models import AuditEvent, Sector
from joinedup.partnership.tests.factories import EmploymentFactory
from joinedup.talent import access, profiles
from joinedup.talent.models import (
    MentoringSignup,
    OpportunitySkill,
    ProfileSkill,
    Skill,
    SkillStatus,
    SkillSynonym,
)
from joinedup.talent.tests.factories import OpportunityFactory, SkillFactory, want_skills


@pytest.fixture
def sam(world):
    """Own staff's profile and their actor."""
    return profiles.profile_for(world.own_staff), world.actor("own_staff")


def test_profile_is_made_private_in_the_partnership_of_the_main_job(world):
    profile = profiles.profile_for(world.own_staff)
    assert profile.partnership == world.partnership
    assert profile.organisation == world.own
    assert profile.sector == Sector.LOCAL_GOVERNMENT
    assert profile.discoverable is False
    assert profiles.profile_for(world.own_staff).pk == profile.pk


def test_sync_copies_the_latest_current_job(world, sam):
    profile, _ = sam
    EmploymentFactory(
        person=world.own_staff,
        organisation=world.partner,
        seniority=6,
        start_date=dt.date.today() - dt.timedelta(days=3),
    )
    assert profiles.sync_employment(profile) is True
    profile.refresh_from_db()
    assert (profile.organisation, profile.sector, profile.seniority) == (
        world.partner,
        Sector.HEALTH,
        6,
    )
    assert profiles.sync_employment(profile) is False


def test_moving_to_another_partnership_carries_skills_and_withdraws_discoverability(world, sam):
    profile, actor = sam
    profiles.set_skills(actor, profile, ["Coaching"])
    profiles.set_discoverable(actor, profile, True)
    world.employments["own_staff"].end_date = dt.date.today() - dt.timedelta(days=1)
    world.employments["own_staff"].save()
    EmploymentFactory(person=world.own_staff, organisation=world.outsider_org)
    profiles.sync_employment(profile)
    profile.refresh_from_db()
    assert profile.partnership == world.other_partnership
    assert profile.discoverable is False
    row = ProfileSkill.objects.get(profile=profile)
    assert (row.partnership, row.discoverable) == (world.other_partnership, False)
    assert row.skill.partnership == world.other_partnership and row.skill.name == "Coaching"


def test_update_names_every_bad_field(sam):
    profile, actor = sam
    with pytest.raises(ValidationError) as refused:
        profiles.update_profile(
            actor,
            profile,
            headline="x" * 201,
            aspiration_kinds=["pirate"],
            aspiration_sectors="health",
            aspiration_seniority_min="ten",
            aspiration_seniority_max=0,
            hours_per_week="lots",
            available_from="31/02/2027",
            remote="maybe",
            skills=["ok", "bad\x00name"],
        )
    assert set(refused.value.message_dict) == {
        "headline",
        "aspiration_kinds",
        "aspiration_sectors",
        "aspiration_seniority_min",
        "aspiration_seniority_max",
        "hours_per_week",
        "available_from",
        "remote",
        "skills",
    }


def test_seniority_range_must_not_be_upside_down(sam):
    profile, actor = sam
    with pytest.raises(ValidationError) as refused:
        profiles.update_profile(
            actor, profile, aspiration_seniority_min=6, aspiration_seniority_max=4
        )
    assert "aspiration_seniority_max" in refused.value.message_dict


def test_update_saves_and_audits_without_free_text(sam):
    profile, actor = sam
    changed = profiles.update_profile(
        actor,
        profile,
        headline="Data analyst who likes people",
        aspiration_kinds=["rotation", "secondment_part"],
        aspiration_sectors=["health"],
        aspiration_seniority_min="4",
        aspiration_seniority_max="6",
        hours_per_week="7.5",
        remote=True,
        skills="Data analysis, MI , data analysis",
    )
    profile.refresh_from_db()
    assert profile.aspiration_kinds == ["secondment_part", "rotation"]
    assert profile.hours_per_week == Decimal("7.5")
    assert profiles.skill_names(profile) == ["Data analysis", "MI"]
    assert "skills" in changed
    event = AuditEvent.objects.get(action="talent_profile.updated")
    assert event.changes["headline"] == "changed"
    assert profiles.update_profile(actor, profile, headline="Data analyst who likes people") == {}


def test_nobody_else_changes_a_profile(world, sam):
    profile, _ = sam
    for persona in ("own_admin", "own_line_manager", "own_ld_lead"):
        with pytest.raises(PermissionDenied):
            profiles.update_profile(world.actor(persona), profile, headline="Hi")
        with pytest.raises(PermissionDenied):
            profiles.set_discoverable(world.actor(persona), profile, True)


def test_skills_resolve_synonyms_and_make_free_entries(world, sam):
    profile, actor = sam
    curated = SkillFactory(partnership=world.partnership, name="Management information")
    SkillSynonym.objects.create(partnership=world.partnership, skill=curated, name="MI", key="mi")
    profiles.set_skills(actor, profile, ["mi", "Juggling"])
    assert profiles.skill_names(profile) == ["Juggling", "Management information"]
    assert Skill.objects.get(key="juggling").status == SkillStatus.FREE


def test_opting_out_changes_the_profile_and_every_skill_row_at_once(world, sam):
    profile, actor = sam
    profiles.set_skills(actor, profile, ["Coaching", "Budgets"])
    assert profiles.set_discoverable(actor, profile, True) is True
    assert set(ProfileSkill.objects.values_list("discoverable", flat=True)) == {True}
    assert profile.discoverable_since is not None
    partner_lead = world.actor("partner_ld_lead")
    assert access.visible_profiles(partner_lead).filter(pk=profile.pk).exists()

    assert profiles.set_discoverable(actor, profile, False) is True
    assert set(ProfileSkill.objects.values_list("discoverable", flat=True)) == {False}
    assert not access.visible_profiles(partner_lead).filter(pk=profile.pk).exists()
    with pytest.raises(Http404):
        access.get_profile_for(partner_lead, profile.pk)
    assert AuditEvent.objects.filter(action="talent_profile.hidden").count() == 1


def test_new_skills_copy_discoverability(world, sam):
    profile, actor = sam
    profiles.set_discoverable(actor, profile, True)
    profiles.set_skills(actor, profile, ["Coaching"])
    row = ProfileSkill.objects.get(profile=profile)
    assert (row.discoverable, row.partnership) == (True, world.partnership)


def test_the_system_may_withdraw_but_not_grant_discoverability(sam):
    profile, actor = sam
    profiles.set_discoverable(actor, profile, True)
    assert profiles.set_discoverable(None, profile, False) is True
    with pytest.raises(PermissionDenied):
        profiles.set_discoverable(None, profile, True)


def test_outsiders_never_see_a_discoverable_profile(world, sam):
    profile, actor = sam
    profiles.set_discoverable(actor, profile, True)
    assert not access.visible_profiles(world.actor("outsider")).filter(pk=profile.pk).exists()


def test_prior_experience_is_checked_added_and_removed(sam):
    profile, actor = sam
    with pytest.raises(ValidationError) as refused:
        profiles.add_experience(actor, profile, sector="space", role="", years="-1")
    assert set(refused.value.message_dict) == {"sector", "role", "years"}
    experience = profiles.add_experience(
        actor, profile, sector="private", role="Analyst", years="3.5", organisation_name="Acme"
    )
    assert experience.years == Decimal("3.5")
    with pytest.raises(ValidationError) as refused:
        profiles.add_experience(actor, profile, sector="private", role="Analyst", years="1.25")
    assert "1 decimal place" in str(refused.value)
    assert profiles.add_experience(
        actor, profile, sector="voluntary", role="Volunteer", years="2.50"
    ).years == Decimal("2.5")
    profile.experiences.filter(sector="voluntary").delete()
    profiles.remove_experience(actor, experience)
    assert not profile.experiences.exists()


# --- The vocabulary ------------------------------------------------------------------------------


def test_ld_leads_and_the_partnership_lead_curate_only_their_partnership(world):
    for persona in ("own_ld_lead", "partner_ld_lead", "partnership_lead"):
        assert access.may_curate_skills(world.actor(persona), world.partnership)
    for persona in ("own_staff", "own_admin", "partner_admin", "outsider"):
        assert not access.may_curate_skills(world.actor(persona), world.partnership)
    assert not access.may_curate_skills(world.actor("own_ld_lead"), world.other_partnership)


def test_a_synonym_must_not_be_a_skill_or_synonym_already(world):
    lead = world.actor("own_ld_lead")
    skill = profiles.add_skill(lead, world.partnership, "Management information")
    profiles.add_synonym(lead, skill, "MI")
    other = profiles.add_skill(lead, world.partnership, "Budgeting")
    with pytest.raises(ValidationError) as refused:
        profiles.add_synonym(lead, other, " mi ")
    assert "already another name for Management information" in str(refused.value)
    with pytest.raises(ValidationError):
        profiles.add_synonym(lead, other, "management  information")
    with pytest.raises(ValidationError):
        profiles.add_skill(lead, world.partnership, "MI")
    with pytest.raises(PermissionDenied):
        profiles.add_synonym(world.actor("own_staff"), other, "Budgets")


def test_rename_refuses_a_taken_name_but_takes_its_own_synonym(world):
    lead = world.actor("partner_ld_lead")
    skill = profiles.add_skill(lead, world.partnership, "Management information")
    profiles.add_synonym(lead, skill, "MI")
    profiles.add_skill(lead, world.partnership, "Budgeting")
    with pytest.raises(ValidationError):
        profiles.rename_skill(lead, skill, "budgeting")
    profiles.rename_skill(lead, skill, "MI")
    assert skill.name == "MI" and not skill.synonyms.exists()


def test_merging_a_free_entry_moves_holders_and_keeps_its_name_as_a_synonym(world):
    lead = world.actor("own_ld_lead")
    curated = profiles.add_skill(lead, world.partnership, "Data analysis")
    first, first_actor = profiles.profile_for(world.own_staff), world.actor("own_staff")
    second = profiles.profile_for(world.partner_staff)
    profiles.set_skills(first_actor, first, ["Data crunching", "Data analysis"])
    profiles.set_skills(world.actor("partner_staff"), second, ["data crunching"])
    free = Skill.objects.get(key="data crunching")
    opportunity = OpportunityFactory(partnership=world.partnership, host=world.own)
    want_skills(opportunity, free, essential=True)
    want_skills(opportunity, curated, essential=False)
    signup = MentoringSignup.objects.create(
        partnership=world.partnership, person=world.own_staff, organisation=world.own, role="mentor"
    )
    signup.skills.add(free)

    profiles.merge_skill(lead, free, curated)

    assert not Skill.objects.filter(pk=free.pk).exists()
    assert profiles.skill_names(first) == ["Data analysis"]
    assert profiles.skill_names(second) == ["Data analysis"]
    row = OpportunitySkill.objects.get(opportunity=opportunity)
    assert (row.skill, row.essential) == (curated, True)
    assert list(signup.skills.all()) == [curated]
    assert SkillSynonym.objects.get(key="data crunching").skill == curated
    # Typing the old name now finds the curated skill.
    profiles.set_skills(first_actor, first, ["DATA CRUNCHING"])
    assert profiles.skill_names(first) == ["Data analysis"]
    assert AuditEvent.objects.filter(action="skill.merged").count() == 1


def test_only_free_entries_merge_and_promote(world):
    lead = world.actor("own_ld_lead")
    curated = profiles.add_skill(lead, world.partnership, "Data analysis")
    other = profiles.add_skill(lead, world.partnership, "Coaching")
    with pytest.raises(ValidationError):
        profiles.merge_skill(lead, other, curated)
    with pytest.raises(ValidationError):
        profiles.promote_skill(lead, curated)
    free = SkillFactory(partnership=world.partnership, name="Kayaking", status=SkillStatus.FREE)
    profiles.promote_skill(lead, free)
    free.refresh_from_db()
    assert free.status == SkillStatus.CURATED


def test_a_skill_of_another_partnership_is_not_found(world):
    elsewhere = SkillFactory(partnership=world.other_partnership, name="Elsewhere")
    with pytest.raises(Http404):
        access.get_curated_skill_for(world.actor("own_ld_lead"), elsewhere.pk)
    mine = SkillFactory(partnership=world.partnership, name="Here")
    with pytest.raises(PermissionDenied):
        access.get_curated_skill_for(world.actor("own_staff"), mine.pk)


def test_a_name_taken_between_the_check_and_the_save_is_refused_in_words(world, monkeypatch):
    """Two curators saving one name at once: the database's unique key decides, and the second
    is told on the name field, not given a 500."""
    lead = world.actor("own_ld_lead")
    data = profiles.add_skill(lead, world.partnership, "Data analysis")
    coaching = profiles.add_skill(lead, world.partnership, "Coaching")
    profiles.add_synonym(lead, data, "MI")
    monkeypatch.setattr(profiles, "_key_taken", lambda *args, **kwargs: "")

    for attempt in (
        lambda: profiles.add_skill(lead, world.partnership, "data  analysis"),
        lambda: profiles.add_synonym(lead, coaching, "mi"),
        lambda: profiles.rename_skill(lead, coaching, "Data Analysis"),
    ):
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert refused.value.message_dict["name"] == [profiles.NAME_JUST_TAKEN]
    coaching.refresh_from_db()
    assert coaching.name == "Coaching"
    assert data.name == "Data analysis"
