"""Commitment statement pages (see objects_apprenticeships_statements.py: version 1, unsigned, of
a new enrolment of the object's organisation, as in apprenticeships_scene.py).

A statement is seen, and downloaded as HTML or PDF, by whoever sees its enrolment: the
apprentice, their line manager and practice tutor, the employer's L&D leads and levy officers and
the provider's programme leaders; 404 for everyone else. Signing is for the three parties (the
apprentice, the employer's L&D lead, the provider's programme leader): an empty POST is the page
again with its error (200), whoever's turn it is; 403 to the others who see it.
"""

from __future__ import annotations

from .shapes import FACTS, FORBIDDEN, LOGIN, NOT_FOUND, OK, Answers, Persona, Status, route

# Each object's enrolment (apprenticeships_scene.enrolment): the own and partner enrolments are on
# the partner trust's programme, the outsider's on the outsider's own.
APPRENTICE = {
    "own": "apprentice" if "apprentice" in FACTS else "own_staff",
    "partner": "partner_staff",
    "outsider": "outsider",
}
LINE_MANAGER = {"own": "own_line_manager"}
TUTORED = frozenset({"own", "partner"})
EMPLOYER_LEADS = {"own": {"own_ld_lead"}, "partner": {"partner_ld_lead"}}
LEVY_OFFICERS = {"own": {"own_levy_officer"}}
PROVIDER_LEADERS = {"own": {"programme_leader"}, "partner": {"programme_leader"}}


def signs(persona: Persona, obj: str) -> bool:
    """The apprentice, the employer's L&D lead or the provider's programme leader."""
    return (
        persona.name == APPRENTICE[obj]
        or persona.name in EMPLOYER_LEADS.get(obj, set())
        or persona.name in PROVIDER_LEADERS.get(obj, set())
    )


def sees(persona: Persona, obj: str) -> bool:
    """Whom the statement's enrolment is visible to."""
    return (
        signs(persona, obj)
        or persona.name == LINE_MANAGER.get(obj)
        or (persona.name == "practice_tutor" and obj in TUTORED)
        or persona.name in LEVY_OFFICERS.get(obj, set())
    )


def reader() -> Answers:
    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return OK if sees(persona, obj) else NOT_FOUND

    return Answers(rule)


def signer() -> Answers:
    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if signs(persona, obj):
            return OK
        return FORBIDDEN if sees(persona, obj) else NOT_FOUND

    return Answers(rule)


ROUTES = {
    "apprenticeships:statement": route(GET=reader()),
    "apprenticeships:sign_statement": route(POST=signer()),
    "apprenticeships:statement_html": route(GET=reader()),
    "apprenticeships:statement_pdf": route(GET=reader()),
}
