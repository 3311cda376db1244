"""Apprenticeships' front page: anyone signed in (its links depend on what they may do)."""

from __future__ import annotations

from .shapes import route, signed_in

ROUTES = {
    "apprenticeships:home": route(GET=signed_in()),
}
