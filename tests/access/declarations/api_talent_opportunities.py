"""The opportunity and application operations of /api/v1/talent/opportunities and
/api/v1/talent/applications, as in `declarations/api.py`.

Every operation acts as a person: organisation tokens are refused (403). Anyone in the
opportunity's partnership reads it (404 otherwise); the host organisation's L&D leads and admins
(the outsider admins their own) manage it and read its candidates (403 to others who see it).
Reopening an open opportunity is a conflict (409). An application is the one described in
talent_opportunities.py: its applicant withdraws it, and accepting it without an offer is a
conflict (409); its host shortlists and offers it; each is 403 to the other side and 404 to
everyone else. Operations taking a JSON body are told the body is missing (422) before anything
is read; the API's own tests check who may do them.
"""

from __future__ import annotations

from .api import caller
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
from .talent_opportunities import APPLICANT, _hosts


def person(ok: Status = OK) -> Answers:
    """Any caller acting as a person; 403 for organisation tokens."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        return ok if who.person else FORBIDDEN

    return Answers(rule)


def host(ok: Status = OK) -> Answers:
    """Hosts (L&D leads and admins) acting as a person; 403 for everyone else."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        return ok if who.person and _hosts(who) else FORBIDDEN

    return Answers(rule)


def reader() -> Answers:
    """People who see the opportunity's organisation; 404 to other people; 403 to tokens."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        if not who.person:
            return FORBIDDEN
        return OK if who.sees(obj) else NOT_FOUND

    return Answers(rule)


def host_of_object(ok: Status = OK) -> Answers:
    """The opportunity's host; 403 to others who see it and to tokens; 404 to the rest."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        if not who.person:
            return FORBIDDEN
        if _hosts(who) and FACTS[who.name].home == obj:
            return ok
        return FORBIDDEN if who.sees(obj) else NOT_FOUND

    return Answers(rule)


def application(host: Status = OK, applicant: Status = OK) -> Answers:
    """The application's host and applicant get their answers; tokens 403; others 404."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        if not who.person:
            return FORBIDDEN
        if who.name == APPLICANT[obj]:
            return applicant
        if _hosts(who) and FACTS[who.name].home == obj:
            return host
        return NOT_FOUND

    return Answers(rule)


OPPORTUNITIES = "/api/v1/talent/opportunities"
APPLICATIONS = "/api/v1/talent/applications"

OPERATIONS: dict[str, Answers] = {
    f"GET {OPPORTUNITIES}": person(),
    f"POST {OPPORTUNITIES}": caller(422),
    f"GET {OPPORTUNITIES}/recommended": person(),
    f"GET {OPPORTUNITIES}/{{pk}}": reader(),
    f"PATCH {OPPORTUNITIES}/{{pk}}": caller(422),
    f"GET {OPPORTUNITIES}/{{pk}}/candidates": host_of_object(),
    f"POST {OPPORTUNITIES}/{{pk}}/close": host_of_object(),
    f"POST {OPPORTUNITIES}/{{pk}}/reopen": host_of_object(409),
    f"POST {OPPORTUNITIES}/{{pk}}/withdraw": host_of_object(),
    f"GET {APPLICATIONS}": person(),
    f"POST {APPLICATIONS}": caller(422),
    f"GET {APPLICATIONS}/hosted": host(),
    f"GET {APPLICATIONS}/{{pk}}": application(),
    f"POST {APPLICATIONS}/{{pk}}/withdraw": application(host=FORBIDDEN),
    f"POST {APPLICATIONS}/{{pk}}/accept": application(FORBIDDEN, 409),
    f"POST {APPLICATIONS}/{{pk}}/shortlist": application(applicant=FORBIDDEN),
    f"POST {APPLICATIONS}/{{pk}}/interview": caller(422),
    f"POST {APPLICATIONS}/{{pk}}/offer": application(applicant=FORBIDDEN),
    f"POST {APPLICATIONS}/{{pk}}/decline": caller(422),
}

# With a browser session (which only reads): GET as with a personal token; writes are a 401. Each
# address is named after each of its operations.
WRITE = everyone(UNAUTHORISED)
ROUTES = {
    "api:list_opportunities": route(public=True, GET=person(), POST=WRITE),
    "api:create_opportunity": route(public=True, GET=person(), POST=WRITE),
    "api:recommended_opportunities": route(public=True, GET=person()),
    "api:opportunity_detail": route(public=True, GET=reader(), PATCH=WRITE),
    "api:change_opportunity": route(public=True, GET=reader(), PATCH=WRITE),
    "api:opportunity_candidates": route(public=True, GET=host_of_object()),
    "api:close_opportunity": route(public=True, POST=WRITE),
    "api:reopen_opportunity": route(public=True, POST=WRITE),
    "api:withdraw_opportunity": route(public=True, POST=WRITE),
    "api:my_applications": route(public=True, GET=person(), POST=WRITE),
    "api:apply_for_opportunity": route(public=True, GET=person(), POST=WRITE),
    "api:hosted_applications": route(public=True, GET=host()),
    "api:application_detail": route(public=True, GET=application()),
    "api:withdraw_application": route(public=True, POST=WRITE),
    "api:accept_offer": route(public=True, POST=WRITE),
    "api:shortlist_application": route(public=True, POST=WRITE),
    "api:interview_application": route(public=True, POST=WRITE),
    "api:offer_application": route(public=True, POST=WRITE),
    "api:decline_application": route(public=True, POST=WRITE),
}
