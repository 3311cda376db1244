"""The apprenticeships benchmark (issues 9 and 10): `python -m bench.apprenticeships ...`.

The page scale test of DESIGN.md for a provider's enrolment list
(`apprenticeships:provider_enrolments`, seen by the university's programme leader) and an
employer's enrolment list (`apprenticeships:enrolments`, seen by the L&D lead of the largest
employer, which holds a fifth of the enrolments), each with its second page when it has one; for
the provider's deadline dashboard (`apprenticeships:deadlines`, its programme leader), a practice
tutor's entries awaiting a check and reviews due; and for an apprentice's progress page and
off-the-job log (the first active enrolment at the largest employer, seen by its apprentice),
with 100 off-the-job entries per enrolment (2 million at 20,000); and the minimal view as the
framework's floor.

Against one database (`--size ...`): seeds people in 40 organisations of the benchmark partnership
(`joinedup generate`), then the apprenticeships (`apprenticeships.generate`), unless the database
already holds exactly them; then times each page through Django's test client against the real
URL, signed in as the viewer. Prints one JSON object (each page also lists its queries, so a
count that changes with size can be traced to the query).

Both sizes (`python -m bench.apprenticeships both [--rounds 3] [--repeats 20] [--record]`, or
`part()` from `python -m bench`): `joinedup_bench_apprenticeships_small` (1,000 people, 600
enrolments, 120 at the largest employer, so both of its timed pages of 50 are full) and
`joinedup_bench_apprenticeships` (40,000 people, 20,000 enrolments, 4,000 at the largest
employer), in alternating rounds, each size in its own process; the comparison is printed and,
with `--record`, written to docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import os
import re
import sys
import time
import warnings
from dataclasses import asdict

from bench.pages import BENCH_DATABASE_PREFIX, MINIMAL, PageResult, measure, url_of

SEED = 9
LARGEST_SHARE = 0.20
SIZES = {
    # name: (database, people, organisations, largest organisation, enrolments)
    "small": ("joinedup_bench_apprenticeships_small", 1_000, 40, 200, 600),
    "large": ("joinedup_bench_apprenticeships", 40_000, 40, 8_000, 20_000),
}
# Off-the-job entries per enrolment: 2 million at 20,000 enrolments (issue 10).
ENTRIES_PER_ENROLMENT = 100
START = "<!-- bench:apprenticeships -->"
END = "<!-- /bench:apprenticeships -->"
PROVIDER_LIST = "apprenticeships:provider_enrolments"
EMPLOYER_LIST = "apprenticeships:enrolments"
DEADLINES = "apprenticeships:deadlines"
TO_CHECK = "apprenticeships:off_the_job_to_check"
REVIEWS_DUE = "apprenticeships:reviews_due"
PROGRESS = "apprenticeships:progress"
LOG = "apprenticeships:off_the_job_log"


def seed(args: argparse.Namespace) -> str:
    """People, organisations and apprenticeships unless the database already holds exactly them."""
    from django.core.management import call_command

    from joinedup.apprenticeships.generate import generate_apprenticeships
    from joinedup.apprenticeships.generate_progress import generate_progress
    from joinedup.apprenticeships.models import Enrolment, OffTheJobEntry
    from joinedup.partnership.generate import generate
    from joinedup.partnership.models import Person

    call_command("migrate", verbosity=0)
    entries = args.enrolments * ENTRIES_PER_ENROLMENT
    if Person.objects.exists():
        if Enrolment.objects.count() == args.enrolments:
            if OffTheJobEntry.objects.exists():
                return "reused"
            started = time.perf_counter()
            print(f"Seeding {entries:,} off-the-job entries ...", file=sys.stderr)
            generate_progress(entries=entries, seed=SEED)
            return f"progress seeded in {time.perf_counter() - started:.0f} s"
        raise SystemExit(
            "The bench database holds other data; run `python -m bench --reseed` to start again."
        )
    started = time.perf_counter()
    print(f"Seeding {args.people:,} people, {args.enrolments:,} enrolments ...", file=sys.stderr)
    generate(people=args.people, organisations=args.organisations, largest=args.largest)
    generate_apprenticeships(enrolments=args.enrolments, largest_share=LARGEST_SHARE, seed=SEED)
    generate_progress(entries=entries, seed=SEED)
    return f"seeded in {time.perf_counter() - started:.0f} s"


def next_page(client, url: str) -> str:
    """The list's "Next" link (GOV.UK pagination), or "" when it has one page."""
    if not url:
        return ""
    response = client.get(url)
    if response.status_code != 200:
        return ""
    text = response.content.decode()
    found = None
    at = text.find("govuk-pagination__next")
    if at >= 0:
        found = re.search(r'href="([^"]+)"', text[at:])
    if found is None:
        tag = re.search(r'<a\b[^>]*\brel="next"[^>]*>', text)
        found = re.search(r'href="([^"]+)"', tag.group(0)) if tag else None
    if found is None:
        return ""
    link = html.unescape(found.group(1))
    return f"{url.split('?')[0]}{link}" if link.startswith("?") else link


