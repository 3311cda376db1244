"""Rotation schemes: schemes, cohorts, rounds, posts, rankings and the lead's matching.

A scheme belongs to a partnership (the own and the partner's objects are schemes, cohorts, rounds
and posts of the standing world's partnership; the outsider's of the other one; see
objects_talent_rotations.py). Everyone in the partnership reads its schemes, cohorts and rounds
(404 for anyone else). Its partnership lead alone starts cohorts, adds participants, runs the
matching, publishes and places by hand (403 for other members). L&D leads and admins of a member
organisation offer posts (403 for other members); a post's rankings are its host's (403 for the
rest of the partnership). A round's ranking form is its participant's: the object's staff persona
(own_staff, partner_staff, outsider), 403 for other members.
"""

from __future__ import annotations

from .shapes import (
    FACTS,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    Answers,
    Persona,
    Status,
    lead_of_object,
    partnership_lead,
    partnership_member,
    route,
    signed_in,
)

# L&D leads and organisation admins: the personas who offer and rank posts for their organisation.
HOSTS = frozenset({"own_admin", "own_ld_lead", "partner_admin", "partner_ld_lead", "outsider"})
# The participant of each object's cohort: the organisation's staff persona.
PARTICIPANT = {"own": "own_staff", "partner": "partner_staff", "outsider": "outsider"}


def host_of_a_member(ok: Status = OK) -> Answers:
    """L&D leads and admins of any organisation in the round's partnership; 403 for its other
    members; 404 for everyone else."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if not persona.sees(obj):
            return NOT_FOUND
        return ok if persona.name in HOSTS else FORBIDDEN

    return Answers(rule)


def post_host(ok: Status = OK) -> Answers:
    """L&D leads and admins of the post's organisation; 403 for the rest of the partnership."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if not persona.sees(obj):
            return NOT_FOUND
        return ok if persona.name in HOSTS and FACTS[persona.name].home == obj else FORBIDDEN

    return Answers(rule)


def participant(ok: Status = OK) -> Answers:
    """The cohort's participant; 403 for the rest of the partnership; 404 for everyone else."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if not persona.sees(obj):
            return NOT_FOUND
        return ok if persona.name == PARTICIPANT[obj] else FORBIDDEN

    return Answers(rule)


ROUTES = {
    "talent:rotation-schemes": route(GET=signed_in()),
    # An empty POST is a form with errors, shown again.
    "talent:rotation-scheme-new": route(GET=partnership_lead(), POST=partnership_lead()),
    "talent:rotation-scheme": route(GET=partnership_member()),
    "talent:rotation-cohort-new": route(GET=lead_of_object(), POST=lead_of_object()),
    "talent:rotation-cohort": route(GET=partnership_member()),
    "talent:rotation-participant-new": route(GET=lead_of_object(), POST=lead_of_object()),
    "talent:rotation-round": route(GET=partnership_member()),
    "talent:rotation-post-new": route(GET=host_of_a_member(), POST=host_of_a_member()),
    # The participant's empty POST ranks nothing: "rank at least one post", shown again.
    "talent:rotation-preferences": route(GET=participant(), POST=participant()),
    # The lead's POST runs the matching (or publishes the matched round) and goes to the round.
    "talent:rotation-match": route(GET=lead_of_object(), POST=lead_of_object(REDIRECT)),
    "talent:rotation-publish": route(GET=lead_of_object(), POST=lead_of_object(REDIRECT)),
    "talent:rotation-place": route(GET=lead_of_object(), POST=lead_of_object()),
    # The host's empty POST saves an empty ranking (take whoever asks) and goes to the round.
    "talent:rotation-post-ranking": route(GET=post_host(), POST=post_host(REDIRECT)),
}
