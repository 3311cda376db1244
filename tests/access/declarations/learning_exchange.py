"""Places exchanged between partners and value recovered by releasing places."""

from __future__ import annotations

from .shapes import grid, route

# The acting organisation's admin, L&D lead, levy officer and programme leaders see its own
# figures (the outsider is the admin of their organisation; the levy officer sees places, not
# value recovered); the partnership lead sees every host's value recovered.
EXCHANGE = """
                      none
    own_staff         403
    own_line_manager  403
    own_admin         200
    own_ld_lead       200
    own_levy_officer  200
    partner_staff     403
    partner_admin     200
    partner_ld_lead   200
    partnership_lead  200
    mentoring_lead    403
    space_moderator   403
    programme_leader  200
    practice_tutor    403
    apprentice        403
    outsider          200
    anonymous         login
"""

ROUTES = {
    "learning:exchange": route(GET=grid(EXCHANGE)),
}
