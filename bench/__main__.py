"""`make bench` (`python -m bench`): the page scale test of DESIGN.md on PostgreSQL.

Two databases on the PostgreSQL server of BENCH_DATABASE_URL (else of DATABASE_URL when that is
PostgreSQL, else postgres://postgres@127.0.0.1:5432): `joinedup_bench_small` (500 people) and
`joinedup_bench` (500,000 people, one organisation of 50,000). Each is created and seeded on the
first run and reused afterwards (`--reseed` starts again). Each size is timed in its own process
(`bench/pages.py`), in alternating rounds (small, large, small, large, ...) so that a busy moment
on the machine falls on both; this prints the comparison and, with `--record`, writes it to
docs/PERFORMANCE.md. No other database is touched: `bench/pages.py` refuses any database whose name
does not start with `joinedup_bench`.

The rule for every page: the large median is at most 1.5 times the small one, the query count is
the same at both sizes, and the large median is under 50 ms.

The learning part (`--only learning`, in the default run) does the same for the catalogue and a run
page (`bench/learning.py`) on `joinedup_bench_learning_small` (200 programmes, 1,000 runs) and
`joinedup_bench_learning` (50,000 programmes, 250,000 runs). Then two throughput benchmarks run on
fresh copies of one seeded database, `joinedup_bench_release_seed`: releasing 10,000 runs with
200,000 waiting requests through the real job (`bench/release.py`, limit 60 s) and booking through
the booking service from 8 processes at once (`bench/booking.py`, aim 200 confirmed a second, no
over-booking).

The levy part (`--only levy`) does the same for the partnership view, an account statement, its
expiry forecast and the levy accounts API list (`bench/levy.py`) on `joinedup_bench_levy_small`
(10 employers, 1 tax year, 200 commitments) and `joinedup_bench_levy` (400 employers, 10 tax years
of monthly declarations, 20,000 commitments with their payments and expiries posted).
`--only levy-expiry` (also in the default run) times one levy expiry calculation over 120 months
(`bench/levy_expiry.py`, no database, limit 5 ms).

The materials part (`--only materials`) does the same for the library search page
(`bench/materials.py`) on `joinedup_bench_materials_small` (300 materials) and
`joinedup_bench_materials` (100,000 materials with extracted text), seen by a partner's L&D lead;
`--only materials-upload` times checking, storing and reading the text of a 20 MB PDF.

The trainer pool part (`--only trainer-pool`) does the same for the trainer pool search page
(`bench/trainer_pool.py`) on `joinedup_bench_trainers_small` (300 offers, 900 accreditations,
600 availability ranges) and `joinedup_bench_trainers` (20,000 offers, 60,000 accreditations,
40,000 ranges among 30,000 people), seen by an L&D lead.

`--only design-once` times a new commissioning plan's similar items among 50,000 programmes and
the near-duplicate report over them (`bench/design_once.py`, `joinedup_bench_design_once`).

`--only talent` runs the talent issue's three benchmarks, each in its own process: the stable
matcher on 10,000 applicants and against the `matching` package (`bench/talent_matching.py`, no
database), people who might fit among 1,000,000 opted-in profiles (`bench/talent_ranking.py`,
`joinedup_bench_talent_ranking`, seeded on the first run in about ten minutes) and mentoring
assignment for 5,000 mentees and 5,000 mentors (`bench/talent_mentoring.py`, no database).

`--only network` times the discussion pages (`bench/network.py`) on `joinedup_bench_network_small`
(10 spaces, 300 posts) and `joinedup_bench_network` (200 spaces, one of them with 100,000 posts),
seen by a member of every space: a space's thread list, a thread, "my discussions" and search.

`--only apprenticeships` times a provider's enrolment list (its programme leader) and an
employer's (its L&D lead) at 600 and 20,000 enrolments (`bench/apprenticeships.py`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PERFORMANCE = ROOT / "docs" / "PERFORMANCE.md"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/"
SIZES = {
    # name: (database, people, organisations, largest organisation)
    "small": ("joinedup_bench_small", 500, 40, 50),
    "large": ("joinedup_bench", 500_000, 40, 50_000),
}
LEARNING_SIZES = {
    # name: (database, people, organisations, largest organisation, programmes, runs)
    "small": ("joinedup_bench_learning_small", 500, 40, 50, 200, 1_000),
    "large": ("joinedup_bench_learning", 50_000, 40, 5_000, 50_000, 250_000),
}
MATERIALS_SIZES = {
    # name: (database, people, organisations, largest organisation, materials)
    "small": ("joinedup_bench_materials_small", 500, 40, 50, 300),
    "large": ("joinedup_bench_materials", 500, 40, 50, 100_000),
}
TRAINER_POOL_SIZES = {
    # name: (database, people, organisations, largest organisation, offers)
    "small": ("joinedup_bench_trainers_small", 500, 40, 50, 300),
    "large": ("joinedup_bench_trainers", 30_000, 40, 3_000, 20_000),
}
NETWORK_SIZES = {
    # name: (database, people, organisations, largest organisation, spaces, large space's posts)
    "small": ("joinedup_bench_network_small", 500, 40, 50, 10, 300),
    "large": ("joinedup_bench_network", 500, 40, 50, 200, 100_000),
}
LEVY_SIZES = {
    # name: (database, people, employers, largest organisation, tax years, commitments)
    "small": ("joinedup_bench_levy_small", 200, 10, 50, 1, 200),
    "large": ("joinedup_bench_levy", 8_000, 400, 1_000, 10, 20_000),
}
RELEASE_SEED = "joinedup_bench_release_seed"
RELEASE_SECONDS = 60
BOOKINGS_PER_SECOND = 200
DESIGN_ONCE_DATABASE = "joinedup_bench_design_once"
PARTS = (
    "people", "learning", "levy", "levy-expiry", "release", "booking", "materials",
    "materials-upload", "trainer-pool", "design-once", "talent", "network", "apprenticeships",
)  # fmt: skip
MAX_RATIO = 1.5
MAX_LARGE_MS = 50.0
START = "<!-- bench:results -->"
END = "<!-- /bench:results -->"
LEARNING_START = "<!-- bench:learning -->"
LEARNING_END = "<!-- /bench:learning -->"
LEVY_START = "<!-- bench:levy-pages -->"
LEVY_END = "<!-- /bench:levy-pages -->"
MATERIALS_START = "<!-- bench:materials -->"
MATERIALS_END = "<!-- /bench:materials -->"
TALENT_START = "<!-- bench:talent -->"
TALENT_END = "<!-- /bench:talent -->"
TRAINER_POOL_START = "<!-- bench:trainer-pool -->"
TRAINER_POOL_END = "<!-- /bench:trainer-pool -->"
NETWORK_START = "<!-- bench:network -->"
NETWORK_END = "<!-- /bench:network -->"


def server_url() -> str:
    for name in ("BENCH_DATABASE_URL", "DATABASE_URL"):
        url = os.environ.get(name, "")
        if url.startswith(("postgres://", "postgresql://")):
            return url
    return DEFAULT_SERVER


def with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, ""))


def prepare_database(url: str, database: str, reseed: bool) -> None:
    """Create the bench database if missing (after dropping it, with --reseed)."""
    import psycopg
    from psycopg import sql

    try:
        connection = psycopg.connect(with_database(url, "postgres"), autocommit=True)
    except psycopg.OperationalError as error:
        raise SystemExit(f"PostgreSQL does not answer at {url}: {error}") from error
    with connection:
        if reseed:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
            )
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


def in_process(url: str, database: str, module: str, *arguments: str) -> dict:
    """Run `python -m <module> <arguments>` against one bench database; its last line of JSON."""
    env = os.environ | {"DATABASE_URL": with_database(url, database), "DEBUG": "false"}
    env.pop("DATABASE_TEST_NAME", None)
    command = [sys.executable, "-m", module, *arguments]
    done = subprocess.run(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{module} {' '.join(arguments)} failed (exit status {done.returncode}).")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_size(url: str, size: str, repeats: int, explain: bool) -> dict:
    """One timing run of one dataset in its own process (seeding it the first time)."""
    database, people, organisations, largest = SIZES[size]
    arguments = [
        "--size", size, "--people", str(people), "--organisations", str(organisations),
        "--largest", str(largest), "--repeats", str(repeats),
    ]  # fmt: skip
    return in_process(url, database, "bench.pages", *arguments, *(["--explain"] * explain))


def run_learning_size(url: str, size: str, repeats: int, explain: bool) -> dict:
    """One timing run of one learning dataset in its own process (seeding it the first time)."""
    database, people, organisations, largest, programmes, runs = LEARNING_SIZES[size]
    arguments = [
        "--size", size, "--people", str(people), "--organisations", str(organisations),
        "--largest", str(largest), "--programmes", str(programmes), "--runs", str(runs),
        "--repeats", str(repeats),
    ]  # fmt: skip
    return in_process(url, database, "bench.learning", *arguments, *(["--explain"] * explain))


def run_levy_size(url: str, size: str, repeats: int, explain: bool) -> dict:
    """One timing run of one levy dataset in its own process (seeding it the first time)."""
    database, people, employers, largest, years, commitments = LEVY_SIZES[size]
    arguments = [
        "--size", size, "--people", str(people), "--employers", str(employers),
        "--largest", str(largest), "--years", str(years), "--commitments", str(commitments),
        "--repeats", str(repeats),
    ]  # fmt: skip
    return in_process(url, database, "bench.levy", *arguments, *(["--explain"] * explain))


def run_materials_size(url: str, size: str, repeats: int, explain: bool) -> dict:
    """One timing run of one materials dataset in its own process (seeding it the first time)."""
    database, people, organisations, largest, materials = MATERIALS_SIZES[size]
    arguments = [
        "pages", "--size", size, "--people", str(people), "--organisations", str(organisations),
        "--largest", str(largest), "--materials", str(materials), "--repeats", str(repeats),
    ]  # fmt: skip
    return in_process(url, database, "bench.materials", *arguments, *(["--explain"] * explain))


def run_trainer_pool_size(url: str, size: str, repeats: int, explain: bool) -> dict:
    """One timing run of one trainer pool dataset in its own process (seeding it the first time)."""
    database, people, organisations, largest, offers = TRAINER_POOL_SIZES[size]
    arguments = [
        "--size", size, "--people", str(people), "--organisations", str(organisations),
        "--largest", str(largest), "--offers", str(offers), "--repeats", str(repeats),
    ]  # fmt: skip
    return in_process(url, database, "bench.trainer_pool", *arguments, *(["--explain"] * explain))


def run_network_size(url: str, size: str, repeats: int, explain: bool) -> dict:
    """One timing run of one network dataset in its own process (seeding it the first time)."""
    database, people, organisations, largest, spaces, posts = NETWORK_SIZES[size]
    arguments = [
        "--size", size, "--people", str(people), "--organisations", str(organisations),
        "--largest", str(largest), "--spaces", str(spaces), "--posts", str(posts),
        "--repeats", str(repeats),
    ]  # fmt: skip
    return in_process(url, database, "bench.network", *arguments, *(["--explain"] * explain))


def materials_upload_line() -> str:
    """Checking, storing and reading a 20 MB PDF (`bench/materials.py upload`, no database)."""
    print("Timing the upload and text extraction of a 20 MB PDF ...", file=sys.stderr)
    done = subprocess.run(
        [sys.executable, "-m", "bench.materials", "upload"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return "- Upload and text extraction of a 20 MB PDF: FAIL (the benchmark failed)"
    timed = json.loads(done.stdout.strip().splitlines()[-1])
    stages = timed["median_s"]
    before, after = timed["load_1min_before_after"]
    return (
        f"- Upload and text extraction of a {timed['file_bytes'] / 1_000_000:.1f} MB PDF "
        f"({timed['text_pages']} text pages, {timed['characters']:,} characters read; median "
        f"of {timed['runs']}, load {before} to {after}): check_upload {stages['check_upload']} s, "
        f"store {stages['store']} s, extract_text {stages['extract_text']} s; "
        f"{timed['total_s']} s in all, {timed['megabytes_per_second']} MB/s."
    )


def fresh_copy(url: str, database: str, reseed: bool) -> None:
    """A new `database` copied from the seeded release database (seeding that the first time)."""
    import psycopg
    from psycopg import sql

    prepare_database(url, RELEASE_SEED, reseed)
    with psycopg.connect(with_database(url, RELEASE_SEED)) as connection:
        tables = connection.execute("SELECT to_regclass('learning_run') IS NOT NULL").fetchone()
        seeded = (
            tables[0]
            and connection.execute("SELECT EXISTS (SELECT 1 FROM learning_run)").fetchone()[0]
        )
    if not seeded:
        print("Seeding the release database (20,000 people, 10,000 runs) ...", file=sys.stderr)
        in_process(url, RELEASE_SEED, "bench.release", "seed")
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as connection:
        name = sql.Identifier(database)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(name, sql.Identifier(RELEASE_SEED))
        )


def throughput(url: str, reseed: bool, parts: set[str], sample: int | None) -> list[str]:
    """The release and booking benchmarks, each on a fresh copy; their results as lines."""
    lines = []
    if "release" in parts:
        lines.append(release_line(url, reseed, sample))
    if "booking" in parts:
        lines.append(booking_line(url, reseed and "release" not in parts))
    return lines


def release_line(url: str, reseed: bool, sample: int | None = None) -> str:
    """Release 10,000 runs through the real job on a fresh copy of the seeded database."""
    fresh_copy(url, "joinedup_bench_release", reseed)
    print(f"Releasing {sample or 10_000:,} runs through the job ...", file=sys.stderr)
    arguments = ["release"] + (["--sample", str(sample)] if sample else [])
    released = in_process(url, "joinedup_bench_release", "bench.release", *arguments)
    broken = [
        name
        for name in ("runs_over_capacity", "runs_counter_not_bookings", "shares_over_cap")
        if released[name]
    ]
    ok = (
        released["seconds"] * 10_000 / max(released["released"], 1) < RELEASE_SECONDS
        and not broken
        and not released["runs_left_unreleased"]
    )
    if sample:
        rate = released["released"] / released["seconds"]
        return (
            f"- Release job, a sample of {released['released']:,} runs with "
            f"{released['waiting_before']:,} waiting: {released['seconds']} s, {rate:.0f} runs a "
            f"second, so about {10_000 / rate:.0f} s for 10,000 (limit {RELEASE_SECONDS} s); "
            f"{released['places_given']:,} places given, {released['audit_entries']:,} audit "
            f"entries, {released['tasks_queued']:,} e-mail tasks queued; runs over capacity "
            f"{released['runs_over_capacity']}, counters not matching bookings "
            f"{released['runs_counter_not_bookings']}, shares over their cap "
            f"{released['shares_over_cap']}. {'pass' if ok else 'FAIL'}"
        )
    return (
        f"- Release job (`learning.jobs.release_due_runs`): {released['released']:,} runs with "
        f"{released['waiting_before']:,} waiting requests released in {released['seconds']} s "
        f"(limit {RELEASE_SECONDS} s); {released['places_given']:,} places given, "
        f"{released['audit_entries']:,} audit entries written, {released['tasks_queued']:,} "
        f"e-mail tasks queued (not sent); runs over capacity {released['runs_over_capacity']}, "
        f"counters not matching bookings {released['runs_counter_not_bookings']}, shares over "
        f"their cap {released['shares_over_cap']}. {'pass' if ok else 'FAIL'}"
    )


def booking_line(url: str, reseed: bool) -> str:
    """Book from 8 processes at once on a fresh copy of the seeded database."""
    fresh_copy(url, "joinedup_bench_booking", reseed)
    print("Booking from 8 clients at once ...", file=sys.stderr)
    booked = in_process(url, "joinedup_bench_booking", "bench.booking")
    broken = [
        name
        for name in (
            "runs_counter_not_confirmed",
            "runs_over_capacity",
            "shares_not_confirmed",
            "shares_over_cap",
        )
        if booked[name]
    ]
    ok = booked["confirmed_per_second"] >= BOOKINGS_PER_SECOND and not broken
    return (
        f"- Booking service (`learning.services.book_place`), {booked['clients']} processes at "
        f"once: {booked['attempts']:,} bookings in {booked['seconds']} s, "
        f"{booked['confirmed']:,} confirmed and {booked['waiting']:,} waiting: "
        f"**{booked['confirmed_per_second']} confirmed a second** "
        f"({booked['attempts_per_second']} bookings a second; aim {BOOKINGS_PER_SECOND}); "
        f"the clients' own CPU {booked['client_cpu_ms_per_booking']} ms a booking. "
        f"Over-booking: runs whose counter differs from their confirmed bookings "
        f"{booked['runs_counter_not_confirmed']}, over capacity {booked['runs_over_capacity']}, "
        f"shares differing {booked['shares_not_confirmed']}, over their cap "
        f"{booked['shares_over_cap']}; both hot runs of 5 places full: "
        f"{booked['hot_runs_full']} of 2. {'pass' if ok else 'FAIL'}"
    )


def levy_expiry_line() -> str:
    """One levy expiry calculation over 120 months (`bench/levy_expiry.py`, no database)."""
    print("Timing the levy expiry calculation ...", file=sys.stderr)
    done = subprocess.run(
        [sys.executable, "-m", "bench.levy_expiry"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    timed = json.loads(done.stdout.strip().splitlines()[-1])
    before, after = timed["load_1min_before_after"]
    return (
        f"- One levy expiry calculation over {timed['months']} months (`bench/levy_expiry.py`, "
        f"{timed['runs']:,} runs a case, load {before} to {after}): median "
        f"{timed['recorded_to_2026_10']['median_ms']} ms with expiries recorded, "
        f"{timed['none_recorded']['median_ms']} ms with none (limit {timed['limit_ms']} ms). "
        f"{timed['result']}"
    )


def design_once_line(url: str, reseed: bool) -> str:
    """New plans' similar items and the near-duplicate report at 50,000 programmes."""
    print("Timing design once (bench/design_once.py) ...", file=sys.stderr)
    prepare_database(url, DESIGN_ONCE_DATABASE, reseed)
    timed = in_process(url, DESIGN_ONCE_DATABASE, "bench.design_once")
    plan, report = timed["new_plan"], timed["report"]
    before, after = timed["load_1min_before_after"]
    return (
        f"- Design once over {timed['programmes']:,} programmes (`bench/design_once.py`, load "
        f"{before} to {after}): a new plan saved and its similar items shown, median "
        f"{plan['median_ms']} ms, 95th percentile {plan['p95_ms']} ms (limit {plan['limit_ms']} "
        f"ms); cold index build {timed['cold_build_s']} s; near-duplicate report "
        f"{report['seconds']} s (limit {report['limit_s']} s), {report['pairs_found']:,} pairs. "
        f"{timed['result']}"
    )


