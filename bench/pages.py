"""The page scale test of DESIGN.md against one database: `python -m bench.pages --size large`.

Run by `python -m bench`, once per dataset, each in its own process with its own DATABASE_URL.
Seeds the database with `joinedup generate` unless it already holds exactly that dataset, then
times each page through the real path: Django's test client against the real URLs, with the
real middleware and access checks, signed in with `force_login`. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import warnings
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit

if TYPE_CHECKING:
    from django.test import Client

WARM_UP = 5
SLOWEST_SHOWN = 3

DIRECTORY = "partnership:people"
PERSON = "partnership:person"
STAFF_LIST = "partnership:manage-people"
API_PEOPLE = "/api/v1/people"
MINIMAL = "/healthz"
# The only databases this may seed or time: never the test database or a real one.
BENCH_DATABASE_PREFIX = "joinedup_bench"


@dataclass
class PageResult:
    page: str
    viewer: str
    url: str = ""
    skipped: str = ""
    status: int = 0
    error: str = ""
    median_ms: float = 0.0
    times_ms: list[float] = field(default_factory=list)
    queries: int = 0
    slowest: list[dict] = field(default_factory=list)  # the slowest queries, with EXPLAIN ANALYZE


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.pages")
    parser.add_argument("--size", required=True)
    parser.add_argument("--people", type=int, required=True)
    parser.add_argument("--organisations", type=int, required=True)
    parser.add_argument("--largest", type=int, required=True)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument(
        "--explain", action="store_true", help="EXPLAIN ANALYZE the slowest queries."
    )
    return parser.parse_args(argv)


def seed(people: int, organisations: int, largest: int) -> str:
    """Generate the dataset unless the database already holds exactly it; say which."""
    from django.core.management import call_command

    from joinedup.partnership.generate import SCALE_PARTNERSHIP, generate
    from joinedup.partnership.models import Organisation, Person

    call_command("migrate", verbosity=0)
    members = Organisation.objects.filter(memberships__partnership__name=SCALE_PARTNERSHIP)
    if Person.objects.exists():
        sizes = sorted(members.values_list("headcount", flat=True), reverse=True)
        if Person.objects.count() == people and len(sizes) == organisations and sizes[0] == largest:
            return "reused"
        raise SystemExit(
            "The bench database holds other data; run `python -m bench --reseed` to start again."
        )
    started = time.perf_counter()
    print(f"Seeding {people:,} people ...", file=sys.stderr)
    generate(people=people, organisations=organisations, largest=largest, progress=True)
    return f"seeded in {time.perf_counter() - started:.0f} s"


def url_of(name: str, *args) -> str:
    """The page's URL, or "" while the page does not exist yet."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def api_client(person) -> Client | None:
    """A client sending a new personal token of this person, or None before tokens exist."""
    from django.test import Client

    from joinedup.partnership import access, services
    from joinedup.partnership.actor import Actor

    create = getattr(services, "create_personal_token", None)
    if create is None:
        return None
    acting = access.organisations_for(person).order_by("name").first()
    _, secret = create(actor=Actor(person=person, organisation=acting), name="Page scale test")
    return Client(headers={"Authorization": f"Bearer {secret}"})


