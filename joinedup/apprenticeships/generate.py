"""Synthetic apprenticeships at scale for benchmarks: a partnership's programmes, cohorts and
enrolments, written in bulk.

Run `joinedup generate` first: the employers are its benchmark partnership's organisations. This
adds a university to that partnership (its programme leader and eight practice tutors), which runs
one programme on each standard of `PROGRAMMES` (ST0480 Senior Leader and the others whose level
the key file gives), each with modules, assignments and two intakes a year (September and
January) from September 2019 to the first intake after `today`, with each cohort's module dates
and assignment deadlines.

Enrolments are spread over the partnership's other organisations: the largest employer takes
`largest_share` of them, the rest go by headcount. Each apprentice is a distinct current member of
staff of the employer (not one of its role holders), with their own line manager and one of the
programme's tutors. The funding decision follows the default rules in a simplified form (Level 7
starts from 1 January 2026: privately funded unless under 22, or under 25 as a care leaver or with
an EHC plan; otherwise levy-funded from the employer's levy account, made here for levy payers
without one, some transfers from the largest employer's, co-funded for non-payers). No levy
`Commitment` is made: the ledger is the levy generator's business. Off-the-job hours: 20% of
contracted hours (capped at 30 a week from August 2022); from August 2025 the standard's published
hours where known, else the same figure.

Statuses follow the dates: future starts await their commitment statement; recent starts partly
so; the rest are active, on a break, withdrawn, at gateway, in end-point assessment or completed,
each with its dated history (`EnrolmentStatusChange`). Every enrolment has a version 1
commitment statement signed in turn (apprentice, employer's L&D lead, programme leader) once it
started; a tenth have a version 2 signed again. Everything is `bulk_create`, drawn from one seeded
random source (the same seed and `today` give the same data). Then `ANALYZE` on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone
from tqdm import tqdm

from joinedup.levy.models import LevyAccount
from joinedup.partnership.generate import SCALE_PARTNERSHIP, GenerateRefused
from joinedup.partnership.models import (
    SECTOR_OF_KIND,
    Employment,
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationRole,
    OrganisationRoleGrant,
    Partnership,
    Person,
)

from .models import (
    Assignment,
    Cohort,
    CohortDeadline,
    CohortModule,
    CommitmentStatement,
    Enrolment,
    EnrolmentStatus,
    EnrolmentStatusChange,
    FundingRoute,
    Module,
    Party,
    Programme,
    ProgrammeRole,
    ProgrammeStaff,
    Signature,
    Standard,
    Term,
)

SIZES = {"small": 600, "large": 20_000}  # enrolments
LARGEST_SHARE = 0.20  # of the enrolments, for the largest employer (4,000 of 20,000)
TUTORS = 8
BATCH = 2_000
FIRST_INTAKE = dt.date(2019, 9, 1)
LEVEL_7_FROM = dt.date(2026, 1, 1)
CAPPED_FROM = dt.date(2022, 8, 1)
STANDARD_HOURS_FROM = dt.date(2025, 8, 1)
TRANSFER_SHARE = 0.15  # of other employers' levy-route enrolments, paid by the largest's account
V2_SHARE = 0.10  # of signed enrolments with a second statement version

SENIOR_LEADER_MODULES = (
    "Leading strategically",
    "Leading people and organisational culture",
    "Finance and resources for senior leaders",
    "Leading change and innovation",
    "Data, evidence and decisions",
    "Strategic project and end-point assessment preparation",
)
OTHER_MODULES = (
    "Self-awareness and leading others",
    "Working in partnership",
    "Managing projects and operations",
    "Professional practice and the law",
    "Quality, safety and improvement",
    "Preparing for end-point assessment",
)
# code, programme title, planned months, price, modules, share of the enrolments
PROGRAMMES = (
    ("ST0480", "Senior Leader Master's Degree Apprenticeship", 24, Decimal(14_000), 6, 30),
    ("ST0385", "Operations and Departmental Manager", 30, Decimal(7_000), 5, 20),
    ("ST0384", "Team Leader", 15, Decimal(5_000), 4, 20),
    ("ST0827", "Nursing Associate Foundation Degree", 24, Decimal(15_000), 6, 10),
    ("ST0510", "Social Worker Degree Apprenticeship", 36, Decimal(23_000), 6, 8),
    ("ST0747", "Counter Fraud Investigator", 24, Decimal(9_000), 4, 6),
    ("ST0708", "Public Sector Compliance Investigator", 18, Decimal(4_000), 4, 6),
)
HOURS = ((Decimal("37.5"), 70), (Decimal(36), 15), (Decimal(30), 10), (Decimal("22.5"), 5))
TERMS = (Term.AUTUMN, Term.SPRING, Term.SUMMER)
PRIOR_LEARNING_NOTE = "Recognised prior learning: an earlier Level 5 management qualification"


@dataclass(frozen=True)
class ApprenticeshipResult:
    provider: Organisation
    leader: Person
    programmes: int
    cohorts: int
    enrolments: int
    status_changes: int
    statements: int
    signatures: int


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def intakes(today: dt.date) -> list[dt.date]:
    """September and January intakes from September 2019 to the first one after `today`."""
    found, day = [], FIRST_INTAKE
    while True:
        found.append(day)
        if day > today:
            return found
        day = add_months(day, 4 if day.month == 9 else 8)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """A moment on a day (UTC), for timestamps that follow the dates."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


