"""Partners' reserved blocks on runs, and registering interest in a programme."""

from __future__ import annotations

from .shapes import REDIRECT, grid, partnership_member, route

# Reserving on a run (see objects.learning_run): only a partner's L&D lead, acting for the
# partner; the host and everyone else who sees the run get a 403.
RESERVE = """
                      own      partner  outsider
    own_staff         403      403      404
    own_line_manager  403      403      404
    own_admin         403      403      404
    own_ld_lead       403      200      404
    own_levy_officer  403      403      404
    partner_staff     403      403      404
    partner_admin     403      403      404
    partner_ld_lead   200      403      404
    partnership_lead  403      403      404
    mentoring_lead    403      403      404
    space_moderator   403      403      404
    programme_leader  403      403      404
    practice_tutor    403      403      404
    apprentice        403      403      404
    outsider          404      404      403
    anonymous         login    login    login
"""
# A block held by the object's organisation on a partner's run (objects.learning_reservation):
# its L&D lead manages it; the host's L&D lead sees it but may not; everyone else 404.
BLOCK = """
                      own      partner  outsider
    own_staff         404      404      404
    own_line_manager  404      404      404
    own_admin         404      404      404
    own_ld_lead       {ok}     403      404
    own_levy_officer  404      404      404
    partner_staff     404      404      404
    partner_admin     404      404      404
    partner_ld_lead   403      {ok}     404
    partnership_lead  404      404      404
    mentoring_lead    404      404      404
    space_moderator   404      404      404
    programme_leader  403      404      404
    practice_tutor    404      404      404
    apprentice        404      404      404
    outsider          404      404      404
    anonymous         login    login    login
"""

ROUTES = {
    # An empty POST is the form again with its errors (200).
    "learning:reserve": route(GET=grid(RESERVE), POST=grid(RESERVE)),
    "learning:name-into-reservation": route(
        GET=grid(BLOCK.format(ok="200 ")), POST=grid(BLOCK.format(ok="200 "))
    ),
    # Confirming removes the named person (their booking is cancelled) and goes to the run.
    "learning:remove-named": route(
        GET=grid(BLOCK.format(ok="200 ")), POST=grid(BLOCK.format(ok="302 "))
    ),
    # Anyone who sees the programme may ask to hear about its next run, and stop asking.
    "learning:register-interest": route(POST=partnership_member(REDIRECT)),
    "learning:withdraw-interest": route(POST=partnership_member(REDIRECT)),
}
