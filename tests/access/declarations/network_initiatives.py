"""The initiatives register and the missions vocabulary.

Everyone signed in (every persona's organisation is in a partnership) reads the register, downloads
it as CSV and records an initiative (an empty POST is a form with errors). An initiative is read by
everyone in its partnership (404 for anyone else). It is changed by the person who recorded it
(the object's staff persona: see objects_network_initiatives.py), its owner organisation's admin
and L&D lead, and the lead of its partnership; others who read it get 403. The missions pages are
the partnership lead's: 403 for everyone else signed in; a mission of another partnership is 404
(the outsider sees their own partnership's missions, but leads none: 403).
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
    lead_of_object,
    partnership_lead,
    partnership_member,
    route,
    signed_in,
)

# Who may change each object's initiative.
EDITORS = {
    "own": {"own_staff", "own_admin", "own_ld_lead", "partnership_lead"},
    "partner": {"partner_staff", "partner_admin", "partner_ld_lead", "partnership_lead"},
    "outsider": {"outsider"},
}


def initiative_editor(ok: Status = OK) -> Answers:
    """Its recorder, its owner's admin and L&D lead, its partnership's lead; 403 for others who
    read it; 404 for the rest."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if persona.name in EDITORS[obj]:
            return ok
        return FORBIDDEN if persona.sees(obj) else NOT_FOUND

    return Answers(rule)


ROUTES = {
    "network:initiatives": route(GET=signed_in()),
    "network:initiatives-csv": route(GET=signed_in()),
    "network:initiative-new": route(GET=signed_in(), POST=signed_in()),
    "network:initiative": route(GET=partnership_member()),
    "network:initiative-edit": route(GET=initiative_editor(), POST=initiative_editor()),
    "network:missions": route(GET=partnership_lead()),
    "network:mission-new": route(GET=partnership_lead(), POST=partnership_lead()),
    "network:mission-edit": route(GET=lead_of_object(), POST=lead_of_object()),
}
