"""Grade tables and job titles by kind of employer, shared by the demo and the scale generator.

Each organisation keeps its own grade table (grade name -> seniority 1-9, see DESIGN.md). These are
the typical tables of each kind of employer: NHS Agenda for Change bands (8a-8d all count as 8),
local government pay scales, police ranks and police staff grades, fire service roles, a charity's
grades and the higher-education pay spine. Job titles name the grade they are usually paid at and a
weight that says how common they are, so a sample looks like a real workforce: many front-line
staff, few directors.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import OrganisationKind


@dataclass(frozen=True)
class Job:
    title: str
    grade: str
    weight: int


AGENDA_FOR_CHANGE = {
    "Band 2": 2,
    "Band 3": 3,
    "Band 4": 4,
    "Band 5": 5,
    "Band 6": 6,
    "Band 7": 7,
    "Band 8a": 8,
    "Band 8b": 8,
    "Band 8c": 8,
    "Band 8d": 8,
    "Band 9": 9,
}

COUNCIL_SCALES = {
    "Scale 1": 1,
    "Scale 2": 1,
    "Scale 3": 2,
    "Scale 4": 2,
    "Scale 5": 3,
    "Scale 6": 3,
    "SO1": 4,
    "SO2": 4,
    "PO1": 5,
    "PO2": 5,
    "PO3": 5,
    "PO4": 6,
    "PO5": 6,
    "PO6": 6,
    "PO7": 7,
    "PO8": 7,
    "Head of service": 8,
    "Director": 9,
    "Chief executive": 9,
}

POLICE_RANKS = {
    "Police staff A": 1,
    "Police staff B": 2,
    "Police community support officer": 2,
    "Police staff C": 3,
    "Constable": 3,
    "Police staff D": 4,
    "Sergeant": 4,
    "Police staff E": 5,
    "Inspector": 5,
    "Chief inspector": 6,
    "Superintendent": 7,
    "Chief superintendent": 8,
    "Assistant chief constable": 9,
    "Deputy chief constable": 9,
    "Chief constable": 9,
}

FIRE_ROLES = {
    "Support staff grade 3": 2,
    "Firefighter": 3,
    "Control operator": 3,
    "Crew manager": 4,
    "Watch manager": 5,
    "Station manager": 6,
    "Group manager": 7,
    "Area manager": 8,
    "Brigade manager": 9,
}

CHARITY_GRADES = {
    "Grade A": 2,
    "Grade B": 3,
    "Grade C": 4,
    "Grade D": 5,
    "Grade E": 6,
    "Grade F": 7,
    "Director": 8,
    "Chief executive": 9,
}

HIGHER_EDUCATION_SPINE = {
    "Grade 3": 2,
    "Grade 4": 3,
    "Grade 5": 4,
    "Grade 6": 5,
    "Grade 7": 6,
    "Grade 8": 7,
    "Grade 9": 8,
    "Senior leadership": 9,
}

NHS_JOBS = (
    Job("Chief executive", "Band 9", 0),
    Job("Healthcare assistant", "Band 2", 12),
    Job("Porter", "Band 2", 3),
    Job("Ward clerk", "Band 2", 2),
    Job("Domestic assistant", "Band 2", 3),
    Job("Senior healthcare assistant", "Band 3", 5),
    Job("Medical secretary", "Band 3", 4),
    Job("Receptionist", "Band 2", 2),
    Job("Pharmacy technician", "Band 4", 2),
    Job("Nursing associate", "Band 4", 3),
    Job("Assistant practitioner", "Band 4", 2),
    Job("Staff nurse", "Band 5", 16),
    Job("Midwife", "Band 6", 3),
    Job("Physiotherapist", "Band 5", 3),
    Job("Occupational therapist", "Band 5", 3),
    Job("Diagnostic radiographer", "Band 5", 2),
    Job("Paramedic", "Band 6", 1),
    Job("Senior staff nurse", "Band 6", 7),
    Job("Community mental health nurse", "Band 6", 3),
    Job("Biomedical scientist", "Band 6", 2),
    Job("Speech and language therapist", "Band 6", 1),
    Job("Ward sister", "Band 7", 3),
    Job("Clinical nurse specialist", "Band 7", 3),
    Job("Advanced clinical practitioner", "Band 7", 2),
    Job("Pharmacist", "Band 7", 2),
    Job("Clinical psychologist", "Band 8a", 1),
    Job("Matron", "Band 8a", 2),
    Job("Service manager", "Band 8a", 2),
    Job("Head of nursing", "Band 8c", 1),
    Job("General manager", "Band 8b", 1),
    Job("Associate director of operations", "Band 8d", 1),
    Job("Director of nursing", "Band 9", 1),
)

ICB_JOBS = (
    Job("Chief executive", "Band 9", 0),
    Job("Administrative assistant", "Band 3", 3),
    Job("Business support officer", "Band 4", 3),
    Job("Commissioning support officer", "Band 5", 4),
    Job("Data analyst", "Band 6", 4),
    Job("Commissioning manager", "Band 7", 6),
    Job("Quality and safeguarding lead", "Band 8a", 2),
    Job("Senior commissioning manager", "Band 8b", 3),
    Job("Head of population health", "Band 8c", 1),
    Job("Deputy director of strategy", "Band 8d", 1),
    Job("Director of people", "Band 9", 1),
)

COUNCIL_JOBS = (
    Job("Chief executive", "Chief executive", 0),
    Job("Cleaner", "Scale 1", 3),
    Job("School crossing patrol", "Scale 1", 1),
    Job("Refuse loader", "Scale 2", 3),
    Job("Customer service adviser", "Scale 4", 6),
    Job("Care worker", "Scale 4", 6),
    Job("Business support officer", "Scale 5", 5),
    Job("Library assistant", "Scale 3", 3),
    Job("Parking enforcement officer", "Scale 5", 2),
    Job("Housing officer", "Scale 6", 5),
    Job("Revenues and benefits officer", "Scale 6", 4),
    Job("Environmental health officer", "SO2", 2),
    Job("Family support worker", "SO1", 4),
    Job("Occupational therapist", "PO1", 2),
    Job("Social worker", "PO1", 7),
    Job("Planning officer", "PO2", 3),
    Job("Senior social worker", "PO3", 3),
    Job("Accountant", "PO3", 2),
    Job("Team manager", "PO4", 3),
    Job("Senior planning officer", "PO5", 1),
    Job("Service manager", "PO7", 2),
    Job("Head of children's services", "Head of service", 1),
    Job("Head of housing", "Head of service", 1),
    Job("Director of adult social care", "Director", 1),
)

POLICE_JOBS = (
    Job("Chief constable", "Chief constable", 0),
    Job("Administrative assistant", "Police staff A", 2),
    Job("Call handler", "Police staff B", 4),
    Job("Police community support officer", "Police community support officer", 5),
    Job("Detention officer", "Police staff C", 2),
    Job("Police constable", "Constable", 24),
    Job("Detective constable", "Constable", 6),
    Job("Intelligence analyst", "Police staff D", 2),
    Job("Police sergeant", "Sergeant", 6),
    Job("Detective sergeant", "Sergeant", 2),
    Job("HR business partner", "Police staff E", 1),
    Job("Police inspector", "Inspector", 3),
    Job("Chief inspector", "Chief inspector", 1),
    Job("Superintendent", "Superintendent", 1),
    Job("Chief superintendent", "Chief superintendent", 1),
    Job("Assistant chief constable", "Assistant chief constable", 1),
)

FIRE_JOBS = (
    Job("Chief fire officer", "Brigade manager", 0),
    Job("Administrator", "Support staff grade 3", 3),
    Job("Firefighter", "Firefighter", 20),
    Job("Fire control operator", "Control operator", 3),
    Job("Crew manager", "Crew manager", 5),
    Job("Fire safety inspector", "Watch manager", 2),
    Job("Watch manager", "Watch manager", 3),
    Job("Station manager", "Station manager", 2),
    Job("Group manager", "Group manager", 1),
    Job("Area manager", "Area manager", 1),
)

CHARITY_JOBS = (
    Job("Chief executive", "Chief executive", 0),
    Job("Support worker", "Grade A", 6),
    Job("Volunteer coordinator", "Grade B", 3),
    Job("Advice worker", "Grade B", 4),
    Job("Project officer", "Grade C", 3),
    Job("Fundraising officer", "Grade C", 2),
    Job("Project manager", "Grade D", 2),
    Job("Finance manager", "Grade E", 1),
    Job("Head of services", "Grade F", 1),
    Job("Director of operations", "Director", 1),
)

UNIVERSITY_JOBS = (
    Job("Vice-chancellor", "Senior leadership", 0),
    Job("Administrative assistant", "Grade 3", 4),
    Job("Library assistant", "Grade 4", 2),
    Job("Student services adviser", "Grade 5", 3),
    Job("Technician", "Grade 5", 3),
    Job("Research assistant", "Grade 6", 3),
    Job("Research fellow", "Grade 7", 3),
    Job("Lecturer", "Grade 7", 6),
    Job("Senior lecturer", "Grade 8", 4),
    Job("Course leader", "Grade 8", 2),
    Job("Associate professor", "Grade 9", 2),
    Job("Head of school", "Grade 9", 1),
    Job("Professor", "Senior leadership", 1),
)


@dataclass(frozen=True)
class Workforce:
    """How one kind of employer grades and names its jobs."""

    grades: dict[str, int]
    jobs: tuple[Job, ...]

    @property
    def head(self) -> Job:
        """The most senior post: one per organisation."""
        return self.jobs[0]

    @property
    def sampled_jobs(self) -> tuple[Job, ...]:
        """The posts drawn at random, by weight."""
        return tuple(job for job in self.jobs if job.weight)


NHS = Workforce(AGENDA_FOR_CHANGE, NHS_JOBS)
ICB = Workforce(AGENDA_FOR_CHANGE, ICB_JOBS)
COUNCIL = Workforce(COUNCIL_SCALES, COUNCIL_JOBS)
POLICE = Workforce(POLICE_RANKS, POLICE_JOBS)
FIRE = Workforce(FIRE_ROLES, FIRE_JOBS)
CHARITY = Workforce(CHARITY_GRADES, CHARITY_JOBS)
UNIVERSITY = Workforce(HIGHER_EDUCATION_SPINE, UNIVERSITY_JOBS)

WORKFORCE_OF_KIND: dict[str, Workforce] = {
    OrganisationKind.LONDON_BOROUGH: COUNCIL,
    OrganisationKind.METROPOLITAN_DISTRICT: COUNCIL,
    OrganisationKind.UNITARY_AUTHORITY: COUNCIL,
    OrganisationKind.COUNTY_COUNCIL: COUNCIL,
    OrganisationKind.DISTRICT_COUNCIL: COUNCIL,
    OrganisationKind.COMBINED_AUTHORITY: COUNCIL,
    OrganisationKind.NHS_TRUST: NHS,
    OrganisationKind.NHS_FOUNDATION_TRUST: NHS,
    OrganisationKind.INTEGRATED_CARE_BOARD: ICB,
    OrganisationKind.PRIMARY_CARE: NHS,
    OrganisationKind.POLICE: POLICE,
    OrganisationKind.FIRE: FIRE,
    OrganisationKind.VCSE: CHARITY,
    OrganisationKind.EDUCATION: UNIVERSITY,
    OrganisationKind.HOUSING_ASSOCIATION: CHARITY,
    OrganisationKind.CENTRAL_GOVERNMENT: COUNCIL,
    OrganisationKind.PRIVATE_COMPANY: CHARITY,
}
