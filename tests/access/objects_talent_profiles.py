"""The own, partner's and outsider's talent profile, past role, skill and synonym.

A profile is its organisation's member of staff's (own staff, partner staff, the outsider). The
own organisation's is private; the partner's and the outsider's are discoverable, so the matrix
shows a private profile hidden from partners and a discoverable one hidden outside its
partnership (see declarations/talent_profiles.py). Skills belong to the organisation's partnership.
"""

from __future__ import annotations

import itertools

from joinedup.partnership.tests.world import World
from joinedup.talent import profiles
from joinedup.talent.models import PriorExperience, Profile, Skill, SkillStatus, SkillSynonym
from joinedup.talent.skills import key_of

from .objects import STAFF, Kwargs, Resolver

NUMBERS = itertools.count(1)

DISCOVERABLE = frozenset({"partner", "outsider"})


def _profile(world: World, which: str) -> Profile:
    persona = STAFF[which]
    found = profiles.profile_for(world.person(persona))
    profiles.set_discoverable(world.actor(persona), found, which in DISCOVERABLE)
    return found


def profile(world: World, which: str) -> Kwargs:
    """The organisation's member of staff's profile (private for own, discoverable otherwise)."""
    return {"pk": _profile(world, which).pk}


def experience(world: World, which: str) -> Kwargs:
    """A past role on that profile."""
    found = PriorExperience.objects.create(
        profile=_profile(world, which), sector="private", role="Analyst", years=2
    )
    return {"pk": found.pk}


def _skill(world: World, which: str, status: str) -> Skill:
    """A new skill each call (one test may resolve many routes in one database)."""
    partnership = world.other_partnership if which == "outsider" else world.partnership
    name = f"Matrix {status} skill {next(NUMBERS)} ({which})"
    return Skill.objects.create(partnership=partnership, name=name, key=key_of(name), status=status)


def curated_skill(world: World, which: str) -> Kwargs:
    """A curated skill of the organisation's partnership."""
    return {"pk": _skill(world, which, SkillStatus.CURATED).pk}


def free_skill(world: World, which: str) -> Kwargs:
    """A free entry of the organisation's partnership."""
    return {"pk": _skill(world, which, SkillStatus.FREE).pk}


def synonym(world: World, which: str) -> Kwargs:
    """Another name of a curated skill of the organisation's partnership."""
    skill = _skill(world, which, SkillStatus.CURATED)
    name = f"Matrix synonym {next(NUMBERS)} ({which})"
    found = SkillSynonym.objects.create(
        partnership=skill.partnership, skill=skill, name=name, key=key_of(name)
    )
    return {"pk": found.pk}


RESOLVERS: dict[str, Resolver] = {
    "talent:profile": profile,
    "talent:experience-remove": experience,
    "talent:skill": curated_skill,
    "talent:skill-rename": curated_skill,
    "talent:synonym-add": curated_skill,
    "talent:synonym-remove": synonym,
    "talent:skill-merge": free_skill,
    "talent:skill-promote": free_skill,
    "api:remove_my_experience": experience,
}

API_RESOLVERS: dict[str, Resolver] = {
    "DELETE /api/v1/talent/profile/experiences/{pk}": experience,
}
