"""Calendar files of confirmed places, and each person's private calendar feed."""

from __future__ import annotations

from .shapes import OK, REDIRECT, everyone, grid, route, signed_in

# A confirmed booking (see objects.learning_booking): its person downloads the file; their line
# manager and the host's leads see the booking but may not; everyone else gets a 404.
BOOKING_CALENDAR = """
                      own      partner  outsider
    own_staff         200      404      404
    own_line_manager  403      404      404
    own_admin         404      404      404
    own_ld_lead       403      404      404
    own_levy_officer  404      404      404
    partner_staff     404      200      404
    partner_admin     404      404      404
    partner_ld_lead   404      403      404
    partnership_lead  404      404      404
    mentoring_lead    404      404      404
    space_moderator   404      404      404
    programme_leader  404      403      404
    practice_tutor    404      404      404
    apprentice        404      404      404
    outsider          404      404      200
    anonymous         login    login    login
"""

ROUTES = {
    "learning:booking-calendar": route(GET=grid(BOOKING_CALENDAR)),
    # Each person's own feed: the page shows it; making and turning it off redirect to the page.
    "learning:calendar-feed-page": route(GET=signed_in(OK)),
    "learning:create-calendar-feed": route(POST=signed_in(REDIRECT)),
    "learning:revoke-calendar-feed": route(POST=signed_in(REDIRECT)),
    # The feed is public: calendar apps fetch it without signing in, and its secret address is the
    # key (see objects.learning_calendar_feed; unknown and revoked addresses are a 404).
    "learning:calendar-feed": route(public=True, GET=everyone(OK)),
}
