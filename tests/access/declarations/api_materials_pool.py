"""The trainer pool operations of /api/v1/ (issue 6), as in `declarations/api.py`.

Searching is for the people who may search the pool (L&D leads, programme leaders and admins,
and partnership leads; the outsider is their organisation's admin): 403 to other people and to
organisation tokens. The offer operations are about "me": organisation tokens get 403, and no
persona of the standing world has an offer, so reading it is a 404 and leaving is a 409. The
writes taking a JSON body are sent none, so every authenticated caller is told which field is
missing (422) first. A range of dates is its trainer's alone (objects in
objects_materials_pool.py): 404 to other people.
"""

from __future__ import annotations

from .api import caller, person_only
from .shapes import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    UNAUTHORISED,
    Answers,
    Persona,
    Status,
    everyone,
    route,
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
NO_CONTENT = 204
CONFLICT = 409


def searcher(ok: Status = OK) -> Answers:
    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        return ok if who.person and who.name in SEARCHERS else FORBIDDEN

    return Answers(rule)


def range_owner(ok: Status = NO_CONTENT) -> Answers:
    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        if not who.person:
            return FORBIDDEN
        return ok if RANGE_OWNERS[obj] == who.name else NOT_FOUND

    return Answers(rule)


OPERATIONS: dict[str, Answers] = {
    "GET /api/v1/trainers/pool": searcher(),
    "GET /api/v1/trainers/pool/me": person_only(NOT_FOUND),
    "PUT /api/v1/trainers/pool/me": caller(422),
    "DELETE /api/v1/trainers/pool/me": person_only(CONFLICT),
    "POST /api/v1/trainers/pool/me/availability": caller(422),
    "DELETE /api/v1/trainers/pool/me/availability/{pk}": range_owner(),
}

# With a browser session (which only reads): GET as with a personal token; writes are a 401.
WRITE = everyone(UNAUTHORISED)
ROUTES = {
    "api:search_pool": route(public=True, GET=searcher()),
    # Reading, changing and leaving the offer share one path, and so their answers.
    "api:my_offer": route(public=True, GET=person_only(NOT_FOUND), PUT=WRITE, DELETE=WRITE),
    "api:put_my_offer": route(public=True, GET=person_only(NOT_FOUND), PUT=WRITE, DELETE=WRITE),
    "api:leave_pool": route(public=True, GET=person_only(NOT_FOUND), PUT=WRITE, DELETE=WRITE),
    "api:add_availability": route(public=True, POST=WRITE),
    "api:remove_availability": route(public=True, DELETE=WRITE),
}
