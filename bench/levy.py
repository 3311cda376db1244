"""The page scale test of the levy pages against one database: `python -m bench.levy`.

Run by `python -m bench`, once per dataset, each in its own process with its own DATABASE_URL, as
`bench/pages.py` is for the people pages. Seeds the database with `joinedup generate` (people in
`--employers` organisations) then `joinedup generate_levy` (accounts, declarations, commitments
and the ledger the services post) unless it already holds exactly that dataset, then times,
through Django's test client against the real URLs: the partnership view of every account seen
by the partnership lead, and the statement, expiry forecast and accounts API list of the largest
employer seen by its levy officer. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from dataclasses import asdict

from bench.pages import (
    BENCH_DATABASE_PREFIX,
    MINIMAL,
    PageResult,
    api_client,
    measure,
    routed,
    url_of,
)

API_ACCOUNTS = "/api/v1/levy/accounts"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.levy")
    parser.add_argument("--size", required=True)
    parser.add_argument("--people", type=int, required=True)
    parser.add_argument("--employers", type=int, required=True)
    parser.add_argument("--largest", type=int, required=True)
    parser.add_argument("--years", type=int, required=True)
    parser.add_argument("--commitments", type=int, required=True)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--explain", action="store_true")
    return parser.parse_args(argv)


def seed(args: argparse.Namespace) -> str:
    """Generate people and levy unless the database already holds exactly them; say which."""
    from django.core.management import call_command

    from joinedup.levy.generate import generate_levy
    from joinedup.levy.models import Commitment, LevyAccount
    from joinedup.partnership.generate import generate
    from joinedup.partnership.models import Person

    call_command("migrate", verbosity=0)
    if Person.objects.exists():
        if (
            LevyAccount.objects.count() == args.employers
            and Commitment.objects.count() == args.commitments
        ):
            return "reused"
        raise SystemExit(
            "The bench database holds other data; run `python -m bench --reseed` to start again."
        )
    started = time.perf_counter()
    print(
        f"Seeding {args.employers:,} levy accounts, {args.years} years, "
        f"{args.commitments:,} commitments ...",
        file=sys.stderr,
    )
    generate(people=args.people, organisations=args.employers, largest=args.largest)
    generate_levy(employers=args.employers, years=args.years, commitments=args.commitments)
    return f"seeded in {time.perf_counter() - started:.0f} s"


def run(args: argparse.Namespace) -> dict:
    from django.db import connection
    from django.test import Client

    from joinedup.levy.models import Commitment, Declaration, LedgerEntry, LevyAccount
    from joinedup.partnership.generate import SCALE_PARTNERSHIP
    from joinedup.partnership.models import (
        OrganisationRole,
        OrganisationRoleGrant,
        PartnershipRole,
        PartnershipRoleGrant,
    )

    dataset = seed(args)
    largest = (
        LevyAccount.objects.select_related("organisation")
        .order_by("-organisation__headcount", "pk")
        .first()
    )
    lead = PartnershipRoleGrant.objects.get(
        partnership__name=SCALE_PARTNERSHIP, role=PartnershipRole.PARTNERSHIP_LEAD
    ).person
    officer = OrganisationRoleGrant.objects.get(
        organisation=largest.organisation, role=OrganisationRole.LEVY_OFFICER
    ).person

    def client_for(person) -> Client:
        client = Client()
        client.force_login(person, backend="joinedup.partnership.auth.EmailBackend")
        return client

    lead_client, officer_client = client_for(lead), client_for(officer)
    officer_api = api_client(officer)
    entries = LedgerEntry.objects.filter(account=largest).count()
    lead_viewer = f"partnership lead ({args.employers} accounts)"
    officer_viewer = f"levy officer of the largest employer ({entries:,} ledger entries)"
    cases = [
        (PageResult("Minimal view (/healthz)", lead_viewer, MINIMAL), lead_client),
        (PageResult("Partnership view", lead_viewer, url_of("levy:partnership")), lead_client),
        (
            PageResult("Account statement", officer_viewer, url_of("levy:account", largest.pk)),
            officer_client,
        ),
        (
            PageResult(
                "Expiry forecast", officer_viewer, url_of("levy:account-forecast", largest.pk)
            ),
            officer_client,
        ),
        (PageResult("API levy accounts list", officer_viewer, API_ACCOUNTS), officer_api),
    ]
    results = []
    for result, client in cases:
        if not result.url or not routed(result.url):
            result.skipped = "no such page yet"
        elif client is None:
            result.skipped = "no personal tokens yet"
        else:
            measure(result, client, args.repeats, args.explain)
        results.append(result)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        server = cursor.fetchone()[0]
    return {
        "size": args.size,
        "employers": LevyAccount.objects.count(),
        "years": args.years,
        "declarations": Declaration.objects.count(),
        "commitments": Commitment.objects.count(),
        "entries": LedgerEntry.objects.count(),
        "largest_entries": entries,
        "dataset": dataset,
        "database": server,
        "pages": [asdict(result) for result in results],
    }


def main(argv: list[str]) -> int:
    args = parse(argv)
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.settings")
    import django

    django.setup()
    from django.db import connection

    database = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql" or not database.startswith(
        f"{BENCH_DATABASE_PREFIX}_levy"
    ):
        raise SystemExit(
            f"Refusing to seed or time {database!r}: levy bench databases are PostgreSQL "
            f"databases named {BENCH_DATABASE_PREFIX}_levy*, made by `python -m bench`."
        )
    print(json.dumps(run(args)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