def routed(path: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(urlsplit(path).path)
    except Resolver404:
        return False
    return True


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def measure(result: PageResult, client, repeats: int, with_plans: bool) -> PageResult:
    """Median of `repeats` timed requests after a warm-up; queries counted on a separate request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    try:
        for _ in range(WARM_UP):
            response = client.get(result.url)
        result.status = response.status_code
        if response.status_code != 200:
            result.error = f"status {response.status_code}"
            return result
        with CaptureQueriesContext(connection) as captured:
            client.get(result.url)
        # Read them now: the next request clears the connection's query log.
        queries = captured.captured_queries
        for _ in range(repeats):
            started = time.perf_counter()
            client.get(result.url)
            result.times_ms.append((time.perf_counter() - started) * 1000)
    except Exception as error:  # a broken page is reported, not fatal to the whole run
        result.error = f"{type(error).__name__}: {error}"
        return result
    result.median_ms = statistics.median(result.times_ms)
    result.queries = len(queries)
    slowest = sorted(queries, key=lambda q: -float(q["time"]))[:SLOWEST_SHOWN]
    result.slowest = [
        {
            "ms": float(query["time"]) * 1000,
            "sql": query["sql"],
            "plan": explain(query["sql"])
            if with_plans and query["sql"].startswith("SELECT")
            else "",
        }
        for query in slowest
    ]
    return result


def run(args: argparse.Namespace) -> dict:
    from django.db import connection
    from django.test import Client

    from joinedup.partnership.generate import SCALE_PARTNERSHIP
    from joinedup.partnership.models import (
        Employment,
        Organisation,
        OrganisationRole,
        OrganisationRoleGrant,
        PartnershipRole,
        PartnershipRoleGrant,
        Person,
    )

    dataset = seed(args.people, args.organisations, args.largest)
    largest = (
        Organisation.objects.filter(memberships__partnership__name=SCALE_PARTNERSHIP)
        .order_by("-headcount", "pk")
        .first()
    )
    lead = PartnershipRoleGrant.objects.get(
        partnership__name=SCALE_PARTNERSHIP, role=PartnershipRole.PARTNERSHIP_LEAD
    ).person
    ld_lead = OrganisationRoleGrant.objects.get(
        organisation=largest, role=OrganisationRole.LD_LEAD
    ).person
    admin = OrganisationRoleGrant.objects.get(
        organisation=largest, role=OrganisationRole.ORG_ADMIN
    ).person
    # A person of the largest organisation with a manager and an earlier job elsewhere.
    subject = (
        Person.objects.filter(
            employments__in=Employment.objects.current().filter(
                organisation=largest, line_manager__isnull=False
            )
        )
        .filter(employments__end_date__isnull=False)
        .order_by("pk")
        .first()
    )

    def client_for(person: Person) -> Client:
        client = Client()
        client.force_login(person, backend="joinedup.partnership.auth.EmailBackend")
        return client

    lead_client, ld_client, admin_client = client_for(lead), client_for(ld_lead), client_for(admin)
    lead_api, ld_api = api_client(lead), api_client(ld_lead)
    directory = url_of(DIRECTORY)
    # A search for the subject's family name (each dataset draws from the same 1,000 names).
    search = f"{directory}?{urlencode({'q': subject.family_name})}" if directory else ""
    person_page = url_of(PERSON, subject.pk)
    staff_list = url_of(STAFF_LIST, largest.pk)
    lead_viewer = "partnership lead"
    ld_viewer = f"L&D lead of the largest organisation ({largest.headcount:,})"
    admin_viewer = "admin of the largest organisation"
    cases = [
        (PageResult("Minimal view (/healthz)", lead_viewer, MINIMAL), lead_client),
        (PageResult("People directory", lead_viewer, directory), lead_client),
        (PageResult("People directory", ld_viewer, directory), ld_client),
        (PageResult("People directory, family name searched", lead_viewer, search), lead_client),
        (PageResult("People directory, family name searched", ld_viewer, search), ld_client),
        (PageResult("Person page", lead_viewer, person_page), lead_client),
        (PageResult("Person page", ld_viewer, person_page), ld_client),
        (PageResult("API people list", lead_viewer, API_PEOPLE), lead_api),
        (PageResult("API people list", ld_viewer, API_PEOPLE), ld_api),
        (PageResult("Staff list (admin pages)", admin_viewer, staff_list), admin_client),
    ]  # fmt: skip
    results = []
    for result, client in cases:
        if not result.url:
            result.skipped = "no URL for this page yet"
        elif not routed(result.url):
            result.skipped = f"{result.url} does not exist yet"
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
        "people": Person.objects.count(),
        "largest": largest.headcount,
        "dataset": dataset,
        "database": server,
        "pages": [asdict(result) for result in results],
    }


def main(argv: list[str]) -> int:
    args = parse(argv)
    # WhiteNoise warns that collectstatic has not run; irrelevant to timing pages.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.settings")
    import django

    django.setup()
    from django.db import connection

    database = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql" or not database.startswith(BENCH_DATABASE_PREFIX):
        raise SystemExit(
            f"Refusing to seed or time {database!r}: bench databases are PostgreSQL databases "
            f"named {BENCH_DATABASE_PREFIX}*, made by `python -m bench`."
        )
    print(json.dumps(run(args)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
