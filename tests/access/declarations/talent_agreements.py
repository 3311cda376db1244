"""Secondment agreements: the agreement pages, the forms of each step and the lists.

Each object is an agreement of a member of staff of the organisation ("own": the council's
social worker seconded to the trust; "partner": the trust's nurse seconded to the council;
"outsider": the outsider's own secondment within the other partnership). Who reads each one is
spelt out in READERS; everyone else signed in is told nothing (404), and a reader who may not
take a step gets 403. An empty POST is a form with errors shown again (200), except a release,
which needs nothing filled in: it is given (302) unless the releaser must first choose between
releasing as line manager and as L&D lead (an admin where no line manager is recorded).
"""

from __future__ import annotations

from collections.abc import Mapping

from .shapes import (
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    Answers,
    Persona,
    Status,
    route,
    signed_in,
)

READERS: Mapping[str, frozenset[str]] = {
    # The secondee, her line manager, the council's admin and lead, the trust's admin and lead.
    "own": frozenset(
        {
            "own_staff",
            "own_line_manager",
            "own_admin",
            "own_ld_lead",
            "partner_admin",
            "partner_ld_lead",
        }
    ),
    # The nurse (no line manager), the trust's admin and lead, the council's admin and lead.
    "partner": frozenset(
        {"partner_staff", "partner_admin", "partner_ld_lead", "own_admin", "own_ld_lead"}
    ),
    # The outsider is both the secondee and the admin of the home organisation.
    "outsider": frozenset({"outsider"}),
}
HOME_LEADS = {
    "own": frozenset({"own_admin", "own_ld_lead"}),
    "partner": frozenset({"partner_admin", "partner_ld_lead"}),
    "outsider": frozenset({"outsider"}),
}
HOST_LEADS = {
    "own": frozenset({"partner_admin", "partner_ld_lead"}),
    "partner": frozenset({"own_admin", "own_ld_lead"}),
    "outsider": frozenset(),
}
SECONDEE = {"own": "own_staff", "partner": "partner_staff", "outsider": "outsider"}
# Who releases as line manager: the line manager, or the home admin where none is recorded.
LINE_MANAGER = {
    "own": frozenset({"own_line_manager"}),
    "partner": frozenset({"partner_admin"}),
    "outsider": frozenset({"outsider"}),
}
ORGANISATION_LEADS = frozenset(
    {"own_admin", "own_ld_lead", "partner_admin", "partner_ld_lead", "outsider"}
)


def step(allowed: Mapping[str, frozenset[str]], ok: Status = OK) -> Answers:
    """Readers in `allowed[obj]` get `ok`; other readers 403; everyone else 404."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if persona.name not in READERS[obj]:
            return NOT_FOUND
        return ok if persona.name in allowed[obj] else FORBIDDEN

    return Answers(rule)


def union(*parts: Mapping[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    return {obj: frozenset().union(*(part[obj] for part in parts)) for obj in READERS}


SIGNERS = union(HOME_LEADS, HOST_LEADS, {obj: frozenset({p}) for obj, p in SECONDEE.items()})
ENDERS = union(HOME_LEADS, HOST_LEADS)
RELEASERS = union(HOME_LEADS, LINE_MANAGER)
RETURNERS = RELEASERS
# Those who may release in both capacities must choose one: the empty form is shown again.
CHOOSERS = {("partner_admin", "partner"), ("outsider", "outsider")}


def releaser() -> Answers:
    base = step(RELEASERS, REDIRECT)
    return base.but({cell: OK for cell in CHOOSERS})


def drafter(ok: Status = OK) -> Answers:
    """The application of an accepted offer: the host's lead or admin drafts; its applicant and
    home leads see it (403); everyone else 404."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if persona.name in HOST_LEADS[obj]:
            return ok
        if persona.name in HOME_LEADS[obj] or persona.name == SECONDEE[obj]:
            return FORBIDDEN
        return NOT_FOUND

    return Answers(rule)


def organisation_leads() -> Answers:
    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return OK if persona.name in ORGANISATION_LEADS else FORBIDDEN

    return Answers(rule)


ROUTES = {
    "talent:my-secondments": route(GET=signed_in()),
    "talent:organisation-secondments": route(GET=organisation_leads()),
    "talent:agreement-new": route(GET=drafter(), POST=drafter()),
    "talent:agreement": route(GET=step(READERS)),
    "talent:agreement-terms": route(GET=step(HOST_LEADS), POST=step(HOST_LEADS)),
    "talent:agreement-release": route(GET=step(RELEASERS), POST=releaser()),
    "talent:agreement-sign": route(GET=step(SIGNERS), POST=step(SIGNERS)),
    "talent:agreement-end": route(GET=step(ENDERS), POST=step(ENDERS)),
    "talent:agreement-cancel": route(GET=step(ENDERS), POST=step(ENDERS)),
    "talent:agreement-feedback": route(GET=step(READERS), POST=step(READERS)),
    "talent:agreement-return": route(GET=step(RETURNERS), POST=step(RETURNERS)),
}