class _Bar:
    """bulk_create in batches, moving the progress bar."""

    def __init__(self, bar: tqdm) -> None:
        self.bar = bar

    def create(self, model: type[models.Model], objects: Iterable[models.Model]) -> list:
        made = []
        chunk: list[models.Model] = []
        for item in objects:
            chunk.append(item)
            if len(chunk) == BATCH:
                made += model.objects.bulk_create(chunk)
                self.bar.update(len(chunk))
                chunk = []
        if chunk:
            made += model.objects.bulk_create(chunk)
            self.bar.update(len(chunk))
        return made


def _university(partnership: Partnership, rng: random.Random):
    """The provider, a member of the partnership, with a programme leader and practice tutors."""
    kind = OrganisationKind.EDUCATION
    university = Organisation.objects.create(
        name=f"{partnership.name} University",
        kind=kind,
        sector=SECTOR_OF_KIND[kind],
        is_levy_payer=True,
        headcount=1 + TUTORS,
        is_fictional=True,
    )
    Membership.objects.create(partnership=partnership, organisation=university)
    names = ("Amara", "Ben", "Chloe", "Dev", "Esther", "Farid", "Grace", "Hugo", "Iris")
    families = ("Okafor", "Hughes", "Patel", "Nowak", "Lewis", "Rahman", "Young", "Evans", "Khan")
    people = Person.objects.bulk_create(
        Person(
            email=f"apprenticeships{index}.{university.pk}@university.scale.example",
            given_name=names[index],
            family_name=families[index],
            password=make_password(None),  # unusable: benchmarks sign in without one
        )
        for index in range(1 + TUTORS)
    )
    Employment.objects.bulk_create(
        Employment(
            person=person,
            organisation=university,
            job_title="Programme leader" if index == 0 else "Practice tutor",
            work_email=person.email,
            start_date=dt.date(2015, 9, 1) + dt.timedelta(days=rng.randrange(1500)),
        )
        for index, person in enumerate(people)
    )
    OrganisationRoleGrant.objects.bulk_create(
        OrganisationRoleGrant(
            person=person,
            organisation=university,
            role=OrganisationRole.PRACTICE_TUTOR if index else OrganisationRole.PROGRAMME_LEADER,
        )
        for index, person in enumerate(people)
    )
    return university, people[0], people[1:]


