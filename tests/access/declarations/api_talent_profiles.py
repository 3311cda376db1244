"""The caller's own talent profile and the skills vocabulary at /api/v1/talent/profile.

The profile is about "me": organisation tokens act for no person (403). Changing it takes a JSON
body; the matrix sends none, so whoever is authenticated is told the body is missing (422); the
API's own tests check the refusal of organisation tokens with a body. The vocabulary is read by
any caller, for the acting organisation's partnerships.
"""

from __future__ import annotations

from .api import caller, person_only
from .shapes import UNAUTHORISED, Answers, everyone, route

OPERATIONS: dict[str, Answers] = {
    "GET /api/v1/talent/profile": person_only(),
    "PATCH /api/v1/talent/profile": caller(422),
    "GET /api/v1/talent/profile/skills": caller(),
}

# With a browser session (which only reads): GET as with a personal token; writes are a 401.
ROUTES = {
    "api:my_talent_profile": route(public=True, GET=person_only(), PATCH=everyone(UNAUTHORISED)),
    "api:change_my_talent_profile": route(
        public=True, GET=person_only(), PATCH=everyone(UNAUTHORISED)
    ),
    "api:skills_vocabulary": route(public=True, GET=caller()),
}
