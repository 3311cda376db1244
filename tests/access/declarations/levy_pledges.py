"""The levy pledges pages: pledges, applying, and deciding on and answering applications.

A pledge is seen by those who read its organisation's levy figures (its levy officer and admins,
the partnership's leads) and, while open, by partners' levy officers and admins. An application
is seen by the readers of the sender's and of the applicant's figures. Only the sender's levy
officer makes pledges and decides; only the applicant's levy officer applies, accepts, declines
and withdraws. Objects (`objects_levy_pledges.py`): an open pledge of each organisation; an
application to it, by the partner for own's pledge and by own for the partner's.
"""

from __future__ import annotations

from .shapes import FORBIDDEN, LOGIN, OK, Answers, Persona, grid, route, signed_in

SEEN = grid(
    """
                        own      partner  outsider
    own_staff           404      404      404
    own_line_manager    404      404      404
    own_admin           200      200      404
    own_ld_lead         404      404      404
    own_levy_officer    200      200      404
    partner_staff       404      404      404
    partner_admin       200      200      404
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


def seen_but(cells: dict) -> Answers:
    """Who sees the object gets 403, except these cells; the rest 404."""
    forbidden = {
        (persona, obj): FORBIDDEN
        for persona in ("own_admin", "own_levy_officer", "partner_admin", "partnership_lead")
        for obj in ("own", "partner")
    }
    return SEEN.but({**forbidden, ("outsider", "outsider"): FORBIDDEN, **cells})


def levy_officer(ok=OK) -> Answers:
    """Pages without an object for the acting organisation's levy officer; 403 for others."""

    def rule(persona: Persona, obj: str):
        if not persona.signed_in:
            return LOGIN
        return ok if persona.name == "own_levy_officer" else FORBIDDEN

    return Answers(rule)


# The partner's pledge is open to own's levy officer; an empty POST is a form with errors.
APPLY = seen_but({("own_levy_officer", "partner"): "200"})
# Own's levy officer decides on applications to own's pledge: the reject form, or a decision
# that goes back to the application (302 whether or not the rules allowed it).
DECIDE = seen_but({("own_levy_officer", "own"): "302"})
REJECT = seen_but({("own_levy_officer", "own"): "200"})
# Own's levy officer answers its own application, to the partner's pledge.
ANSWER = seen_but({("own_levy_officer", "partner"): "302"})

ROUTES = {
    "levy:pledges": route(GET=signed_in()),
    "levy:pledge-new": route(GET=levy_officer(), POST=levy_officer()),
    "levy:pledge": route(GET=SEEN),
    "levy:pledge-apply": route(GET=APPLY, POST=APPLY),
    "levy:pledge-application": route(GET=SEEN),
    "levy:pledge-application-approve": route(POST=DECIDE),
    "levy:pledge-application-reject": route(GET=REJECT, POST=REJECT),
    "levy:pledge-application-accept": route(POST=ANSWER),
    "levy:pledge-application-decline": route(POST=ANSWER),
    "levy:pledge-application-withdraw": route(POST=ANSWER),
}
