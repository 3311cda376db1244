"""The apprenticeship objects every apprenticeship resolver builds on, made anew on every call (one
database may resolve every route).

- A programme "of" an organisation is provided by it: the own organisation's, the partner's (the
  standing partnership's provider, where the `programme_leader` and `practice_tutor` personas
  work) or the outsider's (in the other partnership).
- An enrolment "of" an organisation is one of its apprentices: the employer is that organisation.
  The own and partner enrolments are on a cohort of a new programme the partner provides; the
  outsider's on one the outsider provides.
- Own enrolments: the apprentice is the `apprentice` persona (where the standing world has it,
  else own_staff), the line manager own_line_manager, the practice tutor the `practice_tutor`
  persona. Partner enrolments: the apprentice is partner_staff, the tutor `practice_tutor`.
  Outsider enrolments: the apprentice is the outsider.
- The `programme_leader` persona is named leader of every programme the partner provides here.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from joinedup.apprenticeships.models import (
    Assignment,
    Cohort,
    CommitmentStatement,
    Enrolment,
    FundingRoute,
    Module,
    Programme,
    ProgrammeRole,
    ProgrammeStaff,
    Standard,
    Term,
)
from joinedup.partnership.tests.world import World

from .objects import STAFF, organisation_of

LEADER = "programme_leader"
TUTOR = "practice_tutor"
APPRENTICE = "apprentice"
_REFERENCES = itertools.count(1)
PROVIDER = {"own": "partner", "partner": "partner", "outsider": "outsider"}


def partnership_of(world: World, which: str):
    return world.other_partnership if which == "outsider" else world.partnership


def standard() -> Standard:
    return Standard.objects.get(reference_code="ST0480")


def programme(world: World, which: str) -> Programme:
    """A new programme provided by the object's organisation, with one module and assignment, and
    the programme leader and tutor personas named on the partner's."""
    made = Programme.objects.create(
        partnership=partnership_of(world, which),
        provider=organisation_of(world, which),
        standard=standard(),
        title=f"Matrix Senior Leader ({which})",
        created_by=world.person(STAFF[which]),
    )
    module = Module.objects.create(
        programme=made,
        order=1,
        title="Leading people",
        online_weeks=6,
        campus_days=2,
        term=Term.AUTUMN,
    )
    Assignment.objects.create(module=module, title="Reflective essay", weighting=100)
    if which == "partner":
        for persona, role in ((LEADER, ProgrammeRole.LEADER), (TUTOR, ProgrammeRole.TUTOR)):
            person = world.person(persona)
            if person is not None:
                ProgrammeStaff.objects.create(programme=made, person=person, role=role)
    return made


def cohort(world: World, which: str) -> Cohort:
    """A new cohort of a new programme of the object's organisation."""
    return Cohort.objects.create(
        programme=programme(world, which),
        name="September 2026",
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2028, 8, 31),
    )


def _apprentice(world: World, which: str) -> str:
    if which == "own" and world.person(APPRENTICE) is not None:
        return APPRENTICE
    return STAFF[which]


def enrolment(world: World, which: str, **fields) -> Enrolment:
    """A new enrolment of one of the object's organisation's staff (see the module docstring)."""
    on = cohort(world, PROVIDER[which])
    persona = _apprentice(world, which)
    values = {
        "reference": f"MX-{next(_REFERENCES):06d}-{which}",
        "cohort": on,
        "provider": on.programme.provider,
        "apprentice": world.person(persona),
        "employer": organisation_of(world, which),
        "employment": world.employments[persona],
        "line_manager": world.person("own_line_manager") if which == "own" else None,
        "practice_tutor": world.person(TUTOR) if which != "outsider" else None,
        "start_on": on.starts_on,
        "planned_end_on": on.ends_on,
        "price": Decimal(14000),
        "hours_per_week": Decimal(37),
        "funding_route": FundingRoute.PRIVATE,
        "funding_reason": "Not eligible for levy funding under the Level 7 rule",
        "required_off_the_job_hours": 400,
        "planned_off_the_job_hours": 400,
        "created_by": world.person(STAFF[which]),
    }
    values.update(fields)
    return Enrolment.objects.create(**values)


def statement(world: World, which: str) -> CommitmentStatement:
    """Version 1 of a new enrolment's commitment statement, unsigned."""
    made = enrolment(world, which)
    return CommitmentStatement.objects.create(
        enrolment=made, version=1, content={"reference": made.reference}
    )
