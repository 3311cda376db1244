"""The figures operations of /api/v1/talent/figures (see declarations/api.py).

As on the pages: partnership leads, organisation admins and L&D leads read them with a personal
token; anyone else authenticated is refused (403), organisation tokens too (they act for no
person); no credentials is a 401.
"""

from __future__ import annotations

from .learning_host import LD_LEADS
from .shapes import FORBIDDEN, OK, UNAUTHORISED, Answers, Persona, Status, route


def figures_reader(ok: Status = OK) -> Answers:
    """Leads, admins and L&D leads acting as a person; 403 for every other caller."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        if not who.person:
            return FORBIDDEN
        return ok if who.lead or who.admin or who.name in LD_LEADS else FORBIDDEN

    return Answers(rule)


OPERATIONS: dict[str, Answers] = {
    "GET /api/v1/talent/figures/translators": figures_reader(),
    "GET /api/v1/talent/figures/leakage": figures_reader(),
}

# With a browser session (which only reads): as with a personal token.
ROUTES = {
    "api:translator_figures": route(public=True, GET=figures_reader()),
    "api:leakage_figures": route(public=True, GET=figures_reader()),
}
