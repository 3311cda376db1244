"""Threads and posts (see objects_network_posts.py for the objects).

A space's discussion is read by its active members and by the partnership lead (who moderates
every space of the standing partnership without being a member); only members write. Members of
each object's space: its organisation's staff persona (own_staff, partner_staff, outsider) and,
in the standing partnership's spaces, the "space_moderator" persona. A post is written by the
staff persona, so only they edit or delete it: others who read it get 403, everyone else 404.
Starting a thread: a community is listed to everyone of its partnership, so those who see it but
are not members get 403. Empty POSTs are forms shown again with their errors (200); deleting
needs no fields and redirects to the thread. The rules name the moderator persona, so they hold
whether or not the standing world has it yet.
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
    route,
)

MODERATOR = "space_moderator"
STAFF = {"own": "own_staff", "partner": "partner_staff", "outsider": "outsider"}
LEAD = "partnership_lead"


def is_member(persona: Persona, obj: str) -> bool:
    """An active member of the object's space."""
    return persona.name == STAFF[obj] or (persona.name == MODERATOR and obj != "outsider")


def reads(persona: Persona, obj: str) -> bool:
    """Reads the space's discussion: a member, or the lead of its partnership."""
    return is_member(persona, obj) or (persona.name == LEAD and persona.leads(obj))


def readers(ok: Status = OK) -> Answers:
    """Who reads the discussion; 404 for everyone else."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return ok if reads(persona, obj) else NOT_FOUND

    return Answers(rule)


def writers(ok: Status = OK) -> Answers:
    """Members write (`ok`); those who only read get 403; everyone else 404."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if is_member(persona, obj):
            return ok
        return FORBIDDEN if reads(persona, obj) else NOT_FOUND

    return Answers(rule)


def space_writers(ok: Status = OK) -> Answers:
    """Members start threads (`ok`); anyone else who sees the community listed gets 403."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if is_member(persona, obj):
            return ok
        return FORBIDDEN if persona.sees(obj) else NOT_FOUND

    return Answers(rule)


def author(ok: Status = OK) -> Answers:
    """The post's author (`ok`); others who read it 403; everyone else 404."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if persona.name == STAFF[obj]:
            return ok
        return FORBIDDEN if reads(persona, obj) else NOT_FOUND

    return Answers(rule)


ROUTES = {
    "network:thread-new": route(GET=space_writers(), POST=space_writers()),
    "network:thread": route(GET=readers()),
    "network:thread-reply": route(POST=writers()),
    "network:post-edit": route(GET=author(), POST=author()),
    "network:post-delete": route(GET=author(), POST=author(REDIRECT)),
    "network:attachment": route(GET=readers()),
}
