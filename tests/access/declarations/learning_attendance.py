"""After a run: the host's registers, outcomes and evaluation results; the learner's completion,
certificate and evaluation."""

from __future__ import annotations

from .shapes import grid, route

# A run's host pages (objects.learning_run, a session of it for the register): the host's L&D lead;
# everyone else who sees the run may not (403); another partnership's run is a 404. The outsider
# is their organisation's admin, not its L&D lead, so their own run's host pages are a 403 too.
HOSTED = """
                      own      partner  outsider
    own_staff         403      403      404
    own_line_manager  403      403      404
    own_admin         403      403      404
    own_ld_lead       {ok}     403      404
    own_levy_officer  403      403      404
    partner_staff     403      403      404
    partner_admin     403      403      404
    partner_ld_lead   403      {ok}     404
    partnership_lead  403      403      404
    mentoring_lead    403      403      404
    space_moderator   403      403      404
    programme_leader  403      {ok}     404
    practice_tutor    403      403      404
    apprentice        403      403      404
    outsider          404      404      403
    anonymous         login    login    login
"""
# The learner's own booking (objects.learning_completed_booking and learning_self_paced_booking):
# seen by the person, their line manager and the host's L&D lead; only the person acts on it.
OWN_BOOKING = """
                      own      partner  outsider
    own_staff         {ok}     404      404
    own_line_manager  403      404      404
    own_admin         404      404      404
    own_ld_lead       403      404      404
    own_levy_officer  404      404      404
    partner_staff     404      {ok}     404
    partner_admin     404      404      404
    partner_ld_lead   404      403      404
    partnership_lead  404      404      404
    mentoring_lead    404      404      404
    space_moderator   404      404      404
    programme_leader  404      403      404
    practice_tutor    404      404      404
    apprentice        404      404      404
    outsider          404      404      {ok}
    anonymous         login    login    login
"""
# A certificate: the person who completed, and the host's leads.
CERTIFICATE = """
                      own      partner  outsider
    own_staff         200      404      404
    own_line_manager  403      404      404
    own_admin         404      404      404
    own_ld_lead       200      404      404
    own_levy_officer  404      404      404
    partner_staff     404      200      404
    partner_admin     404      404      404
    partner_ld_lead   404      200      404
    partnership_lead  404      404      404
    mentoring_lead    404      404      404
    space_moderator   404      404      404
    programme_leader  404      200      404
    practice_tutor    404      404      404
    apprentice        404      404      404
    outsider          404      404      200
    anonymous         login    login    login
"""

ROUTES = {
    "learning:run-attendance": route(GET=grid(HOSTED.format(ok="200 "))),
    "learning:run-evaluations": route(GET=grid(HOSTED.format(ok="200 "))),
    # The host's forms answer an empty submission with the error summary (200).
    "learning:session-register": route(
        GET=grid(HOSTED.format(ok="200 ")), POST=grid(HOSTED.format(ok="200 "))
    ),
    "learning:record-outcomes": route(
        GET=grid(HOSTED.format(ok="200 ")), POST=grid(HOSTED.format(ok="200 "))
    ),
    "learning:certificate": route(GET=grid(CERTIFICATE)),
    # Marking self-paced learning complete needs nothing filled in: it goes to My learning.
    "learning:report-completion": route(
        GET=grid(OWN_BOOKING.format(ok="200 ")), POST=grid(OWN_BOOKING.format(ok="302 "))
    ),
    # An empty evaluation is answered with the error summary.
    "learning:evaluate": route(
        GET=grid(OWN_BOOKING.format(ok="200 ")), POST=grid(OWN_BOOKING.format(ok="200 "))
    ),
}
