"""Talent profiles and the skills vocabulary.

Everyone signed in has their own profile: its pages are theirs alone. A profile is seen by the
person, by people acting for an organisation where the person works now, and (only while the
person lets partners find it) by people of the same partnership; the resolver makes the own
organisation's profile private and the partner's and the outsider's discoverable, so another
organisation's private profile is a 404 and a discoverable one never reaches outside its
partnership. The vocabulary is curated by L&D leads of member organisations and the partnership
lead; others who see a skill get 403, everyone else 404.
"""

from __future__ import annotations

from .shapes import (
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    Answers,
    Persona,
    Status,
    owner_only,
    route,
    signed_in,
)

# Curators of the standing partnership's vocabulary (the outsider curates nothing).
CURATORS = frozenset({"own_ld_lead", "partner_ld_lead", "partnership_lead"})
# Which objects' profiles their owners made discoverable (see objects_talent_profiles.py).
DISCOVERABLE = frozenset({"partner", "outsider"})
# Whose profile stands for each organisation's.
OWNERS = {"own": "own_staff", "partner": "partner_staff", "outsider": "outsider"}


def profile_reader() -> Answers:
    """The person's own organisation always; the partnership only when discoverable."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if persona.home == obj:
            return OK
        return OK if obj in DISCOVERABLE and persona.sees(obj) else NOT_FOUND

    return Answers(rule)


def curator_page(ok: Status = OK) -> Answers:
    """The vocabulary without an object: curators; 403 for everyone else signed in."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return ok if persona.name in CURATORS else FORBIDDEN

    return Answers(rule)


def skill_curator(ok: Status = OK) -> Answers:
    """A skill of the object's partnership: its curators; 403 to others of it; else 404."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if not persona.sees(obj):
            return NOT_FOUND
        return ok if persona.name in CURATORS else FORBIDDEN

    return Answers(rule)


ROUTES = {
    "talent:my-profile": route(GET=signed_in()),
    # An empty POST is an empty profile: nothing changed, back to the profile.
    "talent:my-profile-edit": route(GET=signed_in(), POST=signed_in(REDIRECT)),
    # An empty POST asks again for a choice.
    "talent:my-profile-discoverable": route(GET=signed_in(), POST=signed_in()),
    "talent:experience-add": route(GET=signed_in(), POST=signed_in()),
    "talent:experience-remove": route(GET=owner_only(OWNERS), POST=owner_only(OWNERS, ok=REDIRECT)),
    "talent:profile": route(GET=profile_reader()),
    # An empty POST asks again for a name.
    "talent:skills": route(GET=curator_page(), POST=curator_page()),
    "talent:skill": route(GET=skill_curator()),
    "talent:skill-rename": route(GET=skill_curator(), POST=skill_curator()),
    "talent:synonym-add": route(GET=skill_curator(), POST=skill_curator()),
    "talent:synonym-remove": route(GET=skill_curator(), POST=skill_curator(REDIRECT)),
    "talent:skill-merge": route(GET=skill_curator(), POST=skill_curator()),
    # Promoting a free entry needs nothing filled in.
    "talent:skill-promote": route(GET=skill_curator(), POST=skill_curator(REDIRECT)),
}
