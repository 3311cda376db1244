"""The system-translator and leakage figures: pages and CSVs without an object.

Partnership leads and analysts see every member organisation; an organisation admin or L&D lead
sees their own organisation (the outsider admins theirs, in the other partnership, so sees it
too). Everyone else signed in is refused (403).
"""

from __future__ import annotations

from .learning_host import LD_LEADS
from .shapes import FORBIDDEN, LOGIN, OK, Answers, Persona, Status, route


def figures_reader(ok: Status = OK) -> Answers:
    """Partnership leads, organisation admins and L&D leads; 403 for everyone else signed in."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return ok if persona.lead or persona.admin or persona.name in LD_LEADS else FORBIDDEN

    return Answers(rule)


ROUTES = {
    "talent:figures-translators": route(GET=figures_reader()),
    "talent:figures-translators-csv": route(GET=figures_reader()),
    "talent:figures-leakage": route(GET=figures_reader()),
    "talent:figures-leakage-csv": route(GET=figures_reader()),
}
