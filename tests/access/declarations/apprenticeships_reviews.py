"""Progress review pages (see objects_apprenticeships_reviews.py: review 1, unrecorded, of a new
enrolment of the object's organisation, as in apprenticeships_scene.py).

An enrolment's reviews and each review are seen by whoever sees the enrolment (its apprentice,
line manager and tutor, the employer's L&D leads and levy officers, the provider's programme
leaders); 404 for everyone else. Recording is for the enrolment's practice tutor and the
provider's programme leaders (403 to the others who see it; an empty POST is the form with its
errors, 200). Signing is for the named apprentice, line manager and tutor: an empty POST is the
review's page again with its error (200), whoever's turn it is; 403 to the others who see it.
"Reviews due" is for anyone signed in (it lists only what their roles give them; empty for most).
"""

from __future__ import annotations

from .apprenticeships_enrolments import APPRENTICE, LINE_MANAGER, TUTORED, sees
from .shapes import FORBIDDEN, LOGIN, NOT_FOUND, OK, Answers, Persona, Status, route

PROVIDER_LEADERS = {"own": {"programme_leader"}, "partner": {"programme_leader"}}


def signs(persona: Persona, obj: str) -> bool:
    """The named apprentice, line manager or practice tutor."""
    return (
        persona.name == APPRENTICE[obj]
        or persona.name == LINE_MANAGER.get(obj)
        or (persona.name == "practice_tutor" and obj in TUTORED)
    )


def records(persona: Persona, obj: str) -> bool:
    """The practice tutor or the provider's programme leader."""
    return (persona.name == "practice_tutor" and obj in TUTORED) or persona.name in (
        PROVIDER_LEADERS.get(obj, set())
    )


def reader() -> Answers:
    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return OK if sees(persona, obj) else NOT_FOUND

    return Answers(rule)


def allowed(check) -> Answers:
    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if check(persona, obj):
            return OK
        return FORBIDDEN if sees(persona, obj) else NOT_FOUND

    return Answers(rule)


def anyone_signed_in() -> Answers:
    return Answers(lambda persona, obj: OK if persona.signed_in else LOGIN)


ROUTES = {
    "apprenticeships:reviews": route(GET=reader()),
    "apprenticeships:reviews_due": route(GET=anyone_signed_in()),
    "apprenticeships:review": route(GET=reader()),
    "apprenticeships:record_review": route(GET=allowed(records), POST=allowed(records)),
    "apprenticeships:sign_review": route(POST=allowed(signs)),
}
