"""The talent stable matcher: `python -m bench.talent_matching` (no database).

The talent issue asks for two numbers:

- matching 10,000 applicants with 20 preferences each over 2,000 posts in under 1 second;
- the speed against the `matching` package from PyPI (its `HospitalResident` game, solved
  resident-optimal) as a ratio measured in the same run on an instance that package can handle
  (1,000 applicants with 20 preferences each over 200 posts; it deep-copies its linked players, so
  it needs a raised recursion limit), aiming at 20 times faster, both giving the same matching.

Instances come from one seed: each applicant ranks 20 distinct posts drawn uniformly, in random
order; each post ranks exactly the applicants who listed it (so every listed pair is acceptable and
the package needs no cleaning) by a score shared by all posts plus per-post noise, as shortlisting
marks would; capacities are 1 to 4 (on average 2.5 places a post, so half the applicants are left
without a post and many proposals are rejected).

It times `joinedup.talent.matching.stable_matching` alone after a warm-up, several times, and also
the contract's whole `compute` (checking the parsed input, then matching) on the large instance.
For the ratio, the package's time is `HospitalResident.create_from_dictionaries(...)` plus
`solve(optimal="resident")`, from the same dictionaries to the matching, as a caller pays it; its
`solve` alone is shown too. The ratio compares each side's fastest run (ours lasts milliseconds,
so on a busy machine one preemption can multiply its median); the ratio of medians is shown too.
Prints one JSON object with the machine's cores and load; exit status 1
when the large median is not under the limit, the ratio is under the aim, or the matchings differ.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

from joinedup.talent.matching import stable_matching
from joinedup.talent.matching_contract import compute

LIMIT_SECONDS = 1.0
RATIO_AIM = 20.0
PREFERENCES = 20
LARGE = (10_000, 2_000)  # applicants, posts
SMALL = (1_000, 200)
RECURSION_LIMIT = 100_000


Instance = tuple[dict[str, list[str]], dict[str, list[str]], dict[str, int]]


def instance(applicants: int, posts: int, seed: int) -> Instance:
    """Applicants' and posts' preference lists and capacities, as described above."""
    rng = random.Random(seed)
    post_ids = [f"post-{index}" for index in range(posts)]
    ranked: dict[str, list[str]] = {
        f"applicant-{index}": rng.sample(post_ids, PREFERENCES) for index in range(applicants)
    }
    score = {applicant: rng.random() for applicant in ranked}
    listed_by: dict[str, list[str]] = {post: [] for post in post_ids}
    for applicant, choices in ranked.items():
        for post in choices:
            listed_by[post].append(applicant)
    post_lists = {}
    for post, listed in listed_by.items():
        marks = {applicant: score[applicant] + rng.random() * 0.5 for applicant in listed}
        post_lists[post] = sorted(listed, key=marks.__getitem__, reverse=True)
    capacities = {post: rng.randint(1, 4) for post in post_ids}
    return ranked, post_lists, capacities


def as_input(problem: Instance) -> dict[str, Any]:
    """The instance as the contract's parsed input."""
    applicants, posts, capacities = problem
    return {
        "applicants": [{"id": a, "preferences": ranked} for a, ranked in applicants.items()],
        "posts": [
            {"id": p, "capacity": capacities[p], "preferences": ranked}
            for p, ranked in posts.items()
        ],
    }


def seconds(run: Callable[[], object], runs: int) -> list[float]:
    """Seconds for each of `runs` calls of `run`, after one warm-up call."""
    run()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return times


def summary(times: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(times), 4), "fastest": round(min(times), 4)}


def package_matching(problem: Instance, runs: int) -> tuple[dict[str, str | None], dict]:
    """The `matching` package's resident-optimal matching and its times (build + solve)."""
    from matching.games import HospitalResident

    applicants, posts, capacities = problem
    totals, solves = [], []
    result: dict[str, str | None] = {}
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, RECURSION_LIMIT))
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for _ in range(runs):
                started = time.perf_counter()
                game = HospitalResident.create_from_dictionaries(applicants, posts, capacities)
                built = time.perf_counter()
                solved = game.solve(optimal="resident")
                finished = time.perf_counter()
                totals.append(finished - started)
                solves.append(finished - built)
                result = dict.fromkeys(applicants)
                for hospital, residents in solved.items():
                    for resident in residents:
                        result[resident.name] = hospital.name
    finally:
        sys.setrecursionlimit(limit)
    if caught:  # the instance must be one the package takes as it is, without cleaning
        raise SystemExit(f"the matching package warned: {caught[0].message}")
    return result, {"total": summary(totals), "solve": summary(solves)}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.talent_matching", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--seed", type=int, default=2026, help="Seed of both instances.")
    parser.add_argument("--runs", type=int, default=5, help="Timed runs of the large instance.")
    parser.add_argument("--package-runs", type=int, default=3, help="Timed package runs.")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]

    large = instance(*LARGE, seed=args.seed)
    large_times = seconds(lambda: stable_matching(*large), args.runs)
    large_input = as_input(large)
    contract_times = seconds(lambda: compute(large_input), args.runs)
    matched = sum(post is not None for post in stable_matching(*large).values())

    small = instance(*SMALL, seed=args.seed)
    ours = stable_matching(*small)
    ours_times = seconds(lambda: stable_matching(*small), 20 * args.runs)
    theirs, package_times = package_matching(small, args.package_runs)
    same = theirs == ours
    # Each side's fastest run: the one least disturbed by other work on the machine (our runs last
    # milliseconds, so one preemption can multiply a median on a busy machine).
    ratio = package_times["total"]["fastest"] / min(ours_times)
    solve_ratio = package_times["solve"]["fastest"] / min(ours_times)
    median_ratio = package_times["total"]["median"] / statistics.median(ours_times)

    large_summary = summary(large_times)
    passed = {
        "large_under_limit": large_summary["median"] < LIMIT_SECONDS,
        "ratio_at_least_aim": ratio >= RATIO_AIM,
        "same_matching": same,
    }
    print(
        json.dumps(
            {
                "seed": args.seed,
                "large": {
                    "applicants": LARGE[0],
                    "posts": LARGE[1],
                    "preferences": PREFERENCES,
                    "matched": matched,
                    "matcher_seconds": large_summary,
                    "contract_compute_seconds": summary(contract_times),
                    "limit_seconds": LIMIT_SECONDS,
                },
                "against_matching_package": {
                    "applicants": SMALL[0],
                    "posts": SMALL[1],
                    "preferences": PREFERENCES,
                    "ours_seconds": summary(ours_times),
                    "package_seconds": package_times,
                    "ratio": round(ratio, 1),
                    "ratio_solve_only": round(solve_ratio, 1),
                    "ratio_of_medians": round(median_ratio, 1),
                    "aim": RATIO_AIM,
                    "same_matching": same,
                },
                "cores": os.cpu_count(),
                "python": platform.python_version(),
                "load_1min_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
                "checks": passed,
                "result": "pass" if all(passed.values()) else "FAIL",
            }
        )
    )
    return 0 if all(passed.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
