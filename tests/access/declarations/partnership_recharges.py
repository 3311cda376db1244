"""Recharge pages of the acting organisation: statement, entries, CSV and reversing an entry."""

from __future__ import annotations

from .shapes import grid, route

# Pages of the acting organisation's own ledger: its admin, L&D lead and levy officer read it
# (the outsider is the admin of their own organisation); other signed-in people are refused.
READERS = """
                      none
    own_staff         403
    own_line_manager  403
    own_admin         200
    own_ld_lead       200
    own_levy_officer  200
    partner_staff     403
    partner_admin     200
    partner_ld_lead   200
    partnership_lead  403
    mentoring_lead    403
    space_moderator   403
    programme_leader  403
    practice_tutor    403
    apprentice        403
    outsider          200
    anonymous         login
"""

# An entry the object's organisation receives from the ICB (see objects.recharge_entry): its
# admin and L&D lead may reverse it; its levy officer reads it but may not; everyone else sees
# nothing. An empty form is shown again with its error, so a POST answers 200 too.
REVERSER = """
                      own      partner  outsider
    own_staff         404      404      404
    own_line_manager  404      404      404
    own_admin         200      404      404
    own_ld_lead       200      404      404
    own_levy_officer  403      404      404
    partner_staff     404      404      404
    partner_admin     404      200      404
    partner_ld_lead   404      200      404
    partnership_lead  404      404      404
    mentoring_lead    404      404      404
    space_moderator   404      404      404
    programme_leader  404      404      404
    practice_tutor    404      404      404
    apprentice        404      404      404
    outsider          404      404      200
    anonymous         login    login    login
"""

ROUTES = {
    "partnership:recharges": route(GET=grid(READERS)),
    "partnership:recharge-entries": route(GET=grid(READERS)),
    "partnership:recharge-csv": route(GET=grid(READERS)),
    "partnership:recharge-reverse": route(GET=grid(REVERSER), POST=grid(REVERSER)),
}
