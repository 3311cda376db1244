"""The learning app's person-facing pages: the catalogue, programmes and runs."""

from __future__ import annotations

from .shapes import OK, partnership_member, route, signed_in

ROUTES = {
    "learning:catalogue": route(GET=signed_in(OK)),
    # Programmes shared with partners (see objects.learning_programme): anyone in the host's
    # partnership sees them; another partnership's are a 404.
    "learning:programme": route(GET=partnership_member()),
    "learning:run": route(GET=partnership_member()),
}
