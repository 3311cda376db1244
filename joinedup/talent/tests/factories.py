"""factory_boy factories for the talent app. Each area adds its own below."""

from __future__ import annotations

import datetime as dt

import factory

from joinedup.partnership.tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
)
from joinedup.talent.models import (
    Opportunity,
    OpportunityKind,
    OpportunitySkill,
    Profile,
    ProfileSkill,
    Skill,
)
from joinedup.talent.skills import key_of


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Skill {n}")
    key = factory.LazyAttribute(lambda skill: key_of(skill.name))


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    person = factory.SubFactory(PersonFactory)
    partnership = factory.SubFactory(PartnershipFactory)


def add_skills(profile: Profile, *skills: Skill) -> None:
    """Put skills on a profile, copying its partnership and discoverability as the services do."""
    for skill in skills:
        ProfileSkill.objects.create(
            profile=profile,
            skill=skill,
            partnership=profile.partnership,
            discoverable=profile.discoverable,
        )


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    partnership = factory.SubFactory(PartnershipFactory)
    host = factory.SubFactory(OrganisationFactory)
    kind = OpportunityKind.SECONDMENT_PART
    title = factory.Sequence(lambda n: f"Opportunity {n}")
    description = "Join our team for a while."
    starts_on = dt.date(2027, 1, 4)
    duration_months = 6
    time_share = 40
    closes_on = dt.date(2026, 12, 18)


def want_skills(opportunity: Opportunity, *skills: Skill, essential: bool = True) -> None:
    for skill in skills:
        OpportunitySkill.objects.create(opportunity=opportunity, skill=skill, essential=essential)
