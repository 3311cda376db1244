"""Enrolment pages (see objects_apprenticeships_enrolments.py and apprenticeships_scene.py).

An enrolment "of" an organisation is one of its apprentices (apprenticeships_scene.enrolment):
the own and partner enrolments are on the partner trust's programme (its programme leader and
practice tutor personas are theirs), the outsider's on the outsider's own programme. An
enrolment is seen by its apprentice, line manager and tutor, the employer's L&D leads and levy
officers (acting for it) and the provider's programme leaders; 404 for everyone else. It is
changed (status, employer, off-the-job plan, terms) by the employer's L&D lead and the provider's
programme leader: 403 to the others who see it. An empty POST is the form with its errors (200).

Enrolling (pk: a cohort of a programme provided by the object's organisation) is for L&D leads
acting for a member of the cohort's partnership; 403 to the rest of the partnership; 404 outside.
The employer's list is for L&D leads and levy officers, the provider's for programme leaders
(403 for anyone else signed in); "my apprenticeship" is for anyone signed in.
"""

from __future__ import annotations

from .shapes import FACTS, FORBIDDEN, LOGIN, NOT_FOUND, OK, Answers, Persona, Status, route

# The enrolment of each object: its apprentice, line manager and tutor (apprenticeships_scene).
APPRENTICE = {
    "own": "apprentice" if "apprentice" in FACTS else "own_staff",
    "partner": "partner_staff",
    "outsider": "outsider",
}
LINE_MANAGER = {"own": "own_line_manager"}
TUTORED = frozenset({"own", "partner"})
EMPLOYER_LEADS = {"own": {"own_ld_lead"}, "partner": {"partner_ld_lead"}}
LEVY_OFFICERS = {"own": {"own_levy_officer"}}
# The partner trust provides the own and partner enrolments' programme.
PROVIDER_LEADERS = {"own": {"programme_leader"}, "partner": {"programme_leader"}}
LD_LEADS = frozenset({"own_ld_lead", "partner_ld_lead"})
LISTERS = frozenset({"own_ld_lead", "partner_ld_lead", "own_levy_officer"})


def manages(persona: Persona, obj: str) -> bool:
    """The employer's L&D lead or the provider's programme leader."""
    return persona.name in EMPLOYER_LEADS.get(obj, set()) | PROVIDER_LEADERS.get(obj, set())


def is_part_of(persona: Persona, obj: str) -> bool:
    """The enrolment's apprentice, line manager or practice tutor."""
    return (
        persona.name == APPRENTICE[obj]
        or persona.name == LINE_MANAGER.get(obj)
        or (persona.name == "practice_tutor" and obj in TUTORED)
    )


def sees(persona: Persona, obj: str) -> bool:
    """Whom the enrolment is visible to."""
    return (
        is_part_of(persona, obj)
        or persona.name in LEVY_OFFICERS.get(obj, set())
        or manages(persona, obj)
    )


def reader() -> Answers:
    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return OK if sees(persona, obj) else NOT_FOUND

    return Answers(rule)


def manager() -> Answers:
    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if manages(persona, obj):
            return OK
        return FORBIDDEN if sees(persona, obj) else NOT_FOUND

    return Answers(rule)


def enroller() -> Answers:
    """L&D leads of the cohort's partnership; 403 for its other members; 404 outside."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if not persona.sees(obj):
            return NOT_FOUND
        return OK if persona.name in LD_LEADS else FORBIDDEN

    return Answers(rule)


def only(names: frozenset[str]) -> Answers:
    """A list page without an object: these personas; 403 for the rest signed in."""
    return Answers(
        lambda persona, obj: (
            (OK if persona.name in names else FORBIDDEN) if persona.signed_in else LOGIN
        )
    )


def anyone_signed_in() -> Answers:
    return Answers(lambda persona, obj: OK if persona.signed_in else LOGIN)


ROUTES = {
    "apprenticeships:enrol": route(GET=enroller(), POST=enroller()),
    "apprenticeships:enrolments": route(GET=only(LISTERS)),
    "apprenticeships:provider_enrolments": route(GET=only(frozenset({"programme_leader"}))),
    "apprenticeships:my_apprenticeship": route(GET=anyone_signed_in()),
    "apprenticeships:enrolment": route(GET=reader()),
    "apprenticeships:enrolment_status": route(GET=manager(), POST=manager()),
    "apprenticeships:enrolment_employer": route(GET=manager(), POST=manager()),
    "apprenticeships:enrolment_off_the_job": route(GET=manager(), POST=manager()),
    "apprenticeships:enrolment_terms": route(GET=manager(), POST=manager()),
    "apprenticeships:progress": route(GET=reader()),
}
