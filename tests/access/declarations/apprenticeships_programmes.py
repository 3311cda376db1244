"""Apprenticeship programmes and cohorts (joinedup/apprenticeships/programme_urls.py).

Everyone signed in lists the programmes of their partnerships. A programme and a cohort are read
by everyone acting for an organisation of the programme's partnership (404 for anyone else). They
are changed by the provider's programme leaders: the `programme_leader` persona works at the
partner trust, so manages the partner's programme (tests/access/apprenticeships_scene.py); it gets
403 on the own organisation's programme (which it sees) and 404 on the outsider's, like everyone
else who sees or does not. Setting up a programme needs a programme leader of a partnership
member: only `programme_leader` (403 for everyone else signed in). An empty POST is a form with
errors (200); moving or removing (a module, assignment, cohort or named person) goes back to the
programme (302).
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
    partnership_member,
    route,
    signed_in,
)

LEADER = "programme_leader"
# The organisation whose programmes the leader persona manages.
LEADER_OF = "partner"


def programme_leader(ok: Status = OK) -> Answers:
    """The provider's programme leader; 403 for others who see the programme; 404 for the rest."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if persona.name == LEADER and obj == LEADER_OF:
            return ok
        return FORBIDDEN if persona.sees(obj) else NOT_FOUND

    return Answers(rule)


def runs_programmes(ok: Status = OK) -> Answers:
    """A programme leader acting for a partnership member; 403 for everyone else signed in."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return ok if persona.name == LEADER else FORBIDDEN

    return Answers(rule)


MANAGE_FORM = route(GET=programme_leader(), POST=programme_leader())
CONFIRM = route(GET=programme_leader(), POST=programme_leader(REDIRECT))

ROUTES = {
    "apprenticeships:programmes": route(GET=signed_in()),
    "apprenticeships:programme_new": route(GET=runs_programmes(), POST=runs_programmes()),
    "apprenticeships:programme": route(GET=partnership_member()),
    "apprenticeships:programme_edit": MANAGE_FORM,
    "apprenticeships:module_new": MANAGE_FORM,
    "apprenticeships:programme_staff": MANAGE_FORM,
    "apprenticeships:cohort_new": MANAGE_FORM,
    "apprenticeships:module_edit": MANAGE_FORM,
    "apprenticeships:module_move": route(POST=programme_leader(REDIRECT)),
    "apprenticeships:module_remove": CONFIRM,
    "apprenticeships:assignment_new": MANAGE_FORM,
    "apprenticeships:assignment_edit": MANAGE_FORM,
    "apprenticeships:assignment_remove": CONFIRM,
    "apprenticeships:staff_remove": route(POST=programme_leader(REDIRECT)),
    "apprenticeships:cohort": route(GET=partnership_member()),
    "apprenticeships:cohort_edit": MANAGE_FORM,
    "apprenticeships:cohort_remove": CONFIRM,
}
