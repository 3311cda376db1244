"""Joint commissions and their value for money.

A commission (objects_learning_commissions.commission) is forming, led by the object's
organisation; the own organisation's and the partner's each have the other as a second member,
the outsider's has none. Everyone acting for a member of the lead's partnership sees it; only the
lead's L&D lead leads it; a member's L&D lead changes its own places, and leaves unless it leads.
The join route is asked about the plan of such a commission: members are sent to the commission.
"""

from __future__ import annotations

from .learning_host import HOSTS, LD_LEADS
from .learning_plans import plan_owner
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
    partnership_member,
    route,
    signed_in,
)

# The organisations each object's commission has as members.
MEMBERS = {"own": {"own", "partner"}, "partner": {"partner", "own"}, "outsider": {"outsider"}}


def _rule(decide) -> Answers:
    """Sign in first; 404 for whoever does not see the object; else what `decide` says."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if not persona.sees(obj):
            return NOT_FOUND
        return decide(persona, obj)

    return Answers(rule)


def lead(ok: Status = OK) -> Answers:
    """The lead organisation's L&D lead; 403 for everyone else who sees it."""
    return _rule(
        lambda p, obj: ok if p.name in LD_LEADS and FACTS[p.name].home == obj else FORBIDDEN
    )


def member_lead(ok: Status = OK) -> Answers:
    """A member organisation's L&D lead; 403 for everyone else who sees it."""
    return _rule(
        lambda p, obj: (
            ok if p.name in LD_LEADS and FACTS[p.name].home in MEMBERS[obj] else FORBIDDEN
        )
    )


def leaver(ok: Status = OK) -> Answers:
    """A member's L&D lead, not the lead's; 403 for everyone else who sees it."""

    def decide(p: Persona, obj: str) -> Status:
        home = FACTS[p.name].home
        return ok if p.name in LD_LEADS and home in MEMBERS[obj] and home != obj else FORBIDDEN

    return _rule(decide)


def joiner() -> Answers:
    """On the commission's plan: those who read plans (L&D leads and programme leaders) who see
    it; members go to the commission (302)."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if persona.name not in HOSTS or not persona.sees(obj):
            return NOT_FOUND
        return REDIRECT if FACTS[persona.name].home in MEMBERS[obj] else OK

    return Answers(rule)


def report_reader() -> Answers:
    """L&D leads and the partnership lead; 403 for everyone else signed in."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return OK if persona.name in LD_LEADS or persona.lead else FORBIDDEN

    return Answers(rule)


START = plan_owner().but({("programme_leader", "partner"): FORBIDDEN})

ROUTES = {
    # An empty POST is the form again with its errors (200) wherever a form has a field.
    "learning:commission-join": route(GET=joiner(), POST=joiner()),
    # The plan's L&D lead starts one; its programme leader reads the plan but may not (403).
    "learning:commission-start": route(GET=START, POST=START),
    "learning:commissions": route(GET=signed_in()),
    "learning:commission-report": route(GET=report_reader()),
    "learning:commission-report-csv": route(GET=report_reader()),
    "learning:commission": route(GET=partnership_member()),
    "learning:commission-places": route(GET=member_lead(), POST=member_lead()),
    # Leaving needs nothing filled in: the POST leaves and goes back to the commission.
    "learning:commission-leave": route(GET=leaver(), POST=leaver(REDIRECT)),
    "learning:commission-agree": route(GET=lead(), POST=lead()),
    # Cancelling needs nothing filled in: the lead's POST cancels and goes to the commission.
    "learning:commission-cancel": route(GET=lead(), POST=lead(REDIRECT)),
    "learning:commission-programme": route(GET=lead(), POST=lead()),
}
