"""The enrolments API at /api/v1/apprenticeships/enrolments, as in `declarations/api.py`.

An enrolment and its funding are read by whom the enrolment pages show it to (see
apprenticeships_enrolments.py); organisation tokens act as no person and see none (404; their list
is empty). Writes take a JSON body and are told it is missing (422) before anything is read; the
API's own tests check who may write (the L&D lead enrols; the L&D lead and the programme leader
change the status; 403 for others and for organisation tokens).
"""

from __future__ import annotations

from collections.abc import Callable

from .api import caller
from .apprenticeships_enrolments import sees
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

ENROLMENTS = "/api/v1/apprenticeships/enrolments"


def reader() -> Answers:
    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        return OK if who.person and sees(who, obj) else NOT_FOUND

    return Answers(rule)


def acting(allowed: Callable[[Persona, str], bool], ok: Status) -> Answers:
    """A write with no body, for whom `allowed` names (`ok`); 403 for the others who see the
    enrolment and for organisation tokens; 404 for the rest."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        if not who.person:
            return FORBIDDEN
        if not sees(who, obj):
            return NOT_FOUND
        return ok if allowed(who, obj) else FORBIDDEN

    return Answers(rule)


OPERATIONS = {
    f"GET {ENROLMENTS}": caller(),
    f"POST {ENROLMENTS}": caller(422),
    f"GET {ENROLMENTS}/{{pk}}": reader(),
    f"GET {ENROLMENTS}/{{pk}}/funding": reader(),
    f"POST {ENROLMENTS}/{{pk}}/status": caller(422),
}


def session_reader() -> Answers:
    """With a browser session, like the personal token (anonymous is a 401)."""
    return reader()


# With a browser session (which only reads): GET as with a personal token; writes are a 401.
WRITE = everyone(UNAUTHORISED)
ROUTES = {
    "api:apprenticeship_enrolments": route(public=True, GET=caller(), POST=WRITE),
    "api:apprenticeship_enrol": route(public=True, GET=caller(), POST=WRITE),
    "api:apprenticeship_enrolment": route(public=True, GET=session_reader()),
    "api:apprenticeship_enrolment_funding": route(public=True, GET=session_reader()),
    "api:apprenticeship_enrolment_status": route(public=True, POST=WRITE),
}
