"""Moderation of discussions: the code of conduct, reporting a post, the moderators' queue and
actions, and a space's moderation log.

The objects are network_scene.py's: a post (or thread, or space) of the own organisation, the
partner or the outsider, written by that organisation's staff persona (its author), in a space
whose moderator is "space_moderator" (in the standing partnership only). The partnership lead
moderates the standing partnership's spaces without being a member; nobody moderates the
outsider's. A post's readers are its space's members and the lead; anyone else is told nothing
(404). Its author may report no post of theirs and moderates nothing (403). A hidden post
(restore) and a report (dismiss) are the moderators' alone: 404 for everyone else. The moderation
page lists what a person moderates: 403 to those who moderate nothing (in a world without
network objects, everyone but the lead). Empty POSTs are forms with errors, shown again (200).
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
    partnership_lead,
    route,
    signed_in,
)

MODERATOR = "space_moderator"
STANDING_PARTNERSHIP = ("own", "partner")
AUTHOR = {"own": "own_staff", "partner": "partner_staff", "outsider": "outsider"}


def moderates(persona: Persona, obj: str) -> bool:
    """The space's named moderator, or the lead of its partnership (the standing one's)."""
    if obj not in STANDING_PARTNERSHIP:
        return False
    return persona.lead or persona.name == MODERATOR


def moderator(author: Status = FORBIDDEN) -> Answers:
    """Moderators get the page; the author (a member reading it) `author`; everyone else 404."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if moderates(persona, obj):
            return OK
        return author if persona.name == AUTHOR[obj] else NOT_FOUND

    return Answers(rule)


def log_reader() -> Answers:
    """A space's moderators; 403 for others who see the space listed; 404 for the rest."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if moderates(persona, obj):
            return OK
        return FORBIDDEN if persona.sees(obj) else NOT_FOUND

    return Answers(rule)


ROUTES = {
    "network:code-of-conduct": route(GET=signed_in()),
    "network:moderation": route(GET=partnership_lead()),
    # Readers other than the author report; an empty POST is a form with errors.
    "network:post-report": route(GET=moderator(), POST=moderator()),
    "network:post-hide": route(GET=moderator(), POST=moderator()),
    "network:post-restore": route(GET=moderator(NOT_FOUND), POST=moderator(NOT_FOUND)),
    "network:thread-lock": route(GET=moderator(), POST=moderator()),
    "network:thread-unlock": route(GET=moderator(), POST=moderator()),
    "network:report-dismiss": route(GET=moderator(NOT_FOUND), POST=moderator(NOT_FOUND)),
    "network:space-moderation-log": route(GET=log_reader()),
}
