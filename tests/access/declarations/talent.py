"""The talent scheme's front page: anyone signed in."""

from __future__ import annotations

from .shapes import route, signed_in

ROUTES = {
    "talent:home": route(GET=signed_in()),
}
