"""The commissioning plan operations of /api/v1/learning/plans, as in `declarations/api.py`.

Plans are for the acting organisation's L&D leads and programme leaders; organisation
tokens act for no person (403). A lead reads plans of organisations they see (404 otherwise) and
changes or closes only their own (403 on a partner's). Creating and changing take a JSON body; the
matrix sends none, so whoever is authenticated is told the body is missing (422) before anything
is read; the tests of the API itself check who may change a plan.
"""

from __future__ import annotations

from .api import caller
from .learning_host import HOSTS
from .shapes import (
    FACTS,
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


def planner(ok: Status = OK) -> Answers:
    """L&D leads acting as a person; 403 for everyone else authenticated."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        return ok if who.name in HOSTS else FORBIDDEN

    return Answers(rule)


def plan_reader(ok: Status = OK) -> Answers:
    """L&D leads who see the plan's organisation; 404 to other leads; 403 to everyone else."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        if who.name not in HOSTS:
            return FORBIDDEN
        return ok if who.sees(obj) else NOT_FOUND

    return Answers(rule)


def plan_owner(ok: Status = OK) -> Answers:
    """The plan's organisation's L&D lead; 403 for a partner's lead and non-leads; 404 unseen."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        if who.name not in HOSTS:
            return FORBIDDEN
        if not who.sees(obj):
            return NOT_FOUND
        return ok if FACTS[who.name].home == obj else FORBIDDEN

    return Answers(rule)


OPERATIONS: dict[str, Answers] = {
    "GET /api/v1/learning/plans": planner(),
    "POST /api/v1/learning/plans": caller(422),
    "GET /api/v1/learning/plans/{pk}": plan_reader(),
    "PATCH /api/v1/learning/plans/{pk}": caller(422),
    "POST /api/v1/learning/plans/{pk}/close": plan_owner(),
}

# With a browser session (which only reads): GET as with a personal token; writes are a 401. Each
# address is named after each of its operations.
ROUTES = {
    "api:list_plans": route(public=True, GET=planner(), POST=everyone(UNAUTHORISED)),
    "api:create_plan": route(public=True, GET=planner(), POST=everyone(UNAUTHORISED)),
    "api:plan_detail": route(public=True, GET=plan_reader(), PATCH=everyone(UNAUTHORISED)),
    "api:change_plan": route(public=True, GET=plan_reader(), PATCH=everyone(UNAUTHORISED)),
    "api:close_plan": route(public=True, POST=everyone(UNAUTHORISED)),
}
