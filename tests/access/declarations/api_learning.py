"""The learning operations of /api/v1/ and the recharge statement, as in `declarations/api.py`.

Objects are a programme, a run and a booking of each organisation (see `objects.py`). Operations
that write take a JSON body; the matrix sends none, so whoever gets past authentication is told
which field is missing (422), and an organisation token is refused before its path object is read.
"""

from __future__ import annotations

from .api import caller, partnership_member, person_only
from .shapes import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    UNAUTHORISED,
    Answers,
    Persona,
    Status,
    everyone,
    grid,
    route,
)

# Each organisation's L&D lead (and the partner's programme leader) hosts its runs (the
# outsider's organisation has neither).
HOST_LEADS = {"own": {"own_ld_lead"}, "partner": {"partner_ld_lead", "programme_leader"}}
RECHARGE_READERS = {
    "own_admin",
    "own_ld_lead",
    "own_levy_officer",
    "partner_admin",
    "partner_ld_lead",
    "outsider",
}


def run_host(ok: Status = OK) -> Answers:
    """The run's host leads; 403 for others who see the run; 404 for the rest."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        if who.name in HOST_LEADS.get(obj, ()):
            return ok
        return FORBIDDEN if who.sees(obj) else NOT_FOUND

    return Answers(rule)


def recharge_reader(ok: Status = OK) -> Answers:
    """The acting organisation's admin, L&D lead or levy officer; 403 for everyone else."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        return ok if who.name in RECHARGE_READERS else FORBIDDEN

    return Answers(rule)


# A booking (see objects.learning_booking) is cancelled by the person, their line manager or the
# host's L&D lead or programme leader; nobody else sees it. Organisation tokens are not a person:
# 403.
BOOKING_CANCELLED = grid(
    """
                        own      partner  outsider
    own_staff           200      404      404
    own_line_manager    200      404      404
    own_admin           404      404      404
    own_ld_lead         200      404      404
    own_levy_officer    404      404      404
    partner_staff       404      200      404
    partner_admin       404      404      404
    partner_ld_lead     404      200      404
    partnership_lead    404      404      404
    mentoring_lead      404      404      404
    space_moderator     404      404      404
    programme_leader    404      200      404
    practice_tutor      404      404      404
    apprentice          404      404      404
    outsider            404      404      200
    anonymous           401      401      401
    own_org_token       403      403      403
    partner_org_token   403      403      403
    outsider_org_token  403      403      403
"""
)

OPERATIONS: dict[str, Answers] = {
    "GET /api/v1/learning/programmes": caller(),
    "GET /api/v1/learning/programmes/{pk}": partnership_member(),
    "GET /api/v1/learning/runs": caller(),
    "GET /api/v1/learning/runs/{pk}": partnership_member(),
    "GET /api/v1/learning/runs/{pk}/bookings": run_host(),
    "POST /api/v1/learning/bookings": caller(422),
    "POST /api/v1/learning/bookings/{pk}/cancel": BOOKING_CANCELLED,
    "GET /api/v1/learning/bookings/mine": person_only(),
    "GET /api/v1/recharges/statement": recharge_reader(),
}

# With a browser session (which only reads): GET as with a personal token; POST is a 401.
ROUTES = {
    "api:list_programmes": route(public=True, GET=caller()),
    "api:programme_detail": route(public=True, GET=partnership_member()),
    "api:list_runs": route(public=True, GET=caller()),
    "api:run_detail": route(public=True, GET=partnership_member()),
    "api:run_bookings": route(public=True, GET=run_host()),
    "api:create_booking": route(public=True, POST=everyone(UNAUTHORISED)),
    "api:cancel_booking": route(public=True, POST=everyone(UNAUTHORISED)),
    "api:my_bookings": route(public=True, GET=person_only()),
    "api:recharge_statement": route(public=True, GET=recharge_reader()),
}
