"""The page scale test of the learning pages against one database: `python -m bench.learning`.

Run by `python -m bench`, once per dataset, each in its own process with its own DATABASE_URL, as
`bench/pages.py` is for the people pages. Seeds the database with `joinedup generate` (people,
then programmes and runs) unless it already holds exactly that dataset, then times the catalogue
(first page, searched and filtered) and a run page, seen by a partner organisation's member of
staff, through Django's test client against the real URLs. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
import warnings
from dataclasses import asdict
from urllib.parse import urlencode

from bench.pages import BENCH_DATABASE_PREFIX, MINIMAL, PageResult, measure, routed, url_of


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.learning")
    parser.add_argument("--size", required=True)
    parser.add_argument("--people", type=int, required=True)
    parser.add_argument("--organisations", type=int, required=True)
    parser.add_argument("--largest", type=int, required=True)
    parser.add_argument("--programmes", type=int, required=True)
    parser.add_argument("--runs", type=int, required=True)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--explain", action="store_true")
    return parser.parse_args(argv)


def seed(args: argparse.Namespace) -> str:
    """Generate people and learning unless the database already holds exactly them; say which."""
    from django.core.management import call_command

    from joinedup.learning.generate import generate_learning
    from joinedup.learning.models import Programme, Run
    from joinedup.partnership.generate import generate
    from joinedup.partnership.models import Person

    call_command("migrate", verbosity=0)
    if Person.objects.exists():
        if (
            Person.objects.count() == args.people
            and Programme.objects.count() == args.programmes
            and Run.objects.count() == args.runs
        ):
            return "reused"
        raise SystemExit(
            "The bench database holds other data; run `python -m bench --reseed` to start again."
        )
    started = time.perf_counter()
    print(f"Seeding {args.programmes:,} programmes and {args.runs:,} runs ...", file=sys.stderr)
    generate(people=args.people, organisations=args.organisations, largest=args.largest)
    generate_learning(programmes=args.programmes, runs=args.runs)
    return f"seeded in {time.perf_counter() - started:.0f} s"


def _day(prefix: str, day: dt.date) -> dict[str, str]:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def run(args: argparse.Namespace) -> dict:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from joinedup.learning.generate import scale_organisations
    from joinedup.learning.models import DeliveryMode, Run, SharingPolicy, Topic
    from joinedup.partnership.models import Employment, OrganisationRoleGrant, Person

    dataset = seed(args)
    organisations = scale_organisations()
    # The viewer: a member of staff of the second-largest organisation, holding no role.
    partner = organisations[1]
    viewer = (
        Person.objects.filter(
            employments__in=Employment.objects.current().filter(organisation=partner)
        )
        .exclude(pk__in=OrganisationRoleGrant.objects.values("person_id"))
        .order_by("pk")
        .first()
    )
    today = timezone.localdate()
    # A run they may book: another organisation's, open to partners, with sessions ahead.
    run_shown = (
        Run.objects.filter(
            programme__host=organisations[0],
            programme__sharing_policy=SharingPolicy.PARTNERS_FROM_START,
            sessions__date__gte=today + dt.timedelta(days=30),
        )
        .order_by("pk")
        .first()
    )
    client = Client()
    client.force_login(viewer, backend="joinedup.partnership.auth.EmailBackend")
    catalogue = url_of("learning:catalogue")
    topic = Topic.objects.get(name="Safeguarding")
    searched = {"q": "safeguarding", "mode": DeliveryMode.IN_PERSON, "bookable": "on"}
    filtered = {
        "topic": topic.pk,
        "bookable": "on",
        **_day("date_from", today + dt.timedelta(days=30)),
        **_day("date_to", today + dt.timedelta(days=120)),
    }
    who = f"partner staff member ({partner.name})"
    cases = [
        PageResult("Minimal view (/healthz)", who, MINIMAL),
        PageResult("Catalogue", who, catalogue),
        PageResult(
            "Catalogue, searched, in person, has places",
            who,
            f"{catalogue}?{urlencode(searched)}",
        ),
        PageResult(
            "Catalogue, topic, 30-120 days ahead, has places",
            who,
            f"{catalogue}?{urlencode(filtered)}",
        ),
        PageResult("Run page (another organisation's)", who, url_of("learning:run", run_shown.pk)),
    ]
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
        "people": Person.objects.count(),
        "largest": organisations[0].headcount,
        "programmes": args.programmes,
        "runs": Run.objects.count(),
        "dataset": dataset,
        "database": server,
        "pages": [asdict(result) for result in cases],
    }


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
    print(json.dumps(run(args)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
