"""The levy ledger pages: the levy home, an account's statement, a month's entries, the expiry
forecast, the transfer allowance, opening an account, and the rules in force.

An account's figures are read by its organisation's levy officer and admins and by the
partnership's lead; nobody else learns it exists (404). Objects (`objects_levy_ledger.py`): each
organisation's levy account.
"""

from __future__ import annotations

from .shapes import FORBIDDEN, LOGIN, REDIRECT, Answers, Persona, grid, route, signed_in

READERS = grid(
    """
                        own      partner  outsider
    own_staff           404      404      404
    own_line_manager    404      404      404
    own_admin           200      404      404
    own_ld_lead         404      404      404
    own_levy_officer    200      404      404
    partner_staff       404      404      404
    partner_admin       404      200      404
    partner_ld_lead     404      404      404
    partnership_lead    200      200      404
    mentoring_lead      404      404      404
    space_moderator     404      404      404
    programme_leader    404      404      404
    practice_tutor      404      404      404
    apprentice          404      404      404
    outsider            404      404      200
    anonymous           login    login    login
"""
)


def opener() -> Answers:
    """The acting organisation's levy officer opens its account (and is taken to it); 403 else."""

    def rule(persona: Persona, obj: str):
        if not persona.signed_in:
            return LOGIN
        return REDIRECT if persona.name == "own_levy_officer" else FORBIDDEN

    return Answers(rule)


ROUTES = {
    "levy:home": route(GET=signed_in()),
    "levy:account-open": route(POST=opener()),
    "levy:account": route(GET=READERS),
    "levy:account-month": route(GET=READERS),
    "levy:account-forecast": route(GET=READERS),
    "levy:account-allowance": route(GET=READERS),
    "levy:rules": route(GET=signed_in()),
}
