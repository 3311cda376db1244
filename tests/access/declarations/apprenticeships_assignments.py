"""Assignment pages (see objects_apprenticeships_assignments.py and apprenticeships_scene.py).

An enrolment's assignments, an attempt and its file are seen by whoever sees the enrolment (its
apprentice, line manager and tutor, the employer's L&D leads and levy officers, the provider's
programme leaders); 404 for everyone else. Submitting is for the apprentice only, marking for the
enrolment's practice tutor and the provider's programme leaders: 403 to the others who see it. An
empty POST is the form with its errors (200). The deadline dashboard is for practice tutors and
programme leaders (403 for anyone else signed in).
"""

from __future__ import annotations

from .apprenticeships_enrolments import APPRENTICE, PROVIDER_LEADERS, TUTORED, only, reader, sees
from .shapes import FORBIDDEN, LOGIN, NOT_FOUND, OK, Answers, Persona, Status, route


def submits(persona: Persona, obj: str) -> bool:
    """The enrolment's apprentice."""
    return persona.name == APPRENTICE[obj]


def marks(persona: Persona, obj: str) -> bool:
    """The enrolment's practice tutor or the provider's programme leader."""
    return (persona.name == "practice_tutor" and obj in TUTORED) or persona.name in (
        PROVIDER_LEADERS.get(obj, set())
    )


def only_those(allowed) -> Answers:
    """`allowed` people get 200; others who see the enrolment 403; the rest 404."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if allowed(persona, obj):
            return OK
        return FORBIDDEN if sees(persona, obj) else NOT_FOUND

    return Answers(rule)


DASHBOARD_VIEWERS = frozenset({"programme_leader", "practice_tutor"})

ROUTES = {
    "apprenticeships:assignments": route(GET=reader()),
    "apprenticeships:assignment_submit": route(GET=only_those(submits), POST=only_those(submits)),
    "apprenticeships:submission": route(GET=reader()),
    "apprenticeships:submission_file": route(GET=reader()),
    "apprenticeships:submission_mark": route(GET=only_those(marks), POST=only_those(marks)),
    "apprenticeships:deadlines": route(GET=only(DASHBOARD_VIEWERS)),
}
