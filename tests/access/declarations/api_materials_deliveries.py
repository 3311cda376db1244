"""The delivery request operations of /api/v1/, as in `declarations/api.py` (objects in
objects_materials_deliveries.py: a request by each organisation, waiting for the trainer).

A request names people, so organisation tokens see none (404) and may not write (403). The
organisation's L&D lead and admin read it (the outsider is their organisation's admin); the L&D
lead withdraws it; none of them is the trainer, so approving is 403. Creating and declining take a
JSON body; the matrix sends none, so any authenticated caller is told which field is missing (422).
"""

from __future__ import annotations

from .api import caller
from .materials_deliveries import KEEPERS, LD_LEADS
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


def _request(allowed: frozenset[str] | None = None) -> Answers:
    """Keepers of the request's organisation read it (None: all of them) or act on it (those
    `allowed`, else 403); organisation tokens are refused writes with 403; everyone else 404."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        if not who.person:
            return NOT_FOUND if allowed is None else FORBIDDEN
        if who.name not in KEEPERS[obj]:
            return NOT_FOUND
        if allowed is None or who.name in allowed:
            return OK
        return FORBIDDEN

    return Answers(rule)


PATH = "/api/v1/trainers/delivery-requests"
OPERATIONS: dict[str, Answers] = {
    f"GET {PATH}": caller(),
    f"POST {PATH}": caller(422),
    f"GET {PATH}/{{pk}}": _request(),
    f"POST {PATH}/{{pk}}/approve": _request(frozenset()),
    f"POST {PATH}/{{pk}}/decline": caller(422),
    f"POST {PATH}/{{pk}}/withdraw": _request(LD_LEADS),
}

# With a browser session (which only reads): GET as with a personal token; POST is a 401.
WRITE = everyone(UNAUTHORISED)
ROUTES = {
    "api:list_delivery_requests": route(public=True, GET=caller(), POST=WRITE),
    "api:create_delivery_request": route(public=True, GET=caller(), POST=WRITE),
    "api:delivery_request_detail": route(public=True, GET=_request()),
    "api:approve_delivery_request": route(public=True, POST=WRITE),
    "api:decline_delivery_request": route(public=True, POST=WRITE),
    "api:withdraw_delivery_request": route(public=True, POST=WRITE),
}
