"""Off-the-job log pages (see objects_apprenticeships_off_the_job.py: an active enrolment of the
object's organisation, as in apprenticeships_scene.py, with one entry awaiting the tutor).

The log is seen by whoever sees the enrolment (apprenticeships_enrolments.sees); 404 for everyone
else. Logging, changing and deleting an entry are for the apprentice alone: an empty POST is the
form again with its errors (200), deleting redirects to the log; 403 to the others who see it.
Checking (verify or query) is for the enrolment's practice tutor and the provider's programme
leader: an empty POST is the form with its errors (200); 403 to the others who see it. The list
of entries awaiting a check is for anyone signed in (it lists only what they may check).
"""

from __future__ import annotations

from .apprenticeships_enrolments import APPRENTICE, PROVIDER_LEADERS, TUTORED, sees
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


def logs(persona: Persona, obj: str) -> bool:
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


def only(allowed, ok: Status = OK) -> Answers:
    """`ok` for whom `allowed` names; 403 for the others who see the enrolment; 404 otherwise."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if allowed(persona, obj):
            return ok
        return FORBIDDEN if sees(persona, obj) else NOT_FOUND

    return Answers(rule)


ROUTES = {
    "apprenticeships:off_the_job_log": route(GET=reader()),
    "apprenticeships:off_the_job_new": route(GET=only(logs), POST=only(logs)),
    "apprenticeships:off_the_job_edit": route(GET=only(logs), POST=only(logs)),
    "apprenticeships:off_the_job_delete": route(GET=only(logs), POST=only(logs, REDIRECT)),
    "apprenticeships:off_the_job_check": route(GET=only(checks), POST=only(checks)),
    "apprenticeships:off_the_job_to_check": route(GET=signed_in()),
}
