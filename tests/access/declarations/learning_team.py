"""A line manager's learning pages (my team, approvals, booking for a report) and the L&D lead's
completions page."""

from __future__ import annotations

from .shapes import grid, route

# Pages without an object: line managers only (own_line_manager manages own_staff).
MANAGERS_ONLY = """
                      none
    own_staff         403
    own_line_manager  200
    own_admin         403
    own_ld_lead       403
    own_levy_officer  403
    partner_staff     403
    partner_admin     403
    partner_ld_lead   403
    partnership_lead  403
    mentoring_lead    403
    space_moderator   403
    programme_leader  403
    practice_tutor    403
    apprentice        403
    outsider          403
    anonymous         login
"""
# The acting organisation's L&D leads only.
LD_LEADS_ONLY = """
                      none
    own_staff         403
    own_line_manager  403
    own_admin         403
    own_ld_lead       200
    own_levy_officer  403
    partner_staff     403
    partner_admin     403
    partner_ld_lead   200
    partnership_lead  403
    mentoring_lead    403
    space_moderator   403
    programme_leader  403
    practice_tutor    403
    apprentice        403
    outsider          403
    anonymous         login
"""
# A booking request (see objects.learning_request) is decided by the person's line manager
# only; the person and the host's L&D lead see it (403); nobody else knows of it (404).
REQUEST_DECIDED = """
                      own      partner  outsider
    own_staff         403      404      404
    own_line_manager  {ok}     404      404
    own_admin         404      404      404
    own_ld_lead       403      404      404
    own_levy_officer  404      404      404
    partner_staff     404      403      404
    partner_admin     404      404      404
    partner_ld_lead   404      403      404
    partnership_lead  404      404      404
    mentoring_lead    404      404      404
    space_moderator   404      404      404
    programme_leader  404      403      404
    practice_tutor    404      404      404
    apprentice        404      404      404
    outsider          404      404      403
    anonymous         login    login    login
"""
# A run (see objects.learning_run) is seen across its partnership; only a line manager may book
# it for a report (a POST without a choice shows the form again with its error).
BOOK_FOR_TEAM = """
                      own      partner  outsider
    own_staff         403      403      404
    own_line_manager  200      200      404
    own_admin         403      403      404
    own_ld_lead       403      403      404
    own_levy_officer  403      403      404
    partner_staff     403      403      404
    partner_admin     403      403      404
    partner_ld_lead   403      403      404
    partnership_lead  403      403      404
    mentoring_lead    403      403      404
    space_moderator   403      403      404
    programme_leader  403      403      404
    practice_tutor    403      403      404
    apprentice        403      403      404
    outsider          404      404      403
    anonymous         login    login    login
"""

ROUTES = {
    "learning:my-team": route(GET=grid(MANAGERS_ONLY)),
    "learning:approvals": route(GET=grid(MANAGERS_ONLY)),
    "learning:completions": route(GET=grid(LD_LEADS_ONLY)),
    "learning:approve-booking": route(POST=grid(REQUEST_DECIDED.format(ok="302 "))),
    # A POST without a reason shows the form again with its error.
    "learning:decline-request": route(
        GET=grid(REQUEST_DECIDED.format(ok="200 ")), POST=grid(REQUEST_DECIDED.format(ok="200 "))
    ),
    "learning:book-for-team": route(GET=grid(BOOK_FOR_TEAM), POST=grid(BOOK_FOR_TEAM)),
}
