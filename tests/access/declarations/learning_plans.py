"""Design once: commissioning plans and the partnership lead's near-duplicate report.

Plans are for the acting organisation's L&D leads and programme leaders (the partner's
programme_leader): a lead reads their own organisation's plans and partners' open ones, and changes
only their own (403 on a partner's). Everyone else is told nothing of a plan (404).
Reports belong to a partnership and only its lead reads them.
"""

from __future__ import annotations

from .learning_host import HOSTS, host_lead
from .shapes import (
    FACTS,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    Answers,
    Persona,
    Status,
    route,
)


def plan_reader() -> Answers:
    """L&D leads who see the plan's organisation; 404 for everyone else signed in."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return OK if persona.name in HOSTS and persona.sees(obj) else NOT_FOUND

    return Answers(rule)


def plan_owner(ok: Status = OK) -> Answers:
    """The plan's own organisation's L&D lead; 403 for a partner's lead; 404 for the rest."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if persona.name not in HOSTS or not persona.sees(obj):
            return NOT_FOUND
        return ok if FACTS[persona.name].home == obj else FORBIDDEN

    return Answers(rule)


def partnership_lead_only() -> Answers:
    """Pages without an object for the partnership lead; 403 for everyone else signed in."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return OK if persona.lead else FORBIDDEN

    return Answers(rule)


def report_reader() -> Answers:
    """The lead of the report's partnership; 404 for everyone else signed in."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return OK if persona.leads(obj) else NOT_FOUND

    return Answers(rule)


ROUTES = {
    # The partnership lead reaches the near-duplicate report from the plans page.
    "learning:plans": route(GET=host_lead().but({"partnership_lead": OK})),
    # An empty POST is a form with errors, shown again.
    "learning:plan-new": route(GET=host_lead(), POST=host_lead()),
    "learning:plan": route(GET=plan_reader()),
    "learning:plan-edit": route(GET=plan_owner(), POST=plan_owner()),
    # Closing needs nothing filled in: the owner's POST closes and goes back to the list.
    "learning:plan-close": route(GET=plan_owner(), POST=plan_owner(REDIRECT)),
    # An empty POST asks for a threshold again.
    "learning:near-duplicates": route(GET=partnership_lead_only(), POST=partnership_lead_only()),
    "learning:near-duplicate-report": route(GET=report_reader()),
    "learning:near-duplicate-csv": route(GET=report_reader()),
}
