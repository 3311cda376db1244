"""The API at /api/v1/: its URL patterns asked with a browser session, and every operation.

`OPERATIONS` is keyed "METHOD /path" as in the OpenAPI schema and says what each caller gets:
every persona with their personal token (anonymous sends none), and the organisation tokens of
the own, partner's and outsider's organisations (which never act as a person). A browser session
may only read, so the `ROUTES` (by URL name) answer like the personal tokens for GET.
"""

from __future__ import annotations

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


def caller(ok: Status = OK) -> Answers:
    """Any authenticated caller; no credentials is a 401."""
    return Answers(lambda who, obj: ok if who.signed_in else UNAUTHORISED)


def partnership_member(ok: Status = OK) -> Answers:
    """Callers in the object's partnership (or its own organisation); 404 for the rest."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        return ok if who.sees(obj) else NOT_FOUND

    return Answers(rule)


def directory_reader(ok: Status = OK) -> Answers:
    """Callers who read the directory of the object's organisation; 404 for the rest."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        return ok if who.reads_directory_of(obj) else NOT_FOUND

    return Answers(rule)


def person_only(ok: Status = OK) -> Answers:
    """Operations about "me": organisation tokens are refused with 403."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        return ok if who.person else FORBIDDEN

    return Answers(rule)


OPERATIONS: dict[str, Answers] = {
    "GET /api/v1/organisations": caller(),
    "GET /api/v1/organisations/{pk}": partnership_member(),
    "GET /api/v1/people": caller(),
    "GET /api/v1/people/{pk}": directory_reader(),
    "GET /api/v1/people/{pk}/employments": directory_reader(),
    "GET /api/v1/me": person_only(),
}

# The same paths asked with a browser session (sessions only read; other methods are 405).
ROUTES = {
    # /api/v1/ says where the schema and its documentation are (Ninja's own root, the same path,
    # is shadowed by it).
    "api:index": route(public=True, GET=everyone(OK)),
    "api:api-root": route(public=True, GET=everyone(OK)),
    # The schema and its documentation page are public; Ninja serves them whatever the method.
    "api:openapi-json": route(public=True, ALL=everyone(OK)),
    "api:openapi-view": route(public=True, ALL=everyone(OK)),
    "api:list_organisations": route(public=True, GET=caller()),
    "api:organisation_detail": route(public=True, GET=partnership_member()),
    "api:list_people": route(public=True, GET=caller()),
    "api:person_detail": route(public=True, GET=directory_reader()),
    "api:person_employments": route(public=True, GET=directory_reader()),
    "api:me": route(public=True, GET=person_only()),
}
