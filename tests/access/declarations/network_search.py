"""Searching the discussions: anyone signed in reaches the search page. What it finds follows
`network.access.visible_posts` (tested in joinedup/network/tests/test_search.py); a space one
may not read, asked for by `?space=`, is a message on the field, never a 403 or 404 that would
tell whether it exists. The route takes no object, so it has no resolver."""

from __future__ import annotations

from .shapes import route, signed_in

ROUTES = {
    "network:search": route(GET=signed_in()),
}
