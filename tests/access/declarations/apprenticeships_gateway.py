"""Workplace project and gateway pages (see objects_apprenticeships_gateway.py: a new enrolment
of the object's organisation, as in apprenticeships_scene.py, with a proposed project whose sponsor
is own_staff for the own enrolment, partner_admin for the partner's and a newcomer for the
outsider's).

The project page (and its submitted file) is seen by whoever sees the enrolment (see
apprenticeships_statements.py) and by the sponsor; 404 for everyone else. Proposing and
submitting are the apprentice's (the form: 200; an empty POST is the form again with its errors);
approving the scope is the practice tutor's or the provider's programme leader's (a POST that goes
back to the project page: 302); marking a milestone done is the apprentice's (302); signing off is
the sponsor's (200). The gateway is seen by whoever sees the enrolment (not the sponsor); agreeing
(302) is for the employer's L&D lead and the provider's programme leader. A visible project or
gateway the persona may not act on is a 403.
"""

from __future__ import annotations

from collections.abc import Callable

from .apprenticeships_statements import APPRENTICE, EMPLOYER_LEADS, PROVIDER_LEADERS, TUTORED, sees
from .shapes import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Answers, Persona, Status, route

SPONSORS = {"own": "own_staff", "partner": "partner_admin"}

Who = Callable[[Persona, str], bool]


def sponsors(persona: Persona, obj: str) -> bool:
    """The project's sponsor."""
    return persona.name == SPONSORS.get(obj)


def sees_project(persona: Persona, obj: str) -> bool:
    """Whoever sees the enrolment, and the sponsor."""
    return sees(persona, obj) or sponsors(persona, obj)


def is_apprentice(persona: Persona, obj: str) -> bool:
    return persona.name == APPRENTICE[obj]


def approves(persona: Persona, obj: str) -> bool:
    """The practice tutor or the provider's programme leader."""
    return (persona.name == "practice_tutor" and obj in TUTORED) or persona.name in (
        PROVIDER_LEADERS.get(obj, set())
    )


def agrees(persona: Persona, obj: str) -> bool:
    """The employer's L&D lead or the provider's programme leader."""
    return persona.name in EMPLOYER_LEADS.get(obj, set()) | PROVIDER_LEADERS.get(obj, set())


def only(who: Who, visible: Who, ok: Status = OK) -> Answers:
    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if who(persona, obj):
            return ok
        return FORBIDDEN if visible(persona, obj) else NOT_FOUND

    return Answers(rule)


def reader(visible: Who) -> Answers:
    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return OK if visible(persona, obj) else NOT_FOUND

    return Answers(rule)


APPRENTICE_FORM = only(is_apprentice, sees_project)
SPONSOR_FORM = only(sponsors, sees_project)

ROUTES = {
    "apprenticeships:project": route(GET=reader(sees_project)),
    "apprenticeships:project_propose": route(GET=APPRENTICE_FORM, POST=APPRENTICE_FORM),
    "apprenticeships:project_approve": route(POST=only(approves, sees_project, REDIRECT)),
    "apprenticeships:project_milestone_done": route(
        POST=only(is_apprentice, sees_project, REDIRECT)
    ),
    "apprenticeships:project_submit": route(GET=APPRENTICE_FORM, POST=APPRENTICE_FORM),
    "apprenticeships:project_sign_off": route(GET=SPONSOR_FORM, POST=SPONSOR_FORM),
    "apprenticeships:project_file": route(GET=reader(sees_project)),
    "apprenticeships:gateway": route(GET=reader(sees)),
    "apprenticeships:gateway_agree": route(POST=only(agrees, sees, REDIRECT)),
}