def queries_of(client, url: str) -> list[str]:
    """Every query of one request, in order (for tracing a count that changes with size)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return [query["sql"] for query in captured.captured_queries]


def pages(args: argparse.Namespace) -> dict:
    from django.db import connection
    from django.test import Client

    from joinedup.apprenticeships.models import (
        Cohort,
        CommitmentStatement,
        Enrolment,
        EnrolmentStatus,
        OffTheJobEntry,
        Programme,
    )
    from joinedup.partnership.models import (
        Organisation,
        OrganisationRole,
        OrganisationRoleGrant,
        Person,
    )

    dataset = seed(args)
    programme = Programme.objects.select_related("provider").order_by("pk").first()
    provider = programme.provider
    leader = OrganisationRoleGrant.objects.get(
        organisation=provider, role=OrganisationRole.PROGRAMME_LEADER
    ).person
    largest = (
        Organisation.objects.exclude(pk=provider.pk)
        .filter(memberships__partnership=programme.partnership)
        .order_by("-headcount", "pk")
        .first()
    )
    ld_lead = (
        OrganisationRoleGrant.objects.filter(organisation=largest, role=OrganisationRole.LD_LEAD)
        .order_by("pk")
        .first()
        .person
    )
    apprenticeship = (
        Enrolment.objects.filter(employer=largest, status=EnrolmentStatus.ACTIVE)
        .select_related("apprentice", "practice_tutor")
        .order_by("pk")
        .first()
    )
    provided = Enrolment.objects.filter(provider=provider).count()
    employed = Enrolment.objects.filter(employer=largest).count()

    def client_for(person: Person) -> Client:
        client = Client()
        client.force_login(person, backend="joinedup.partnership.auth.EmailBackend")
        return client

    leader_client, ld_client = client_for(leader), client_for(ld_lead)
    apprentice_client = client_for(apprenticeship.apprentice)
    tutor_client = client_for(apprenticeship.practice_tutor)
    tutored = Enrolment.objects.filter(practice_tutor=apprenticeship.practice_tutor).count()
    entries = OffTheJobEntry.objects.filter(enrolment=apprenticeship).count()
    apprentice_who = f"apprentice at the largest employer ({entries} entries)"
    tutor_who = f"practice tutor of the university ({tutored:,} enrolments)"
    leader_who = f"programme leader of the university ({provided:,} enrolments)"
    ld_who = f"L&D lead of the largest employer ({employed:,} enrolments)"
    provider_list, employer_list = url_of(PROVIDER_LIST), url_of(EMPLOYER_LIST)
    cases = [
        (PageResult("Minimal view (/healthz)", leader_who, MINIMAL), leader_client),
        (PageResult("Provider's enrolment list", leader_who, provider_list), leader_client),
        (
            PageResult(
                "Provider's enrolment list, page 2",
                leader_who,
                next_page(leader_client, provider_list),
            ),
            leader_client,
        ),
        (PageResult("Employer's enrolment list", ld_who, employer_list), ld_client),
        (
            PageResult(
                "Employer's enrolment list, page 2", ld_who, next_page(ld_client, employer_list)
            ),
            ld_client,
        ),
        (PageResult("Deadline dashboard", leader_who, url_of(DEADLINES)), leader_client),
        (PageResult("Entries awaiting a check", tutor_who, url_of(TO_CHECK)), tutor_client),
        (PageResult("Reviews due", tutor_who, url_of(REVIEWS_DUE)), tutor_client),
        (
            PageResult("Progress page", apprentice_who, url_of(PROGRESS, apprenticeship.pk)),
            apprentice_client,
        ),
        (
            PageResult("Off-the-job log", apprentice_who, url_of(LOG, apprenticeship.pk)),
            apprentice_client,
        ),
    ]
    results = []
    for result, client in cases:
        if not result.url:
            result.skipped = (
                "no second page" if result.page.endswith("page 2") else "no such page yet"
            )
            results.append(asdict(result) | {"sql": []})
            continue
        measure(result, client, args.repeats, args.explain)
        sql = queries_of(client, result.url) if not result.error else []
        results.append(asdict(result) | {"sql": sql})
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        server = cursor.fetchone()[0]
    return {
        "size": args.size,
        "people": Person.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "largest_employer_enrolments": employed,
        "provider_enrolments": provided,
        "cohorts": Cohort.objects.count(),
        "statements": CommitmentStatement.objects.count(),
        "entries": OffTheJobEntry.objects.count(),
        "dataset": dataset,
        "database": server,
        "pages": results,
    }


# --- Both sizes (for `python -m bench` and the `both` command) -------------------------------


def run_size(url: str, size: str, repeats: int, explain: bool) -> dict:
    """One timing run of one dataset in its own process (seeding it the first time)."""
    from bench.__main__ import in_process

    database, people, organisations, largest, enrolments = SIZES[size]
    arguments = [
        "--size", size, "--people", str(people), "--organisations", str(organisations),
        "--largest", str(largest), "--enrolments", str(enrolments), "--repeats", str(repeats),
    ]  # fmt: skip
    return in_process(
        url, database, "bench.apprenticeships", *arguments, *(["--explain"] * explain)
    )


def describe(label: str, run: dict) -> str:
    return (
        f"{label}: {run['enrolments']:,} enrolments, {run['largest_employer_enrolments']:,} at "
        f"the largest employer, {run['cohorts']:,} cohorts, {run['statements']:,} statement "
        f"versions, {run['entries']:,} off-the-job entries, {run['people']:,} people "
        f"({run['dataset']})."
    )


def shape(sql: str) -> str:
    """A query with its numbers and quoted values taken out, to compare across sizes."""
    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)


def differing_queries(small: dict, large: dict) -> list[str]:
    """The queries one size makes and the other does not (by shape), with their counts."""
    from collections import Counter

    at_small, at_large = Counter(map(shape, small["sql"])), Counter(map(shape, large["sql"]))
    lines = []
    for query in sorted(set(at_small) | set(at_large)):
        if at_small[query] != at_large[query]:
            lines.append(f"  {at_small[query]} small / {at_large[query]} large: {query[:400]}")
    return lines


def part(url: str, args: argparse.Namespace) -> list[tuple[dict, list[str]]]:
    """Time both sizes in alternating rounds, print (and with --record write) the report; the
    failing pages with their reasons, as `python -m bench` collects them."""
    from bench.__main__ import machine, merge, prepare_database, record, table

    load_before = os.getloadavg()[0]
    rounds = max(args.rounds, 1)
    for size in SIZES:
        prepare_database(url, SIZES[size][0], args.reseed)
    runs: dict[str, list[dict]] = {size: [] for size in SIZES}
    for number in range(1, rounds + 1):
        for size in SIZES:
            print(
                f"Round {number} of {rounds}: the {size} apprenticeships dataset "
                f"({SIZES[size][4]:,} enrolments) ...",
                file=sys.stderr,
            )
            explain = size == "large" and number == rounds
            runs[size].append(run_size(url, size, args.repeats, explain))
    small, large = merge(runs["small"]), merge(runs["large"])
    results, failures = table(small, large)
    report = "\n".join(
        [
            f"Run on {dt.date.today().isoformat()}: {machine(large['database'])}. Load average "
            f"(1 min) {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end.",
            f"{describe('Small', small)} {describe('Large', large)} "
            f"Median of {rounds} x {args.repeats} requests per page and size, in alternating "
            "rounds, each after a warm-up.",
            "",
            results,
        ]
    )
    print(report)
    for small_page, large_page in zip(small["pages"], large["pages"], strict=True):
        if small_page["queries"] != large_page["queries"] and small_page["sql"]:
            print(f"\nQueries of {large_page['page']} that change with size:", file=sys.stderr)
            print("\n".join(differing_queries(small_page, large_page)), file=sys.stderr)
    if getattr(args, "record", False):
        record(report, START, END)
    return failures


def both(argv: list[str]) -> int:
    from bench.__main__ import server_url

    parser = argparse.ArgumentParser(prog="python -m bench.apprenticeships both")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--record", action="store_true")
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args(argv)
    failures = part(server_url(), args)
    for page, reasons in failures:
        print(f"\n{page['page']} ({page['viewer']}) at the large size: {'; '.join(reasons)}.")
        for query in page["slowest"]:
            print(f"\n{query['ms']:.1f} ms: {query['sql']}\n{query['plan']}")
    return 1 if failures else 0


# --- One size -------------------------------------------------------------------------------


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.apprenticeships")
    parser.add_argument("--size", required=True)
    parser.add_argument("--people", type=int, default=1_000)
    parser.add_argument("--organisations", type=int, default=40)
    parser.add_argument("--largest", type=int, default=200)
    parser.add_argument("--enrolments", type=int, required=True)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--explain", action="store_true")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    if argv[:1] == ["both"]:
        return both(argv[1:])
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
