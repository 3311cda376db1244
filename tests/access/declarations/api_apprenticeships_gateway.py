"""The workplace project and gateway API under /api/v1/apprenticeships/enrolments/{pk}/, as in
`declarations/api.py` (objects as in apprenticeships_gateway.py).

The project is read by whoever sees the enrolment and by its sponsor, the gateway by whoever sees
the enrolment; organisation tokens act as no person and see neither (404). Agreeing needs a person
(403 for organisation tokens, before anything is read); the employer's L&D lead and the provider's
programme leader are told the fresh enrolment is not ready (409); others who see it get 403.
"""

from __future__ import annotations

from .apprenticeships_gateway import agrees, sees_project
from .apprenticeships_statements import sees
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
CONFLICT = 409


def reader(visible) -> Answers:
    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        return OK if who.person and visible(who, obj) else NOT_FOUND

    return Answers(rule)


def agreer() -> Answers:
    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        if not who.person:
            return FORBIDDEN
        if agrees(who, obj):
            return CONFLICT
        return FORBIDDEN if sees(who, obj) else NOT_FOUND

    return Answers(rule)


OPERATIONS = {
    f"GET {ENROLMENTS}/{{pk}}/project": reader(sees_project),
    f"GET {ENROLMENTS}/{{pk}}/gateway": reader(sees),
    f"POST {ENROLMENTS}/{{pk}}/gateway/agree": agreer(),
}

# With a browser session (which only reads): GET as with a personal token; writes are a 401.
WRITE = everyone(UNAUTHORISED)
ROUTES = {
    "api:apprenticeship_project": route(public=True, GET=reader(sees_project)),
    "api:apprenticeship_gateway": route(public=True, GET=reader(sees)),
    "api:apprenticeship_gateway_agree": route(public=True, POST=WRITE),
}
