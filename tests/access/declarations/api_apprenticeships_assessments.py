"""The end-point assessments API at /api/v1/apprenticeships/assessments, as in
`declarations/api.py`.

An enrolment's attempts and one booking are read by whoever sees the enrolment (the booked
assessor is no persona: see tests/access/test_assessors.py); organisation tokens act as no person
and see none (404). "Mine" is any caller's own bookings (empty for the personas). Writes take a
JSON body and are told it is missing (422) before anything is read; the API's own tests check who
may write.
"""

from __future__ import annotations

from .api import caller
from .apprenticeships_enrolments import sees
from .shapes import NOT_FOUND, OK, UNAUTHORISED, Answers, Persona, Status, everyone, route

ASSESSMENTS = "/api/v1/apprenticeships/assessments"


def reader() -> Answers:
    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        return OK if who.person and sees(who, obj) else NOT_FOUND

    return Answers(rule)


OPERATIONS = {
    f"GET {ASSESSMENTS}/mine": caller(),
    f"GET {ASSESSMENTS}/enrolments/{{pk}}": reader(),
    f"POST {ASSESSMENTS}/enrolments/{{pk}}": caller(422),
    f"GET {ASSESSMENTS}/{{pk}}": reader(),
    f"POST {ASSESSMENTS}/{{pk}}/results": caller(422),
}

# With a browser session (which only reads): GET as with a personal token; writes are a 401.
WRITE = everyone(UNAUTHORISED)
ROUTES = {
    "api:apprenticeship_my_assessments": route(public=True, GET=caller()),
    "api:apprenticeship_enrolment_assessments": route(public=True, GET=reader(), POST=WRITE),
    # Booking shares the list's path (django-ninja names the one URL twice): the same answers.
    "api:apprenticeship_book_assessment": route(public=True, GET=reader(), POST=WRITE),
    "api:apprenticeship_assessment": route(public=True, GET=reader()),
    "api:apprenticeship_assessment_results": route(public=True, POST=WRITE),
}
