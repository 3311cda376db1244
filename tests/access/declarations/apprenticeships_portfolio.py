"""Portfolio pages (see objects_apprenticeships_portfolio.py: an active enrolment of the object's
organisation, as in apprenticeships_scene.py, with one item of evidence awaiting the tutor; for
the download, a file item).

The portfolio, the KSB coverage grid, an item and its file are seen by whoever sees the enrolment
(apprenticeships_enrolments.sees); 404 for everyone else. Adding and editing an item are for the
apprentice alone: an empty POST is the form again with its errors (200); 403 to the others who
see it. Signing off or asking for more is for the enrolment's practice tutor and the provider's
programme leader: an empty POST is the item page with the form's errors (200); 403 to the others
who see it.
"""

from __future__ import annotations

from .apprenticeships_enrolments import APPRENTICE, PROVIDER_LEADERS, TUTORED, sees
from .shapes import FORBIDDEN, LOGIN, NOT_FOUND, OK, Answers, Persona, Status, route


def adds(persona: Persona, obj: str) -> bool:
    """The enrolment's apprentice."""
    return persona.name == APPRENTICE[obj]


def checks(persona: Persona, obj: str) -> bool:
    """The enrolment's practice tutor or the provider's programme leader."""
    return (persona.name == "practice_tutor" and obj in TUTORED) or persona.name in (
        PROVIDER_LEADERS.get(obj, set())
    )


def reader() -> Answers:
    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return OK if sees(persona, obj) else NOT_FOUND

    return Answers(rule)


def only(allowed) -> Answers:
    """200 for whom `allowed` names; 403 for the others who see the enrolment; 404 otherwise."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if allowed(persona, obj):
            return OK
        return FORBIDDEN if sees(persona, obj) else NOT_FOUND

    return Answers(rule)


ROUTES = {
    "apprenticeships:portfolio": route(GET=reader()),
    "apprenticeships:ksb_coverage": route(GET=reader()),
    "apprenticeships:evidence_add": route(GET=only(adds), POST=only(adds)),
    "apprenticeships:evidence": route(GET=reader()),
    "apprenticeships:evidence_edit": route(GET=only(adds), POST=only(adds)),
    "apprenticeships:evidence_check": route(POST=only(checks)),
    "apprenticeships:evidence_download": route(GET=reader()),
}