def _programmes(partnership, university, leader, tutors, today, write: _Bar):
    """One programme per standard of PROGRAMMES, with modules, assignments, staff and cohorts."""
    standards = {
        s.reference_code: s
        for s in Standard.objects.filter(reference_code__in=[p[0] for p in PROGRAMMES])
    }
    missing = [p[0] for p in PROGRAMMES if p[0] not in standards]
    if missing:
        raise GenerateRefused(f"Standards missing (migrate first): {', '.join(missing)}.")
    programmes = write.create(
        Programme,
        (
            Programme(
                partnership=partnership,
                provider=university,
                standard=standards[code],
                title=title,
                summary=f"{title}, run by {university.name} for the partners, blended: weeks "
                "online, then days on campus.",
                created_by=leader,
            )
            for code, title, *_ in PROGRAMMES
        ),
    )
    modules = write.create(
        Module,
        (
            Module(
                programme=programme,
                order=order,
                title=(SENIOR_LEADER_MODULES if spec[0] == "ST0480" else OTHER_MODULES)[order - 1],
                online_weeks=6,
                campus_days=2,
                term=TERMS[(order - 1) % 3],
            )
            for programme, spec in zip(programmes, PROGRAMMES, strict=True)
            for order in range(1, spec[4] + 1)
        ),
    )
    assignments = write.create(
        Assignment,
        (
            Assignment(
                module=module,
                title=f"{module.title}: {kind}",
                brief=f"Apply {module.title.lower()} to a piece of work in your organisation.",
                weighting=weighting,
            )
            for module in modules
            for kind, weighting in (("reflective account", 40), ("work-based project", 60))
        ),
    )
    write.create(
        ProgrammeStaff,
        [ProgrammeStaff(programme=p, person=leader, role=ProgrammeRole.LEADER) for p in programmes]
        + [
            ProgrammeStaff(programme=p, person=tutor, role=ProgrammeRole.TUTOR)
            for p in programmes
            for tutor in tutors
        ],
    )
    starts = intakes(today)
    cohorts = write.create(
        Cohort,
        (
            Cohort(
                programme=programme,
                name=f"{start:%B %Y}",
                starts_on=start,
                ends_on=add_months(start, spec[2]) - dt.timedelta(days=1),
                created_at=at(start - dt.timedelta(days=120)),
            )
            for programme, spec in zip(programmes, PROGRAMMES, strict=True)
            for start in starts
        ),
    )
    by_programme: dict[int, list[Module]] = {}
    for module in modules:
        by_programme.setdefault(module.programme_id, []).append(module)
    by_module: dict[int, list[Assignment]] = {}
    for assignment in assignments:
        by_module.setdefault(assignment.module_id, []).append(assignment)
    dated, deadlines = [], []
    for cohort in cohorts:
        mine = by_programme[cohort.programme_id]
        span = (cohort.ends_on - cohort.starts_on).days
        for index, module in enumerate(mine):
            begins = cohort.starts_on + dt.timedelta(days=span * index // (len(mine) + 1))
            campus = begins + dt.timedelta(weeks=module.online_weeks)
            dated.append(
                CohortModule(cohort=cohort, module=module, starts_on=begins, campus_from=campus)
            )
            for number, assignment in enumerate(by_module[module.pk]):
                due = campus + dt.timedelta(weeks=3 + 3 * number)
                deadlines.append(CohortDeadline(cohort=cohort, assignment=assignment, due_on=due))
    write.create(CohortModule, dated)
    write.create(CohortDeadline, deadlines)
    return programmes, cohorts


def _shares(count: int, employers: list[Organisation], share: float) -> list[int]:
    """Enrolments per employer: `share` for the first (largest), the rest by headcount."""
    if len(employers) == 1:
        return [count]
    first = int(count * share)
    rest = count - first
    weights = [max(o.headcount, 1) for o in employers[1:]]
    total = sum(weights)
    exact = [rest * w / total for w in weights]
    shares = [int(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[: rest - sum(shares)]:
        shares[i] += 1
    return [first, *shares]


class _Enrolments:
    """The enrolments and their history, statements and signatures, from one random source."""

    def __init__(self, rng, today, programmes, cohorts, tutors, leader, leads, accounts, payer):
        self.rng = rng
        self.today = today
        self.spec = {p.pk: spec for p, spec in zip(programmes, PROGRAMMES, strict=True)}
        self.programme = {p.pk: p for p in programmes}
        self.cohorts = cohorts
        self.tutors = tutors
        self.leader = leader
        self.leads = leads  # employer id -> its L&D lead's person id
        self.accounts = accounts  # employer id -> levy account (levy payers)
        self.payer = payer  # the largest employer's levy account, for transfers
        self.ids = [p.pk for p in programmes]
        self.weights = [spec[5] for spec in PROGRAMMES]  # share of the enrolments per programme
        self.intakes = {pk: [c for c in cohorts if c.programme_id == pk] for pk in self.ids}

    def cohort(self) -> Cohort:
        programme = self.rng.choices(self.ids, self.weights)[0]
        return self.rng.choice(self.intakes[programme])

    def off_the_job(self, standard, start, end, hours) -> int:
        weeks = Decimal((end - start).days) / 7
        counted = min(hours, Decimal(30)) if start >= CAPPED_FROM else hours
        share = int(counted * weeks * Decimal("0.2"))
        if start >= STANDARD_HOURS_FROM and standard.off_the_job_hours:
            return standard.off_the_job_hours
        return share

    def funding(self, employer, standard, start, born, care_leaver, ehc_plan):
        """(route, reason, eligibility_reason, levy account, transfer from)."""
        age = start.year - born.year - ((start.month, start.day) < (born.month, born.day))
        limit = 25 if care_leaver or ehc_plan else 22
        if standard.level == 7 and start >= LEVEL_7_FROM:
            if age >= limit:
                return (
                    FundingRoute.PRIVATE,
                    "Not eligible for levy funding under the Level 7 rule",
                    f"Aged {age} at the start: the Level 7 rule funds apprentices under 22, or "
                    "under 25 for care leavers and those with an EHC plan",
                    None,
                    None,
                )
            eligibility = f"Aged {age} at the start, under the Level 7 rule's limit of {limit}"
        else:
            eligibility = ""
        own, payer = self.accounts.get(employer.pk), self.payer
        if own is not None and (
            payer is None or own is payer or self.rng.random() >= TRANSFER_SHARE
        ):
            return (
                FundingRoute.LEVY,
                f"Levy-funded from {employer.name}'s levy account",
                eligibility,
                own,
                None,
            )
        if payer is not None and (own is not None or self.rng.random() < TRANSFER_SHARE):
            return (
                FundingRoute.TRANSFER,
                f"Transfer-funded by {payer.organisation.name}",
                eligibility,
                None,
                payer,
            )
        return (
            FundingRoute.CO_FUNDED,
            "Co-funded: the government pays 95% of the price, the employer 5%",
            eligibility,
            None,
            None,
        )

    def enrolment(self, number: int, employer, employment, manager) -> Enrolment:
        rng = self.rng
        cohort = self.cohort()
        programme = self.programme[cohort.programme_id]
        standard = programme.standard
        start = cohort.starts_on + dt.timedelta(days=rng.choice((0, 0, 0, 7, 14)))
        end = add_months(start, self.spec[programme.pk][2])
        hours = rng.choices([h for h, _ in HOURS], [w for _, w in HOURS])[0]
        young = rng.random() < 0.08
        age = rng.randint(18, 21) if young else rng.randint(22, 58)
        born = start - dt.timedelta(days=365 * age + rng.randrange(1, 360))
        care_leaver, ehc_plan = rng.random() < 0.03, rng.random() < 0.02
        route, reason, eligibility, account, transfer = self.funding(
            employer, standard, start, born, care_leaver, ehc_plan
        )
        required = self.off_the_job(standard, start, end, hours)
        prior = int(required * rng.uniform(0.1, 0.2)) if rng.random() < 0.05 else 0
        required -= prior
        price = self.spec[programme.pk][3] * Decimal(rng.choice(("0.9", "1", "1", "1")))
        created = start - dt.timedelta(days=rng.randint(20, 40))
        created = min(created, self.today - dt.timedelta(days=rng.randint(0, 10)))
        return Enrolment(
            reference=f"SCL-{number:06d}",
            cohort=cohort,
            provider_id=programme.provider_id,
            apprentice_id=employment[1],
            employer=employer,
            employment_id=employment[0],
            line_manager_id=manager,
            practice_tutor=rng.choice(self.tutors),
            start_on=start,
            planned_end_on=end,
            price=price,
            hours_per_week=hours,
            date_of_birth=born,
            care_leaver=care_leaver,
            ehc_plan=ehc_plan,
            funding_route=route,
            funding_reason=reason,
            eligibility_reason=eligibility,
            levy_account=account,
            transfer_from=transfer,
            required_off_the_job_hours=required,
            planned_off_the_job_hours=required + rng.choice((0, 0, 0, 10, 20, 40)),
            prior_learning_hours=prior,
            prior_learning_note=PRIOR_LEARNING_NOTE if prior else "",
            created_by_id=self.leads[employer.pk],
            created_at=at(created),
        )

    def history(self, e: Enrolment) -> list[tuple[str, dt.date, str, int | None]]:
        """(status, effective on, reason, changed by) from enrolment to today's status."""
        rng, today, lead, leader = self.rng, self.today, e.created_by_id, self.leader.pk
        steps = [(EnrolmentStatus.AWAITING_COMMITMENT, e.created_at.date(), "Enrolled", lead)]
        if e.start_on > today or ((today - e.start_on).days < 45 and rng.random() < 0.25):
            return steps
        steps.append((EnrolmentStatus.ACTIVE, e.start_on, "Commitment statement signed", leader))
        last = min(today, e.planned_end_on)
        if rng.random() < 0.08 and (last - e.start_on).days > 60:
            on = e.start_on + dt.timedelta(days=rng.randint(60, (last - e.start_on).days))
            steps.append((EnrolmentStatus.WITHDRAWN, on, "Left the apprenticeship", lead))
            return steps
        if rng.random() < 0.10 and (last - e.start_on).days > 150:
            left = e.start_on + dt.timedelta(days=rng.randint(60, (last - e.start_on).days - 60))
            steps.append((EnrolmentStatus.ON_BREAK, left, "Break in learning: family leave", lead))
            back = left + dt.timedelta(days=rng.randint(30, 60))
            if back <= today and rng.random() < 0.8:
                steps.append((EnrolmentStatus.ACTIVE, back, "Back from the break", lead))
            return steps
        gateway = e.planned_end_on - dt.timedelta(days=30)
        if gateway <= today:
            steps.append((EnrolmentStatus.AT_GATEWAY, gateway, "Ready for gateway", leader))
            if e.planned_end_on <= today:
                steps.append((EnrolmentStatus.IN_EPA, e.planned_end_on, "Gateway passed", leader))
                done = e.planned_end_on + dt.timedelta(days=rng.randint(60, 110))
                if done <= today:
                    grade = rng.choice(("pass", "pass", "merit", "distinction"))
                    steps.append((EnrolmentStatus.COMPLETED, done, f"Passed ({grade})", leader))
        return steps

    def content(self, e: Enrolment, version: int) -> dict:
        programme = self.programme[e.cohort.programme_id]
        return {
            "version": version,
            "reference": e.reference,
            "employer": e.employer.name,
            "provider": programme.provider.name,
            "programme": programme.title,
            "standard": {
                "code": programme.standard.reference_code,
                "title": programme.standard.title,
                "level": programme.standard.level,
            },
            "cohort": e.cohort.name,
            "start_on": e.start_on.isoformat(),
            "planned_end_on": e.planned_end_on.isoformat(),
            "price": str(e.price),
            "hours_per_week": str(e.hours_per_week),
            "funding_route": e.funding_route,
            "funding_reason": e.funding_reason,
            "planned_off_the_job_hours": e.planned_off_the_job_hours,
            "illustrative": True,
        }

    def statements(self, e: Enrolment, steps) -> list[tuple[CommitmentStatement, list]]:
        """Statement versions with their signers: (party, person id, when)."""
        rng, today = self.rng, self.today
        made = e.created_at
        apprentice, lead, leader = e.apprentice_id, e.created_by_id, self.leader.pk
        parties = ((Party.APPRENTICE, apprentice), (Party.EMPLOYER, lead), (Party.PROVIDER, leader))
        started = len(steps) > 1
        signed = 3 if started else rng.randint(0, 2)
        out = []
        when, signers, now = made, [], at(today, 8)
        for party, person in parties[:signed]:
            when += dt.timedelta(days=rng.randint(1, 5))
            if when <= now:  # a statement made days ago has only the signatures given so far
                signers.append((party, person, when))
        signed = len(signers)
        v1 = CommitmentStatement(
            enrolment=e,
            version=1,
            content=self.content(e, 1),
            reason="Enrolled",
            created_by_id=lead,
            created_at=made,
            fully_signed_at=when if signed == 3 else None,
        )
        out.append((v1, signers))
        final, final_on = steps[-1][0], steps[-1][1]
        if started and rng.random() < V2_SHARE:
            stops = final in (EnrolmentStatus.WITHDRAWN, EnrolmentStatus.ON_BREAK)
            room = ((final_on if stops else min(today, e.planned_end_on)) - e.start_on).days
            if room > 40:
                made2 = at(e.start_on + dt.timedelta(days=rng.randint(30, room - 10)))
                when, signers = made2, []
                for party, person in parties:
                    when += dt.timedelta(days=rng.randint(1, 3))
                    signers.append((party, person, when))
                v2 = CommitmentStatement(
                    enrolment=e,
                    version=2,
                    content=self.content(e, 2),
                    reason="Off-the-job plan changed",
                    created_by_id=leader,
                    created_at=made2,
                    fully_signed_at=when,
                )
                out.append((v2, signers))
        return out


def generate_apprenticeships(
    *,
    enrolments: int,
    largest_share: float = LARGEST_SHARE,
    partnership_name: str = SCALE_PARTNERSHIP,
    seed: int = 1,
    today: dt.date | None = None,
    progress: bool = True,
) -> ApprenticeshipResult:
    """A university with programmes, cohorts and `enrolments` enrolments of the partnership's
    organisations' staff (see the module docstring)."""
    if settings.PRODUCTION:
        raise GenerateRefused("Synthetic apprenticeships are never added to a production site.")
    if enrolments < 1 or not 0 <= largest_share <= 1:
        raise GenerateRefused("Give at least one enrolment and a largest share from 0 to 1.")
    partnership = Partnership.objects.filter(name=partnership_name).first()
    if partnership is None:
        raise GenerateRefused(f'Generate people first: no partnership "{partnership_name}".')
    if Programme.objects.filter(partnership=partnership).exists():
        raise GenerateRefused("This partnership already has apprenticeship programmes.")
    employers = list(
        Organisation.objects.filter(
            memberships__partnership=partnership, memberships__left_on__isnull=True
        ).order_by("-headcount", "pk")
    )
    if not employers:
        raise GenerateRefused(f'Generate people first: "{partnership_name}" has no members.')
    today = today or timezone.localdate()
    rng = random.Random(seed)
    # Each employer's possible apprentices: current staff holding no role, with their manager.
    holders = set(
        OrganisationRoleGrant.objects.filter(organisation__in=employers).values_list(
            "person_id", flat=True
        )
    )
    staff: dict[int, list[tuple[int, int, int | None]]] = {o.pk: [] for o in employers}
    person_of = dict(
        Employment.objects.filter(organisation__in=employers).values_list("pk", "person_id")
    )
    for pk, person, organisation, manager in (
        Employment.objects.current(today)
        .filter(organisation__in=employers)
        .order_by("pk")
        .values_list("pk", "person_id", "organisation_id", "line_manager_id")
    ):
        if person not in holders:
            staff[organisation].append((pk, person, person_of.get(manager)))
    leads = dict(
        OrganisationRoleGrant.objects.filter(
            organisation__in=employers, role=OrganisationRole.LD_LEAD
        )
        .order_by("-pk")
        .values_list("organisation_id", "person_id")
    )
    shares = _shares(enrolments, employers, largest_share)
    for organisation, wanted in zip(employers, shares, strict=True):
        if wanted > len(staff[organisation.pk]) or (wanted and organisation.pk not in leads):
            raise GenerateRefused(
                f"{organisation.name} would need {wanted:,} apprentices and an L&D lead: it has "
                f"{len(staff[organisation.pk]):,} staff to enrol. Generate more people."
            )
    draws = []
    for organisation, wanted in zip(employers, shares, strict=True):
        for employment in rng.sample(staff[organisation.pk], wanted):
            draws.append((organisation, employment))
    rng.shuffle(draws)  # ids interleave employers and intakes, as they would in the service

    with (
        transaction.atomic(),
        tqdm(unit=" rows", disable=not progress, desc="Apprenticeships") as bar,
    ):
        write = _Bar(bar)
        university, leader, tutors = _university(partnership, rng)
        programmes, cohorts = _programmes(partnership, university, leader, tutors, today, write)
        have = set(
            LevyAccount.objects.filter(organisation__in=employers).values_list(
                "organisation_id", flat=True
            )
        )
        write.create(
            LevyAccount,
            (
                LevyAccount(organisation=o, opened_on=dt.date(2017, 4, 6))
                for o in employers
                if o.is_levy_payer and o.pk not in have
            ),
        )
        accounts = {
            a.organisation_id: a
            for a in LevyAccount.objects.filter(organisation__in=employers).select_related(
                "organisation"
            )
        }
        for programme in programmes:
            programme.provider = university
        made = _Enrolments(
            rng, today, programmes, cohorts, tutors, leader, leads, accounts,
            accounts.get(employers[0].pk),
        )  # fmt: skip
        rows = [
            made.enrolment(number, organisation, employment[:2], employment[2])
            for number, (organisation, employment) in enumerate(draws, start=1)
        ]
        histories = [made.history(e) for e in rows]
        for e, steps in zip(rows, histories, strict=True):
            e.status, e.status_on = steps[-1][0], steps[-1][1]
        rows = write.create(Enrolment, rows)
        changes = write.create(
            EnrolmentStatusChange,
            (
                EnrolmentStatusChange(
                    enrolment=e,
                    status=status,
                    effective_on=on,
                    reason=reason,
                    changed_by_id=by,
                    changed_at=at(on, 9 + index),
                )
                for e, steps in zip(rows, histories, strict=True)
                for index, (status, on, reason, by) in enumerate(steps)
            ),
        )
        versions = [
            pair
            for e, steps in zip(rows, histories, strict=True)
            for pair in made.statements(e, steps)
        ]
        statements = write.create(CommitmentStatement, (s for s, _ in versions))
        signatures = write.create(
            Signature,
            (
                Signature(statement=statement, party=party, person_id=person, signed_at=when)
                for statement, (_, signers) in zip(statements, versions, strict=True)
                for party, person, when in signers
            ),
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return ApprenticeshipResult(
        provider=university,
        leader=leader,
        programmes=len(programmes),
        cohorts=len(cohorts),
        enrolments=len(rows),
        status_changes=len(changes),
        statements=len(statements),
        signatures=len(signatures),
    )
