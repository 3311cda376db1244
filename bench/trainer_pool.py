"""The trainer pool benchmark (issue 6): `python -m bench.trainer_pool --size ... --offers ...`.

The page scale test of DESIGN.md for the trainer pool search page against one database, run by
`python -m bench` once per dataset, each in its own process with its own DATABASE_URL, as
`bench/pages.py` is for the people pages. Seeds people in 40 organisations of the benchmark
partnership (`joinedup generate`), then 40 programmes delivered by accredited trainers (the same
number at both sizes, so the programme filter's list is the same), then the offers below, unless
the database already holds exactly them; then times the search page through Django's test client
against the real URL, seen by the L&D lead of the second-largest organisation. Prints one JSON
object.

Each offer is a member of staff's, lent by their employer; 30% name one to three partner
organisations (so some offers are not open to the viewer); each trainer holds three
accreditations of different programmes (an eighth expired and a twentieth withdrawn), and two
availability ranges in the coming year. Large: 20,000 offers, 60,000 accreditations and 40,000
ranges among 30,000 people; small: 300 offers, 900 accreditations, 600 ranges among 500 people.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
import warnings
from dataclasses import asdict
from urllib.parse import urlencode

from bench.pages import BENCH_DATABASE_PREFIX, MINIMAL, PageResult, measure, routed, url_of

PROGRAMMES = 40
ACCREDITATIONS_EACH = 3
RANGES_EACH = 2
SEED = 6
BATCH = 5_000


def generate_pool(offers: int, *, seed: int = SEED) -> None:
    """Programmes delivered by accredited trainers, then `offers` trainers with their
    accreditations and availability (see the module's docstring)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from joinedup.learning.models import DeliveryMode, Programme, ProgrammeKind, SharingPolicy
    from joinedup.materials.models import Accreditation, TrainerAvailability, TrainerOffer
    from joinedup.partnership.generate import SCALE_PARTNERSHIP
    from joinedup.partnership.models import Employment, Organisation

    rng = random.Random(seed)
    today = timezone.localdate()
    members = list(
        Organisation.objects.filter(memberships__partnership__name=SCALE_PARTNERSHIP)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    staff = list(
        Employment.objects.current()
        .filter(organisation__in=members)
        .order_by("person_id")
        .values_list("person_id", "organisation_id")
        .distinct()
    )
    seen: dict[int, int] = {}
    for person, organisation in staff:
        seen.setdefault(person, organisation)
    chosen = rng.sample(sorted(seen.items()), offers)
    with transaction.atomic():
        programmes = Programme.objects.bulk_create(
            Programme(
                host_id=rng.choice(members),
                title=f"Train-the-trainer programme {number:02d}",
                kind=ProgrammeKind.COURSE,
                delivery_mode=DeliveryMode.IN_PERSON,
                sharing_policy=SharingPolicy.PARTNERS_FROM_START,
                delivered_by_accredited_trainers=True,
            )
            for number in range(1, PROGRAMMES + 1)
        )
        programme_ids = [programme.pk for programme in programmes]
        made = TrainerOffer.objects.bulk_create(
            (
                TrainerOffer(
                    person_id=person,
                    organisation_id=organisation,
                    days_per_month=rng.choice((None, 1, 2, 2, 3, 4)),
                    note="",
                )
                for person, organisation in chosen
            ),
            batch_size=BATCH,
        )
        through = TrainerOffer.partners.through
        partners = []
        for offer in made:
            if rng.random() < 0.3:
                named = rng.sample(members, rng.randint(1, 3))
                partners += [
                    through(traineroffer_id=offer.pk, organisation_id=organisation)
                    for organisation in named
                    if organisation != offer.organisation_id
                ]
        through.objects.bulk_create(partners, batch_size=BATCH)
        accreditor = chosen[0][0]
        accreditations = []
        for person, _organisation in chosen:
            for programme in rng.sample(programme_ids, ACCREDITATIONS_EACH):
                accredited = today - dt.timedelta(days=rng.randint(30, 900))
                share = rng.random()
                expires = (
                    today - dt.timedelta(days=rng.randint(1, 20))
                    if share < 0.125
                    else None
                    if share < 0.5
                    else today + dt.timedelta(days=rng.randint(30, 700))
                )
                accreditations.append(
                    Accreditation(
                        person_id=person,
                        programme_id=programme,
                        accredited_by_id=accreditor,
                        accredited_on=accredited,
                        expires_on=expires if expires is None or expires > accredited else None,
                        withdrawn_at=timezone.now() if rng.random() < 0.05 else None,
                    )
                )
        Accreditation.objects.bulk_create(accreditations, batch_size=BATCH)
        ranges = []
        for offer in made:
            start = today + dt.timedelta(days=rng.randint(0, 60))
            for _ in range(RANGES_EACH):
                end = start + dt.timedelta(days=rng.randint(5, 90))
                ranges.append(TrainerAvailability(offer=offer, starts_on=start, ends_on=end))
                start = end + dt.timedelta(days=rng.randint(10, 60))
        TrainerAvailability.objects.bulk_create(ranges, batch_size=BATCH)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def seed(args: argparse.Namespace) -> str:
    """People, organisations and the pool unless the database already holds exactly them."""
    from django.core.management import call_command

    from joinedup.materials.models import TrainerOffer
    from joinedup.partnership.generate import generate
    from joinedup.partnership.models import Person

    call_command("migrate", verbosity=0)
    if Person.objects.exists():
        if TrainerOffer.objects.count() == args.offers:
            return "reused"
        raise SystemExit(
            "The bench database holds other data; run `python -m bench --reseed` to start again."
        )
    started = time.perf_counter()
    print(f"Seeding {args.offers:,} trainer offers ...", file=sys.stderr)
    generate(people=args.people, organisations=args.organisations, largest=args.largest)
    generate_pool(args.offers)
    return f"seeded in {time.perf_counter() - started:.0f} s"


def date_fields(prefix: str, day: dt.date) -> dict[str, int]:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def pages(args: argparse.Namespace) -> dict:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from joinedup.learning.models import Programme
    from joinedup.materials import pool_queries
    from joinedup.materials.models import Accreditation, TrainerAvailability, TrainerOffer
    from joinedup.partnership.actor import Actor
    from joinedup.partnership.generate import SCALE_PARTNERSHIP
    from joinedup.partnership.models import Organisation, OrganisationRole, OrganisationRoleGrant

    dataset = seed(args)
    organisations = Organisation.objects.filter(
        memberships__partnership__name=SCALE_PARTNERSHIP
    ).order_by("-headcount", "pk")
    viewing = organisations[1:2].get()
    lender = organisations[0:1].get()
    viewer = OrganisationRoleGrant.objects.get(
        organisation=viewing, role=OrganisationRole.LD_LEAD
    ).person
    client = Client()
    client.force_login(viewer, backend="joinedup.partnership.auth.EmailBackend")
    search = url_of("materials:pool")
    programme = Programme.objects.filter(delivered_by_accredited_trainers=True).order_by("pk")[0]
    soon = timezone.localdate() + dt.timedelta(days=30)
    first = pool_queries.search_pool(
        Actor(person=viewer, organisation=viewing), pool_queries.PoolFilters()
    )
    searches = {
        "Trainer pool, first page": {},
        "Trainer pool, second page": {"after": first.next_cursor or ""},
        "Trainer pool, one programme": {"programme": programme.pk},
        "Trainer pool, one lending organisation": {"organisation": lender.pk},
        "Trainer pool, available for 3 days a month ahead": {
            **date_fields("available_from", soon),
            **date_fields("available_to", soon + dt.timedelta(days=2)),
        },
        "Trainer pool, one programme on one day": {
            "programme": programme.pk,
            **date_fields("available_from", soon),
        },
    }
    who = f"L&D lead ({viewing.name})"
    cases = [PageResult("Minimal view (/healthz)", who, MINIMAL)]
    for name, params in searches.items():
        url = f"{search}?{urlencode(params)}" if params and search else search
        cases.append(PageResult(name, who, url))
    for result in cases:
        if not result.url or not routed(result.url):
            result.skipped = "no such page yet"
        else:
            measure(result, client, args.repeats, args.explain)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        server = cursor.fetchone()[0]
    return {
        "size": args.size,
        "offers": TrainerOffer.objects.count(),
        "accreditations": Accreditation.objects.count(),
        "ranges": TrainerAvailability.objects.count(),
        "dataset": dataset,
        "database": server,
        "pages": [asdict(result) for result in cases],
    }


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.trainer_pool")
    parser.add_argument("--size", required=True)
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--organisations", type=int, default=40)
    parser.add_argument("--largest", type=int, default=50)
    parser.add_argument("--offers", type=int, required=True)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--explain", action="store_true")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse(argv)
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.settings")
    import django

    django.setup()
    from django.db import connection

    database = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql" or not database.startswith(BENCH_DATABASE_PREFIX):
        raise SystemExit(f"Refusing to seed or time {database!r}: not a bench database.")
    print(json.dumps(pages(args)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
