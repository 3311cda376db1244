"""The secondment agreement operations of /api/v1/talent/secondments, as in `declarations/api.py`.

The same readers as the pages (declarations/talent_agreements.py); organisation tokens act for no
person and are refused (403) before anything is read. Releasing needs no body (an optional
`capacity` query parameter says line manager or L&D lead; without it the first open one is given),
so a releaser's empty request releases (200).
Signing needs a body with the version read; the matrix sends none, so every authenticated caller
is told it is missing (422) before anything is read.
"""

from __future__ import annotations

from .api import caller
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
from .talent_agreements import READERS, RELEASERS


def person(ok: Status = OK) -> Answers:
    """Any person; organisation tokens 403."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        return ok if who.person else FORBIDDEN

    return Answers(rule)


def step(allowed, ok: Status = OK) -> Answers:
    """Readers in `allowed[obj]` get `ok`, other readers 403, other people 404; tokens 403."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        if not who.person:
            return FORBIDDEN
        if who.name not in READERS[obj]:
            return NOT_FOUND
        return ok if who.name in allowed[obj] else FORBIDDEN

    return Answers(rule)


OPERATIONS: dict[str, Answers] = {
    "GET /api/v1/talent/secondments": person(),
    "GET /api/v1/talent/secondments/{pk}": step(READERS),
    "POST /api/v1/talent/secondments/{pk}/release": step(RELEASERS),
    "POST /api/v1/talent/secondments/{pk}/sign": caller(422),
}

# With a browser session (which only reads): GET as with a personal token; writes are a 401.
ROUTES = {
    "api:list_secondments": route(public=True, GET=person()),
    "api:secondment_detail": route(public=True, GET=step(READERS)),
    "api:release_secondment": route(public=True, POST=everyone(UNAUTHORISED)),
    "api:sign_secondment": route(public=True, POST=everyone(UNAUTHORISED)),
}
