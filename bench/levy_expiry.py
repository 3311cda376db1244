"""One levy expiry calculation over 120 months: `python -m bench.levy_expiry` (no database).

The levy issue asks for one expiry calculation over 120 months under 5 ms. The account here has
ten years (2020-01 to 2029-12) of monthly funds in with pence, a negative adjustment each
June, monthly funds out with a refund each quarter, the expiries already recorded for every month
up to 2026-10 (as the monthly job sees it; a second case records none, as a fresh forecast), and
the August 2026 policy change (24 months before it, 12 from it), so every step of
`joinedup.levy.expiry` runs: netting, replaying recorded expiries and both cohorts.

It times `expiries(...)` alone, after a warm-up, many times, and prints each case's median, 95th
percentile and fastest, with the machine's cores and load, as one JSON object. Exit status 1
when a median is not under the limit.
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
from collections.abc import Callable
from decimal import Decimal
from functools import partial

from joinedup.levy.expiry import Expiries, Month, PolicyChange, expiries

LIMIT_MS = 5.0
FIRST = Month(2020, 1)
MONTHS = 120
CHANGE = Month(2026, 8)
RECORDED_UP_TO = Month(2026, 10)


def calculation(recorded: bool, seed: int = 2026) -> Callable[[], Expiries]:
    """One calculation over MONTHS months, ready to run, with or without recorded expiries."""
    rng = random.Random(seed)
    pence = Decimal("0.01")
    funds_in: dict[Month, Decimal] = {}
    funds_out: dict[Month, Decimal] = {}
    for index in range(MONTHS):
        month = FIRST + index
        funds_in[month] = Decimal(rng.randint(800_000, 1_200_000)) * pence
        if month.month == 6:
            funds_in[month] = -Decimal(rng.randint(10_000, 300_000)) * pence
        funds_out[month] = Decimal(rng.randint(300_000, 1_300_000)) * pence
        if month.month % 3 == 0:
            funds_out[month] = -Decimal(rng.randint(10_000, 200_000)) * pence
    # What the monthly job would have posted: the calculation's own results up to the cut-off.
    done = expiries(funds_in, funds_out, 24, policy_change=PolicyChange(CHANGE, 12))
    recorded_long = {m: a for m, a in done.long_term.items() if recorded and m <= RECORDED_UP_TO}
    recorded_short = {
        m: a for m, a in (done.short_term or {}).items() if recorded and m <= RECORDED_UP_TO
    }
    return partial(
        expiries, funds_in, funds_out, 24, recorded_long, PolicyChange(CHANGE, 12, recorded_short)
    )


def time_runs(runs: int, recorded: bool) -> list[float]:
    """Milliseconds for each of `runs` calculations, after a warm-up."""
    run = calculation(recorded)
    for _ in range(50):
        run()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.levy_expiry", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--runs", type=int, default=5_000, help="Timed calculations.")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    cases = {}
    for name, recorded in (("recorded_to_2026_10", True), ("none_recorded", False)):
        times = sorted(time_runs(args.runs, recorded))
        cases[name] = {
            "median_ms": round(statistics.median(times), 3),
            "p95_ms": round(times[int(len(times) * 0.95)], 3),
            "fastest_ms": round(times[0], 3),
        }
    passed = all(case["median_ms"] < LIMIT_MS for case in cases.values())
    print(
        json.dumps(
            {
                "months": MONTHS,
                "runs": args.runs,
                **cases,
                "limit_ms": LIMIT_MS,
                "cores": os.cpu_count(),
                "python": platform.python_version(),
                "load_1min_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
                "result": "pass" if passed else "FAIL",
            }
        )
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
