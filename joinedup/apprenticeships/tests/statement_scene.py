"""A small scene for the commitment statement tests: a council's apprentice on a university's
Senior Leader cohort of two modules, the council's L&D lead, the university's programme leader,
a line manager and a practice tutor."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from joinedup.apprenticeships import reference
from joinedup.apprenticeships.models import (
    CohortDeadline,
    CohortModule,
    Enrolment,
    ProgrammeRole,
    ProgrammeStaff,
    Standard,
    Term,
)
from joinedup.apprenticeships.tests.factories import (
    AssignmentFactory,
    CohortFactory,
    EnrolmentFactory,
    ModuleFactory,
    ProgrammeFactory,
)
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import OrganisationRole, Person
from joinedup.partnership.tests.factories import (
    EmploymentFactory,
    OrganisationFactory,
    OrganisationRoleFactory,
)

BORN = dt.date(1990, 3, 14)
ELIGIBILITY = "Aged 36 at the start: a care leaver, but not under 25"


@dataclass
class Scene:
    enrolment: Enrolment
    apprentice: Actor
    employer: Actor
    provider: Actor
    line_manager: Actor
    tutor: Actor
    outsider: Actor

    def person(self, actor: Actor) -> Person:
        assert actor.person is not None
        return actor.person


def _staff(organisation, role: str | None = None, **person) -> Actor:
    employment = EmploymentFactory(
        organisation=organisation, **{f"person__{k}": v for k, v in person.items()}
    )
    if role:
        OrganisationRoleFactory(person=employment.person, organisation=organisation, role=role)
    return Actor(person=employment.person, organisation=organisation)


def senior_leader() -> Standard:
    """ST0480 as reference.py loads it (a transactional test's flush empties the table)."""
    row = next(row for row in reference.standard_rows() if row["reference_code"] == "ST0480")
    return Standard.objects.get_or_create(reference_code="ST0480", defaults=row)[0]


def build_scene(**enrolment_fields) -> Scene:
    """The scene, its enrolment awaiting commitment with no statement yet."""
    university = OrganisationFactory(name="University of Westminster Example")
    council = OrganisationFactory(name="Brent Council Example")
    programme = ProgrammeFactory(
        provider=university, standard=senior_leader(), title="Senior Leader MBA"
    )
    first = ModuleFactory(programme=programme, order=1, title="Leading people", term=Term.AUTUMN)
    second = ModuleFactory(programme=programme, order=2, title="Strategy", term=Term.SPRING)
    essay = AssignmentFactory(module=first, title="Reflective essay", weighting=100)
    report = AssignmentFactory(module=second, title="Strategy report", weighting=60)
    AssignmentFactory(module=second, title="Presentation", weighting=40)
    cohort = CohortFactory(programme=programme, name="September 2026")
    CohortModule.objects.create(
        cohort=cohort,
        module=first,
        starts_on=dt.date(2026, 9, 7),
        campus_from=dt.date(2026, 10, 19),
    )
    CohortModule.objects.create(cohort=cohort, module=second, starts_on=dt.date(2027, 1, 11))
    CohortDeadline.objects.create(cohort=cohort, assignment=essay, due_on=dt.date(2026, 11, 20))
    CohortDeadline.objects.create(cohort=cohort, assignment=report, due_on=dt.date(2027, 3, 26))
    apprentice = _staff(council, given_name="Amara", family_name="Okafor")
    employer = _staff(council, OrganisationRole.LD_LEAD, given_name="Lena", family_name="Lead")
    manager = _staff(council, given_name="Martin", family_name="Manager")
    provider = _staff(
        university, OrganisationRole.PROGRAMME_LEADER, given_name="Priya", family_name="Leader"
    )
    tutor = _staff(
        university, OrganisationRole.PRACTICE_TUTOR, given_name="Tom", family_name="Tutor"
    )
    ProgrammeStaff.objects.create(
        programme=programme, person=provider.person, role=ProgrammeRole.LEADER
    )
    outsider = _staff(OrganisationFactory(name="Elsewhere"), OrganisationRole.LD_LEAD)
    values = {
        "cohort": cohort,
        "employment": apprentice.person.employments.get(),
        "line_manager": manager.person,
        "practice_tutor": tutor.person,
        "date_of_birth": BORN,
        "care_leaver": True,
        "eligibility_reason": ELIGIBILITY,
        **enrolment_fields,
    }
    return Scene(
        enrolment=EnrolmentFactory(**values),
        apprentice=apprentice,
        employer=employer,
        provider=provider,
        line_manager=manager,
        tutor=tutor,
        outsider=outsider,
    )
