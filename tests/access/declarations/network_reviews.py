"""Learning reviews and adoptions of initiatives (see objects_network_reviews.py).

Writing a review (pk: an initiative owned by the object's organisation, no partners listed):
people acting for the owner organisation and the partnership lead; 403 to the rest of the
partnership; 404 outside it. Recording an adoption: people acting for another organisation of
the initiative's partnership (the ICB's mentoring lead, the space moderator and the lead too);
403 for the owner's own people; 404 outside. A review (by the object's staff persona) is changed
by its author and the partnership lead; an adoption (by the object's organisation, recorded by
its staff persona) by its recorder, that organisation's admins and L&D leads, and the lead: 403
to others who see it, 404 outside the partnership. An empty POST is the form with its errors.
"""

from __future__ import annotations

from .shapes import (
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    Answers,
    Persona,
    Status,
    route,
)

# Whose review or adoption stands for each object.
AUTHOR = {"own": "own_staff", "partner": "partner_staff", "outsider": "outsider"}
LD_LEADS = frozenset({"own_ld_lead", "partner_ld_lead"})


def _answer(persona: Persona, obj: str, allowed: bool) -> Status:
    if not persona.signed_in:
        return LOGIN
    if allowed:
        return OK
    return FORBIDDEN if persona.sees(obj) else NOT_FOUND


def reviewer() -> Answers:
    """The owner organisation's people and the partnership lead."""
    return Answers(
        lambda persona, obj: _answer(persona, obj, persona.home == obj or persona.leads(obj))
    )


def adopter() -> Answers:
    """People of another organisation of the initiative's partnership."""
    return Answers(
        lambda persona, obj: _answer(persona, obj, persona.sees(obj) and persona.home != obj)
    )


def review_editor() -> Answers:
    """The review's author and the partnership lead."""
    return Answers(
        lambda persona, obj: _answer(
            persona, obj, persona.name == AUTHOR[obj] or persona.leads(obj)
        )
    )


def adoption_editor() -> Answers:
    """The adoption's recorder, its organisation's admins and L&D leads, the partnership lead."""

    def rule(persona: Persona, obj: str) -> Status:
        keeper = persona.home == obj and (persona.admin or persona.name in LD_LEADS)
        allowed = persona.name == AUTHOR[obj] or keeper or persona.leads(obj)
        return _answer(persona, obj, allowed)

    return Answers(rule)


ROUTES = {
    "network:review-new": route(GET=reviewer(), POST=reviewer()),
    "network:review-edit": route(GET=review_editor(), POST=review_editor()),
    "network:adoption-new": route(GET=adopter(), POST=adopter()),
    "network:adoption-edit": route(GET=adoption_editor(), POST=adoption_editor()),
}
