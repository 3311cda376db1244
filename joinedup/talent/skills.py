"""Skill names: how they are compared, and how typed names become the vocabulary's skills.

A name is compared by its key (lower case, single spaces). A typed name that is a curated skill's
name or synonym is that skill; an unknown name becomes a free entry, which L&D leads may later
merge into a curated skill. So profiles and opportunities always point at canonical skills, and
the ranking compares skill ids: synonyms are understood once, when the name is typed.
"""

from __future__ import annotations

from collections.abc import Iterable

from joinedup.partnership.models import Partnership, Person

from .models import Skill, SkillStatus, SkillSynonym

NAME_LIMIT = 100


def key_of(name: str) -> str:
    """The form names are compared by: lower case with single spaces ("Data  Analysis" and
    "data analysis" are one skill)."""
    return " ".join(name.split()).casefold()


def clean_name(name: str) -> str:
    """A typed name as stored: single spaces, trimmed."""
    return " ".join(str(name).split())


def find(partnership: Partnership, names: Iterable[str]) -> dict[str, Skill]:
    """The known skill for each typed name's key, by name or synonym (unknown keys are absent)."""
    keys = {key_of(name) for name in names} - {""}
    found = {
        skill.key: skill for skill in Skill.objects.filter(partnership=partnership, key__in=keys)
    }
    for synonym in SkillSynonym.objects.filter(
        partnership=partnership, key__in=keys - found.keys()
    ).select_related("skill"):
        found[synonym.key] = synonym.skill
    return found


def resolve(
    partnership: Partnership, names: Iterable[str], created_by: Person | None = None
) -> list[Skill]:
    """The skills for the typed names, in order and without repeats; an unknown name becomes a
    free entry. Call inside the caller's transaction; names must be checked (`clean_name`, at
    most NAME_LIMIT characters, no NUL) before."""
    names = [clean_name(name) for name in names if clean_name(name)]
    known = find(partnership, names)
    skills: list[Skill] = []
    for name in names:
        key = key_of(name)
        skill = known.get(key)
        if skill is None:
            skill, _ = Skill.objects.get_or_create(
                partnership=partnership,
                key=key,
                defaults={"name": name, "status": SkillStatus.FREE, "created_by": created_by},
            )
            known[key] = skill
        if skill not in skills:
            skills.append(skill)
    return skills
