"""Synthetic people at scale for benchmarks: `joinedup generate --people N --organisations M`.

Everything goes into one partnership ("Scale test" by default) of fictional organisations. Rows are
written in bulk with their ids chosen here (one past the highest id in use), so employments can name
their person and line manager without reading anything back: on PostgreSQL through `COPY`, elsewhere
through `bulk_create`. That assumes nobody else inserts people or employments while it runs, which
holds for a benchmark database.

Each organisation is a tree of line management with eight reports per manager: the head at seniority
9, each level below one step lower (never below 2), with job titles and grades from the
organisation's own grade table. A share of people also have an earlier job at another organisation,
and a share have left, so queries that must skip ended employments have some to skip.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone
from faker import Faker
from tqdm import tqdm

from .models import (
    SECTOR_OF_KIND,
    Destination,
    Employment,
    Grade,
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationRole,
    OrganisationRoleGrant,
    Partnership,
    PartnershipRole,
    PartnershipRoleGrant,
    Person,
)
from .workforce import WORKFORCE_OF_KIND, Job

SCALE_PARTNERSHIP = "Scale test"
SPAN = 8  # reports per line manager
MOVER_SHARE = 0.10
LEAVER_SHARE = 0.03
CHUNK = 10_000
FIRST_START = dt.date(2005, 1, 1)
LAST_START = dt.date(2026, 3, 31)
# The largest organisation is an NHS trust; the rest cycle through the other kinds of employer.
KINDS = (
    OrganisationKind.NHS_TRUST,
    OrganisationKind.LONDON_BOROUGH,
    OrganisationKind.NHS_FOUNDATION_TRUST,
    OrganisationKind.POLICE,
    OrganisationKind.UNITARY_AUTHORITY,
    OrganisationKind.FIRE,
    OrganisationKind.VCSE,
    OrganisationKind.EDUCATION,
    OrganisationKind.INTEGRATED_CARE_BOARD,
    OrganisationKind.HOUSING_ASSOCIATION,
)
LEAVING = (
    Destination.OTHER_PUBLIC,
    Destination.PRIVATE,
    Destination.VOLUNTARY,
    Destination.EDUCATION,
    Destination.RETIRED,
    Destination.NOT_WORKING,
    Destination.UNKNOWN,
)


class GenerateRefused(Exception):
    """Bad sizes, or a production installation."""


@dataclass(frozen=True)
class GenerateResult:
    partnership: Partnership
    organisations: list[Organisation]
    people: int
    employments: int


def staff_sizes(people: int, organisations: int, largest: int | None) -> list[int]:
    """Current staff per organisation: `largest` for the first (if given), the rest shared out."""
    if organisations < 1 or people < organisations:
        raise GenerateRefused("Give at least one organisation and at least one person for each.")
    if largest is None:
        return [
            people // organisations + (1 if i < people % organisations else 0)
            for i in range(organisations)
        ]
    rest = people - largest
    if largest < 1 or rest < organisations - 1 or (organisations == 1 and rest):
        raise GenerateRefused(
            "--largest must leave at least one person for every other organisation."
        )
    others = organisations - 1
    return [largest] + [rest // others + (1 if i < rest % others else 0) for i in range(others)]


def seniority_at(position: int) -> int:
    """Seniority of the employment at `position` in an organisation's tree (0 is the head)."""
    depth = 0
    while position > 0:
        position = (position - 1) // SPAN
        depth += 1
    return max(9 - depth, 2)


def jobs_by_seniority(kind: str) -> dict[int, list[Job]]:
    """For each seniority 2-9, the jobs of this kind of employer nearest to it."""
    workforce = WORKFORCE_OF_KIND[kind]
    by_level: dict[int, list[Job]] = defaultdict(list)
    for job in workforce.jobs:
        by_level[workforce.grades[job.grade]].append(job)
    nearest = {}
    for level in range(2, 10):
        closest = min(by_level, key=lambda known: (abs(known - level), -known))
        nearest[level] = by_level[closest]
    return nearest


