"""End-point assessment pages (see objects_apprenticeships_assessments.py and
apprenticeships_scene.py).

An enrolment's assessment page is seen by whoever sees the enrolment
(apprenticeships_enrolments.py); 404 for everyone else. Booking is for the provider's programme
leader (the own and partner enrolments are on the partner trust's programme): 403 to the others
who see the enrolment; an empty POST is the form with its errors (200). One booking (pk: an
attempt on the object's enrolment, whose assessor is someone outside the personas) is seen by
whoever sees its enrolment; recording
its results is for its assessor alone, so 403 to every persona who sees it and 404 to the rest.
The assessors' own view (a small matrix of internal and external assessors) is in
tests/access/test_assessors.py. "My assessments" is for anyone signed in.
"""

from __future__ import annotations

from .apprenticeships_enrolments import PROVIDER_LEADERS, sees
from .shapes import FORBIDDEN, LOGIN, NOT_FOUND, OK, Answers, Persona, Status, route


def reader() -> Answers:
    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return OK if sees(persona, obj) else NOT_FOUND

    return Answers(rule)


def booker() -> Answers:
    """The provider's programme leader; 403 for others who see the enrolment; 404 for the rest."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if persona.name in PROVIDER_LEADERS.get(obj, set()):
            return OK
        return FORBIDDEN if sees(persona, obj) else NOT_FOUND

    return Answers(rule)


def assessor_only() -> Answers:
    """The booked assessor is no persona: 403 for those who see the booking, else 404."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return FORBIDDEN if sees(persona, obj) else NOT_FOUND

    return Answers(rule)


def anyone_signed_in() -> Answers:
    return Answers(lambda persona, obj: OK if persona.signed_in else LOGIN)


ROUTES = {
    "apprenticeships:enrolment_assessments": route(GET=reader()),
    "apprenticeships:book_assessment": route(GET=booker(), POST=booker()),
    "apprenticeships:my_assessments": route(GET=anyone_signed_in()),
    "apprenticeships:assessment": route(GET=reader()),
    "apprenticeships:assessment_results": route(GET=assessor_only(), POST=assessor_only()),
}
