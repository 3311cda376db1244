"""The mentoring operations of /api/v1/talent/mentoring, as in `declarations/api.py`.

Organisation tokens act for no person (403). A pair (see objects_talent_mentoring.py) is read
by its member persona and the mentoring lead of its partnership, 404 for every other person.
Logging a meeting takes a JSON body; the matrix sends none, so whoever is authenticated is told
the body is missing (422) before anything is read; the API's own tests check who may log one.
Matchings are read by the mentoring lead only: the list is a 403 to other people, a matching a
404.
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
from .talent_mentoring import MEMBER, MENTORING_LEAD, leads_mentoring_of


def person(ok: Status = OK) -> Answers:
    """Any caller acting as a person; 403 for organisation tokens."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        return ok if who.person else FORBIDDEN

    return Answers(rule)


def pair_reader(ok: Status = OK) -> Answers:
    """The pair's member and the mentoring lead; 404 to other people; 403 to tokens."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        if not who.person:
            return FORBIDDEN
        return ok if who.name == MEMBER[obj] or leads_mentoring_of(who, obj) else NOT_FOUND

    return Answers(rule)


def lead_list(ok: Status = OK) -> Answers:
    """The mentoring lead; 403 for everyone else authenticated."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        return ok if who.name == MENTORING_LEAD else FORBIDDEN

    return Answers(rule)


def matching_reader(ok: Status = OK) -> Answers:
    """The mentoring lead of the matching's partnership; 404 to other people; 403 to tokens."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        if not who.person:
            return FORBIDDEN
        return ok if leads_mentoring_of(who, obj) else NOT_FOUND

    return Answers(rule)


OPERATIONS: dict[str, Answers] = {
    "GET /api/v1/talent/mentoring/pairs": person(),
    "GET /api/v1/talent/mentoring/pairs/{pk}": pair_reader(),
    "GET /api/v1/talent/mentoring/pairs/{pk}/meetings": pair_reader(),
    "POST /api/v1/talent/mentoring/pairs/{pk}/meetings": caller(422),
    "GET /api/v1/talent/mentoring/matchings": lead_list(),
    "GET /api/v1/talent/mentoring/matchings/{pk}": matching_reader(),
}

# With a browser session (which only reads): GET as with a personal token; writes are a 401. Each
# address is named after each of its operations.
ROUTES = {
    "api:mentoring_pairs": route(public=True, GET=person()),
    "api:mentoring_pair": route(public=True, GET=pair_reader()),
    "api:mentoring_pair_meetings": route(
        public=True, GET=pair_reader(), POST=everyone(UNAUTHORISED)
    ),
    "api:log_mentoring_meeting": route(public=True, GET=pair_reader(), POST=everyone(UNAUTHORISED)),
    "api:mentoring_matchings": route(public=True, GET=lead_list()),
    "api:mentoring_matching": route(public=True, GET=matching_reader()),
}
