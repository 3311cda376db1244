"""The assignments API under /api/v1/apprenticeships, as in `declarations/api.py`.

An enrolment's assignments and an attempt are read by whom the assignment pages show them to (see
apprenticeships_assignments.py); organisation tokens act as no person and see none (404). Writes
take a JSON body and are told it is missing (422) before anything is read; the API's own tests
check who may write (the apprentice submits, as JSON or as multipart form data with a file; the
tutor and programme leader mark). The deadline
dashboard is for practice tutors and programme leaders (403 for every other caller, organisation
tokens included).
"""

from __future__ import annotations

from .api import caller
from .apprenticeships_assignments import DASHBOARD_VIEWERS
from .apprenticeships_enrolments import sees
from .shapes import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    UNAUTHORISED,
    Answers,
    Persona,
    Status,
    everyone,
    route,
)

BASE = "/api/v1/apprenticeships"


def reader() -> Answers:
    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        return OK if who.person and sees(who, obj) else NOT_FOUND

    return Answers(rule)


def dashboard_viewer() -> Answers:
    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        return OK if who.person and who.name in DASHBOARD_VIEWERS else FORBIDDEN

    return Answers(rule)


OPERATIONS = {
    f"GET {BASE}/enrolments/{{pk}}/assignments": reader(),
    f"POST {BASE}/enrolments/{{pk}}/submissions": caller(422),
    f"POST {BASE}/enrolments/{{pk}}/submissions/file": caller(422),
    f"GET {BASE}/submissions/{{pk}}": reader(),
    f"POST {BASE}/submissions/{{pk}}/mark": caller(422),
    f"GET {BASE}/deadlines": dashboard_viewer(),
}

# With a browser session (which only reads): GET as with a personal token; writes are a 401.
WRITE = everyone(UNAUTHORISED)
ROUTES = {
    "api:apprenticeship_assignments": route(public=True, GET=reader()),
    "api:apprenticeship_submit": route(public=True, POST=WRITE),
    "api:apprenticeship_submit_file": route(public=True, POST=WRITE),
    "api:apprenticeship_submission": route(public=True, GET=reader()),
    "api:apprenticeship_mark": route(public=True, POST=WRITE),
    "api:apprenticeship_deadlines": route(public=True, GET=dashboard_viewer()),
}
