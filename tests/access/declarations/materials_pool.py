"""The trainer pool pages (issue 6): searching the pool, and a trainer's own offer and dates.

Searching is for the L&D leads, programme leaders and admins of any organisation, and partnership
leads (the outsider is their organisation's admin, so they search their own partnership's pool);
everyone else signed in gets 403. Every signed-in person has their own offer page (joining needs a
current accreditation, which the service checks and the page explains); an empty POST is a form
with errors, shown again. A range of dates is its trainer's alone: 404 to everyone else (objects
in objects_materials_pool.py).
"""

from __future__ import annotations

from .shapes import (
    FORBIDDEN,
    LOGIN,
    OK,
    REDIRECT,
    Answers,
    Persona,
    Status,
    owner_only,
    route,
    signed_in,
)

SEARCHERS = frozenset(
    {
        "own_ld_lead",
        "own_admin",
        "partner_ld_lead",
        "partner_admin",
        "programme_leader",
        "partnership_lead",
        "outsider",
    }
)
RANGE_OWNERS = {"own": "own_staff", "partner": "partner_staff", "outsider": "outsider"}


def searcher() -> Answers:
    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return OK if persona.name in SEARCHERS else FORBIDDEN

    return Answers(rule)


ROUTES = {
    "materials:pool": route(GET=searcher()),
    "materials:pool-offer": route(GET=signed_in(OK), POST=signed_in(OK)),
    # Leaving when not in the pool says so on the offer page.
    "materials:pool-leave": route(POST=signed_in(REDIRECT)),
    "materials:pool-availability-add": route(POST=signed_in(OK)),
    "materials:pool-availability-remove": route(POST=owner_only(RANGE_OWNERS, REDIRECT)),
}
