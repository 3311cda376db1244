"""The levy pooling optimiser at scale: `python -m bench.levy_optimiser`.

The levy issue's aim: 300 organisations and 2,000 needs solved to optimality in under 10 s on the
2-core development machine. No database: the optimiser is a pure core, timed as the service and
the `joinedup levy optimise` contract call it (`optimise` with no time limit), from plain data to
the proven optimal plan and its exact figures.

The instance is seeded (`--seed`) and meant to look like a partnership's: 300 organisations, of
which 150 pay the levy and can send transfers. A sender's monthly levy is log-normal (about £4,000
to £250,000 a month); it spends 55% to 105% of it on its own apprentices, so its expiry forecast
over the next 24 months (2027-01 to 2028-12) shows expiry in the months where it underspent, 20%
more or less each month; its remaining allowance is half a year's levy less what it has pledged
already (0% to 60%). The 2,000 needs belong to any of the 300 organisations, have priority 1 to 3
and follow the payment rules: a price from one of seven funding bands, 80% of it in equal monthly
instalments over 12 to 24 months (5 decimal places, the last making the total exact) and 20% on
completion, starting in any month from 2026-10 to 2028-12.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import time
from decimal import Decimal

from joinedup.levy.optimiser import Need, Sender, greedy_plan, optimise

ORGANISATIONS = 300
SENDERS = 150
NEEDS = 2_000
LIMIT_SECONDS = 10.0
BANDS = (5_000, 8_000, 12_000, 15_000, 18_000, 21_000, 27_000)
HORIZON = [f"{2027 + index // 12}-{index % 12 + 1:02d}" for index in range(24)]
STARTS = [f"{2026 + (index + 9) // 12}-{(index + 9) % 12 + 1:02d}" for index in range(27)]


def month_after(month: str, count: int) -> str:
    year, number = int(month[:4]), int(month[5:]) - 1 + count
    return f"{year + number // 12}-{number % 12 + 1:02d}"


def instance(
    seed: int,
    organisations_count: int = ORGANISATIONS,
    senders_count: int = SENDERS,
    needs_count: int = NEEDS,
) -> tuple[list[Sender], list[Need]]:
    """The seeded partnership: senders with expiry forecasts and allowances, and needs."""
    rng = random.Random(seed)
    organisations = [f"ORG-{number:03d}" for number in range(1, organisations_count + 1)]
    senders = []
    for organisation in rng.sample(organisations, senders_count):
        levy = Decimal(f"{rng.lognormvariate(9.8, 1.0):.2f}")
        spends = rng.uniform(0.55, 1.05)
        expiring = {}
        for month in HORIZON:
            left = float(levy) * (1 - spends * rng.uniform(0.8, 1.2))
            if left > 0:
                expiring[month] = Decimal(f"{left:.2f}")
        allowance = Decimal(f"{float(levy) * 6 * (1 - rng.uniform(0, 0.6)):.2f}")
        senders.append(Sender(id=organisation, allowance=allowance, expiring=expiring))
    needs = []
    for number in range(1, needs_count + 1):
        price = Decimal(rng.choice(BANDS))
        duration = rng.randint(12, 24)
        start = rng.choice(STARTS)
        on_programme = price * Decimal("0.8")
        instalment = (on_programme / duration).quantize(Decimal("0.00001"))
        costs = {month_after(start, index): instalment for index in range(duration - 1)}
        costs[month_after(start, duration - 1)] = on_programme - instalment * (duration - 1)
        completion = month_after(start, duration)
        costs[completion] = price * Decimal("0.2")
        needs.append(
            Need(
                id=f"need-{number:04d}",
                organisation=rng.choice(organisations),
                priority=rng.randint(1, 3),
                costs=costs,
            )
        )
    return senders, needs


def exact_in_child(args: argparse.Namespace) -> dict[str, object]:
    """The solve with no time limit (as the contract runs it), in a child process, cut off at
    --exact-timeout seconds."""
    command = [
        sys.executable,
        "-m",
        "bench.levy_optimiser",
        "--child-exact",
        *("--seed", str(args.seed), "--senders", str(args.senders), "--needs", str(args.needs)),
        *("--organisations", str(args.organisations)),
    ]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=args.exact_timeout)
    except subprocess.TimeoutExpired:
        return {"finished": False, "cut_off_after_seconds": args.exact_timeout}
    result: dict[str, object] = json.loads(done.stdout)
    result["wall_seconds"] = round(time.perf_counter() - started, 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--organisations", type=int, default=ORGANISATIONS)
    parser.add_argument("--senders", type=int, default=SENDERS)
    parser.add_argument("--needs", type=int, default=NEEDS)
    parser.add_argument("--time-limit", type=float, default=LIMIT_SECONDS)
    parser.add_argument(
        "--exact-timeout",
        type=float,
        default=0,
        help="Also run the solve with no time limit, cut off after this many seconds (0: skip).",
    )
    parser.add_argument("--child-exact", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    senders, needs = instance(args.seed, args.organisations, args.senders, args.needs)
    if args.child_exact:
        started = time.perf_counter()
        outcome = optimise(senders, needs)
        print(
            json.dumps(
                {
                    "finished": True,
                    "seconds": round(time.perf_counter() - started, 2),
                    "status": outcome.status,
                    "expiry_avoided": str(outcome.plan.expiry_avoided),
                    "priority_funded": outcome.plan.priority_funded,
                }
            )
        )
        return
    started = time.perf_counter()
    greedy = greedy_plan(senders, needs)
    greedy_seconds = time.perf_counter() - started
    started = time.perf_counter()
    outcome = optimise(senders, needs, time_limit=args.time_limit)
    seconds = time.perf_counter() - started
    report = {
        "organisations": args.organisations,
        "senders": len(senders),
        "needs": len(needs),
        "total_expiring": str(sum(sum(sender.expiring.values()) for sender in senders)),
        "total_allowance": str(sum(sender.allowance for sender in senders)),
        "total_cost": str(sum(need.cost for need in needs)),
        "time_limit": args.time_limit,
        "seconds": round(seconds, 2),
        "status": outcome.status,
        "proven_optimal_within_limit": outcome.status == "optimal" and seconds < LIMIT_SECONDS,
        "expiry_avoided": str(outcome.plan.expiry_avoided),
        "avoided_bound": str(outcome.avoided_bound),
        "gap": str(outcome.gap),
        "priority_funded": outcome.plan.priority_funded,
        "funded": len(outcome.plan.transfers),
        "greedy_expiry_avoided": str(greedy.expiry_avoided),
        "greedy_priority_funded": greedy.priority_funded,
        "greedy_seconds": round(greedy_seconds, 2),
        "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores",
        "load_average": os.getloadavg()[0],
    }
    if args.exact_timeout:
        report["exact"] = exact_in_child(args)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
