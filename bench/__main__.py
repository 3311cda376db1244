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
MAX_RATIO = 1.5
MAX_LARGE_MS = 50.0
START = "<!-- bench:results -->"
END = "<!-- /bench:results -->"


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


def run_size(url: str, size: str, repeats: int, explain: bool) -> dict:
    """One timing run of one dataset in its own process (seeding it the first time)."""
    database, people, organisations, largest = SIZES[size]
    env = os.environ | {"DATABASE_URL": with_database(url, database), "DEBUG": "false"}
    env.pop("DATABASE_TEST_NAME", None)
    command = [
        sys.executable, "-m", "bench.pages", "--size", size, "--people", str(people),
        "--organisations", str(organisations), "--largest", str(largest), "--repeats", str(repeats),
    ]  # fmt: skip
    if explain:
        command.append("--explain")
    done = subprocess.run(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"The {size} run failed (exit status {done.returncode}).")
    return json.loads(done.stdout.strip().splitlines()[-1])


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


def run_both(url: str, repeats: int, rounds: int, reseed: bool) -> tuple[dict, dict]:
    """Time both datasets in alternating rounds, so a busy moment on the machine hits both."""
    for size in SIZES:
        prepare_database(url, SIZES[size][0], reseed)
    runs: dict[str, list[dict]] = {size: [] for size in SIZES}
    for number in range(1, rounds + 1):
        for size, (_, people, _, _) in SIZES.items():
            print(
                f"Round {number} of {rounds}: the {size} dataset ({people:,} people) ...",
                file=sys.stderr,
            )
            explain = size == "large" and number == rounds
            runs[size].append(run_size(url, size, repeats, explain))
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


def record(report: str) -> None:
    """Replace the results section of docs/PERFORMANCE.md."""
    text = PERFORMANCE.read_text() if PERFORMANCE.exists() else f"# Performance\n\n{START}\n{END}\n"
    if START not in text or END not in text:
        text = f"{text.rstrip()}\n\n{START}\n{END}\n"
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    PERFORMANCE.write_text(f"{before}{START}\n{report}\n{END}{after}")


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
    args = parser.parse_args(argv)

    url = server_url()
    load_before = os.getloadavg()[0]
    small, large = run_both(url, args.repeats, max(args.rounds, 1), args.reseed)
    results, failures = table(small, large)
    today = dt.date.today().isoformat()
    report = "\n".join(
        [
            f"Run on {today}: {machine(large['database'])}. Load average (1 min) "
            f"{load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end.",
            f"{describe('Small', small)} {describe('Large', large)} "
            f"Median of {args.rounds} x {args.repeats} requests per page and size, in "
            "alternating rounds, each after a warm-up.",
            "",
            results,
        ]
    )
    print(report)
    for page, reasons in failures:
        print(f"\n{page['page']} ({page['viewer']}) at the large size: {'; '.join(reasons)}.")
        for query in page["slowest"]:
            print(f"\n{query['ms']:.1f} ms: {query['sql']}\n{query['plan']}")
    if args.record:
        record(report)
        print(f"\nRecorded in {PERFORMANCE.relative_to(ROOT)}.")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
