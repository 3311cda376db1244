"""What the demo partnership contains: real organisations from `data/`, a fictional workforce.

`make_plan()` is pure: from the reference data and a fixed seed it describes every organisation,
person, employment and role, the same on every run. `demo.build_demo()` loads it.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from faker import Faker

from .models import (
    SECTOR_OF_KIND,
    Destination,
    EmploymentKind,
    OrganisationKind,
    OrganisationRole,
    PartnershipRole,
)
from .workforce import WORKFORCE_OF_KIND, Job

DATA_DIR = Path(__file__).resolve().parent / "data"
SEED = 20260401
DEMO_PASSWORD = "joined-up-demo"  # noqa: S105 - printed for everyone: these are demo accounts

PARTNERSHIP = "West and North London"
OTHER_PARTNERSHIP = "Greater Manchester (demo)"
PARTNERSHIP_REGIONS = {PARTNERSHIP: "London", OTHER_PARTNERSHIP: "North West"}
ICB_CODE = "Z9B2Z"
BOROUGHS = (
    "Barnet",
    "Brent",
    "Camden",
    "Ealing",
    "Enfield",
    "Hammersmith and Fulham",
    "Haringey",
    "Harrow",
    "Hillingdon",
    "Hounslow",
    "Islington",
    "Kensington and Chelsea",
    "Westminster",
)
TRUSTS = ("R1K", "RYJ", "RQM", "RV3", "RKL", "RAL", "RKE", "G6V2S")
OTHER_COUNCILS = ("E08000003", "E08000006")  # Manchester and Salford
OWN = "E09000003"  # Barnet: the personas' own organisation, as in the test world
PARTNER = "R1K"
FICTIONAL = (
    # name, kind, e-mail domain, levy payer
    ("North Thames Police", OrganisationKind.POLICE, "police.norththames.example", True),
    (
        "North Thames Fire and Rescue Service",
        OrganisationKind.FIRE,
        "fire.norththames.example",
        True,
    ),
    ("Canalside Carers Network", OrganisationKind.VCSE, "canalsidecarers.example", False),
    ("Northway Youth Trust", OrganisationKind.VCSE, "northwayyouth.example", False),
    ("University of North Thames", OrganisationKind.EDUCATION, "unt.example", True),
)

# Current staff per organisation: about 3,000 in all.
SIZE_OF_KIND = {
    OrganisationKind.LONDON_BOROUGH: 80,
    OrganisationKind.NHS_TRUST: 180,
    OrganisationKind.NHS_FOUNDATION_TRUST: 180,
    OrganisationKind.INTEGRATED_CARE_BOARD: 60,
    OrganisationKind.POLICE: 120,
    OrganisationKind.FIRE: 60,
    OrganisationKind.VCSE: 20,
    OrganisationKind.EDUCATION: 80,
    OrganisationKind.METROPOLITAN_DISTRICT: 20,
}
LEAVER_SHARE = 0.06
MOVER_SHARE = 0.12
PROMOTED_SHARE = 0.10
JOINT_POSTS = 20
LEAVING = (
    # destination, weight, reason
    (Destination.OTHER_PUBLIC, 22, "Resignation"),
    (Destination.PRIVATE, 20, "Resignation"),
    (Destination.VOLUNTARY, 8, "Resignation"),
    (Destination.EDUCATION, 6, "Left to study"),
    (Destination.RETIRED, 18, "Retirement"),
    (Destination.NOT_WORKING, 8, "Caring responsibilities"),
    (Destination.UNKNOWN, 18, "End of fixed-term contract"),
)

# Every demo date lies in the past of any day the demo is loaded, so it always looks the same.
CAREER_FLOOR = dt.date(2005, 1, 1)
LAST_START = dt.date(2026, 3, 31)
LAST_LEAVING = dt.date(2026, 9, 30)
JOINED_PARTNERSHIP = dt.date(2026, 4, 1)
LONG_ESTABLISHED = dt.date(1965, 4, 1)  # when the London boroughs were created
YEAR = dt.timedelta(days=365)


def normal_case(upper_name: str) -> str:
    """An upper-case register name in normal capitalisation, keeping "NHS" and lower "and"/"of"."""
    words = []
    for index, word in enumerate(upper_name.split()):
        lower = word.lower()
        if lower == "nhs":
            words.append("NHS")
        elif lower in {"and", "of"} and index > 0:
            words.append(lower)
        else:
            words.append("-".join(part.capitalize() for part in lower.split("-")))
    return " ".join(words)


def read_rows(name: str) -> list[dict[str, str]]:
    """The rows of one of the reference CSV files in `data/`."""
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def email_part(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


@dataclass(frozen=True)
class OrganisationPlan:
    key: str  # the official code, or the name of a fictional organisation
    name: str
    kind: str
    official_code: str
    is_levy_payer: bool
    is_fictional: bool
    domain: str
    opened_on: dt.date
    partnership: str = PARTNERSHIP


@dataclass
class PersonPlan:
    email: str
    given_name: str
    family_name: str
    addresses: list[str]
    persona: str = ""


@dataclass
class EmploymentPlan:
    organisation: str
    employee_number: str
    person: str
    work_email: str
    job: Job
    seniority: int
    start_date: dt.date
    kind: str = EmploymentKind.PERMANENT
    end_date: dt.date | None = None
    line_manager: str = ""  # an employee number at the same organisation
    leaving_reason: str = ""
    destination: str = ""
    destination_organisation: str = ""


@dataclass(frozen=True)
class Persona:
    key: str
    label: str
    name: str
    organisation: str
    job_title: str
    grade: str
    role: str = ""  # an organisation or partnership role

    @property
    def job(self) -> Job:
        return Job(self.job_title, self.grade, 0)


PERSONAS = (
    Persona("own_staff", "Own-organisation staff", "Sam Okafor", OWN, "Social worker", "PO1"),
    Persona("own_line_manager", "Own line manager", "Lena Marsh", OWN, "Team manager", "PO4"),
    Persona(
        "own_admin", "Own organisation admin", "Ada Adeyemi", OWN, "HR systems manager", "PO5",
        OrganisationRole.ORG_ADMIN,
    ),
    Persona(
        "own_ld_lead", "Own L&D lead", "Lee Fraser", OWN, "Learning and development lead", "PO6",
        OrganisationRole.LD_LEAD,
    ),
    Persona(
        "own_levy_officer", "Own levy officer", "Lev Patel", OWN, "Apprenticeship levy officer",
        "PO2", OrganisationRole.LEVY_OFFICER,
    ),
    Persona("partner_staff", "Partner staff", "Pat Nwosu", PARTNER, "Staff nurse", "Band 5"),
    Persona(
        "partner_admin", "Partner admin", "Pam Hughes", PARTNER, "Workforce systems lead",
        "Band 7", OrganisationRole.ORG_ADMIN,
    ),
    Persona(
        "partner_ld_lead", "Partner L&D lead", "Pia Kowalski", PARTNER,
        "Head of learning and development", "Band 8b", OrganisationRole.LD_LEAD,
    ),
    Persona(
        "partner_levy_officer", "Partner levy officer", "Priya Lal", PARTNER,
        "Apprenticeship levy officer", "Band 6", OrganisationRole.LEVY_OFFICER,
    ),
    Persona(
        "charity_levy_officer", "Charity levy officer", "Chidi Obi", "Canalside Carers Network",
        "Finance and apprenticeships officer", "Grade C", OrganisationRole.LEVY_OFFICER,
    ),
    Persona(
        "partnership_lead", "Partnership lead", "Paula Reid", ICB_CODE,
        "Director of people partnerships", "Band 9", PartnershipRole.PARTNERSHIP_LEAD,
    ),
    Persona(
        "outsider", "Outsider (another partnership)", "Oscar Brennan", OTHER_COUNCILS[0],
        "Policy officer", "PO1", OrganisationRole.ORG_ADMIN,
    ),
)  # fmt: skip


@dataclass
class DemoPlan:
    organisations: list[OrganisationPlan]
    people: list[PersonPlan] = field(default_factory=list)
    employments: list[EmploymentPlan] = field(default_factory=list)
    organisation_roles: list[tuple[str, str, str]] = field(default_factory=list)  # email, org, role
    partnership_roles: list[tuple[str, str, str]] = field(default_factory=list)  # email, name, role


def plan_organisations() -> list[OrganisationPlan]:
    """The organisations of both demo partnerships, named and coded from the reference data."""
    icbs = {row["icb_ods_code"]: row for row in read_rows("nhs_icbs_2026.csv")}
    boroughs = {row["name"]: row for row in read_rows("london_boroughs.csv")}
    trusts = {row["trust_ods_code"]: row for row in read_rows("nhs_trusts.csv")}
    councils = {row["gss_code"]: row for row in read_rows("local_authorities_england.csv")}
    missing = (
        [f"NHS trust {code}" for code in TRUSTS if code not in trusts]
        + [f"London borough {name}" for name in BOROUGHS if name not in boroughs]
        + [f"council {code}" for code in OTHER_COUNCILS if code not in councils]
    )
    if ICB_CODE not in icbs:
        missing.append(f"integrated care board {ICB_CODE}")
    if missing:
        raise ValueError("Not in the reference data: " + ", ".join(missing))

    icb = icbs[ICB_CODE]
    organisations = [
        OrganisationPlan(
            key=ICB_CODE,
            name=icb["icb_name"],
            kind=OrganisationKind.INTEGRATED_CARE_BOARD,
            official_code=ICB_CODE,
            is_levy_payer=True,  # an ICB's pay bill is well over the £3m levy threshold
            is_fictional=False,
            domain="wnl.icb.nhs.example",
            opened_on=dt.date.fromisoformat(icb["established_on"]),
        )
    ]
    for name in BOROUGHS:
        row = boroughs[name]
        organisations.append(
            OrganisationPlan(
                key=row["gss_code"],
                name=row["official_name"],
                kind=OrganisationKind.LONDON_BOROUGH,
                official_code=row["gss_code"],
                is_levy_payer=True,
                is_fictional=False,
                domain=f"{email_part(name)}.gov.example",
                opened_on=LONG_ESTABLISHED,
            )
        )
    for code in TRUSTS:
        row = trusts[code]
        name = normal_case(row["trust_name"])
        foundation = "Foundation Trust" in name
        organisations.append(
            OrganisationPlan(
                key=code,
                name=name,
                kind=OrganisationKind.NHS_FOUNDATION_TRUST
                if foundation
                else OrganisationKind.NHS_TRUST,
                official_code=code,
                is_levy_payer=True,
                is_fictional=False,
                domain=f"{code.lower()}.nhs.example",
                opened_on=dt.date.fromisoformat(row["open_date"]),
            )
        )
    for name, kind, domain, levy_payer in FICTIONAL:
        organisations.append(
            OrganisationPlan(
                key=name,
                name=name,
                kind=kind,
                official_code="",
                is_levy_payer=levy_payer,
                is_fictional=True,
                domain=domain,
                opened_on=LONG_ESTABLISHED,
            )
        )
    for code in OTHER_COUNCILS:
        row = councils[code]
        organisations.append(
            OrganisationPlan(
                key=code,
                name=row["official_name"],
                kind=OrganisationKind.METROPOLITAN_DISTRICT,
                official_code=code,
                is_levy_payer=True,
                is_fictional=False,
                domain=f"{email_part(row['name'])}.gov.example",
                opened_on=LONG_ESTABLISHED,
                partnership=OTHER_PARTNERSHIP,
            )
        )
    return organisations


class _Planner:
    """Draws the fictional workforce from one seeded random source, so every run draws the same."""

    def __init__(self, organisations: list[OrganisationPlan]) -> None:
        self.rng = random.Random(SEED)
        self.fake = Faker("en_GB")
        self.fake.seed_instance(SEED)
        self.plan = DemoPlan(organisations=organisations)
        self.used_addresses: set[str] = set()
        self.numbers: dict[str, int] = defaultdict(int)
        self.current: dict[str, list[EmploymentPlan]] = defaultdict(list)
        self.personas: dict[str, EmploymentPlan] = {}

    def address(self, given: str, family: str, domain: str) -> str:
        local = f"{email_part(given)}.{email_part(family)}"
        candidate, suffix = f"{local}@{domain}", 1
        while candidate in self.used_addresses:
            suffix += 1
            candidate = f"{local}{suffix}@{domain}"
        self.used_addresses.add(candidate)
        return candidate

    def person(self, organisation: OrganisationPlan, name: str = "") -> PersonPlan:
        given, family = (
            name.split(" ", 1) if name else (self.fake.first_name(), self.fake.last_name())
        )
        email = self.address(given, family, organisation.domain)
        person = PersonPlan(email=email, given_name=given, family_name=family, addresses=[email])
        self.plan.people.append(person)
        return person

    def employ(
        self,
        person: PersonPlan,
        organisation: OrganisationPlan,
        job: Job,
        start: dt.date,
        work_email: str = "",
        **details,
    ) -> EmploymentPlan:
        self.numbers[organisation.key] += 1
        employment = EmploymentPlan(
            organisation=organisation.key,
            employee_number=f"D{self.numbers[organisation.key]:06d}",
            person=person.email,
            work_email=work_email or person.email,
            job=job,
            seniority=WORKFORCE_OF_KIND[organisation.kind].grades[job.grade],
            start_date=start,
            **details,
        )
        self.plan.employments.append(employment)
        if employment.end_date is None:
            self.current[organisation.key].append(employment)
        return employment

    def day_between(self, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=self.rng.randrange((last - first).days + 1))

    def start_date(self, organisation: OrganisationPlan) -> dt.date:
        return max(organisation.opened_on, self.day_between(CAREER_FLOOR, LAST_START))

    def draw_jobs(self, organisation: OrganisationPlan, count: int) -> list[Job]:
        jobs = WORKFORCE_OF_KIND[organisation.kind].sampled_jobs
        return self.rng.choices(jobs, weights=[job.weight for job in jobs], k=count)

    def staff(self) -> None:
        """Each organisation's head, its personas and a weighted draw of posts."""
        for organisation in self.plan.organisations:
            head = WORKFORCE_OF_KIND[organisation.kind].head
            self.employ(
                self.person(organisation), organisation, head, self.start_date(organisation)
            )
            for persona in PERSONAS:
                if persona.organisation != organisation.key:
                    continue
                person = self.person(organisation, persona.name)
                person.persona = persona.key
                self.personas[persona.key] = self.employ(
                    person, organisation, persona.job, self.start_date(organisation)
                )
                if persona.role in PartnershipRole.values:
                    role = (person.email, organisation.partnership, persona.role)
                    self.plan.partnership_roles.append(role)
                elif persona.role:
                    self.plan.organisation_roles.append(
                        (person.email, organisation.key, persona.role)
                    )
            size = SIZE_OF_KIND[organisation.kind] - len(self.current[organisation.key])
            for job in self.draw_jobs(organisation, size):
                self.employ(
                    self.person(organisation), organisation, job, self.start_date(organisation)
                )

    def joint_posts(self) -> None:
        """People employed by a borough and by the ICB or a trust at the same time."""
        by_key = {organisation.key: organisation for organisation in self.plan.organisations}
        boroughs = [o for o in self.plan.organisations if o.kind == OrganisationKind.LONDON_BOROUGH]
        for index in range(JOINT_POSTS):
            borough = boroughs[index % len(boroughs)]
            health = by_key[ICB_CODE if index % 2 == 0 else TRUSTS[index % len(TRUSTS)]]
            if health.kind == OrganisationKind.INTEGRATED_CARE_BOARD:
                jobs = (Job("Joint commissioning manager", "PO6", 0),
                        Job("Joint commissioning manager", "Band 8a", 0))  # fmt: skip
            else:
                jobs = (Job("Integrated discharge lead", "PO5", 0),
                        Job("Integrated discharge lead", "Band 7", 0))  # fmt: skip
            start = max(health.opened_on, self.day_between(dt.date(2019, 1, 1), LAST_START))
            person = self.person(borough)
            self.employ(person, borough, jobs[0], start, kind=EmploymentKind.JOINT_POST)
            health_email = self.address(person.given_name, person.family_name, health.domain)
            person.addresses.append(health_email)
            self.employ(
                person, health, jobs[1], start, health_email, kind=EmploymentKind.JOINT_POST
            )

    def histories(self) -> None:
        """Earlier jobs: moves from a partner in another sector, and promotions."""
        members = [o for o in self.plan.organisations if o.partnership == PARTNERSHIP]
        people = {person.email: person for person in self.plan.people}
        for organisation in members:
            for employment in list(self.current[organisation.key]):
                person = people[employment.person]
                if person.persona or employment.kind == EmploymentKind.JOINT_POST:
                    continue
                draw = self.rng.random()
                if draw < MOVER_SHARE:
                    self._moved_across_sectors(employment, person, organisation, members)
                elif draw < MOVER_SHARE + PROMOTED_SHARE:
                    self._promoted(employment, person, organisation)

    def _moved_across_sectors(
        self,
        employment: EmploymentPlan,
        person: PersonPlan,
        organisation: OrganisationPlan,
        members: list[OrganisationPlan],
    ) -> None:
        start = employment.start_date
        if start - 2 * YEAR < CAREER_FLOOR:
            return
        earlier = [
            other
            for other in members
            if SECTOR_OF_KIND[other.kind] != SECTOR_OF_KIND[organisation.kind]
            and other.opened_on <= start - 2 * YEAR
        ]
        if not earlier:
            return
        previous = self.rng.choice(earlier)
        began = self.day_between(max(previous.opened_on, start - 10 * YEAR), start - YEAR)
        email = self.address(person.given_name, person.family_name, previous.domain)
        person.addresses.append(email)
        self.employ(
            person,
            previous,
            self.draw_jobs(previous, 1)[0],
            began,
            email,
            end_date=start - dt.timedelta(days=1),
            leaving_reason="Resignation",
            destination=Destination.PARTNER,
            destination_organisation=organisation.key,
        )

    def _promoted(
        self, employment: EmploymentPlan, person: PersonPlan, organisation: OrganisationPlan
    ) -> None:
        workforce = WORKFORCE_OF_KIND[organisation.kind]
        lower = [
            j for j in workforce.sampled_jobs if workforce.grades[j.grade] < employment.seniority
        ]
        start = employment.start_date
        earliest = max(organisation.opened_on, CAREER_FLOOR)
        if not lower or start - 2 * YEAR < earliest:
            return
        began = self.day_between(max(earliest, start - 8 * YEAR), start - YEAR)
        self.employ(
            person,
            organisation,
            self.rng.choice(lower),
            began,
            end_date=start - dt.timedelta(days=1),
            leaving_reason="Promotion",
        )

    def leavers(self) -> None:
        """People who have left, with where they went."""
        weights = [weight for _, weight, _ in LEAVING]
        for organisation in self.plan.organisations:
            count = round(SIZE_OF_KIND[organisation.kind] * LEAVER_SHARE)
            for job in self.draw_jobs(organisation, count):
                started = max(organisation.opened_on, self.day_between(CAREER_FLOOR, LAST_START))
                ended = self.day_between(started + dt.timedelta(days=90), LAST_LEAVING)
                destination, _, reason = self.rng.choices(LEAVING, weights=weights)[0]
                self.employ(
                    self.person(organisation),
                    organisation,
                    job,
                    started,
                    end_date=ended,
                    leaving_reason=reason,
                    destination=destination,
                )

    def line_managers(self) -> None:
        """Everyone but the head reports to someone a little more senior in their organisation."""
        for staff in self.current.values():
            ranked = sorted(staff, key=lambda e: -e.seniority)
            for employment in ranked[1:]:
                above = [e for e in ranked if e.seniority > employment.seniority]
                near = [e for e in above if e.seniority <= employment.seniority + 2]
                employment.line_manager = self.rng.choice(
                    near or above or ranked[:1]
                ).employee_number
        # The own line manager persona manages the own staff persona and a few social workers.
        manager = self.personas["own_line_manager"]
        for employment in [e for e in self.current[OWN] if e.job.title == "Social worker"][:6]:
            employment.line_manager = manager.employee_number

    def roles(self) -> None:
        """An admin, an L&D lead and (for levy payers) a levy officer in every organisation."""
        held = {(organisation, role) for _, organisation, role in self.plan.organisation_roles}
        personas = list(self.personas.values())
        for organisation in self.plan.organisations:
            wanted = [OrganisationRole.ORG_ADMIN, OrganisationRole.LD_LEAD]
            if organisation.is_levy_payer:
                wanted.append(OrganisationRole.LEVY_OFFICER)
            # Staff nearest seniority 6 first; never the head, a persona or a joint post.
            staff = [
                e
                for e in self.current[organisation.key][1:]
                if e not in personas and e.kind != EmploymentKind.JOINT_POST
            ]
            candidates = iter(sorted(staff, key=lambda e: abs(e.seniority - 6)))
            for role in wanted:
                if (organisation.key, role) not in held:
                    self.plan.organisation_roles.append(
                        (next(candidates).person, organisation.key, role)
                    )
        analyst = next(e for e in self.current[ICB_CODE] if e.job.title == "Data analyst")
        self.plan.partnership_roles += [
            (analyst.person, PARTNERSHIP, PartnershipRole.PARTNERSHIP_ANALYST),
            (
                self.current[OTHER_COUNCILS[0]][0].person,
                OTHER_PARTNERSHIP,
                PartnershipRole.PARTNERSHIP_LEAD,
            ),
        ]


def make_plan() -> DemoPlan:
    """Describe the whole demo; the same on every call."""
    planner = _Planner(plan_organisations())
    planner.staff()
    planner.joint_posts()
    planner.histories()
    planner.leavers()
    planner.line_managers()
    planner.roles()
    return planner.plan
