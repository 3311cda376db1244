"""The buddies API at /api/v1/apprenticeships/buddies, as in `declarations/api.py`.

A cohort's pairs are read, and its apprentices paired (a POST with no body), by the provider's
programme leaders: the `programme_leader` persona on the partner's cohort; 403 for every other
caller who sees the cohort (organisation tokens too), 404 for the rest. "My buddies" is for a
person (organisation tokens 403); everyone else gets their own, possibly empty, list.
"""

from __future__ import annotations

from .api import person_only
from .apprenticeships_programmes import LEADER, LEADER_OF
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

BUDDIES = "/api/v1/apprenticeships/buddies"


def leader() -> Answers:
    """The provider's programme leader; 403 for others who see the cohort; 404 for the rest."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        if who.name == LEADER and obj == LEADER_OF:
            return OK
        return FORBIDDEN if who.sees(obj) else NOT_FOUND

    return Answers(rule)


OPERATIONS = {
    f"GET {BUDDIES}/cohorts/{{cohort_id}}": leader(),
    f"POST {BUDDIES}/cohorts/{{cohort_id}}/pair": leader(),
    f"GET {BUDDIES}/me": person_only(),
}

# With a browser session (which only reads): GET as with a personal token; writes are a 401.
ROUTES = {
    "api:apprenticeship_cohort_buddies": route(public=True, GET=leader()),
    "api:apprenticeship_pair_buddies": route(public=True, POST=everyone(UNAUTHORISED)),
    "api:apprenticeship_my_buddies": route(public=True, GET=person_only()),
}
