"""The delivery request pages (objects in objects_materials_deliveries.py).

Each object is a request made by the organisation for a further partner's trainer, waiting for the
trainer. Its organisation's L&D lead and admin see it (the outsider is their organisation's
admin); nobody else among the personas does (404). None of them is the trainer, so approving and
declining are 403 to those who see it; the L&D lead withdraws it (and is sent back to it). Only
L&D leads ask for a trainer; an empty form is shown again with its errors.
"""

from __future__ import annotations

from .shapes import (
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    Answers,
    Persona,
    Status,
    route,
    signed_in,
)

# Who looks after each organisation's requests: its L&D lead and admin.
KEEPERS = {
    "own": frozenset({"own_ld_lead", "own_admin"}),
    "partner": frozenset({"partner_ld_lead", "partner_admin"}),
    "outsider": frozenset({"outsider"}),
}
LD_LEADS = frozenset({"own_ld_lead", "partner_ld_lead"})


ALL = frozenset({"*"})


def _request(allowed: frozenset[str] = frozenset(), ok: Status = OK) -> Answers:
    """The organisation's keepers see the request; `allowed` among them get `ok`, the others 403;
    everyone else 404."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if persona.name not in KEEPERS[obj]:
            return NOT_FOUND
        if allowed is ALL or persona.name in allowed:
            return ok
        return FORBIDDEN

    return Answers(rule)


def ld_lead() -> Answers:
    """L&D leads of any organisation ask for a trainer; 403 to others signed in."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return OK if persona.name in LD_LEADS else FORBIDDEN

    return Answers(rule)


ROUTES = {
    "materials:delivery-requests": route(GET=signed_in(OK)),
    "materials:delivery-request-create": route(GET=ld_lead(), POST=ld_lead()),
    "materials:delivery-request": route(GET=_request(ALL)),
    "materials:delivery-request-approve": route(POST=_request()),
    "materials:delivery-request-decline": route(GET=_request(), POST=_request()),
    "materials:delivery-request-withdraw": route(POST=_request(LD_LEADS, REDIRECT)),
}
