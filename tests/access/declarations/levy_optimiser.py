"""The levy optimiser pages: needs, optimiser runs, recommendations and the partnership view.

Levy figures are read by an organisation's own levy officers and admins and by the partnership's
levy and partnership leads (the world's partnership lead oversees own, partner and the ICB; the
outsider is the admin of an organisation in another partnership). Needs are added and changed by
their organisation's levy officer or the leads; the leads run the optimiser; only the sending
organisation's levy officer makes a recommendation a pledge. Objects: a need, a run and a
recommendation (sent by the organisation) of each organisation (`objects_levy_optimiser.py`).
"""

from __future__ import annotations

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
    partnership_lead,
    route,
)

# Who reads each organisation's levy figures (its levy officer and admins), and who oversees it.
OWN_READERS = {
    "own": {"own_levy_officer", "own_admin"},
    "partner": {"partner_admin"},
    "outsider": {"outsider"},
}
LEVY_OFFICERS = {"own": {"own_levy_officer"}, "partner": set(), "outsider": set()}
OVERSEERS = {"own": {"partnership_lead"}, "partner": {"partnership_lead"}, "outsider": set()}
LEVY_READERS = frozenset().union(*OWN_READERS.values(), *OVERSEERS.values())
NEED_ADDERS = frozenset({"own_levy_officer", "partnership_lead"})


def among(names: frozenset[str], ok: Status = OK, anonymous: Status = LOGIN) -> Answers:
    """Pages without an object for these personas; 403 for everyone else signed in.

    `anonymous` is what a visitor without credentials gets (the API answers 401).
    """

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return anonymous
        return ok if persona.name in names else FORBIDDEN

    return Answers(rule)


def levy_reader(ok: Status = OK, anonymous: Status = LOGIN) -> Answers:
    """The object's organisation's levy readers and its overseers; 404 for everyone else."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return anonymous
        return ok if persona.name in OWN_READERS[obj] | OVERSEERS[obj] else NOT_FOUND

    return Answers(rule)


def need_manager(ok: Status = OK) -> Answers:
    """The need's organisation's levy officer and its overseers; 403 for other readers; else 404."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if persona.name in LEVY_OFFICERS[obj] | OVERSEERS[obj]:
            return ok
        return FORBIDDEN if persona.name in OWN_READERS[obj] else NOT_FOUND

    return Answers(rule)


def run_reader(ok: Status = OK, anonymous: Status = LOGIN) -> Answers:
    """A run of the world's partnership (own and partner) or of the other one (outsider)."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return anonymous
        return ok if persona.name in OVERSEERS[obj] else NOT_FOUND

    return Answers(rule)


def sender_officer(ok: Status = OK, anonymous: Status = LOGIN) -> Answers:
    """The sending organisation's levy officer; 403 for others who see the recommendation."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return anonymous
        if persona.name in LEVY_OFFICERS[obj]:
            return ok
        return FORBIDDEN if persona.name in OWN_READERS[obj] | OVERSEERS[obj] else NOT_FOUND

    return Answers(rule)


assert set(FACTS) >= LEVY_READERS | NEED_ADDERS

ROUTES = {
    "levy:needs": route(GET=among(LEVY_READERS)),
    # An empty POST is the form again with its errors.
    "levy:need-new": route(GET=among(NEED_ADDERS), POST=among(NEED_ADDERS)),
    "levy:need": route(GET=levy_reader()),
    "levy:need-edit": route(GET=need_manager(), POST=need_manager()),
    "levy:need-withdraw": route(GET=need_manager(), POST=need_manager(REDIRECT)),
    "levy:optimiser": route(GET=partnership_lead()),
    "levy:optimiser-run": route(POST=partnership_lead(REDIRECT)),
    "levy:optimiser-result": route(GET=run_reader()),
    "levy:recommendations": route(GET=among(LEVY_READERS)),
    "levy:recommendation": route(GET=levy_reader()),
    "levy:recommendation-pledge": route(POST=sender_officer(REDIRECT)),
    "levy:partnership": route(GET=partnership_lead()),
}
