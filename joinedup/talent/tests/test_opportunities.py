"""Opportunity services (who writes, fields named in errors, audit) and the two rankings:
recommended for a person, and people who might fit for the host."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from joinedup.partnership.actor import Actor
from joinedup.partnership.models import AuditEvent, Sector
from joinedup.talent import opportunities, recommendations
from joinedup.talent.models import (
    Audience,
    OpportunityKind,
    OpportunityStatus,
    Profile,
    ProfileSkill,
    SkillSynonym,
)
from joinedup.talent.tests.factories import SkillFactory, add_skills

pytestmark = pytest.mark.django_db


def fields(**changes) -> dict:
    today = timezone.localdate()
    return {
        "kind": OpportunityKind.SECONDMENT_PART,
        "title": "Discharge planning project",
        "description": "Help us redesign hospital discharge with social care.",
        "starts_on": today + dt.timedelta(days=60),
        "duration_months": 6,
        "closes_on": today + dt.timedelta(days=30),
        "seniority_min": 4,
        "seniority_max": 6,
        "time_share": 40,
        "location": "Northwick Park",
        "essential_skills": ["Data analysis", "Stakeholder engagement"],
        "desirable_skills": ["Lean"],
        **changes,
    }


def hosted(world, **changes):
    """An opportunity of the partner (an NHS trust) made by its L&D lead."""
    return opportunities.create_opportunity(
        actor=world.actor("partner_ld_lead"), **fields(**changes)
    )


def profile_of(world, persona: str, skills=(), *, discoverable=True, seniority=5) -> Profile:
    employment = world.employments[persona]
    profile = Profile.objects.create(
        person=employment.person,
        partnership=world.partnership,
        organisation=employment.organisation,
        sector=employment.organisation.sector,
        seniority=seniority,
        discoverable=discoverable,
    )
    add_skills(profile, *skills)
    return profile


def test_an_ld_lead_creates_an_open_opportunity_with_its_skills_and_an_audit_entry(world):
    opportunity = hosted(world)
    assert opportunity.status == OpportunityStatus.OPEN
    assert opportunity.host == world.partner
    assert opportunity.partnership == world.partnership
    lists = opportunities.current_lists(opportunity)
    assert lists["essential_skills"] == ["Data analysis", "Stakeholder engagement"]
    assert lists["desirable_skills"] == ["Lean"]
    assert (
        AuditEvent.objects.filter(action="opportunity.created", object_id=opportunity.pk).count()
        == 1
    )


def test_a_synonym_typed_as_a_skill_lands_on_the_canonical_skill(world):
    skill = SkillFactory(partnership=world.partnership, name="Management information")
    SkillSynonym.objects.create(partnership=world.partnership, skill=skill, name="MI", key="mi")
    opportunity = hosted(world, essential_skills=["mi"], desirable_skills=[])
    assert list(opportunity.opportunity_skills.values_list("skill", flat=True)) == [skill.pk]


def test_staff_who_are_not_leads_or_admins_may_not_create_opportunities(world):
    with pytest.raises(PermissionDenied):
        opportunities.create_opportunity(actor=world.actor("partner_staff"), **fields())


def test_an_admin_may_create_opportunities(world):
    opportunity = opportunities.create_opportunity(actor=world.actor("own_admin"), **fields())
    assert opportunity.host == world.own


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": " "}, "title"),
        ({"kind": "holiday"}, "kind"),
        ({"seniority_min": 7, "seniority_max": 3}, "seniority_max"),
        ({"seniority_min": "ten"}, "seniority_min"),
        ({"time_share": 0}, "time_share"),
        ({"duration_months": 0}, "duration_months"),
        ({"closes_on": dt.date(2020, 1, 1)}, "closes_on"),
        ({"starts_on": "not a date"}, "starts_on"),
        ({"location": "", "remote": False}, "location"),
        ({"audience": Audience.SECTORS, "audience_sectors": []}, "audience_sectors"),
        ({"audience": Audience.SECTORS, "audience_sectors": ["space"]}, "audience_sectors"),
        ({"essential_skills": ["x" * 101]}, "essential_skills"),
        ({"description": "nul\x00"}, "description"),
    ],
)
def test_bad_fields_are_refused_naming_the_field(world, changes, field):
    with pytest.raises(ValidationError) as caught:
        hosted(world, **changes)
    assert field in caught.value.message_dict


def test_audience_organisations_must_be_partnership_members(world):
    with pytest.raises(ValidationError) as caught:
        hosted(
            world, audience=Audience.ORGANISATIONS, audience_organisations=[world.outsider_org.pk]
        )
    assert "audience_organisations" in caught.value.message_dict
    opportunity = hosted(
        world, audience=Audience.ORGANISATIONS, audience_organisations=[world.own.pk]
    )
    assert list(opportunity.audience_organisations.all()) == [world.own]


def test_only_the_host_changes_closes_and_withdraws(world):
    opportunity = hosted(world)
    with pytest.raises(PermissionDenied):
        opportunities.update_opportunity(
            actor=world.actor("own_ld_lead"), opportunity=opportunity, title="Mine"
        )
    lead = world.actor("partner_ld_lead")
    changed = opportunities.update_opportunity(
        actor=lead, opportunity=opportunity, title="Discharge redesign", desirable_skills=[]
    )
    assert set(changed) == {"title", "desirable_skills"}
    opportunities.close_opportunity(actor=lead, opportunity=opportunity)
    assert opportunity.status == OpportunityStatus.CLOSED
    with pytest.raises(ValidationError):
        opportunities.close_opportunity(actor=lead, opportunity=opportunity)
    opportunities.withdraw_opportunity(actor=lead, opportunity=opportunity)
    assert opportunity.status == OpportunityStatus.WITHDRAWN
    assert (
        AuditEvent.objects.filter(object_id=opportunity.pk, object_kind="opportunity").count() == 4
    )


def test_people_who_might_fit_ranks_with_reasons_and_leaves_out_the_hosts_staff(world):
    opportunity = hosted(world)
    data, engagement, lean = (
        row.skill for row in opportunity.opportunity_skills.order_by("skill__name")
    )
    everything = profile_of(world, "own_staff", [data, engagement, lean])
    half = profile_of(world, "own_admin", [data])
    profile_of(world, "partner_staff", [data, engagement, lean])  # the host's own staff
    fits = recommendations.people_who_might_fit(world.actor("partner_ld_lead"), opportunity)
    assert [fit.profile for fit in fits] == [everything, half]
    assert fits[0].scored.reasons[0] == "has 2 of 2 essential skills"
    assert any("would gain health-sector experience" in r for r in fits[0].scored.reasons)


def test_an_opted_out_profile_never_appears_in_people_who_might_fit(world):
    opportunity = hosted(world)
    data = opportunity.opportunity_skills.first().skill
    profile = profile_of(world, "own_staff", [data])
    lead = world.actor("partner_ld_lead")
    assert [fit.profile for fit in recommendations.people_who_might_fit(lead, opportunity)] == [
        profile
    ]
    # Opting out clears the profile's flag; even were the copy on its skills left behind, the
    # profile row decides.
    Profile.objects.filter(pk=profile.pk).update(discoverable=False)
    assert (
        recommendations.people_who_might_fit(Actor(lead.person, lead.organisation), opportunity)
        == []
    )
    ProfileSkill.objects.filter(profile=profile).update(discoverable=False)
    assert (
        recommendations.people_who_might_fit(Actor(lead.person, lead.organisation), opportunity)
        == []
    )


def test_people_who_might_fit_is_for_the_host_only(world):
    opportunity = hosted(world)
    with pytest.raises(PermissionDenied):
        recommendations.people_who_might_fit(world.actor("own_ld_lead"), opportunity)


def test_outsiders_profiles_never_fit_a_partnership_opportunity(world):
    opportunity = hosted(world)
    data = opportunity.opportunity_skills.first().skill
    outsider = world.employments["outsider"]
    profile = Profile.objects.create(
        person=outsider.person, partnership=world.other_partnership, discoverable=True
    )
    add_skills(profile, data)
    assert recommendations.people_who_might_fit(world.actor("partner_ld_lead"), opportunity) == []


def test_recommended_for_ranks_open_eligible_opportunities_with_reasons(world):
    fitting = hosted(world, title="Fits")
    hosted(
        world,
        title="Other sector only",
        audience=Audience.SECTORS,
        audience_sectors=[Sector.HEALTH],
    )
    hosted(world, title="Too senior", seniority_min=8, seniority_max=9)
    closed = hosted(world, title="Closed")
    opportunities.close_opportunity(actor=world.actor("partner_ld_lead"), opportunity=closed)
    opportunities.create_opportunity(actor=world.actor("own_ld_lead"), **fields(title="Own"))
    skills = [row.skill for row in fitting.opportunity_skills.all()]
    profile_of(world, "own_staff", skills, discoverable=False, seniority=5)
    found = recommendations.recommended_for(world.actor("own_staff"))
    assert [r.opportunity.title for r in found] == ["Fits"]
    assert "would gain health-sector experience" in " ".join(found[0].scored.reasons)


def test_recommended_for_works_without_a_profile(world):
    hosted(world)
    found = recommendations.recommended_for(world.actor("own_line_manager"))
    assert len(found) == 1
    assert found[0].scored.reasons[0].startswith("has 0 of 2 essential skills (missing Data")


def test_search_filters_by_kind_host_sector_text_and_remote(world):
    hosted(world, title="Discharge data", remote=True)
    opportunities.create_opportunity(
        actor=world.actor("own_ld_lead"),
        **fields(title="Housing shadowing", kind=OpportunityKind.SHADOWING),
    )
    actor = world.actor("own_staff")
    titles = lambda **f: sorted(o.title for o in recommendations.search_opportunities(actor, **f))  # noqa: E731
    assert titles() == ["Discharge data", "Housing shadowing"]
    assert titles(kind=OpportunityKind.SHADOWING) == ["Housing shadowing"]
    assert titles(host=world.partner.pk) == ["Discharge data"]
    assert titles(sector=Sector.HEALTH) == ["Discharge data"]
    assert titles(text="housing") == ["Housing shadowing"]
    assert titles(remote=True) == ["Discharge data"]
    assert recommendations.search_opportunities(world.actor("outsider")).count() == 0


@pytest.mark.parametrize(("first_pass", "seed"), [(4, 4), (1, 4), (1, 7), (2, 11)])
def test_the_sql_pre_filter_keeps_exactly_the_rankings_best(world, monkeypatch, first_pass, seed):
    """With a pre-filter of only 5 rows, the top 5 must still be the ranking's own top 5 over
    everyone: the SQL computes the very points ranking.py gives, ties included, and on
    PostgreSQL the bound on whom to look up (first pass, then a second when needed) loses nobody."""
    import random

    from joinedup.partnership.tests.factories import PersonFactory
    from joinedup.talent import ranking

    opportunity = hosted(world, desirable_skills=["Lean", "Coaching", "Budgets"])
    wanted = [row.skill for row in opportunity.opportunity_skills.all()]
    others = [SkillFactory(partnership=world.partnership) for _ in range(3)]
    rng = random.Random(seed)
    organisations = [world.own, world.icb, world.partner]
    for _ in range(40):
        organisation = rng.choice(organisations)
        profile = Profile.objects.create(
            person=PersonFactory(),
            partnership=world.partnership,
            organisation=organisation if organisation != world.partner else world.icb,
            sector=rng.choice([organisation.sector, "", "housing"]),
            seniority=rng.choice([None, 2, 3, 4, 5, 6, 7, 9]),
            discoverable=True,
        )
        add_skills(profile, *rng.sample(wanted + others, rng.randint(1, 5)))
    monkeypatch.setattr(recommendations, "PRE_FILTER", 5)
    monkeypatch.setattr(recommendations, "FIRST_PASS", first_pass)
    fits = recommendations.people_who_might_fit(
        world.actor("partner_ld_lead"), opportunity, limit=5
    )
    everyone = [
        recommendations._candidate(
            p, frozenset(p.profile_skills.values_list("skill_id", flat=True))
        )
        for p in Profile.objects.all()
    ]
    expected = ranking.rank_candidates(recommendations.wanted_of(opportunity), everyone, 5)
    assert [fit.scored for fit in fits] == expected


def test_search_leaves_out_opportunities_past_their_closing_date(world):
    from joinedup.talent.models import Opportunity

    opportunity = hosted(world)
    Opportunity.objects.filter(pk=opportunity.pk).update(closes_on=dt.date(2020, 1, 1))
    actor = world.actor("own_staff")
    assert not recommendations.search_opportunities(actor).exists()
    assert recommendations.search_opportunities(actor, include_ended=True).count() == 1
