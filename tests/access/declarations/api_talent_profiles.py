"""The caller's own talent profile and the skills vocabulary at /api/v1/talent/profile.

The profile is about "me": organisation tokens act for no person (403). Changing it takes a JSON
body; the matrix sends none, so whoever is authenticated is told the body is missing (422); the
API's own tests check the refusal of organisation tokens with a body. The vocabulary is read by
any caller, for the acting organisation's partnerships.
"""

from __future__ import annotations

from .api import caller, person_only
from .shapes import (
    FORBIDDEN,
    NOT_FOUND,
    UNAUTHORISED,
    Answers,
    Persona,
    Status,
    everyone,
    route,
)

# Whose profile holds each object's past role (see objects_talent_profiles.py).
OWNERS = {"own": "own_staff", "partner": "partner_staff", "outsider": "outsider"}


def experience_owner(ok: Status = 204) -> Answers:
    """The person whose past role it is; 404 for other people; 403 for organisation tokens."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        if not who.person:
            return FORBIDDEN
        return ok if OWNERS[obj] == who.name else NOT_FOUND

    return Answers(rule)


OPERATIONS: dict[str, Answers] = {
    "GET /api/v1/talent/profile": person_only(),
    "PATCH /api/v1/talent/profile": caller(422),
    "GET /api/v1/talent/profile/skills": caller(),
    # Adding takes a JSON body, which the matrix does not send.
    "POST /api/v1/talent/profile/experiences": caller(422),
    "DELETE /api/v1/talent/profile/experiences/{pk}": experience_owner(),
}

# With a browser session (which only reads): GET as with a personal token; writes are a 401.
ROUTES = {
    "api:my_talent_profile": route(public=True, GET=person_only(), PATCH=everyone(UNAUTHORISED)),
    "api:change_my_talent_profile": route(
        public=True, GET=person_only(), PATCH=everyone(UNAUTHORISED)
    ),
    "api:skills_vocabulary": route(public=True, GET=caller()),
    "api:add_my_experience": route(public=True, POST=everyone(UNAUTHORISED)),
    "api:remove_my_experience": route(public=True, DELETE=everyone(UNAUTHORISED)),
}