def talent_module(module: str, url: str | None = None) -> dict:
    """Run one talent benchmark module in its own process; the JSON object it prints."""
    env = os.environ | {"DEBUG": "false"}
    env.pop("DATABASE_TEST_NAME", None)
    if url is not None:
        env["BENCH_DATABASE_URL"] = url
    done = subprocess.run(
        [sys.executable, "-m", module], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    output = done.stdout.strip()
    if not output:
        raise SystemExit(f"{module} failed (exit status {done.returncode}).")
    return json.loads(output[output.index("{") :])


def talent_lines(url: str) -> list[str]:
    """The talent issue's three benchmarks: the stable matcher (and its ratio against the
    `matching` package), ranking a million profiles on PostgreSQL, and mentoring assignment."""
    print("Timing the talent benchmarks (bench/talent_*.py) ...", file=sys.stderr)
    load_before = os.getloadavg()[0]
    matching = talent_module("bench.talent_matching")
    large, against = matching["large"], matching["against_matching_package"]
    matched_ok = large["matcher_seconds"]["median"] < large["limit_seconds"]
    ratio_ok = against["ratio"] >= against["aim"] and against["same_matching"]
    ranking = talent_module("bench.talent_ranking", url)
    ranking_ms = ranking["people_who_might_fit_median_ms"]
    vanished = ranking["opted_out_profile_vanished"]
    ranking_ok = ranking_ms < ranking["targets_ms"]["limit"] and vanished
    mentoring = talent_module("bench.talent_mentoring")
    version = int(ranking["postgresql"])
    database = f"PostgreSQL {version // 10000}.{version % 10000}"
    return [
        f"Run on {dt.date.today().isoformat()}: {machine(database)}. "
        f"Load average (1 min) {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the "
        "end.",
        "",
        f"- Stable matching, {large['applicants']:,} applicants x {large['preferences']} "
        f"preferences over {large['posts']:,} posts (`bench/talent_matching.py`): median "
        f"{large['matcher_seconds']['median']:.3f} s (limit {large['limit_seconds']} s); the "
        f"contract's checking and matching {large['contract_compute_seconds']['median']:.3f} s. "
        f"{'PASS' if matched_ok else 'FAIL'}",
        f"- Against the `matching` package on {against['applicants']:,} applicants: "
        f"{against['ratio']}x faster (fastest runs; {against['ratio_of_medians']}x by medians; "
        f"{against['ratio_solve_only']}x against its solve alone; aim {against['aim']}x), same "
        f"matching: {against['same_matching']}. {'PASS' if ratio_ok else 'FAIL'}",
        f"- People who might fit among {ranking['profiles']:,} opted-in profiles "
        f"(`bench/talent_ranking.py`, PostgreSQL, through the access check): median "
        f"{ranking_ms} ms (limit {ranking['targets_ms']['limit']} ms, aim "
        f"{ranking['targets_ms']['aim']} ms), the page {ranking['page_median_ms']} ms; an "
        f"opt-out took {ranking['opt_out_ms']} ms and the next ranking "
        f"{'no longer held' if vanished else 'STILL HELD'} the "
        f"profile. {'PASS' if ranking_ok else 'FAIL'}",
        f"- Mentoring assignment, {mentoring['mentees']:,} mentees and {mentoring['mentors']:,} "
        f"mentors ({mentoring['places']:,} places; `bench/talent_mentoring.py`): "
        f"{', '.join(f'{s} s' for s in mentoring['seconds'])} (limit "
        f"{mentoring['limit_seconds']} s), {mentoring['pairs']:,} pairs, "
        f"{mentoring['same_organisation_pairs']} within one organisation. "
        f"{'PASS' if mentoring['passes'] else 'FAIL'}",
    ]


def merge(runs: list[dict]) -> dict:
    """One result from several rounds of the same dataset: all timings pooled, one median."""
    merged = runs[-1]
    for index, page in enumerate(merged["pages"]):
        rounds = [run["pages"][index] for run in runs]
        page["times_ms"] = [ms for one in rounds for ms in one["times_ms"]]
        page["median_ms"] = statistics.median(page["times_ms"]) if page["times_ms"] else 0.0
        page["error"] = next((one["error"] for one in rounds if one["error"]), "")
        counts = {one["queries"] for one in rounds if not one["error"] and not one["skipped"]}
        if len(counts) > 1:
            page["error"] = f"query count differs between rounds: {sorted(counts)}"
    merged["dataset"] = runs[0]["dataset"]
    return merged


def run_both(
    url: str, repeats: int, rounds: int, reseed: bool, part: str = "people"
) -> tuple[dict, dict]:
    """Time both datasets in alternating rounds, so a busy moment on the machine hits both."""
    sizes = {
        "people": SIZES,
        "learning": LEARNING_SIZES,
        "levy": LEVY_SIZES,
        "materials": MATERIALS_SIZES,
        "trainer-pool": TRAINER_POOL_SIZES,
        "network": NETWORK_SIZES,
    }[part]
    for size in sizes:
        prepare_database(url, sizes[size][0], reseed)
    runs: dict[str, list[dict]] = {size: [] for size in sizes}
    for number in range(1, rounds + 1):
        for size, (_, people, *_) in sizes.items():
            print(
                f"Round {number} of {rounds}: the {size} dataset ({people:,} people) ...",
                file=sys.stderr,
            )
            explain = size == "large" and number == rounds
            timed = {
                "people": run_size,
                "learning": run_learning_size,
                "levy": run_levy_size,
                "materials": run_materials_size,
                "trainer-pool": run_trainer_pool_size,
                "network": run_network_size,
            }[part]
            runs[size].append(timed(url, size, repeats, explain))
    return merge(runs["small"]), merge(runs["large"])


def verdict(small: dict, large: dict) -> tuple[str, list[str]]:
    """PASS or FAIL with the reasons, for one page at both sizes."""
    for page in (small, large):
        if page["skipped"]:
            return "skipped", [page["skipped"]]
        if page["error"]:
            return "FAIL", [page["error"]]
    problems = []
    if large["median_ms"] > MAX_RATIO * small["median_ms"]:
        problems.append(f"large median over {MAX_RATIO}x small")
    if large["queries"] != small["queries"]:
        problems.append("query count changes with size")
    if large["median_ms"] >= MAX_LARGE_MS:
        problems.append(f"large median not under {MAX_LARGE_MS:.0f} ms")
    return ("FAIL" if problems else "pass"), problems


def table(small: dict, large: dict) -> tuple[str, list[tuple[dict, list[str]]]]:
    """The results as a Markdown table, and the failing pages with their reasons."""
    lines = [
        "| Page | Viewer | Small median (ms) | Large median (ms) | Ratio | Large fastest (ms) "
        "| Queries small / large "
        "| Result |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    failures = []
    for small_page, large_page in zip(small["pages"], large["pages"], strict=True):
        result, reasons = verdict(small_page, large_page)
        if result == "skipped":
            figures = "| – | – | – | – | – |"
        else:
            ratio = (
                large_page["median_ms"] / small_page["median_ms"] if small_page["median_ms"] else 0
            )
            figures = (
                f"| {small_page['median_ms']:.1f} | {large_page['median_ms']:.1f} | {ratio:.2f} "
                f"| {min(large_page['times_ms'], default=0):.1f} "
                f"| {small_page['queries']} / {large_page['queries']} |"
            )
        note = f"{result}: {'; '.join(reasons)}" if reasons else result
        lines.append(f"| {large_page['page']} | {large_page['viewer']} {figures} {note} |")
        if result == "FAIL":
            failures.append((large_page, reasons))
    return "\n".join(lines), failures


def machine(database: str) -> str:
    cpu = "unknown CPU"
    ram = "unknown"
    cpuinfo, meminfo = Path("/proc/cpuinfo"), Path("/proc/meminfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        cpu = found.group(1).strip() if found else cpu
    if meminfo.exists():
        found = re.search(r"^MemTotal:\s*(\d+) kB", meminfo.read_text(), re.MULTILINE)
        ram = f"{int(found.group(1)) / 1024 / 1024:.1f} GiB" if found else ram
    import django

    return (
        f"{os.cpu_count()} cores ({cpu}), {ram} RAM; {database.split(' on ')[0]}; "
        f"Python {platform.python_version()}, Django {django.get_version()}"
    )


def describe(label: str, run: dict) -> str:
    return (
        f"{label}: {run['people']:,} people, largest organisation {run['largest']:,} "
        f"({run['dataset']})."
    )


def record(report: str, start: str = START, end: str = END) -> None:
    """Replace one results section of docs/PERFORMANCE.md."""
    text = PERFORMANCE.read_text() if PERFORMANCE.exists() else "# Performance\n"
    if start not in text or end not in text:
        text = f"{text.rstrip()}\n\n{start}\n{end}\n"
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    PERFORMANCE.write_text(f"{before}{start}\n{report}\n{end}{after}")


def describe_learning(label: str, run: dict) -> str:
    return (
        f"{label}: {run['programmes']:,} programmes, {run['runs']:,} runs, {run['people']:,} "
        f"people ({run['dataset']})."
    )


def describe_levy(label: str, run: dict) -> str:
    return (
        f"{label}: {run['employers']:,} employers, {run['years']} tax years, "
        f"{run['declarations']:,} declarations, {run['commitments']:,} commitments, "
        f"{run['entries']:,} ledger entries ({run['dataset']})."
    )


def describe_materials(label: str, run: dict) -> str:
    return f"{label}: {run['materials']:,} materials ({run['dataset']})."


def describe_trainer_pool(label: str, run: dict) -> str:
    return (
        f"{label}: {run['offers']:,} offers, {run['accreditations']:,} accreditations, "
        f"{run['ranges']:,} availability ranges ({run['dataset']})."
    )


def describe_network(label: str, run: dict) -> str:
    return (
        f"{label}: {run['spaces']:,} spaces, {run['posts']:,} posts, "
        f"{run['large_space_posts']:,} in the large space ({run['dataset']})."
    )


def pages_report(
    url: str, args: argparse.Namespace, part: str
) -> tuple[str, list[tuple[dict, list[str]]]]:
    """Time one page scale test (people, learning or levy) and describe it."""
    load_before = os.getloadavg()[0]
    small, large = run_both(url, args.repeats, max(args.rounds, 1), args.reseed, part)
    results, failures = table(small, large)
    label = {
        "people": describe,
        "learning": describe_learning,
        "levy": describe_levy,
        "materials": describe_materials,
        "trainer-pool": describe_trainer_pool,
        "network": describe_network,
    }[part]
    report = "\n".join(
        [
            f"Run on {dt.date.today().isoformat()}: {machine(large['database'])}. Load average "
            f"(1 min) {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end.",
            f"{label('Small', small)} {label('Large', large)} "
            f"Median of {args.rounds} x {args.repeats} requests per page and size, in "
            "alternating rounds, each after a warm-up.",
            "",
            results,
        ]
    )
    return report, failures


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--reseed", action="store_true", help="Drop and seed the bench databases again."
    )
    parser.add_argument(
        "--repeats", type=int, default=20, help="Timed requests per page, size and round."
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="Alternating rounds of the small and large runs."
    )
    parser.add_argument(
        "--record", action="store_true", help="Write the results to docs/PERFORMANCE.md."
    )
    parser.add_argument(
        "--only",
        default=",".join(PARTS),
        help=f"Comma-separated parts to run, of {', '.join(PARTS)} (default all).",
    )
    parser.add_argument(
        "--release-sample",
        type=int,
        help="Release only this many of the 10,000 runs and scale the time up (a quick look).",
    )
    args = parser.parse_args(argv)
    parts = {part.strip() for part in args.only.split(",") if part.strip()}
    if not parts or parts - set(PARTS):
        parser.error(f"--only takes parts of {', '.join(PARTS)}")

    url = server_url()
    started = time.perf_counter()
    failures: list[tuple[dict, list[str]]] = []
    learning_report: list[str] = []
    throughput_failed = False
    if "people" in parts:
        report, failed = pages_report(url, args, "people")
        failures += failed
        print(report)
        if args.record:
            record(report)
    if "learning" in parts:
        report, failed = pages_report(url, args, "learning")
        failures += failed
        print(report)
        learning_report.append(report)
    if "levy" in parts:
        report, failed = pages_report(url, args, "levy")
        failures += failed
        print(report)
        if args.record:
            record(report, LEVY_START, LEVY_END)
    materials_report: list[str] = []
    if "materials" in parts:
        report, failed = pages_report(url, args, "materials")
        failures += failed
        print(report)
        materials_report.append(report)
    if "materials-upload" in parts:
        line = materials_upload_line()
        print(line)
        materials_report += ["", line]
        throughput_failed = throughput_failed or line.endswith("FAIL (the benchmark failed)")
    if args.record and materials_report:
        record("\n".join(materials_report), MATERIALS_START, MATERIALS_END)
    if "trainer-pool" in parts:
        report, failed = pages_report(url, args, "trainer-pool")
        failures += failed
        print(report)
        if args.record:
            record(report, TRAINER_POOL_START, TRAINER_POOL_END)
    if "network" in parts:
        report, failed = pages_report(url, args, "network")
        failures += failed
        print(report)
        if args.record:
            record(report, NETWORK_START, NETWORK_END)
    if "apprenticeships" in parts:
        from bench import apprenticeships

        failures += apprenticeships.part(url, args)
    if "levy-expiry" in parts:
        line = levy_expiry_line()
        print(line)
        throughput_failed = throughput_failed or line.endswith("FAIL")
    if "design-once" in parts:
        line = design_once_line(url, args.reseed)
        print(line)
        throughput_failed = throughput_failed or line.endswith("FAIL")
    if "talent" in parts:
        lines = talent_lines(url)
        print("\n".join(lines))
        throughput_failed = throughput_failed or any(line.endswith("FAIL") for line in lines)
        if args.record:
            record("\n".join(lines), TALENT_START, TALENT_END)
    if parts & {"release", "booking"}:
        lines = throughput(url, args.reseed, parts, args.release_sample)
        print("\n".join(lines))
        learning_report += ["", *lines]
        throughput_failed = throughput_failed or any(line.endswith("FAIL") for line in lines)
    for page, reasons in failures:
        print(f"\n{page['page']} ({page['viewer']}) at the large size: {'; '.join(reasons)}.")
        for query in page["slowest"]:
            print(f"\n{query['ms']:.1f} ms: {query['sql']}\n{query['plan']}")
    print(f"\nThe bench took {time.perf_counter() - started:.0f} s.")
    if args.record and learning_report:
        record("\n".join(learning_report), LEARNING_START, LEARNING_END)
    if args.record:
        print(f"Recorded in {PERFORMANCE.relative_to(ROOT)}.")
    return 1 if failures or throughput_failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