class _Writer:
    """Writes rows of one model with their ids given: COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self, progress: tqdm) -> None:
        self.progress = progress
        self.copy = connection.vendor == "postgresql"

    def write(self, model: type[models.Model], rows: Iterable[dict]) -> int:
        fields = model._meta.concrete_fields
        written = 0
        if self.copy:
            # Columns this module does not know about (added later) get their model default.
            defaults = {f.attname: f.get_db_prep_save(f.get_default(), connection) for f in fields}
            columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(
                        [
                            row[f.attname] if f.attname in row else defaults[f.attname]
                            for f in fields
                        ]
                    )
                    written += 1
                    if written % CHUNK == 0:
                        self.progress.update(CHUNK)
        else:
            for chunk in _chunks(rows, CHUNK):
                model.objects.bulk_create([model(**row) for row in chunk])
                written += len(chunk)
                self.progress.update(len(chunk))
        self.progress.update(written % CHUNK if self.copy else 0)
        return written

    def reset_sequences(self, *model_classes: type[models.Model]) -> None:
        """Move id sequences past the ids written here (PostgreSQL; SQLite follows by itself)."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(model_classes))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _chunks(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1


class _Population:
    """Who works where: drawn from one seeded random source."""

    def __init__(
        self, organisations: list[Organisation], sizes: list[int], leavers: int, seed: int
    ) -> None:
        self.rng = random.Random(seed)
        fake = Faker("en_GB")
        fake.seed_instance(seed)
        self.given_names = [fake.first_name() for _ in range(500)]
        self.family_names = [fake.last_name() for _ in range(1000)]
        self.organisations = organisations
        self.sizes = sizes
        self.leavers = leavers
        self.first_person = _next_id(Person)
        self.first_employment = _next_id(Employment)
        self.now = timezone.now()
        self.grades: dict[tuple[int, str], tuple[int, int]] = {
            (organisation_id, name): (pk, seniority)
            for organisation_id, name, pk, seniority in Grade.objects.filter(
                organisation__in=organisations
            ).values_list("organisation_id", "name", "pk", "seniority")
        }
        self.jobs = {o.pk: jobs_by_seniority(o.kind) for o in organisations}
        # Position of each organisation's first current employment among the current ones.
        self.offsets = list(itertools.accumulate(sizes, initial=0))[:-1]
        self.movers = [
            offset
            for offset in range(sum(sizes))
            if len(organisations) > 1 and self.rng.random() < MOVER_SHARE
        ]

    def start(self) -> dt.date:
        return FIRST_START + dt.timedelta(days=self.rng.randrange((LAST_START - FIRST_START).days))

    def people(self) -> Iterator[dict]:
        total = sum(self.sizes) + self.leavers
        for offset in range(total):
            pk = self.first_person + offset
            yield {
                "id": pk,
                "email": f"person{pk}@scale.example",
                "given_name": self.rng.choice(self.given_names),
                "family_name": self.rng.choice(self.family_names),
                "password": "!",  # unusable: benchmarks sign people in without a password
                "date_joined": self.now,
            }

    def employment(
        self, pk: int, person: int, organisation: Organisation, level: int, **rest
    ) -> dict:
        job = self.rng.choice(self.jobs[organisation.pk][level])
        grade, seniority = self.grades[(organisation.pk, job.grade)]
        return {
            "id": pk,
            "person_id": person,
            "organisation_id": organisation.pk,
            "employee_number": f"S{pk}",
            "work_email": f"person{person}@scale.example",
            "job_title": job.title,
            "grade_id": grade,
            "seniority": seniority,
            **rest,
        }

    def employments(self) -> Iterator[dict]:
        """Current employments in organisation order (managers before reports), then history."""
        person = self.first_person
        pk = self.first_employment
        for organisation, size, offset in zip(
            self.organisations, self.sizes, self.offsets, strict=True
        ):
            first = self.first_employment + offset
            for position in range(size):
                manager = first + (position - 1) // SPAN if position else None
                yield self.employment(
                    pk, person, organisation, seniority_at(position),
                    start_date=self.start(), line_manager_id=manager,
                )  # fmt: skip
                person += 1
                pk += 1
        for offset in self.movers:
            # An earlier job at another organisation: any but the one they work for now.
            own = bisect.bisect_right(self.offsets, offset) - 1
            index = (own + self.rng.randrange(1, len(self.organisations))) % len(self.organisations)
            ended = FIRST_START + dt.timedelta(days=self.rng.randrange(365, 6000))
            yield self.employment(
                pk, self.first_person + offset, self.organisations[index], self.rng.randrange(2, 7),
                start_date=ended - dt.timedelta(days=self.rng.randrange(200, 3000)), end_date=ended,
                leaving_reason="Resignation", destination=Destination.PARTNER,
            )  # fmt: skip
            pk += 1
        for leaver in range(self.leavers):
            organisation = self.rng.choices(self.organisations, weights=self.sizes)[0]
            ended = LAST_START - dt.timedelta(days=self.rng.randrange(0, 2000))
            yield self.employment(
                pk, person + leaver, organisation, self.rng.randrange(2, 8),
                start_date=ended - dt.timedelta(days=self.rng.randrange(200, 3000)), end_date=ended,
                leaving_reason="Resignation", destination=self.rng.choice(LEAVING),
            )  # fmt: skip
            pk += 1

    def heads(self) -> list[tuple[Organisation, int, int]]:
        """(organisation, first person, number of staff) per organisation."""
        return [
            (organisation, self.first_person + offset, size)
            for organisation, size, offset in zip(
                self.organisations, self.sizes, self.offsets, strict=True
            )
        ]


