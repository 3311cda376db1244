"""Spaces and membership (see objects_network_spaces.py for the objects).

Each object is a community of the object's partnership (network_scene.py): owned by the object's
staff persona (own_staff, partner_staff, outsider), with the "space_moderator" persona a
moderator-member of the standing partnership's. A community is listed, with its description and
a Join button, to everyone of its partnership; its discussion and members' names are read by its
active members and the partnership lead (others who see it get 403, everyone else 404). The owner
and the lead manage it: requests to join, moderators, editing, archiving. Joining answers with a
redirect to the space (also for those already in it); the owner may not leave (the refusal is
shown, 200), other members leave and are sent on. Empty POSTs to forms are shown again with their
errors (200). A run's space page is for whoever sees the run; only its host's L&D lead opens one.
The rules name the moderator persona, so they hold whether or not the standing world has it yet.
"""

from __future__ import annotations

from .learning_host import host_of_object
from .shapes import (
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    Answers,
    Persona,
    Status,
    partnership_member,
    route,
    signed_in,
)

MODERATOR = "space_moderator"
STAFF = {"own": "own_staff", "partner": "partner_staff", "outsider": "outsider"}
LEAD = "partnership_lead"


def is_member(persona: Persona, obj: str) -> bool:
    """An active member of the object's space: its owner, or the moderator persona."""
    return persona.name == STAFF[obj] or (persona.name == MODERATOR and obj != "outsider")


def is_lead(persona: Persona, obj: str) -> bool:
    return persona.name == LEAD and persona.leads(obj)


def _rule(allowed, ok: Status) -> Answers:
    """`ok` for those `allowed`; 403 for others who see the community; 404 for the rest."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if allowed(persona, obj):
            return ok
        return FORBIDDEN if persona.sees(obj) else NOT_FOUND

    return Answers(rule)


def readers(ok: Status = OK) -> Answers:
    """Members and the partnership lead."""
    return _rule(lambda persona, obj: is_member(persona, obj) or is_lead(persona, obj), ok)


def managers(ok: Status = OK) -> Answers:
    """The owner (the object's staff persona) and the partnership lead."""
    return _rule(lambda persona, obj: persona.name == STAFF[obj] or is_lead(persona, obj), ok)


def leavers() -> Answers:
    """Members: the owner is refused (200), others leave (302)."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if persona.name == STAFF[obj]:
            return OK
        if is_member(persona, obj):
            return REDIRECT
        return FORBIDDEN if persona.sees(obj) else NOT_FOUND

    return Answers(rule)


ROUTES = {
    "network:spaces": route(GET=signed_in()),
    "network:space-new": route(GET=signed_in(), POST=signed_in()),
    "network:space": route(GET=partnership_member()),
    "network:space-join": route(POST=partnership_member(REDIRECT)),
    "network:space-leave": route(GET=_rule(is_member, OK), POST=leavers()),
    "network:space-members": route(GET=readers()),
    "network:space-requests": route(GET=managers()),
    "network:space-request-approve": route(POST=managers(REDIRECT)),
    "network:space-request-refuse": route(POST=managers(REDIRECT)),
    "network:space-moderators": route(GET=managers(), POST=managers()),
    "network:space-edit": route(GET=managers(), POST=managers()),
    "network:space-archive": route(GET=managers(), POST=managers(REDIRECT)),
    "network:run-space": route(GET=partnership_member(), POST=host_of_object(REDIRECT)),
}
