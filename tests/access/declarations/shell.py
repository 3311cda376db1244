"""The web shell: health, footer pages and the sign-in pages."""

from __future__ import annotations

from .shapes import LOGIN, NOT_ALLOWED, OK, REDIRECT, everyone, route, signed_out

# Django's form views take PUT like POST.

ROUTES = {
    "healthz": route(public=True, GET=everyone(OK)),
    "accessibility": route(public=True, GET=everyone(OK)),
    "privacy": route(public=True, GET=everyone(OK)),
    "cookies": route(public=True, GET=everyone(OK)),
    # Signed-in people are sent on from the sign-in page whatever the method; a bad sign-in shows
    # the form again.
    "login": route(
        public=True,
        GET=signed_out(OK),
        POST=signed_out(OK),
        PUT=signed_out(OK),
        PATCH=signed_out(NOT_ALLOWED),
        DELETE=signed_out(NOT_ALLOWED),
    ),
    "logout": route(public=True, POST=everyone(LOGIN)),
    "password_reset": route(public=True, GET=everyone(OK), POST=everyone(OK), PUT=everyone(OK)),
    "password_reset_done": route(public=True, GET=everyone(OK)),
    # A valid link is swapped for the set-password page, whoever follows it.
    "password_reset_confirm": route(public=True, ALL=everyone(REDIRECT)),
    "password_reset_complete": route(public=True, GET=everyone(OK)),
}