def _organisations(partnership: Partnership, sizes: list[int]) -> list[Organisation]:
    start = Organisation.objects.filter(memberships__partnership=partnership).count()
    organisations = []
    for index, size in enumerate(sizes):
        kind = KINDS[index % len(KINDS)]
        number = start + index + 1
        organisations.append(
            Organisation(
                name=f"{partnership.name} {OrganisationKind(kind).label} {number}",
                kind=kind,
                sector=SECTOR_OF_KIND[kind],
                is_levy_payer=size >= 250,
                headcount=size,
                is_fictional=True,
            )
        )
    Organisation.objects.bulk_create(organisations)
    Membership.objects.bulk_create(
        [
            Membership(partnership=partnership, organisation=organisation)
            for organisation in organisations
        ]
    )
    Grade.objects.bulk_create(
        [
            Grade(organisation=organisation, name=name, seniority=seniority)
            for organisation in organisations
            for name, seniority in WORKFORCE_OF_KIND[organisation.kind].grades.items()
        ]
    )
    return organisations


def _roles(partnership: Partnership, heads: list[tuple[Organisation, int, int]]) -> None:
    """In each organisation its head is the admin, the next two the L&D lead and levy officer."""
    grants = []
    for organisation, first, size in heads:
        for position, role in enumerate(
            (OrganisationRole.ORG_ADMIN, OrganisationRole.LD_LEAD, OrganisationRole.LEVY_OFFICER)
        ):
            if position < size:
                grants.append(
                    OrganisationRoleGrant(
                        person_id=first + position, organisation=organisation, role=role
                    )
                )
    OrganisationRoleGrant.objects.bulk_create(grants)
    # The partnership lead heads the second organisation, so it is not the largest one's admin.
    _, lead, _ = heads[1] if len(heads) > 1 else heads[0]
    PartnershipRoleGrant.objects.get_or_create(
        person_id=lead, partnership=partnership, role=PartnershipRole.PARTNERSHIP_LEAD
    )


def generate(
    *,
    people: int,
    organisations: int,
    largest: int | None = None,
    partnership_name: str = SCALE_PARTNERSHIP,
    seed: int = 1,
    progress: bool = True,
) -> GenerateResult:
    """Add `people` people (staff and a few leavers) in `organisations` new organisations."""
    if settings.PRODUCTION:
        raise GenerateRefused("Synthetic people are never added to a production installation.")
    leavers = int(people * LEAVER_SHARE)
    sizes = staff_sizes(people - leavers, organisations, largest)
    with transaction.atomic():
        partnership, _ = Partnership.objects.get_or_create(
            name=partnership_name,
            defaults={"region": "Synthetic", "description": "Benchmark data."},
        )
        created = _organisations(partnership, sizes)
        population = _Population(created, sizes, leavers, seed)
        expected = people + sum(sizes) + len(population.movers) + leavers
        if connection.vendor == "postgresql":
            # Check each row's references as it is copied, not at commit, so the bar shows the work.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with tqdm(total=expected, unit=" rows", disable=not progress, desc="Generating") as bar:
            writer = _Writer(bar)
            written_people = writer.write(Person, population.people())
            written_employments = writer.write(Employment, population.employments())
            writer.reset_sequences(Person, Employment)
        _roles(partnership, population.heads())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics, so plans fit the new size at once
    return GenerateResult(partnership, created, written_people, written_employments)
