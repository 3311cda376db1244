"""The learning app's person-facing pages: the catalogue, programmes and runs."""

from __future__ import annotations

from .shapes import OK, REDIRECT, grid, partnership_member, route, signed_in

# A booking (see objects.learning_booking) is seen by the person, their line manager and the
# host's L&D lead; each may cancel it.
BOOKING_SEEN = """
                      own      partner  outsider
    own_staff         {ok}     404      404
    own_line_manager  {ok}     404      404
    own_admin         404      404      404
    own_ld_lead       {ok}     404      404
    own_levy_officer  404      404      404
    partner_staff     404      {ok}     404
    partner_admin     404      404      404
    partner_ld_lead   404      {ok}     404
    partnership_lead  404      404      404
    mentoring_lead    404      404      404
    space_moderator   404      404      404
    programme_leader  404      {ok}     404
    practice_tutor    404      404      404
    apprentice        404      404      404
    outsider          404      404      {ok}
    anonymous         login    login    login
"""
# An offer is answered by the person or their line manager; the host's lead sees it, may not.
OFFER_ANSWERED = """
                      own      partner  outsider
    own_staff         {ok}     404      404
    own_line_manager  {ok}     404      404
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


def _offer_route():
    return route(
        GET=grid(OFFER_ANSWERED.format(ok="200 ")),
        POST=grid(OFFER_ANSWERED.format(ok="302 ")),
    )


ROUTES = {
    "learning:catalogue": route(GET=signed_in(OK)),
    "learning:my-learning": route(GET=signed_in(OK)),
    # Programmes shared with partners (see objects.learning_programme): anyone in the host's
    # partnership sees them; another partnership's are a 404.
    "learning:programme": route(GET=partnership_member()),
    "learning:run": route(GET=partnership_member()),
    # Anyone who sees the run may book it (confirmed or waiting); the answer is the run page.
    "learning:book": route(GET=partnership_member(), POST=partnership_member(REDIRECT)),
    "learning:cancel-booking": route(
        GET=grid(BOOKING_SEEN.format(ok="200 ")), POST=grid(BOOKING_SEEN.format(ok="302 "))
    ),
    "learning:accept-offer": _offer_route(),
    "learning:decline-offer": _offer_route(),
}
